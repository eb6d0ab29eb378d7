"""The spreadsheet rules shared by CSV and XLSX: headers, numbers, grouping, neutralising."""

from __future__ import annotations

import doctest
from datetime import date
from decimal import Decimal

import pytest

from parsers import cells, columns, sheets, tabular
from parsers.cells import parse_decimal
from parsers.columns import Field, TabularProfile, normalise_header
from parsers.document import IssueCode, SourceFormat
from parsers.errors import EmptyFile, HeaderNotFound


def rows(*cells):
    """Rows numbered from 1, as a reader hands them over."""
    return [(number, list(row)) for number, row in enumerate(cells, start=1)]


def read(*cells, profile=None, source_format=SourceFormat.CSV):
    return tabular.read_table(rows(*cells), source_format=source_format, profile=profile)


def test_module_doctests_hold():
    assert doctest.testmod(tabular).failed == 0


def test_no_alias_means_two_fields():
    owner: dict[str, Field] = {}
    for fld, names in columns.BUILTIN_ALIASES.items():
        for name in names:
            key = normalise_header(name)
            assert owner.setdefault(key, fld) is fld, f"{name!r} is claimed twice"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Code-barre", Field.BARCODE),
        ("CODE BARRES", Field.BARCODE),
        ("EAN13", Field.BARCODE),
        ("GTIN", Field.BARCODE),
        ("upc", Field.BARCODE),
        ("Référence", Field.SUPPLIER_REF),
        ("REFERENCE FOURNISSEUR", Field.SUPPLIER_REF),
        ("SKU", Field.SUPPLIER_REF),
        ("Article", Field.SUPPLIER_REF),
        ("Réf. client", Field.CUSTOMER_REF),
        ("Votre référence", Field.CUSTOMER_REF),
        ("Libellé", Field.NAME),
        ("Description", Field.NAME),
        ("Quantité commandée (UVC)", Field.QUANTITY),
        ("Qté", Field.QUANTITY),
        ("QTY", Field.QUANTITY),
        ("N° commande", Field.ORDER_NUMBER),
        ("No commande", Field.ORDER_NUMBER),
        ("PO number", Field.ORDER_NUMBER),
        ("Code client", Field.CUSTOMER),
        ("Livrer à", Field.SITE),
        ("Ship to", Field.SITE),
        ("Date de livraison", Field.DELIVERY_DATE),
        ("Order date", Field.ORDER_DATE),
        ("Remarque", Field.COMMENT),
        ("Unité", Field.UNIT),
        ("Prix unitaire HT (€)", Field.UNIT_PRICE),
    ],
)
def test_french_and_english_headers_map_to_their_field(header, field):
    match = columns.find_header(rows([header, "Qté", "EAN"]))
    assert match is not None
    assert match.columns[field] == 0


def test_header_is_the_row_matching_most_aliases():
    match = columns.find_header(
        rows(["Qté", "EAN"], ["N° commande", "EAN", "Désignation", "Qté"], ["x", "y"])
    )
    assert match is not None and match.line == 2


def test_header_needs_a_quantity_and_a_product_column():
    assert columns.find_header(rows(["EAN", "Désignation", "Client"])) is None
    assert columns.find_header(rows(["Qté", "Client", "Site"])) is None


def test_header_is_searched_in_the_first_20_rows_only():
    late = rows(*([["titre"]] * 20), ["EAN", "Qté"], ["4006381333931", "1"])
    assert columns.find_header(late) is None
    assert columns.find_header(late, TabularProfile(header_row=21)).line == 21


def test_profile_header_row_zero_means_columns_by_letter():
    profile = TabularProfile(header_row=0, columns={"barcode": "B", "quantity": "C"})
    result = read(["x", "4006381333931", "5"], profile=profile)
    line = result.documents[0].lines[0]
    assert (line.barcode, line.quantity, line.location.line) == ("4006381333931", 5, 1)
    assert line.columns == {"barcode": "B", "quantity": "C"}


def test_without_header_row_a_line_missing_its_quantity_is_kept_with_an_issue():
    profile = TabularProfile(header_row=0, columns={"barcode": "A", "quantity": "B"})
    [line] = read(["4006381333931", ""], profile=profile).documents[0].lines
    assert [issue.code for issue in line.issues] == [IssueCode.MISSING_QUANTITY]


def test_header_not_found_says_what_was_expected():
    with pytest.raises(HeaderNotFound) as error:
        read(["Nom", "Ville"], ["Dupont", "Lyon"])
    assert error.value.expected and "quantity" in error.value.expected
    assert error.value.line == 1


def test_no_rows_at_all_is_an_empty_file():
    with pytest.raises(EmptyFile):
        read([], ["", "  "])


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("12", ",", Decimal("12")),
        ("12,5", ",", Decimal("12.5")),
        ("1 234,5", ",", Decimal("1234.5")),
        ("1\u202f234", ",", Decimal("1234")),
        ("1.234.567,89", ",", Decimal("1234567.89")),
        ("1.500", ",", Decimal("1500")),
        ("2.5", ",", Decimal("2.5")),
        ("1,234.5", ".", Decimal("1234.5")),
        ("1,500", ".", Decimal("1500")),
        ("-3", ".", Decimal("-3")),
        ("12 pcs", ",", None),
        ("1,2,3", ",", None),
        ("", ",", None),
    ],
)
def test_parse_decimal(text, decimal, expected):
    assert parse_decimal(text, decimal) == expected


def test_decimal_mark_is_voted_by_the_values():
    assert cells.guess_decimal(["12,5", "3"], hint=None) == ","
    assert cells.guess_decimal(["12.5", "3"], hint=",") == "."
    assert cells.guess_decimal(["1.500", "3"], hint=",") == ","  # undecided: the hint


def test_customer_conflict_within_an_order_keeps_the_first_and_warns():
    result = read(
        ["N° commande", "Client", "EAN", "Qté"],
        ["A", "C1", "4006381333931", "1"],
        ["A", "C2", "96385074", "1"],
    )
    assert result.documents[0].customer == "C1"
    assert any("'C2' differs from 'C1'" in w for w in result.warnings)


def test_without_order_number_rows_group_by_customer_and_site():
    result = read(
        ["Client", "Site", "EAN", "Qté"],
        ["C1", "Lyon", "4006381333931", "1"],
        ["C2", "Lyon", "96385074", "1"],
        ["C1", "Lyon", "3017620422003", "2"],
    )
    assert [(d.customer, len(d.lines)) for d in result.documents] == [("C1", 2), ("C2", 1)]


def test_delivery_date_goes_on_the_document_only_when_all_lines_agree():
    result = read(
        ["EAN", "Qté", "Date de livraison"],
        ["4006381333931", "1", "10/06/2024"],
        ["96385074", "1", "11/06/2024"],
    )
    document = result.documents[0]
    assert document.delivery_date is None
    assert [line.requested_delivery for line in document.lines] == [
        date(2024, 6, 10),
        date(2024, 6, 11),
    ]


def test_repeated_header_rows_are_skipped():
    result = read(["EAN", "Qté"], ["4006381333931", "1"], ["EAN", "Qté"], ["96385074", "2"])
    assert [line.location.line for line in result.documents[0].lines] == [2, 4]


def test_row_with_neither_product_nor_quantity_is_skipped_with_a_note_not_a_warning():
    result = read(["EAN", "Qté", "Commentaire"], ["4006381333931", "1", ""], ["", "", "merci"])
    assert len(result.documents[0].lines) == 1
    assert any("line 3" in n for n in result.notes)
    assert result.warnings == []


def test_line_records_the_header_each_value_came_from():
    result = read(["Code-barre", "Qté commandée", "Libellé"], ["4006381333931", "1", "Stylo"])
    assert result.documents[0].lines[0].columns == {
        "barcode": "Code-barre",
        "quantity": "Qté commandée",
        "name": "Libellé",
    }


def test_an_unreadable_order_date_is_an_issue_on_its_line():
    result = read(["Date de commande", "EAN", "Qté"], ["hier", "4006381333931", "1"])
    [issue] = result.documents[0].lines[0].issues
    assert issue.code is IssueCode.INVALID_DATE
    assert result.documents[0].order_date is None


@pytest.mark.parametrize("text", ["=1+1", "+33", "-x", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_prefixes_formula_starters(text):
    assert sheets.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Stylo", "", None, -5, Decimal("-1.5"), date(2024, 1, 1)])
def test_neutralise_leaves_plain_text_and_numbers(value):
    assert sheets.neutralise(value) == value


def test_profile_validates_from_toml_like_data():
    profile = TabularProfile.model_validate(
        {
            "aliases": {"barcode": ["Gencod article"]},
            "columns": {"quantity": "D"},
            "defaults": {"customer": "C-1"},
            "decimal": ",",
            "sheet": 2,
        }
    )
    assert profile.aliases[Field.BARCODE] == ["Gencod article"]
    with pytest.raises(ValueError):
        TabularProfile.model_validate({"columns": {"quantite": "D"}})
    with pytest.raises(ValueError):
        TabularProfile.model_validate({"decimal": ";"})
