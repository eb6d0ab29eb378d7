"""XLSX orders written with openpyxl the way Excel stores them, and XLSX reports."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from parsers import xlsx
from parsers.columns import TabularProfile
from parsers.document import (
    IssueCode,
    LineStatus,
    OrderResponse,
    ResponseKind,
    ResponseLine,
    SkipKind,
)
from parsers.errors import EmptyFile, HeaderNotFound, UnrecognisedFormat
from parsers.sheets import RowStyle, Sheet


def save(tmp_path: Path, workbook: openpyxl.Workbook, name: str = "order.xlsx") -> bytes:
    path = tmp_path / name
    workbook.save(path)
    return path.read_bytes()


def order_workbook(*rows, title: str = "Commande") -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    return workbook


def only_lines(result):
    assert len(result.documents) == 1
    return result.documents[0].lines


# --------------------------------------------------------------------------- barcodes


def test_barcode_stored_as_integer_number_comes_back_as_its_digits(tmp_path):
    book = order_workbook(["EAN", "Qté"], [4006381333931, 3])
    line = only_lines(xlsx.read(save(tmp_path, book)))[0]
    assert (line.barcode, line.quantity) == ("4006381333931", Decimal("3"))


def test_barcode_stored_as_float_shown_in_scientific_notation_is_exact(tmp_path):
    book = order_workbook(["Code-barre", "Qté"], [3017620422003.0, 1])
    book.active["A2"].number_format = "0.00E+00"  # what Excel shows: 3.02E+12
    line = only_lines(xlsx.read(save(tmp_path, book)))[0]
    assert line.barcode == "3017620422003"
    assert line.issues == []


def test_upc_stored_as_number_gets_its_leading_zero_back(tmp_path):
    book = order_workbook(["UPC", "Qty"], [int("036000291452"), 2])
    assert only_lines(xlsx.read(save(tmp_path, book)))[0].barcode == "036000291452"


def test_barcode_typed_as_text_in_scientific_notation_is_flagged(tmp_path):
    book = order_workbook(["EAN", "Qté"], ["3,01762E+12", 2])
    [issue] = only_lines(xlsx.read(save(tmp_path, book)))[0].issues
    assert (issue.code, issue.column) == (IssueCode.INVALID_VALUE, "EAN")


def test_numeric_references_lose_the_float_tail(tmp_path):
    book = order_workbook(["Référence", "N° commande", "Qté"], [12345, 45001.0, 2.5])
    result = xlsx.read(save(tmp_path, book))
    assert result.documents[0].order_number == "45001"
    assert only_lines(result)[0].supplier_ref == "12345"
    assert only_lines(result)[0].quantity == Decimal("2.5")


# --------------------------------------------------------------------------- layout


def test_header_on_row_5_after_a_title_block(tmp_path):
    book = order_workbook(
        ["BON DE COMMANDE"],
        ["Client : Dupont SA"],
        [],
        [],
        ["Code-barre", "Désignation", "Quantité commandée"],
        [4006381333931, "Stylo", 12],
    )
    result = xlsx.read(save(tmp_path, book))
    assert result.header_row == 5
    line = only_lines(result)[0]
    assert (line.location.line, line.location.sheet) == (6, "Commande")


def test_table_that_does_not_start_in_column_a_keeps_excel_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C3"], sheet["D3"] = "EAN", "Qty"
    sheet["C4"], sheet["D4"] = 4006381333931, 7
    result = xlsx.read(save(tmp_path, book))
    assert result.header_row == 3
    assert only_lines(result)[0].location.line == 4


def test_blank_and_total_rows_are_skipped(tmp_path):
    book = order_workbook(
        ["EAN", "Désignation", "Qté"],
        [4006381333931, "Stylo", 3],
        [None, None, None],
        [96385074, "Gomme", 2],
        [None, "TOTAL", 5],
    )
    result = xlsx.read(save(tmp_path, book))
    assert [line.location.line for line in only_lines(result)] == [2, 4]
    assert "sheet 'Commande', row 5: total row skipped" in result.warnings


def test_the_first_sheet_with_an_order_header_is_read(tmp_path):
    book = order_workbook(["Instructions"], ["Remplir l'onglet Commande"], title="Lisez-moi")
    data_sheet = book.create_sheet("Commande")
    data_sheet.append(["EAN", "Qté"])
    data_sheet.append([4006381333931, 4])
    result = xlsx.read(save(tmp_path, book))
    assert result.sheet == "Commande"
    assert only_lines(result)[0].location.sheet == "Commande"


def test_profile_sheet_by_name_or_one_based_index(tmp_path):
    book = order_workbook(["EAN", "Qté"], [4006381333931, 1], title="Semaine 1")
    second = book.create_sheet("Semaine 2")
    second.append(["EAN", "Qté"])
    second.append([96385074, 9])
    data = save(tmp_path, book)
    by_name = xlsx.read(data, TabularProfile(sheet="Semaine 2"))
    by_index = xlsx.read(data, TabularProfile(sheet=2))
    assert only_lines(by_name)[0].quantity == only_lines(by_index)[0].quantity == 9


def test_several_orders_and_their_customers(tmp_path):
    book = order_workbook(
        ["N° commande", "Code client", "Dépôt", "EAN", "Qté"],
        ["A-1", "C1", "Lyon", 4006381333931, 1],
        [None, None, None, 96385074, 2],
        ["A-2", "C2", "Nantes", 3017620422003, 3],
    )
    result = xlsx.read(save(tmp_path, book))
    assert [(d.order_number, d.customer, d.site, len(d.lines)) for d in result.documents] == [
        ("A-1", "C1", "Lyon", 2),
        ("A-2", "C2", "Nantes", 1),
    ]


# --------------------------------------------------------------------------- dates


def test_date_cells_and_serial_numbers_and_texts_are_dates(tmp_path):
    book = order_workbook(
        ["EAN", "Qté", "Date de livraison"],
        [4006381333931, 1, date(2024, 6, 10)],
        [96385074, 1, datetime(2024, 6, 11, 8, 30)],
        [3017620422003, 1, 45455],  # a bare serial: 2024-06-12
        [4006381333931, 1, "13/06/2024"],
    )
    lines = only_lines(xlsx.read(save(tmp_path, book)))
    assert [line.requested_delivery for line in lines] == [
        date(2024, 6, 10),
        date(2024, 6, 11),
        date(2024, 6, 12),
        date(2024, 6, 13),
    ]


def test_a_text_that_is_no_date_is_a_line_issue(tmp_path):
    book = order_workbook(["EAN", "Qté", "Date de livraison"], [4006381333931, 1, "demain"])
    [issue] = only_lines(xlsx.read(save(tmp_path, book)))[0].issues
    assert (issue.code, issue.value) == (IssueCode.INVALID_DATE, "demain")


# --------------------------------------------------------------------------- bad files


def test_empty_bytes_are_an_empty_file():
    with pytest.raises(EmptyFile):
        xlsx.read(b"")


def test_truncated_workbook_says_so(tmp_path):
    data = save(tmp_path, order_workbook(["EAN", "Qté"], [4006381333931, 1]))
    with pytest.raises(UnrecognisedFormat) as error:
        xlsx.read(data[: len(data) // 2])
    assert "truncated" in str(error.value)


def _damage_central_directory(data: bytes, damage: str) -> bytes:
    """The first central directory entry given an impossible "version needed to extract",
    or flagged as holding a UTF-8 name that is not UTF-8."""
    entry = bytearray(data)
    at = data.index(b"PK\x01\x02")
    if damage == "version":
        entry[at + 6 : at + 8] = (99).to_bytes(2, "little")
    else:
        flags = int.from_bytes(entry[at + 8 : at + 10], "little") | 0x800
        entry[at + 8 : at + 10] = flags.to_bytes(2, "little")
        entry[at + 46] = 0xFF  # first byte of the name
    return bytes(entry)


@pytest.mark.parametrize("damage", ["version", "utf8 name"])
def test_a_damaged_zip_directory_is_unrecognised_not_a_crash(tmp_path, damage):
    data = save(tmp_path, order_workbook(["EAN", "Qté"], [4006381333931, 1]))
    damaged = _damage_central_directory(data, damage)
    assert not xlsx.recognise(damaged)
    with pytest.raises(UnrecognisedFormat) as error:
        xlsx.read(damaged)
    assert "truncated or damaged" in str(error.value)


def test_old_xls_workbook_asks_to_save_as_xlsx():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with pytest.raises(UnrecognisedFormat) as error:
        xlsx.read(ole2)
    assert "save it as .xlsx" in str(error.value)


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnrecognisedFormat) as error:
        xlsx.read(buffer.getvalue())
    assert "xl/workbook.xml" in str(error.value)


def test_zip_bomb_is_refused_by_its_declared_size(tmp_path):
    book = order_workbook(["EAN", "Qté"], *([4006381333931, 1] for _ in range(2000)))
    data = save(tmp_path, book)
    xlsx.check_archive(data)  # fine with the default limit
    with pytest.raises(UnrecognisedFormat) as error:
        xlsx.check_archive(data, max_unpacked=10_000)
    assert "refused" in str(error.value)


def test_header_only_sheet_is_an_empty_file(tmp_path):
    with pytest.raises(EmptyFile):
        xlsx.read(save(tmp_path, order_workbook(["EAN", "Qté"])))


def test_empty_workbook_is_an_empty_file(tmp_path):
    with pytest.raises(EmptyFile):
        xlsx.read(save(tmp_path, openpyxl.Workbook()))


def test_workbook_without_order_header_names_its_sheets(tmp_path):
    book = order_workbook(["Nom", "Ville"], ["Dupont", "Lyon"], title="Contacts")
    with pytest.raises(HeaderNotFound) as error:
        xlsx.read(save(tmp_path, book))
    assert "Contacts" in str(error.value)


def test_recognise():
    assert not xlsx.recognise(b"EAN;Qty\n")
    assert not xlsx.recognise(b"PK\x03\x04truncated")


def test_recognise_a_real_workbook(tmp_path):
    assert xlsx.recognise(save(tmp_path, order_workbook(["EAN", "Qty"])))


# --------------------------------------------------------------------------- writing


def reopen(tmp_path: Path, data: bytes) -> openpyxl.Workbook:
    path = tmp_path / "written.xlsx"
    path.write_bytes(data)
    return openpyxl.load_workbook(path)


def test_formula_text_is_written_as_a_string_cell_not_a_formula(tmp_path):
    sheet = Sheet(title="Rapport", headers=["Valeur"], rows=[["=1+1"], ["@SUM(A1:A2)"], [-2]])
    written = reopen(tmp_path, xlsx.write_table([sheet]))["Rapport"]
    formula_cell = written["A2"]
    assert formula_cell.data_type == "s"
    assert formula_cell.value == "=1+1"
    assert formula_cell.quotePrefix is True
    assert written["A3"].data_type == "s"
    assert (written["A4"].data_type, written["A4"].value) == ("n", -2)


def test_report_header_is_bold_frozen_and_filtered(tmp_path):
    sheet = Sheet(title="Lignes", headers=["A", "B"], rows=[["x", 1], ["y", 2]])
    written = reopen(tmp_path, xlsx.write_table([sheet]))["Lignes"]
    assert written["A1"].font.bold
    assert written.freeze_panes == "A2"
    assert written.auto_filter.ref == "A1:B3"


def test_rejected_and_adjusted_rows_get_their_own_fill(tmp_path):
    sheet = Sheet(
        title="Lignes",
        headers=["Produit"],
        rows=[["ok"], ["refusé"], ["ajusté"]],
        styles=[None, RowStyle.REJECTED, RowStyle.ADJUSTED],
    )
    written = reopen(tmp_path, xlsx.write_table([sheet]))["Lignes"]
    fills = [written[f"A{row}"].fill.fgColor.rgb for row in (2, 3, 4)]
    assert fills[1] != fills[2]
    assert fills[1].endswith("F8CBAD") and fills[2].endswith("FFE699")
    assert not str(fills[0]).endswith(("F8CBAD", "FFE699"))


def test_sheet_titles_are_made_valid_and_unique(tmp_path):
    sheets = [
        Sheet(title="Commandes [juin]/2024", headers=["a"]),
        Sheet(title="Commandes [juin]/2024", headers=["a"]),
    ]
    names = reopen(tmp_path, xlsx.write_table(sheets)).sheetnames
    assert len(names) == 2 and len(set(names)) == 2
    assert all(len(name) <= 31 and "/" not in name and "[" not in name for name in names)


def answer(kind: ResponseKind, status: str, lines=(), **more) -> OrderResponse:
    """An order response as the gateway hands it to the writers."""
    return OrderResponse(kind=kind, order_number="CMD-1", order_status=status,
                         response_number="R-1", issued_at=date(2024, 6, 3), lines=list(lines),
                         **more)  # fmt: skip


def test_ack_has_a_summary_and_lines_in_french_promising_nothing_before_validation(tmp_path):
    response = answer(
        ResponseKind.CHANGED,
        "pending_validation",
        customer="C-42",
        lines=[
            ResponseLine(line_no=1, status=LineStatus.ACCEPTED, barcode="4006381333931",
                         ordered_quantity=Decimal("12"), confirmed_quantity=Decimal("12")),
            ResponseLine(line_no=2, status=LineStatus.ADJUSTED, ordered_quantity=Decimal("5"),
                         confirmed_quantity=Decimal("6"), reason_code="pack_multiple"),
            ResponseLine(line_no=3, status=LineStatus.REJECTED, name="+cmd|' /C calc'!A0",
                         reason_code="unknown_product", source_row=4),
        ],
    )  # fmt: skip
    book = reopen(tmp_path, xlsx.write_ack([response], language="fr"))
    assert book.sheetnames == ["Synthèse", "Lignes"]
    summary = [cell.value for cell in book["Synthèse"][2]]
    assert summary[:2] == ["CMD-1", "C-42"]
    assert summary[4:10] == [
        "Reçue — en attente de validation",
        "Retenue en partie : lignes refusées",  # never "acceptée avec modifications"
        3,
        2,
        1,
        1,
    ]
    lines = book["Lignes"]
    assert (lines["A1"].value, lines["H1"].value, lines["L1"].value) == (
        "N° commande",
        "Qté retenue",
        "À faire",
    )
    assert [lines[f"I{row}"].value for row in (2, 3, 4)] == [
        "Reçue — en attente de validation",  # nothing is promised before validation
        "Ajustée — en attente de validation",
        "Refusée",
    ]
    assert lines["F4"].value == "+cmd|' /C calc'!A0" and lines["F4"].data_type == "s"
    assert lines["H3"].value == 6


def test_ack_lines_of_a_validated_order_are_accepted(tmp_path):
    line = ResponseLine(line_no=1, status=LineStatus.ACCEPTED, ordered_quantity=Decimal(1))
    response = answer(ResponseKind.ACCEPTED, "validated", [line])
    book = reopen(tmp_path, xlsx.write_ack([response], language="en"))
    assert book["Lines"]["I2"].value == "Accepted"
    assert book["Summary"]["F2"].value == "All lines taken"


def test_ack_lists_what_the_reader_left_aside_on_a_sheet_of_its_own(tmp_path):
    from parsers.sheets import SkippedRow

    response = answer(ResponseKind.ACCEPTED, "pending_validation")
    left = [SkippedRow(sheet="Notes", row=None, code="sheet_without_table", message="…")]
    book = reopen(tmp_path, xlsx.write_ack([response], language="fr", skipped=left))
    assert book.sheetnames == ["Synthèse", "Lignes", "Non lu"]
    assert [c.value for c in book["Non lu"][2]] == ["Notes", None, "sheet_without_table", "…"]


# ------------------------------------------------------------ order forms as people make them


def hotel_form() -> openpyxl.Workbook:
    """The issue's form: a header block above the table, a second sheet, a note below."""
    book = openpyxl.Workbook()
    grocery = book.active
    grocery.title = "Épicerie"
    for row in (
        ["Hôtel Bellevue — bon de commande"],
        ["N° de commande : HB-5540"],
        ["Site de livraison :", "LILLE"],
        ["Date :", datetime(2026, 12, 2)],
        [],
        ["Code-barre", "Désignation", "Quantité"],
        ["3012345001019", "Café moulu", 2],
        ["3012345001125", "Confiture de fraises", 6],
        [],
        ["Merci de livrer avant vendredi 10h. Contact : Marie 06 12 34 56 78"],
    ):
        grocery.append(row)
    drinks = book.create_sheet("Boissons")
    drinks.append(["Code-barre", "Désignation", "Quantité"])
    drinks.append(["3012345001118", "Eau gazeuse 1 L", 12])
    book.create_sheet("Notes").append(["Rappel : commander le vin le mois prochain"])
    return book


def test_the_header_block_of_a_workbook_gives_number_site_and_date(tmp_path):
    [document] = xlsx.read(save(tmp_path, hotel_form())).documents
    assert (document.order_number, document.site) == ("HB-5540", "LILLE")
    assert document.order_date == date(2026, 12, 2)


def test_an_order_spread_over_two_sheets_is_one_order_with_every_line(tmp_path):
    [document] = xlsx.read(save(tmp_path, hotel_form())).documents
    assert [(ln.location.sheet, ln.location.line, ln.line_no) for ln in document.lines] == [
        ("Épicerie", 7, 1),
        ("Épicerie", 8, 2),
        ("Boissons", 2, 3),
    ]


def test_a_note_under_the_table_of_a_workbook_is_the_orders_comment(tmp_path):
    [document] = xlsx.read(save(tmp_path, hotel_form())).documents
    assert document.notes == ["Merci de livrer avant vendredi 10h. Contact : Marie 06 12 34 56 78"]


def test_a_sheet_without_an_order_table_is_listed_as_left_aside(tmp_path):
    result = xlsx.read(save(tmp_path, hotel_form()))
    assert result.sheets == ["Épicerie", "Boissons"]
    sheets = [(s.kind, s.location.sheet) for s in result.skipped if s.location.line is None]
    assert sheets == [(SkipKind.SHEET_WITHOUT_TABLE, "Notes")]


def test_sheets_with_their_own_order_numbers_are_their_own_orders(tmp_path):
    book = order_workbook(["N° commande : A-1"], ["EAN", "Qté"], [4006381333931, 1], title="A")
    other = book.create_sheet("B")
    for row in (["N° commande : B-2"], ["EAN", "Qté"], [96385074, 2]):
        other.append(row)
    result = xlsx.read(save(tmp_path, book))
    assert [d.order_number for d in result.documents] == ["A-1", "B-2"]


def test_a_typo_in_a_workbook_header_names_the_column_and_the_sheet_not_the_sheet_list(tmp_path):
    book = order_workbook(["Code-barre", "Qantité"], [4006381333931, 2], title="Commande")
    with pytest.raises(HeaderNotFound) as error:
        xlsx.read(save(tmp_path, book))
    assert (error.value.sheet, error.value.line) == ("Commande", 1)
    assert (error.value.params["written"], error.value.params["meant"]) == ("Qantité", "Quantité")
    assert error.value.found == "Code-barre;Qantité"
