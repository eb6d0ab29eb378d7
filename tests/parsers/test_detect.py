"""Format detection: content first, file name only where the bytes leave it open."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from parsers.detect import detect_format
from parsers.document import SourceFormat
from parsers.errors import EmptyFile, UnrecognisedFormat

CORPUS_FOLDERS = {
    "edifact-orders": SourceFormat.EDIFACT,
    "edifact-ordrsp": SourceFormat.EDIFACT,
    "edifact-contrl": SourceFormat.EDIFACT,
    "x12-850": SourceFormat.X12,
    "x12-855": SourceFormat.X12,
    "x12-997": SourceFormat.X12,
}


def workbook_bytes(tmp_path: Path) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["EAN", "Qté"])
    book.active.append([4006381333931, 1])
    book.save(tmp_path / "order.xlsx")
    return (tmp_path / "order.xlsx").read_bytes()


def _every_edi_file_is_detected_by_content(root: Path) -> None:
    for folder, expected in CORPUS_FOLDERS.items():
        for path in sorted((root / folder).iterdir()):
            # no file name: the content alone must decide (edifact files named .txt, x12 .edi)
            assert detect_format(path.read_bytes()) is expected, path.name


def test_every_sample_edi_file_is_detected_by_content(samples):
    _every_edi_file_is_detected_by_content(samples)


def test_every_corpus_edi_file_is_detected_by_content(corpus):
    _every_edi_file_is_detected_by_content(corpus)


def test_edifact_after_a_bom_and_blank_lines():
    data = codecs.BOM_UTF8 + b"\r\n  UNB+UNOC:3+SENDER+RECEIVER+240603:1200+1'"
    assert detect_format(data) is SourceFormat.EDIFACT


def test_x12_with_binary_separators():
    assert detect_format(b"ISA\x1d00\x1d          \x1d00") is SourceFormat.X12


def test_a_csv_whose_first_column_starts_with_isa_letters_is_csv():
    assert detect_format(b"ISAAC;Qty\nx;1\n") is SourceFormat.CSV


def test_xlsx_by_content_whatever_its_name(tmp_path):
    assert detect_format(workbook_bytes(tmp_path), "commande.csv") is SourceFormat.XLSX


def test_truncated_xlsx_named_xlsx_goes_to_the_xlsx_reader(tmp_path):
    data = workbook_bytes(tmp_path)
    assert detect_format(data[:200], "commande.xlsx") is SourceFormat.XLSX


def test_truncated_zip_without_a_name_is_unrecognised(tmp_path):
    with pytest.raises(UnrecognisedFormat):
        detect_format(workbook_bytes(tmp_path)[:200])


def test_zip_with_an_unreadable_directory_is_unrecognised(tmp_path):
    data = bytearray(workbook_bytes(tmp_path))
    at = data.index(b"PK\x01\x02")
    data[at + 6 : at + 8] = (99).to_bytes(2, "little")  # "version needed to extract": 9.9
    with pytest.raises(UnrecognisedFormat):
        detect_format(bytes(data))
    assert detect_format(bytes(data), "commande.xlsx") is SourceFormat.XLSX


def test_zip_without_workbook_is_unrecognised():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(UnrecognisedFormat):
        detect_format(buffer.getvalue(), "commande.xlsx")


def test_old_xls_asks_to_save_as_xlsx():
    with pytest.raises(UnrecognisedFormat) as error:
        detect_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000), "commande.xls")
    assert ".xlsx" in str(error.value)


@pytest.mark.parametrize(
    "data",
    [
        "EAN;Qté\n4006381333931;1\n".encode("cp1252"),
        codecs.BOM_UTF8 + "EAN;Qté\n".encode(),
        codecs.BOM_UTF16_LE + "EAN\tQté\r\n4006381333931\t1\r\n".encode("utf-16-le"),
    ],
)
def test_text_is_csv(data):
    assert detect_format(data, "order.txt") is SourceFormat.CSV


def test_empty_and_blank_files_are_empty():
    for data in (b"", b"  \r\n\r\n"):
        with pytest.raises(EmptyFile):
            detect_format(data)


@pytest.mark.parametrize("data", [b"%PDF-1.7\n...", bytes(range(256)) * 10, b"\x00\x01\x02" * 50])
def test_binary_is_unrecognised(data):
    with pytest.raises(UnrecognisedFormat):
        detect_format(data, "order.csv")
