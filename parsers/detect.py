"""Which format a dropped file is in: content first, file name second.

* ``UNA`` or ``UNB`` (after a BOM and whitespace) → EDIFACT; ``ISA`` followed by its
  element separator → X12.  Only the prefix is looked at: the EDI readers validate
  the rest and report what is wrong with it.
* a zip archive holding ``xl/workbook.xml`` → XLSX; an Excel 97 (.xls) or
  password-protected workbook → :class:`UnrecognisedFormat` saying what to do.
* text → CSV.
* The extension decides only what the bytes leave open: a damaged zip named
  ``.xlsx`` goes to the XLSX reader (which explains the damage), text named ``.edi``
  with a message header inside goes to the EDI reader.
"""

from __future__ import annotations

import codecs

from parsers import csv, xlsx
from parsers.document import SourceFormat
from parsers.errors import EmptyFile, InvalidEncoding, UnrecognisedFormat

_EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
_EDI_EXTENSIONS = (".edi", ".edifact", ".x12", ".850", ".txt", ".dat")
_OTHER_BINARY = (b"%PDF", b"\x1f\x8b", b"\x89PNG", b"\xff\xd8\xff", b"Rar!", b"7z\xbc\xaf")


def detect_format(data: bytes, filename: str | None = None) -> SourceFormat:
    """The format of ``data``; raises :class:`UnrecognisedFormat` or :class:`EmptyFile`."""
    if not data.strip(b" \t\r\n\x00"):
        raise EmptyFile("the file is empty", key="empty_file")
    extension = _extension(filename)
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data, extension)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        xlsx.check_archive(data)  # raises the .xls / password message
    if data.startswith(_OTHER_BINARY):
        raise UnrecognisedFormat(
            "this is a binary document (PDF, image or archive), not an order file",
            expected="CSV, XLSX, EDIFACT or X12",
            key="not_an_order_file",
        )
    head = _text_head(data)
    edi = _edi_format(head)
    if edi is not None:
        return edi
    try:
        csv.decode(data[:65536], declared=None, partial=True)
    except (UnrecognisedFormat, InvalidEncoding) as error:
        raise UnrecognisedFormat(
            "this is binary data, not an order file",
            expected="CSV, XLSX, EDIFACT or X12",
            key="not_an_order_file",
        ) from error
    if extension in _EDI_EXTENSIONS and not csv.recognise(data):
        if b"UNH+" in data[:4096]:
            return SourceFormat.EDIFACT
        if b"ISA" in data[:4096] and b"ST" in data[:4096]:
            return SourceFormat.X12
    return SourceFormat.CSV


def _extension(filename: str | None) -> str:
    if not filename or "." not in filename:
        return ""
    return "." + filename.rsplit(".", 1)[1].lower()


def _zip_format(data: bytes, extension: str) -> SourceFormat:
    entries = xlsx.zip_entries(data)
    if entries is None:
        if extension in _EXCEL_EXTENSIONS:
            return SourceFormat.XLSX  # the XLSX reader explains what is damaged
        raise UnrecognisedFormat(
            "this zip archive is truncated or damaged",
            expected="CSV, XLSX, EDIFACT or X12",
            key="damaged_archive",
        )
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" in names:
        return SourceFormat.XLSX
    if "content.xml" in names:
        raise UnrecognisedFormat(
            "this is an OpenDocument spreadsheet (.ods); save it as .xlsx",
            expected="an .xlsx workbook",
            key="ods_workbook",
        )
    raise UnrecognisedFormat(
        "this zip archive holds no Excel workbook",
        expected="CSV, XLSX, EDIFACT or X12",
        key="not_an_order_file",
    )


def _text_head(data: bytes) -> bytes:
    """The first bytes as ASCII-compatible text, without BOM or leading whitespace."""
    head = data[:512]
    for bom, encoding in (
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            text = head[len(bom) : len(head) - len(head) % 2].decode(encoding, errors="replace")
            head = text.encode("ascii", errors="replace")
            break
    head = head.removeprefix(codecs.BOM_UTF8)
    return head.lstrip(b" \t\r\n")


def _edi_format(head: bytes) -> SourceFormat | None:
    if head.startswith(b"UNA") or (
        head.startswith(b"UNB") and len(head) > 3 and not head[3:4].isalnum()
    ):
        return SourceFormat.EDIFACT
    if head.startswith(b"ISA") and len(head) > 3 and not head[3:4].isalnum():
        return SourceFormat.X12
    return None
