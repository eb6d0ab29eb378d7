"""The spreadsheet rules shared by CSV and XLSX: headers, numbers, grouping, neutralising."""

from __future__ import annotations

import doctest
from datetime import date
from decimal import Decimal

import pytest

from parsers import cells, columns, sheets, tabular
from parsers.cells import parse_decimal
from parsers.columns import Field, TabularProfile, normalise_header
from parsers.document import IssueCode, SkipKind, SourceFormat
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


def test_row_with_neither_product_nor_quantity_is_the_orders_comment():
    result = read(["EAN", "Qté", "Commentaire"], ["4006381333931", "1", ""], ["", "", "merci"])
    [document] = result.documents
    assert len(document.lines) == 1
    assert document.notes == ["merci"]


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


# --- the header block, notes, what was left aside ----------------------------------------------
HB_ROWS = (
    ["BON DE COMMANDE", "", ""],
    ["N° de commande : HB-5540", "", ""],
    ["Site de livraison :", "LILLE", ""],
    ["Date : 02/12/2026", "", ""],
    ["", "", ""],
    ["Code-barre", "Désignation", "Quantité"],
    ["4006381333931", "Café", "2"],
)


def test_the_header_block_gives_the_orders_number_site_and_date():
    [document] = read(*HB_ROWS).documents
    assert (document.order_number, document.site) == ("HB-5540", "LILLE")
    assert document.order_date == date(2026, 12, 2)


def test_a_column_wins_over_the_header_block():
    rows = (["Site : LILLE", "", ""], ["Site", "EAN", "Qté"], ["LYON", "4006381333931", "1"])
    assert read(*rows).documents[0].site == "LYON"


def test_the_header_blocks_comment_and_its_other_remarks_make_the_orders_comment():
    rows = (
        ["Commentaire : livrer par l'arrière", ""],
        ["Contact : Marie", ""],
        ["EAN", "Qté"],
        ["4006381333931", "1"],
    )
    assert read(*rows).documents[0].notes == ["livrer par l'arrière", "Contact : Marie"]


def test_a_title_above_the_table_is_listed_as_left_aside():
    result = read(*HB_ROWS)
    assert [(s.kind, s.text) for s in result.skipped] == [(SkipKind.TEXT_ABOVE, "BON DE COMMANDE")]


def test_a_note_under_the_table_is_the_orders_comment_never_a_line():
    note = "Merci de livrer avant vendredi 10h. Contact : Marie 06 12 34 56 78"
    [document] = read(*HB_ROWS, ["", "", ""], [note, "", ""]).documents
    assert [line.barcode for line in document.lines] == ["4006381333931"]
    assert document.notes == [note]


def test_text_beside_the_table_on_a_row_of_its_own_is_the_comment():
    rows = (["EAN", "Qté", ""], ["4006381333931", "1", ""], ["", "", "Urgent, merci"])
    [document] = read(*rows).documents
    assert (len(document.lines), document.notes) == (1, ["Urgent, merci"])


def test_a_sentence_where_a_name_would_be_is_a_note_but_a_name_without_quantity_a_line():
    rows = (
        ["Désignation", "Qté"],
        ["Café moulu", "2"],
        ["Confiture de fraises", ""],
        ["Livraison par le quai B. Sonnez deux fois", ""],
    )
    [document] = read(*rows).documents
    assert [line.name for line in document.lines] == ["Café moulu", "Confiture de fraises"]
    assert document.lines[1].issues[0].code is IssueCode.MISSING_QUANTITY
    assert document.notes == ["Livraison par le quai B. Sonnez deux fois"]


def test_a_total_row_is_listed_as_left_aside():
    result = read(["EAN", "Qté"], ["4006381333931", "1"], ["TOTAL", "1"])
    [skipped] = result.skipped
    assert (skipped.kind, skipped.location.line) == (SkipKind.TOTAL_ROW, 3)


def test_a_column_the_gateway_does_not_read_is_listed_once():
    result = read(["EAN", "Marque", "Qté"], ["4006381333931", "X", "1"], ["96385074", "Y", "2"])
    assert [(s.kind, s.text) for s in result.skipped] == [(SkipKind.UNREAD_COLUMN, "Marque")]


def test_a_cell_beside_a_line_outside_the_table_is_listed():
    result = read(["EAN", "Qté", ""], ["4006381333931", "1", "à vérifier"])
    [skipped] = result.skipped
    assert (skipped.kind, skipped.text, skipped.location.line) == (
        SkipKind.CELL_BESIDE,
        "à vérifier",
        2,
    )


def test_a_site_in_conflict_with_the_orders_is_listed_with_the_one_kept():
    rows = (["N° commande", "Site", "EAN", "Qté"], ["A", "S1", "4006381333931", "1"],
            ["A", "S2", "96385074", "1"])  # fmt: skip
    [skipped] = read(*rows).skipped
    assert (skipped.kind, skipped.field, skipped.text, skipped.kept) == (
        SkipKind.CONFLICTING_VALUE,
        "site",
        "S2",
        "S1",
    )


def test_a_typo_in_the_quantity_header_names_the_missing_column_and_the_nearest_header():
    with pytest.raises(HeaderNotFound) as error:
        read(["N° commande", "Code-barres", "Qantité"], ["A", "4006381333931", "1"])
    assert error.value.key == "missing_column"
    assert error.value.params["missing"] == "quantity"
    assert (error.value.params["written"], error.value.params["meant"]) == ("Qantité", "Quantité")
    assert "'Qantité' meant to be 'Quantité'" in str(error.value)


def test_a_header_without_any_product_column_names_that_it_is_missing():
    with pytest.raises(HeaderNotFound) as error:
        read(["Quantité", "Désignatoin"], ["1", "Café"])
    assert error.value.params["missing"] == "barcode"
    assert error.value.params["meant"] == "Désignation"


def test_tables_without_an_order_number_join_the_first_order_of_the_file():
    first = tabular.TableSource(
        rows=rows(["N° commande", "EAN", "Qté"], ["A-1", "4006381333931", "1"])
    )
    second = tabular.TableSource(rows=rows(["EAN", "Qté"], ["96385074", "2"]))
    [document] = tabular.read_tables([first, second], source_format=SourceFormat.CSV).documents
    assert (document.order_number, [ln.barcode for ln in document.lines]) == (
        "A-1",
        ["4006381333931", "96385074"],
    )


def test_a_note_under_a_table_of_several_orders_is_the_comment_of_each():
    rows = (["N° commande", "EAN", "Qté"], ["A", "4006381333931", "1"], ["B", "96385074", "1"],
            ["Livrer avant 10h, merci.", "", ""])  # fmt: skip
    assert [d.notes for d in read(*rows).documents] == [["Livrer avant 10h, merci."]] * 2


def test_a_note_between_lines_is_the_comment_of_the_order_above_it():
    rows = (["N° commande", "EAN", "Qté"], ["A", "4006381333931", "1"],
            ["", "Pour la cuisine, merci de séparer.", ""], ["B", "96385074", "1"])  # fmt: skip
    assert [d.notes for d in read(*rows).documents] == [["Pour la cuisine, merci de séparer."], []]
