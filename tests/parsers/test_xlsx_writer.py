"""Workbooks written part by part: what a person, openpyxl and calamine read in them."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
from python_calamine import CalamineWorkbook

from parsers.columns import column_letter
from parsers.sheets import RowStyle, Sheet
from parsers.xlsx_writer import write_table


def sheet_of_every_kind() -> Sheet:
    return Sheet(
        title="Lignes & co's",
        headers=["Texte", "Valeur", "À remplir"],
        preamble=[["Bon n°", "CMD<1>"]],
        highlight=2,
        rows=[
            ["  espace devant", "a\x01b", None],
            [True, date(2024, 6, 3), datetime(2024, 6, 3, 12, 30)],
            [Decimal("1.5"), -2, "=1+1"],
            ["deux\nlignes", 3, time(1, 2)],
        ],
        styles=[None, RowStyle.REJECTED, None, RowStyle.ADJUSTED],
    )


def test_every_part_is_well_formed_xml():
    archive = zipfile.ZipFile(
        io.BytesIO(write_table([sheet_of_every_kind(), Sheet(title="x", headers=[])]))
    )
    assert "xl/worksheets/sheet2.xml" in archive.namelist()
    for name in archive.namelist():
        ElementTree.fromstring(archive.read(name))


def test_cells_keep_their_types_formats_and_fills():
    book = openpyxl.load_workbook(io.BytesIO(write_table([sheet_of_every_kind()])))
    sheet = book["Lignes & co's"]
    assert [c.value for c in sheet[1]][:2] == ["Bon n°", "CMD<1>"]
    assert [c.value for c in sheet[2]] == ["Texte", "Valeur", "À remplir"]
    assert all(c.font.b for c in sheet[2])
    assert sheet["C2"].fill.fgColor.rgb.endswith("FFF2CC")  # the column to fill in
    assert sheet["A3"].value == "  espace devant"  # leading spaces kept
    assert sheet["C3"].fill.fgColor.rgb.endswith("FFF2CC") and sheet["C3"].value is None
    assert sheet["A4"].value is True and sheet["A4"].fill.fgColor.rgb.endswith("F8CBAD")
    assert (sheet["B4"].value, sheet["B4"].number_format) == (datetime(2024, 6, 3), "dd/mm/yyyy")
    assert sheet["C4"].value == datetime(2024, 6, 3, 12, 30)
    assert sheet["C4"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["C4"].fill.fgColor.rgb.endswith("F8CBAD")  # a styled row keeps its colour
    assert (sheet["A5"].value, sheet["B5"].value) == (1.5, -2)
    assert sheet["C5"].quotePrefix and sheet["C5"].data_type == "s"
    assert sheet["A6"].value == "deux\nlignes" and sheet["C6"].value == "01:02:00"
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:C6"
    # fitted: "deux\nlignes" is 6 wide, a date-time 16, both within 6..60, plus 2
    assert round(sheet.column_dimensions["C"].width) == 19
    assert round(sheet.column_dimensions["A"].width) == round(len("  espace devant") + 2.7)


def test_calamine_reads_back_what_was_written():
    data = write_table([sheet_of_every_kind()])
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[2] == ["  espace devant", "a\x01b", ""]  # a control character escaped, and back
    assert rows[3] == [True, date(2024, 6, 3), datetime(2024, 6, 3, 12, 30)]
    assert rows[4] == [1.5, -2, "=1+1"]


def test_a_number_no_cell_holds_is_written_as_its_text():
    data = write_table([Sheet(title="n", headers=["v"], rows=[[float("nan")], [float("inf")]])])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["n"]
    assert (sheet["A2"].value, sheet["A3"].value) == ("nan", "inf")


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 701, 702)] == [
        "A", "Z", "AA", "AZ", "ZZ", "AAA",
    ]  # fmt: skip


def test_text_longer_than_a_cell_holds_is_cut_to_its_32767_units():
    emoji = "\U0001f600"  # two UTF-16 units
    rows = [["x" * 40_000], ["x" * 32_766 + emoji + "y"]]
    data = write_table([Sheet(title="t", headers=["v"], rows=rows)])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["t"]
    assert sheet["A2"].value == "x" * 32_767
    assert sheet["A3"].value == "x" * 32_766  # the emoji would pass the limit: left out whole


def test_a_workbook_of_no_sheet_still_holds_one():
    book = openpyxl.load_workbook(io.BytesIO(write_table([])))
    assert book.sheetnames == ["Sheet1"]
