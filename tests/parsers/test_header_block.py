"""The header block above an order table: fields by label, notes kept, titles listed."""

from __future__ import annotations

import doctest
from datetime import datetime

from parsers import header_block
from parsers.columns import Field, TabularProfile
from parsers.document import SkipKind
from parsers.header_block import read_header_block


def block(*cells, profile=None):
    rows = [(n, list(row)) for n, row in enumerate(cells, start=1)]
    return read_header_block(rows, profile or TabularProfile(), sheet="Commande")


def test_module_doctests_hold():
    assert doctest.testmod(header_block).failed == 0


def test_a_label_and_its_value_in_one_cell_give_the_field():
    found = block(["N° de commande : HB-5540"])
    assert found.text(Field.ORDER_NUMBER) == "HB-5540"
    assert found.values[Field.ORDER_NUMBER][1].line == 1


def test_a_label_and_its_value_in_neighbouring_cells_give_the_field():
    assert block(["Site de livraison", "LILLE"]).text(Field.SITE) == "LILLE"


def test_an_empty_cell_between_a_label_and_its_value_is_allowed():
    assert block(["Client :", None, "Hôtel Bellevue"]).text(Field.CUSTOMER) == "Hôtel Bellevue"


def test_a_date_cell_is_kept_as_a_date():
    found = block(["Date de livraison", datetime(2026, 12, 12)])
    assert found.values[Field.DELIVERY_DATE][0] == datetime(2026, 12, 12)


def test_english_labels_are_read_too():
    found = block(["Order number: PO-77", "Ship to: LILLE", "Your reference: REF-9"])
    assert (found.text(Field.ORDER_NUMBER), found.text(Field.SITE)) == ("PO-77", "LILLE")
    assert found.text(Field.BUYER_REFERENCE) == "REF-9"


def test_a_mapping_profile_adds_labels():
    profile = TabularProfile(labels={Field.ORDER_NUMBER: ["Bon n°"]})
    assert block(["Bon n° : 881"], profile=profile).text(Field.ORDER_NUMBER) == "881"


def test_labels_are_those_of_the_profile_read_with_even_when_it_changes():
    profile = TabularProfile(labels={Field.ORDER_NUMBER: ["Bon n°"]})
    assert block(["Bon n° : 881"], profile=profile).text(Field.ORDER_NUMBER) == "881"
    assert block(["Bon n° : 881"]).text(Field.ORDER_NUMBER) is None
    profile.labels[Field.ORDER_NUMBER].append("Commande client")
    assert block(["Commande client : 882"], profile=profile).text(Field.ORDER_NUMBER) == "882"


def test_a_labelled_value_that_is_no_field_is_kept_as_a_note():
    found = block(["Contact : Marie 06 12 34 56 78"])
    assert found.notes == ["Contact : Marie 06 12 34 56 78"]
    assert found.values == {}


def test_a_title_is_listed_as_left_aside():
    [skipped] = block(["BON DE COMMANDE — Hôtel Bellevue"]).skipped
    assert (skipped.kind, skipped.text, skipped.location.line) == (
        SkipKind.TEXT_ABOVE,
        "BON DE COMMANDE — Hôtel Bellevue",
        1,
    )


def test_a_label_left_blank_is_neither_a_field_nor_a_remark():
    found = block(["N° de commande :", None, None])
    assert (found.values, found.notes, found.skipped) == ({}, [], [])


def test_several_fields_may_share_a_row():
    found = block(["Client : C002", None, "Date : 02/12/2026"])
    assert (found.text(Field.CUSTOMER), found.text(Field.ORDER_DATE)) == ("C002", "02/12/2026")


def test_the_order_forms_instructions_are_neither_a_field_a_note_nor_left_aside():
    found = block(["Mode d'emploi : bon de commande de Hôtel Bellevue. Saisissez…"])
    assert (found.values, found.notes, found.skipped) == ({}, [], [])
