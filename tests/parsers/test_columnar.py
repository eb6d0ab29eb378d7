"""The column reader gives the row reader's very documents for a plain table, and hands
every other file back to the row reader (None), decided before any line is built."""

from __future__ import annotations

import contextlib
import io

import openpyxl
import pytest

from parsers import columnar, xlsx
from parsers import csv as csv_format
from parsers.columns import TabularProfile
from parsers.errors import ParseError
from parsers.gtin import calc_check_digit

HEADER = "N° commande;Code-barre;Référence;Réf. client;Désignation;Quantité commandée"


def ean(body: str) -> str:
    return body + calc_check_digit(body)


def plain_lines() -> list[str]:
    """Every shape of line the column reader takes: barcodes of each length, a wrong check
    digit, references of both kinds, two identifiers, padding, decimal commas, zero."""
    return [
        f"PO-7;{ean('400638133393')};;;Café moulu 250 g;3",
        f"PO-7;{ean('1400638133393')};;;;2",
        "PO-7;036000291452;;;Thé vert;1",
        f"PO-7;{ean('9638507')};;;;1",
        "PO-7;4006381333932;;;Bad check digit;1",
        "PO-7;;COF-250;;;4",
        "PO-7;;;MY-0042;;2",
        f"PO-7;{ean('400638133393')};TEA-GRN;;conflict;1",
        "PO-7; 4006381333931 ;  cof-250 ;; padded ; 7 ",
        "PO-7;;NOPE-1;;;2,5",
        "PO-7;;COF-250;;;0",
        "PO-7;;COF-250;;;99999999999999",
        f"PO-7;{ean('400638133393')};;;;3",
    ]


def table(lines: list[str], header: str = HEADER, end: str = "\r\n") -> str:
    return end.join([header, *lines]) + end


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (table(plain_lines()), "cp1252"),
        ("\ufeff" + table(plain_lines()), "utf-8"),
        (table(plain_lines(), end="\n").rstrip("\n"), "utf-8"),
        (
            table(
                [ln.replace(";", ",").replace("2,5", "2.5") for ln in plain_lines()],
                header=HEADER.replace(";", ","),
            ),
            "utf-8",
        ),
        (
            table([ln.split(";", 1)[1] for ln in plain_lines()], header=HEADER.split(";", 1)[1]),
            "utf-8",
        ),
        (table([";" + ln.split(";", 1)[1] for ln in plain_lines()]), "utf-8"),
    ],
    ids=[
        "cp1252-crlf",
        "utf8-bom",
        "lf-no-final-newline",
        "comma-dot",
        "no-number",
        "empty-number",
    ],
)
def test_a_plain_table_reads_into_the_documents_the_row_reader_reads(text, encoding):
    data = text.encode(encoding)
    by_columns = columnar.read(data)
    assert by_columns is not None
    assert by_columns == csv_format.read(data)


def test_a_profile_s_aliases_and_defaults_apply_as_they_do_by_rows():
    profile = TabularProfile.model_validate(
        {"aliases": {"quantity": ["Combien"]}, "defaults": {"customer": "C1", "site": "S1"}}
    )
    data = table(
        ["PO-1;;COF-250;;;4"], header=HEADER.replace("Quantité commandée", "Combien")
    ).encode()
    by_columns = columnar.read(data, profile)
    assert by_columns is not None and by_columns == csv_format.read(data, profile)
    assert by_columns.documents[0].customer == "C1"


@pytest.mark.parametrize(
    "text",
    [
        table(['PO-7;;"COF-250";;;4']),
        table(["PO-7;;COF-250;;;4", "", "PO-7;;COF-250;;;1"]),
        "N° de commande : PO-7\r\n" + table(["PO-7;;COF-250;;;4"]),
        table(["PO-7;;COF-250;;;4;note"]),
        table(["PO-7;;COF-250;;;4"], header=HEADER + ";Prix unitaire"),
        table(["PO-7;;COF-250;;;4"], header=HEADER + ";Remarks"),
        table(["PO-7;;;;Strawberry jam 370 g;2"]),
        table(["PO-7;;COF-250;;;4", ";;;;Total;4"]),
        table(["PO-7;;COF-250;;;4", "PO-7;;Sous-total;;;4"]),
        table(["PO-7;4.00638E+12;;;;4"]),
        table(["PO-7;4006381333931;;;;douze"]),
        table(["PO-7;4006381333931;;;;"]),
        table(["PO-7;;COF-250;;;4", "PO-8;;COF-250;;;1"]),
        table(["PO-7;;COF-250;;;4", ";;COF-250;;;1"]),
        table(["PO-7;;COF-250;;;4"]).replace("\r\n", "\r"),
        table(["PO-7;;COF-250;;;4", "PO-7;4006381;;;;4"]),
        table(["PO-7;;COF-250;;;4", "PO-7;\u0664\u0660\u0660\u0666\u0663\u0668\u0661\u0663;;;;4"]),
        table(["PO-7;;COF-250;;;4", "PO-7;;;Total;;4"]),
        table(["PO-7;;COF-250;;;4", "PO-7;;;;;4"]),
    ],
    ids=[
        "quoted", "blank-line", "header-block", "cell-beside", "price-column",
        "unread-column", "name-only", "total-row", "total-label", "scientific-barcode",
        "word-quantity", "no-quantity", "two-orders", "continued-order", "cr-only",
        "short-barcode", "non-ascii-digits-barcode", "total-as-their-ref", "no-identifier",
    ],
)  # fmt: skip
def test_a_file_outside_the_plain_table_goes_to_the_row_reader(text):
    data = text.encode("utf-8")
    assert columnar.read(data) is None
    csv_format.read(data)  # which reads it


def test_a_header_row_fixed_by_the_profile_goes_to_the_row_reader():
    profile = TabularProfile.model_validate({"header_row": 1})
    assert columnar.read(table(["PO-7;;COF-250;;;4"]).encode(), profile) is None


# --------------------------------------------------------------------------- worksheets


def workbook(rows: list[list[object]], header: str = HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Commande"
    sheet.append(header.split(";"))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cells(line: str) -> list[object]:
    return [c or None for c in line.split(";")]


def typed_lines() -> list[list[object]]:
    """What Excel users type: barcodes and quantities as numbers, a UPC-A that lost its
    leading zero, a reference typed as a number, a decimal quantity as a float."""
    return [
        ["PO-7", int(ean("400638133393")), None, None, "Café moulu 250 g", 3],
        ["PO-7", float(ean("400638133393")), None, None, None, 2.0],
        ["PO-7", 36000291452, None, None, "Thé vert", 1],
        ["PO-7", None, 250, None, None, 4],
        ["PO-7", None, "COF-250", None, None, 2.5],
        ["PO-7", None, None, "MY-0042", None, "2,5"],
        ["PO-7", None, " cof-250 ", None, " padded ", " 7 "],
        ["PO-7", 4006381333932, None, None, "Bad check digit", 0],
    ]


def spy_on_columns(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    answers: list[object] = []
    sheet_columns = columnar.sheet_columns

    def spy(*args: object) -> object:
        answers.append(sheet_columns(*args))  # type: ignore[arg-type]
        return answers[-1]

    monkeypatch.setattr(columnar, "sheet_columns", spy)
    return answers


@pytest.mark.parametrize(
    "rows",
    [[cells(ln) for ln in plain_lines()], typed_lines(), [c[1:] for c in typed_lines()]],
    ids=["text-cells", "typed-cells", "no-number"],
)
def test_a_plain_worksheet_reads_into_the_documents_the_row_reader_reads(rows, monkeypatch):
    header = HEADER if len(rows[0]) == 6 else HEADER.split(";", 1)[1]
    data = workbook(rows, header)
    by_rows = xlsx.read(data)
    answers = spy_on_columns(monkeypatch)
    by_columns = xlsx.read(data, column_rows=1)
    assert answers and answers[0] is not None
    assert by_columns == by_rows


def test_a_small_worksheet_is_read_by_rows(monkeypatch):
    answers = spy_on_columns(monkeypatch)
    xlsx.read(workbook(typed_lines()), column_rows=100)
    assert answers == []


@pytest.mark.parametrize(
    "rows",
    [
        [["PO-7", "4.00638E+12", None, None, None, 4]],
        [["PO-7", None, None, None, "Strawberry jam 370 g", 2]],
        [["PO-7", None, "COF-250", None, None, 4], [None] * 6, ["PO-7", None, "T", None, None, 1]],
        [["PO-7", None, "COF-250", None, None, 4], ["PO-8", None, "COF-250", None, None, 1]],
        [["PO-7", None, "COF-250", None, None, "douze"]],
        [["PO-7", None, "COF-250", None, None, None]],
        [["PO-7", None, "COF-250", None, None, True]],
        [["PO-7", None, "COF-250", None, None, 4, "note"]],
        [["PO-7", None, "COF-250", None, None, 4], [None, None, None, None, "Total", 4]],
        [["PO-7", "ABC-1", None, None, None, 4]],
    ],
    ids=[
        "scientific-barcode", "name-only", "empty-row", "two-orders", "word-quantity",
        "no-quantity", "true-quantity", "cell-beside", "total-row", "letters-barcode",
    ],
)  # fmt: skip
def test_a_worksheet_outside_the_plain_table_goes_to_the_row_reader(rows, monkeypatch):
    data = workbook(rows)
    answers = spy_on_columns(monkeypatch)
    with contextlib.suppress(ParseError):  # the row reader may refuse it, in its words
        xlsx.read(data, column_rows=1)
    assert answers == [None]
