"""CSV orders as customers' Excel and ERPs write them, and CSV replies in their dialect."""

from __future__ import annotations

import codecs
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from parsers import csv as csv_codec
from parsers.cells import Cell
from parsers.columns import PartyDefaults, TabularProfile
from parsers.csv import CsvDialect
from parsers.document import (
    LINE_COLUMNS,
    IssueCode,
    LineStatus,
    OrderResponse,
    ResponseKind,
    ResponseLine,
    ResponseLines,
    SkipKind,
)
from parsers.errors import (
    EmptyFile,
    HeaderNotFound,
    InvalidEncoding,
    InvalidStructure,
    UnrecognisedFormat,
)
from parsers.sheets import Sheet, SkippedRow

FRENCH_ORDER = (
    "N° commande;Code-barre;Référence;Désignation;Quantité commandée\r\n"
    "CMD-1;4006381333931;STB-01;Stylo à bille été;12\r\n"
    "CMD-1;3017620422003;NUT-750;Pâte à tartiner;2,5\r\n"
)


def write(tmp_path: Path, content: bytes, name: str = "order.csv") -> bytes:
    """Write the file as a customer would drop it, and read back its bytes."""
    path = tmp_path / name
    path.write_bytes(content)
    return path.read_bytes()


def only_lines(result):
    assert len(result.documents) == 1
    return result.documents[0].lines


# --------------------------------------------------------------------------- encodings


def test_utf8_file_is_read_and_reported_as_utf8(tmp_path):
    result = csv_codec.read(write(tmp_path, FRENCH_ORDER.encode("utf-8")))
    assert result.dialect.encoding == "utf-8"
    assert result.dialect.bom is False
    assert only_lines(result)[0].name == "Stylo à bille été"


def test_utf8_bom_file_keeps_its_bom_in_the_dialect(tmp_path):
    result = csv_codec.read(write(tmp_path, codecs.BOM_UTF8 + FRENCH_ORDER.encode("utf-8")))
    assert (result.dialect.encoding, result.dialect.bom) == ("utf-8", True)
    assert result.columns["order_number"] == "N° commande"


def test_cp1252_file_with_accented_headers_is_read(tmp_path):
    content = FRENCH_ORDER.replace("Stylo", "Stylo « €co »").encode("cp1252")
    result = csv_codec.read(write(tmp_path, content))
    assert result.dialect.encoding == "cp1252"
    line = only_lines(result)[0]
    assert line.name == "Stylo « €co » à bille été"
    assert line.columns["quantity"] == "Quantité commandée"


def test_latin1_file_reads_the_same_text_as_cp1252(tmp_path):
    result = csv_codec.read(write(tmp_path, FRENCH_ORDER.encode("latin-1")))
    assert result.dialect.encoding == "cp1252"
    assert only_lines(result)[1].name == "Pâte à tartiner"


def test_excel_unicode_text_utf16le_tab_separated_is_read(tmp_path):
    text = FRENCH_ORDER.replace(";", "\t")
    result = csv_codec.read(write(tmp_path, codecs.BOM_UTF16_LE + text.encode("utf-16-le")))
    assert result.dialect.encoding == "utf-16-le"
    assert result.dialect.delimiter == "\t"
    assert result.dialect.bom is True
    assert [line.quantity for line in only_lines(result)] == [Decimal("12"), Decimal("2.5")]


def test_utf16be_with_bom_is_read(tmp_path):
    content = codecs.BOM_UTF16_BE + FRENCH_ORDER.encode("utf-16-be")
    result = csv_codec.read(write(tmp_path, content))
    assert result.dialect.encoding == "utf-16-be"
    assert only_lines(result)[0].barcode == "4006381333931"


def test_declared_encoding_that_does_not_fit_reports_the_line(tmp_path):
    content = FRENCH_ORDER.encode("cp1252")
    with pytest.raises(InvalidEncoding) as error:
        csv_codec.read(write(tmp_path, content), TabularProfile(encoding="utf-8"))
    assert error.value.line == 1  # "N°" is the first non-UTF-8 byte


# --------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_each_delimiter_is_detected(tmp_path, delimiter):
    text = FRENCH_ORDER.replace("2,5", "3").replace(";", delimiter)
    result = csv_codec.read(write(tmp_path, text.encode("utf-8")))
    assert result.dialect.delimiter == delimiter
    assert [line.supplier_ref for line in only_lines(result)] == ["STB-01", "NUT-750"]


def test_decimal_commas_do_not_fool_delimiter_detection(tmp_path):
    text = "EAN;Qté;Prix\n4006381333931;1,5;2,25\n3017620422003;2,5;3,10\n96385074;4;1,00\n"
    result = csv_codec.read(write(tmp_path, text.encode()))
    assert result.dialect.delimiter == ";"
    assert result.dialect.decimal == ","
    assert only_lines(result)[0].unit_price == Decimal("2.25")


def test_quoted_fields_keep_delimiters_and_line_breaks(tmp_path):
    text = (
        "EAN;Désignation;Qté;Commentaire\r\n"
        '4006381333931;"Stylo; bleu";3;"livrer\r\nle matin"\r\n'
        '3017620422003;"Pâte ""maxi""";2;\r\n'
    )
    lines = only_lines(csv_codec.read(write(tmp_path, text.encode())))
    assert lines[0].name == "Stylo; bleu"
    assert lines[0].comment == "livrer\r\nle matin"
    assert lines[1].name == 'Pâte "maxi"'


def test_a_row_after_a_multiline_field_keeps_its_physical_line_number(tmp_path):
    text = (
        "EAN;Qté;Commentaire\n"
        '4006381333931;3;"ligne un\nligne deux\nligne trois"\n'
        "3017620422003;2;\n"
    )
    lines = only_lines(csv_codec.read(write(tmp_path, text.encode())))
    assert [line.location.line for line in lines] == [2, 5]


def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path):
    text = 'EAN;Désignation;Qté\n4006381333931;"Stylo;3\n3017620422003;Pâte;2\n'
    with pytest.raises(InvalidStructure) as error:
        csv_codec.read(write(tmp_path, text.encode()))
    assert error.value.line == 2


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1 200", Decimal("1200")),
        ("1\u00a0200", Decimal("1200")),
        ("1\u202f200,5", Decimal("1200.5")),
        ("1.200,5", Decimal("1200.5")),
        ("1'200", Decimal("1200")),
        ("0,25", Decimal("0.25")),
    ],
)
def test_french_quantities_with_thousands_separators(tmp_path, written, expected):
    text = f"EAN;Qté\n4006381333931;{written}\n96385074;1,5\n"
    assert only_lines(csv_codec.read(write(tmp_path, text.encode())))[0].quantity == expected


def test_english_file_reads_dot_decimals_and_comma_thousands(tmp_path):
    text = 'Barcode,Quantity,Unit price\n4006381333931,"1,200",2.75\n96385074,1.5,0.5\n'
    result = csv_codec.read(write(tmp_path, text.encode()))
    assert result.dialect.decimal == "."
    lines = only_lines(result)
    assert (lines[0].quantity, lines[0].unit_price, lines[1].quantity) == (
        Decimal("1200"),
        Decimal("2.75"),
        Decimal("1.5"),
    )


def test_a_quantity_with_a_unit_word_fills_the_unit(tmp_path):
    text = "EAN;Qté\n4006381333931;12 pcs\n"
    line = only_lines(csv_codec.read(write(tmp_path, text.encode())))[0]
    assert (line.quantity, line.unit, line.issues) == (Decimal("12"), "pcs", [])


def test_a_quantity_that_is_not_a_number_is_a_line_issue(tmp_path):
    text = "EAN;Quantité commandée\n4006381333931;douze\n96385074;2\n"
    result = csv_codec.read(write(tmp_path, text.encode()))
    bad, good = only_lines(result)
    assert good.issues == []
    [issue] = bad.issues
    assert issue.code is IssueCode.INVALID_QUANTITY
    assert (issue.column, issue.value) == ("Quantité commandée", "douze")
    assert "12 or 12,5" in issue.message


def test_an_empty_quantity_is_a_missing_quantity_issue(tmp_path):
    text = "EAN;Qté\n4006381333931;\n"
    [issue] = only_lines(csv_codec.read(write(tmp_path, text.encode())))[0].issues
    assert issue.code is IssueCode.MISSING_QUANTITY


def test_a_bad_delivery_date_is_a_line_issue_naming_the_column(tmp_path):
    text = "EAN;Qté;Date de livraison\n4006381333931;1;31/02/2024\n96385074;1;15/03/2024\n"
    bad, good = only_lines(csv_codec.read(write(tmp_path, text.encode())))
    assert good.requested_delivery == date(2024, 3, 15)
    [issue] = bad.issues
    assert (issue.code, issue.column, issue.value) == (
        IssueCode.INVALID_DATE,
        "Date de livraison",
        "31/02/2024",
    )


# --------------------------------------------------------------------------- barcodes


def test_barcode_in_scientific_notation_is_kept_and_flagged(tmp_path):
    text = "Code-barre;Qté\n3,01762E+12;4\n"
    line = only_lines(csv_codec.read(write(tmp_path, text.encode())))[0]
    assert line.barcode == "3,01762E+12"
    [issue] = line.issues
    assert issue.code is IssueCode.INVALID_VALUE
    assert issue.column == "Code-barre"
    assert "text" in issue.message


def test_barcode_spaces_and_apostrophe_prefix_are_removed(tmp_path):
    text = "EAN;Qté\n'4006381333931;1\n4 006381 333931;2\n"
    lines = only_lines(csv_codec.read(write(tmp_path, text.encode())))
    assert [line.barcode for line in lines] == ["4006381333931", "4006381333931"]


def test_upc_that_lost_its_leading_zero_gets_it_back(tmp_path):
    text = "UPC;Qty\n36000291452;1\n"
    assert only_lines(csv_codec.read(write(tmp_path, text.encode())))[0].barcode == "036000291452"


# --------------------------------------------------------------------------- layout


def test_header_on_line_5_after_a_title_block(tmp_path):
    text = (
        "Bon de commande;;;\nSociété Dupont;;;\nÉdité le 03/06/2024;;;\n;;;\n"
        "Code-barre;Désignation;Qté;Prix unitaire\n"
        "4006381333931;Stylo;3;1,20\n"
    )
    result = csv_codec.read(write(tmp_path, text.encode("cp1252")))
    assert result.header_line == 5
    assert only_lines(result)[0].location.line == 6


def test_blank_and_total_rows_are_skipped(tmp_path):
    text = (
        "EAN;Désignation;Qté\n"
        "4006381333931;Stylo;3\n"
        ";;\n"
        "\n"
        "96385074;Gomme;2\n"
        ";TOTAL TTC;5\n"
        "Sous-total;;5\n"
    )
    result = csv_codec.read(write(tmp_path, text.encode()))
    assert [line.location.line for line in only_lines(result)] == [2, 5]
    assert [(s.kind, s.location.line) for s in result.skipped] == [
        (SkipKind.TOTAL_ROW, 6),
        (SkipKind.TOTAL_ROW, 7),
    ]


def test_product_named_like_a_total_is_not_skipped(tmp_path):
    text = "EAN;Désignation;Qté\n;Total Wash 1L;3\n"
    assert only_lines(csv_codec.read(write(tmp_path, text.encode())))[0].name == "Total Wash 1L"


def test_row_with_quantity_but_no_product_is_a_missing_product_line(tmp_path):
    text = "EAN;Désignation;Qté;Commentaire\n;;3;urgent\n"
    [issue] = only_lines(csv_codec.read(write(tmp_path, text.encode())))[0].issues
    assert issue.code is IssueCode.MISSING_PRODUCT_ID


def test_several_orders_are_grouped_by_order_number_in_first_appearance_order(tmp_path):
    text = (
        "PO number;Customer;Ship to;Barcode;Qty\n"
        "B-2;C100;S1;4006381333931;1\n"
        "A-1;C200;S9;96385074;2\n"
        "B-2;C100;S1;3017620422003;3\n"
    )
    result = csv_codec.read(write(tmp_path, text.encode()))
    assert [(d.order_number, d.customer, d.site) for d in result.documents] == [
        ("B-2", "C100", "S1"),
        ("A-1", "C200", "S9"),
    ]
    b2 = result.documents[0]
    assert [(line.line_no, line.location.line) for line in b2.lines] == [(1, 2), (2, 4)]


def test_rows_without_an_order_number_continue_the_order_above(tmp_path):
    text = (
        "N° commande;EAN;Qté\n"
        ";4006381333931;1\n"
        "CMD-7;96385074;2\n"
        ";3017620422003;3\n"
        "CMD-8;4006381333931;4\n"
    )
    result = csv_codec.read(write(tmp_path, text.encode()))
    assert [
        (d.order_number, [line.location.line for line in d.lines]) for d in result.documents
    ] == [
        ("CMD-7", [2, 3, 4]),
        ("CMD-8", [5]),
    ]


def test_file_without_order_number_is_one_order(tmp_path):
    result = csv_codec.read(write(tmp_path, b"EAN;Qty\n4006381333931;1\n96385074;2\n"))
    assert len(result.documents) == 1
    assert result.documents[0].order_number is None


def test_order_date_and_common_delivery_date_go_on_the_document(tmp_path):
    text = (
        "Date de commande;Date de livraison;EAN;Qté\n"
        "03/06/2024;2024-06-10;4006381333931;1\n"
        "03/06/2024;10.06.2024;96385074;2\n"
    )
    document = csv_codec.read(write(tmp_path, text.encode())).documents[0]
    assert (document.order_date, document.delivery_date) == (date(2024, 6, 3), date(2024, 6, 10))


# --------------------------------------------------------------------------- profile


def test_profile_aliases_add_to_the_built_in_ones(tmp_path):
    text = "Gencod article;Nb colis à livrer\n4006381333931;4\n"
    profile = TabularProfile(aliases={"barcode": ["Gencod article"], "quantity": ["Nb colis"]})
    with pytest.raises(HeaderNotFound):
        csv_codec.read(write(tmp_path, text.encode()), profile)
    profile.aliases["quantity"].append("Nb colis à livrer")
    line = only_lines(csv_codec.read(write(tmp_path, text.encode()), profile))[0]
    assert (line.barcode, line.quantity) == ("4006381333931", Decimal("4"))


def test_profile_aliases_are_that_profiles_own(tmp_path):
    text = "Gencod article;Nb colis\n4006381333931;4\n"
    profile = TabularProfile(aliases={"barcode": ["Gencod article"], "quantity": ["Nb colis"]})
    line = only_lines(csv_codec.read(write(tmp_path, text.encode()), profile))[0]
    assert (line.barcode, line.quantity) == ("4006381333931", Decimal("4"))
    with pytest.raises(HeaderNotFound):
        csv_codec.read(write(tmp_path, text.encode()), TabularProfile())


def test_profile_fixes_columns_by_letter_index_and_name(tmp_path):
    text = "Col1;Col2;Col3;Col4\nSTB-01;x;7;4006381333931\n"
    profile = TabularProfile(columns={"supplier_ref": "A", "quantity": 3, "barcode": "Col4"})
    line = only_lines(csv_codec.read(write(tmp_path, text.encode()), profile))[0]
    assert (line.supplier_ref, line.quantity, line.barcode) == ("STB-01", 7, "4006381333931")
    assert line.columns["quantity"] == "Col3"


def test_profile_defaults_fill_customer_and_site_when_there_is_no_column(tmp_path):
    profile = TabularProfile(defaults=PartyDefaults(customer="C-42", site="Lyon"))
    document = csv_codec.read(write(tmp_path, b"EAN;Qty\n4006381333931;1\n"), profile).documents[0]
    assert (document.customer, document.site) == ("C-42", "Lyon")


def test_profile_rejects_unknown_keys():
    with pytest.raises(ValueError):
        TabularProfile(colums={"quantity": "B"})


def test_profile_date_formats_replace_the_defaults(tmp_path):
    text = "EAN;Qty;Delivery date\n4006381333931;1;06/10/2024\n"
    profile = TabularProfile(date_formats=["%m/%d/%Y"])
    line = only_lines(csv_codec.read(write(tmp_path, text.encode()), profile))[0]
    assert line.requested_delivery == date(2024, 6, 10)


# --------------------------------------------------------------------------- bad files


def test_empty_file_is_empty(tmp_path):
    with pytest.raises(EmptyFile):
        csv_codec.read(write(tmp_path, b""))


def test_blank_lines_only_is_empty(tmp_path):
    with pytest.raises(EmptyFile):
        csv_codec.read(write(tmp_path, b"\r\n;;;\r\n\r\n"))


def test_header_without_rows_is_empty_and_says_where(tmp_path):
    with pytest.raises(EmptyFile) as error:
        csv_codec.read(write(tmp_path, b"Titre\nEAN;Qty\n"))
    assert error.value.line == 2


def test_no_order_header_is_header_not_found(tmp_path):
    with pytest.raises(HeaderNotFound) as error:
        csv_codec.read(write(tmp_path, b"nom;ville\nDupont;Lyon\n"))
    assert "quantity" in str(error.value)


def test_binary_garbage_is_unrecognised(tmp_path):
    garbage = bytes(range(256)) * 20
    with pytest.raises(UnrecognisedFormat):
        csv_codec.read(write(tmp_path, garbage, "order.csv"))


def test_recognise_accepts_csv_and_refuses_edi_and_binary():
    assert csv_codec.recognise(FRENCH_ORDER.encode())
    assert not csv_codec.recognise(b"UNA:+.? 'UNB+UNOC:3+SENDER+RECEIVER'")
    assert not csv_codec.recognise(b"PK\x03\x04" + bytes(100))
    assert not csv_codec.recognise(b"")


# --------------------------------------------------------------------------- writing


def response(*lines: ResponseLine) -> OrderResponse:
    return OrderResponse(
        kind=ResponseKind.CHANGED,
        order_number="CMD-1",
        order_status="pending_validation",
        response_number="R-1",
        issued_at=date(2024, 6, 3),
        lines=list(lines),
    )


ACK_LINES = (
    ResponseLine(
        line_no=1,
        status=LineStatus.ACCEPTED,
        barcode="4006381333931",
        sku="STB-01",
        name="Stylo à bille",
        ordered_quantity=Decimal("12"),
        confirmed_quantity=Decimal("12"),
        source_row=2,
    ),
    ResponseLine(
        line_no=2,
        status=LineStatus.REJECTED,
        barcode="3017620422003",
        name='=HYPERLINK("http://evil")',
        ordered_quantity=Decimal("2.5"),
        confirmed_quantity=Decimal("0"),
        reason_code="unknown_product",
        message="Produit inconnu",
        source_row=3,
    ),
)


def test_ack_for_a_cp1252_semicolon_file_is_cp1252_semicolon(tmp_path):
    dialect = csv_codec.read(write(tmp_path, FRENCH_ORDER.encode("cp1252"))).dialect
    ack = csv_codec.write_ack([response(*ACK_LINES)], dialect, language="fr")
    path = tmp_path / "ack.csv"
    path.write_bytes(ack)
    text = path.read_bytes().decode("cp1252")
    header, _order, first, second = text.split("\r\n")[:4]
    assert header.split(";")[:3] == ["N° commande", "N° ligne", "Ligne du fichier"]
    assert first.split(";")[5] == "Stylo à bille"
    assert second.split(";")[6] == "2,5"
    assert dialect.line_terminator == "\r\n"


def test_a_csv_ack_opens_each_order_with_a_row_saying_its_status_and_what_to_do():
    import csv

    order = response(*ACK_LINES)
    order.summary, order.hint = "2 ligne(s) : 1 retenue(s), 1 refusée(s)", "Corrigez…"
    ack = csv_codec.write_ack([order], csv_codec.dialect_for("fr"), language="fr")
    rows = list(csv.reader(ack.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[1] == ["CMD-1", "", "", "", "", "", "", "", "Reçue — en attente de validation",
                       "pending_validation", "2 ligne(s) : 1 retenue(s), 1 refusée(s)",
                       "Corrigez…"]  # fmt: skip
    assert [r[1] for r in rows[2:]] == ["1", "2"]


def test_a_csv_ack_ends_with_what_the_reader_left_aside():
    import csv

    from parsers.sheets import SkippedRow

    left = [SkippedRow(sheet=None, row=14, code="total_row", message="ligne 14 : ligne de total")]
    ack = csv_codec.write_ack([response(*ACK_LINES)], csv_codec.dialect_for("fr"), skipped=left)
    last = list(csv.reader(ack.decode("utf-8-sig").splitlines(), delimiter=";"))[-1]
    assert (last[2], last[8], last[9], last[10]) == (
        "14",
        "Non lue",
        "total_row",
        "ligne 14 : ligne de total",
    )


def test_ack_in_utf16_with_bom_keeps_the_bom_and_tabs():
    dialect = CsvDialect(encoding="utf-16-le", delimiter="\t", decimal=",", bom=True)
    ack = csv_codec.write_ack([response(*ACK_LINES)], dialect, language="en")
    assert ack.startswith(codecs.BOM_UTF16_LE)
    assert ack[2:].decode("utf-16-le").startswith("Order number\tLine\t")


@pytest.mark.parametrize(
    ("language", "delimiter", "quantity"), [("fr", ";", "2,5"), ("en", ",", "2.5")]
)
def test_an_ack_in_dialect_for_a_language_splits_and_reads_as_that_excel_does(
    language, delimiter, quantity
):
    import csv

    dialect = csv_codec.dialect_for(language)
    ack = csv_codec.write_ack([response(*ACK_LINES)], dialect, language=language)
    rows = list(csv.reader(ack.decode("utf-8-sig").splitlines(), delimiter=delimiter))
    assert rows[3][:3] == ["CMD-1", "2", "3"]
    assert rows[3][6] == quantity


def test_write_table_prefixes_every_dangerous_first_character(tmp_path):
    from parsers.sheets import Sheet

    sheet = Sheet(
        title="t", headers=["v"], rows=[["=1+1"], ["+33 1 23"], ["-x"], ["@SUM(A1)"], [-3]]
    )
    data = csv_codec.write_table(sheet, CsvDialect(bom=False, line_terminator="\n"))
    assert data.decode().split("\n")[1:6] == ["'=1+1", "'+33 1 23", "'-x", "'@SUM(A1)", "-3"]


def test_ack_neutralises_formula_text_and_keeps_numbers_as_numbers(tmp_path):
    import csv

    ack = csv_codec.write_ack([response(*ACK_LINES)], CsvDialect(bom=False), language="en")
    (tmp_path / "ack.csv").write_bytes(ack)
    with open(tmp_path / "ack.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[3][5] == '\'=HYPERLINK("http://evil")'
    assert rows[3][6:10] == ["2,5", "0", "Rejected", "unknown_product"]


def test_latin1_with_a_byte_cp1252_lacks_is_still_latin1(tmp_path):
    content = "EAN;Désignation;Qté\n4006381333931;Crème brûlée\x81;2\n".encode("latin-1")
    result = csv_codec.read(write(tmp_path, content))
    assert result.dialect.encoding == "iso8859-1"
    assert only_lines(result)[0].name.startswith("Crème brûlée")


def test_dos_cp850_export_is_recognised_by_the_fallback(tmp_path):
    content = "EAN;Désignation;Qté\n4006381333931;Crème brûlée Élan;2\n".encode("cp850")
    result = csv_codec.read(write(tmp_path, content))
    assert result.dialect.encoding in ("cp850", "cp437")  # same letters for French text
    assert only_lines(result)[0].name == "Crème brûlée Élan"


def test_a_header_block_above_a_csv_table_is_read(tmp_path):
    data = "N° de commande : HB-5540;;\nSite de livraison;LILLE;\n;;\nEAN;Désignation;Qté\n"
    data += "4006381333931;Café;2\n"
    [document] = csv_codec.read(write(tmp_path, data.encode())).documents
    assert (document.order_number, document.site) == ("HB-5540", "LILLE")


def test_a_typo_in_a_csv_header_names_the_missing_column_and_the_nearest_header(tmp_path):
    data = "N° commande;Code-barres;Qantité\nA;4006381333931;1\n".encode()
    with pytest.raises(HeaderNotFound) as error:
        csv_codec.read(write(tmp_path, data))
    assert (error.value.params["written"], error.value.params["meant"]) == ("Qantité", "Quantité")
    assert error.value.line == 1


def written_row_by_row(rows: list[list[Cell]], dialect: CsvDialect) -> bytes:
    """What a table is as CSV: each cell through format_cell, the rows through csv.writer,
    the text encoded at once (the BOM first when the dialect has one)."""
    import csv
    import io

    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=dialect.delimiter, lineterminator=dialect.line_terminator)
    writer.writerows([[csv_codec.format_cell(v, dialect) for v in row] for row in rows])
    codec = codecs.lookup(dialect.encoding).name
    bom = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE}.get(codec, b"")
    return (bom if dialect.bom else b"") + text.getvalue().encode(codec, errors="replace")


HALF = Decimal("12.50")
#: Columns of every kind a reply holds, the values a column shares shared as objects
#: (a long column is checked at once, a short one value by value: tests run both)
KINDS = {
    "numbers": [1, None, 22, -3, 0],
    "texts": ["Café", None, "", "a;b", 'dit "oui"'],
    "formula-like": ["Pommes", "=1+1", None, "-x", "@SUM(A1)"],
    "one formula-like": ["Pommes", "Poires", None, "", "+33 1 23"],
    "texts and numbers": ["Pommes", 2, None, "=2", 0],
    "decimals": [HALF, Decimal("12.5"), HALF, None, Decimal("1E+1")],
    "mixed": [HALF, "=x", 3, None, True],
    "dates": [date(2024, 6, 3), None, date(2024, 6, 3), None, 2.5],
    "lines": ["deux\nlignes", "€ — œ", None, "\tindent", "x\r"],
}


@pytest.mark.parametrize(
    "dialect",
    [CsvDialect(), CsvDialect(encoding="cp1252", delimiter=",", decimal=".", bom=False),
     CsvDialect(encoding="utf-16-le", delimiter="\t", bom=True, line_terminator="\n"),
     CsvDialect(encoding="ascii", bom=False)],
    ids=["fr-utf8", "en-cp1252", "utf16", "ascii"],
)  # fmt: skip
@pytest.mark.parametrize("times", [1, 30], ids=["short", "long"])  # columns of 5 and 150
def test_a_table_written_by_columns_is_the_table_written_row_by_row(
    dialect: CsvDialect, times: int
) -> None:
    headers = list(KINDS)
    columns = [column * times for column in KINDS.values()]
    rows = [list(row) for row in zip(*columns, strict=True)]
    expected = written_row_by_row([headers, *rows], dialect)
    assert csv_codec.write_columns(headers, columns, dialect) == expected
    sheet = Sheet(title="t", headers=headers, rows=rows)
    assert csv_codec.write_table(sheet, dialect) == expected


def test_a_table_longer_than_a_chunk_of_rows_is_written_whole_and_in_order() -> None:
    dialect = CsvDialect(encoding="utf-16-le", bom=True)
    rows: list[list[Cell]] = [[n, f"ligne — {n}", HALF] for n in range(10_000)]
    data = csv_codec.write_table(Sheet(title="t", headers=["n", "text", "q"], rows=rows), dialect)
    assert data == written_row_by_row([["n", "text", "q"], *rows], dialect)


def test_a_ragged_table_and_its_preamble_are_written_row_by_row() -> None:
    rows: list[list[Cell]] = [["=a", 1], [HALF], []]
    sheet = Sheet(title="t", headers=["x", "y"], rows=rows, preamble=[["Bon de commande"]])
    expected = written_row_by_row([["Bon de commande"], ["x", "y"], *rows], CsvDialect())
    assert csv_codec.write_table(sheet, CsvDialect()) == expected


def test_an_ack_of_stored_columns_is_the_ack_of_the_same_lines_one_by_one() -> None:
    lines = [*ACK_LINES, ResponseLine(line_no=3, status=LineStatus.ADJUSTED, sku="=SKU",
             ordered_quantity=HALF, confirmed_quantity=Decimal(13), hint="Par 13")]  # fmt: skip
    columns = {name: [getattr(ln, name) for ln in lines] for name in LINE_COLUMNS}
    one_by_one, by_columns = response(*lines), response()
    by_columns.lines = ResponseLines(columns)
    left = [SkippedRow(sheet=None, row=14, code="total_row", message="=ligne de total")]
    for dialect in (csv_codec.dialect_for("fr"), CsvDialect(encoding="cp1252", bom=False)):
        ack = csv_codec.write_ack([one_by_one, by_columns], dialect, skipped=left)
        half = csv_codec.write_ack([one_by_one], dialect)
        assert ack == csv_codec.write_ack([by_columns, one_by_one], dialect, skipped=left)
        assert ack.startswith(half) and ack.count(half[half.index(b"\n") + 1 :]) == 2
