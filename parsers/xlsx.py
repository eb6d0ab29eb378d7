"""Excel workbook orders (.xlsx), and Excel replies and reports.

Reading goes through python-calamine (Rust, fast, no formulas evaluated): every visible
worksheet whose first 20 rows hold an order header is read (or only the profile's
``sheet``), with the rules of :mod:`parsers.tabular`, as one file: a sheet's lines
without an order number of their own join its header block's order, else the file's
(an order spread over ``Épicerie`` and ``Boissons`` is one order).  A worksheet without
an order table is listed as left aside.  What is specific to Excel:

* A barcode typed into a number cell is a float (``4006381333931.0``), even when Excel
  shows ``4,00638E+12``: the stored value is exact, so it comes back as its digits; the
  leading zeros of a UPC-A that Excel dropped are restored when the check digit agrees.
* Dates are cells with a date format (read as dates) or bare serial numbers.
* An XLSX is a zip archive: before calamine sees it, the archive must open, hold
  ``xl/workbook.xml``, and its worksheets must not unpack to more than
  :data:`MAX_UNPACKED_BYTES` (a zip bomb is refused by its declared sizes, cheaply).
* calamine makes a sheet one dense block from A1 to its last cell: one cell at
  ``XFD1048576`` in a 2 KB file is 17 billion cells. Given :class:`SheetLimits`,
  :func:`check_bounds` streams each worksheet's XML once (cell and row references, the
  declared dimension) and the shared strings' size, and refuses what is over them
  (:class:`~parsers.errors.TooLarge`) before calamine allocates anything.

Writing goes through :mod:`parsers.xlsx_writer` (a sheet's rows formatted into its XML
in one pass: XlsxWriter's per-cell calls took 5–6 s of a 100,000-line acknowledgement):
rows above the header when a sheet has them (an order form's header block), a bold,
frozen, filtered header row, column widths fitted to the content, rejected rows in red
and adjusted rows in amber, a column to fill in set apart in yellow.  Text a
spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``…) is written as an
explicit string cell with Excel's "quote prefix" style — exactly what Excel stores
when a person types ``'=…`` — so it shows as typed, never runs, and stays text when the
cell is edited; the value itself is not altered.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO
from zlib import error as zlib_error

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from parsers import columnar
from parsers.cells import Cell
from parsers.columns import TabularProfile, best_candidate, find_header
from parsers.document import Location, OrderResponse, ReadResult, SkipKind, Skipped, SourceFormat
from parsers.errors import EmptyFile, HeaderNotFound, TooLarge, UnrecognisedFormat
from parsers.gc_pause import paused_gc
from parsers.limits import SheetLimits
from parsers.sheets import (
    SkippedRow,
    ack_lines_sheet,
    ack_skipped_sheet,
    ack_summary_sheet,
)
from parsers.tabular import TableResult, TableSource, missing_column, read_tables
from parsers.xlsx_writer import write_table

#: Refuse workbooks whose worksheets and shared strings unpack to more than this.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: An encrypted (password-protected) .xlsx is an OLE2 container holding this stream.
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


@dataclass(slots=True, kw_only=True)
class XlsxReadResult(ReadResult):
    #: The first sheet read, and every sheet read
    sheet: str
    sheets: list[str] = field(default_factory=list)
    header_row: int | None = None
    #: field → the header it was read from
    columns: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- reading


#: What :mod:`zipfile` raises on a damaged central directory: BadZipFile for most
#: damage, NotImplementedError for an impossible "version needed to extract",
#: UnicodeDecodeError for an entry flagged UTF-8 whose name is not, ValueError for an
#: entry offset before the archive's start ("negative seek value"), EOFError for one past
#: its end
_ZIP_ERRORS = (zipfile.BadZipFile, NotImplementedError, UnicodeDecodeError, ValueError, EOFError)


def zip_entries(data: bytes) -> list[zipfile.ZipInfo] | None:
    """The entries of the zip archive ``data``; None when it cannot be opened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.infolist()
    except _ZIP_ERRORS:
        return None


def recognise(data: bytes) -> bool:
    """Whether ``data`` is a zip archive holding an Excel workbook."""
    if not data.startswith(_ZIP_MAGIC):
        return False
    entries = zip_entries(data)
    return entries is not None and any(e.filename == "xl/workbook.xml" for e in entries)


def _open(data: bytes) -> CalamineWorkbook:
    check_archive(data)
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as error:
        raise UnrecognisedFormat(
            "the workbook is password-protected", expected="a workbook without a password"
        ) from error
    except CalamineError as error:
        raise UnrecognisedFormat(
            f"the workbook is damaged and cannot be read ({error})",
            expected="an .xlsx file saved by Excel or LibreOffice",
        ) from error


@contextmanager
def _sheets_of(data: bytes) -> Iterator[CalamineWorkbook]:
    """The open workbook; a damaged worksheet read inside becomes a ParseError."""
    workbook = _open(data)
    try:
        yield workbook
    except CalamineError as error:
        raise UnrecognisedFormat(
            f"a worksheet is damaged and cannot be read ({error})",
            expected="an .xlsx file saved by Excel or LibreOffice",
        ) from error
    finally:
        workbook.close()


def first_sheet_rows(
    data: bytes, limits: SheetLimits | None = None
) -> list[tuple[int, list[Cell]]]:
    """Every row of the first sheet, with its Excel row number (empty cells as None).

    For tables that are not orders (master data, status feeds); ParseError when the
    workbook cannot be read (:class:`~parsers.errors.TooLarge` when over ``limits``).
    """
    if limits is not None:
        check_archive(data)
        check_bounds(data, limits)
    with _sheets_of(data) as workbook, paused_gc():
        return _rows(workbook, workbook.sheet_names[0]) if workbook.sheet_names else []


def read(
    data: bytes,
    profile: TabularProfile | None = None,
    limits: SheetLimits | None = None,
    column_rows: int | None = None,
) -> XlsxReadResult:
    """The orders in a workbook; raises a :class:`ParseError` when none can be read
    (:class:`~parsers.errors.TooLarge` when over ``limits``).

    A workbook whose one order sheet has at least ``column_rows`` rows is read by
    columns when it is a plain table (:mod:`parsers.columnar`): the same documents."""
    found = read_sheets(data, profile, limits, column_rows)
    return found if isinstance(found, XlsxReadResult) else found.result()


@dataclass(slots=True)
class ColumnsRead:
    """A workbook read by columns, its lines not built yet (:func:`read_sheets`)."""

    columns: columnar.SheetColumns
    skipped: list[Skipped]
    sheet: str

    def result(self) -> XlsxReadResult:
        """The orders, as :func:`read` gives them."""
        return _result(self.columns.table(), self.skipped, [self.sheet])


def read_sheets(
    data: bytes,
    profile: TabularProfile | None = None,
    limits: SheetLimits | None = None,
    column_rows: int | None = None,
) -> XlsxReadResult | ColumnsRead:
    """:func:`read`, but a sheet read by columns comes back as its columns: the work
    left (building its lines) needs no native code, and columns cross a process
    boundary at a fraction of the cost of the lines."""
    profile = profile or TabularProfile()
    if limits is not None:
        check_archive(data)
        check_bounds(data, limits)
    with paused_gc():
        with _sheets_of(data) as workbook:
            sources, skipped = _order_sheets(workbook, profile)
        if column_rows is not None and len(sources) == 1 and len(sources[0].rows) >= column_rows:
            columns = columnar.sheet_columns(sources[0], profile)
            if columns is not None:
                return ColumnsRead(columns, skipped, sources[0].sheet or "")
        table = read_tables(
            sources,
            source_format=SourceFormat.XLSX,
            profile=profile,
            excel_serial_dates=True,
        )
    return _result(table, skipped, [s.sheet or "" for s in sources])


def _result(table: TableResult, skipped: list[Skipped], sheets: list[str]) -> XlsxReadResult:
    skipped += table.skipped
    return XlsxReadResult(
        documents=table.documents,
        warnings=[str(s) for s in skipped],
        skipped=skipped,
        sheet=sheets[0],
        sheets=sheets,
        header_row=table.header.line,
        columns={f.value: header for f, header in table.header.names.items()},
    )


def check_archive(data: bytes, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse, with a reason a person can act on, what is not a sound .xlsx archive."""
    if not data:
        raise EmptyFile("the file is empty")
    if data.startswith(_OLE2_MAGIC):
        if _ENCRYPTION_STREAM in data:
            raise UnrecognisedFormat(
                "the workbook is password-protected",
                expected="a workbook without a password, saved as .xlsx",
            )
        raise UnrecognisedFormat(
            "this is an old Excel 97-2003 (.xls) workbook; open it in Excel and save it "
            "as .xlsx (Excel Workbook)",
            expected="an .xlsx workbook",
        )
    if not data.startswith(_ZIP_MAGIC):
        raise UnrecognisedFormat("this is not an .xlsx workbook", expected="an .xlsx workbook")
    entries = zip_entries(data)
    if entries is None:
        raise UnrecognisedFormat(
            "the .xlsx file is truncated or damaged (its zip archive cannot be opened); "
            "send the complete file again",
            expected="a complete .xlsx workbook",
        )
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise UnrecognisedFormat(
            "this zip archive is not an Excel workbook (it has no xl/workbook.xml)",
            expected="an .xlsx workbook",
        )
    unpacked = sum(
        entry.file_size
        for entry in entries
        if entry.filename.startswith("xl/worksheets/") or entry.filename == "xl/sharedStrings.xml"
    )
    if unpacked > max_unpacked:
        raise UnrecognisedFormat(
            f"refused: the worksheets unpack to {unpacked // 2**20} MB, more than the "
            f"{max_unpacked // 2**20} MB allowed",
            expected=f"a workbook whose sheets unpack to at most {max_unpacked // 2**20} MB",
        )


_ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|dimension)\b([^>]*)>")
#: A cell, row or dimension reference (the end of a range); at most 4 letters and 12
#: digits are taken: anything longer is past every limit anyway
_REF_ATTR = re.compile(
    rb"""\s(?:r|ref)\s*=\s*["']\s*(?:\$?[A-Za-z]*\$?[0-9]*:)?\$?([A-Za-z]{0,4})\$?([0-9]{0,12})"""
)
_CHUNK = 1 << 20


def _column_number(letters: bytes) -> int:
    """``A`` → 1, ``XFD`` → 16384."""
    n = 0
    for c in letters.upper():
        n = n * 26 + c - 64
    return n


def check_bounds(data: bytes, limits: SheetLimits) -> None:
    """Refuse a workbook whose sheets reach past ``limits`` or whose shared strings are
    larger, reading its XML as a stream (never all at once)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as error:
        raise UnrecognisedFormat(
            f"the workbook is damaged and cannot be read ({error})",
            expected="an .xlsx file saved by Excel or LibreOffice",
        ) from error
    with archive:
        for entry in archive.infolist():
            name = entry.filename
            if name == "xl/sharedStrings.xml":
                _check_shared_strings(archive, entry, limits.shared_strings)
            elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _check_sheet(archive, entry, limits)


def _check_shared_strings(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> None:
    size = 0
    with _opened(archive, entry) as fh:
        while chunk := fh.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise TooLarge(
                    f"refused: the workbook's text (shared strings) is over "
                    f"{limit // 1_000_000} MB",
                    expected=f"at most {limit // 1_000_000} MB of text in its cells",
                )


@contextmanager
def _opened(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> Iterator[IO[bytes]]:
    try:
        with archive.open(entry) as fh:
            yield fh
    except (*_ZIP_ERRORS, zlib_error, OSError) as error:
        raise UnrecognisedFormat(
            f"the workbook is damaged and cannot be read ({error})",
            expected="an .xlsx file saved by Excel or LibreOffice",
        ) from error


def _check_sheet(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limits: SheetLimits) -> None:
    """Follow the row and cell positions as a reader would place them (a row or cell
    without a reference follows the one before) and stop at the first past the limits."""
    row = col = widest = 0
    tail = b""
    with _opened(archive, entry) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            text = tail + chunk
            # A tag cut by the chunk's end is read whole with the next chunk.
            cut = text.rfind(b"<") if chunk else len(text)
            body, tail = (text[:cut], text[cut:]) if cut >= 0 else (text, b"")
            fast = _referenced_extent(body)
            if fast is not None:
                # Every row and cell says where it is (what Excel and LibreOffice write):
                # the extent is the largest reference, found at C speed.
                row = max(row, fast[0])
                widest = max(widest, fast[1])
                _within(entry, row, widest, limits)
                col = 0
                if not chunk:
                    return
                continue
            for tag in _ROW_OR_CELL.finditer(body):
                kind, attrs = tag.group(1), tag.group(2)
                ref = _REF_ATTR.search(attrs)
                letters, digits = (ref.group(1), ref.group(2)) if ref else (b"", b"")
                if kind == b"dimension":
                    _within(entry, int(digits or 0), _column_number(letters), limits)
                    continue
                if kind == b"row":
                    row = int(digits) if digits else row + 1
                    col = 0
                else:
                    col = _column_number(letters) if letters else col + 1
                    if digits:
                        row = max(row, int(digits))
                widest = max(widest, col)
                _within(entry, row, widest, limits)
            if not chunk:
                return


_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
_ROW_TAG = re.compile(_PREFIX + rb"row[\s/>]")
_CELL_TAG = re.compile(_PREFIX + rb"c[\s/>]")
_DIMENSION_TAG = re.compile(_PREFIX + rb"dimension[\s/>]")
_ROW_REF = re.compile(_PREFIX + rb"""row\s[^>]*?\br\s*=\s*["']\s*([0-9]{1,12})""")
_CELL_REF = re.compile(
    _PREFIX + rb"""c\s[^>]*?\br\s*=\s*["']\s*\$?([A-Za-z]{1,4})\$?([0-9]{1,12})"""
)
#: Any row or cell tag with a namespace prefix (``<x:row``)
_PREFIXED_TAG = re.compile(rb"<[A-Za-z_][\w.-]*:(?:row|c)[\s/>]")
#: Every row and cell tag without one, and their references in the form writers use
_PLAIN_TAG = re.compile(rb"<(row|c)[\s/>]")
_PLAIN_ROW_REF = re.compile(rb'<row r="([0-9]{1,12})"')
_PLAIN_CELL_REF = re.compile(rb'<c r="\$?([A-Za-z]{1,4})\$?([0-9]{1,12})"')


def _referenced_extent(body: bytes) -> tuple[int, int] | None:
    """The last row and column of ``body`` when every row and cell in it carries its
    reference (and no dimension is declared in it); None when the positions must be
    followed one tag at a time."""
    if _DIMENSION_TAG.search(body):
        return None
    # What Excel, LibreOffice and XlsxWriter write — no namespace prefix, the reference
    # first and in double quotes — is found by patterns that start with literal text,
    # several times faster than the general ones (0.3 s against 0.8 s for a sheet of
    # 100,000 rows); a tag of any other form (counted by the tag pattern, not matched by
    # the literal one) sends the chunk to the general patterns.
    if not _PREFIXED_TAG.search(body):
        tags = _PLAIN_TAG.findall(body)
        rows = _PLAIN_ROW_REF.findall(body)
        cells = _PLAIN_CELL_REF.findall(body)
        if len(rows) + len(cells) == len(tags) and len(rows) == tags.count(b"row"):
            return _extent(rows, cells)
    rows = _ROW_REF.findall(body)
    cells = _CELL_REF.findall(body)
    if len(rows) != len(_ROW_TAG.findall(body)) or len(cells) != len(_CELL_TAG.findall(body)):
        return None
    return _extent(rows, cells)


def _extent(rows: list[bytes], cells: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """The last row and column of these row references and (letters, digits) of cells."""
    last_row = max(map(int, rows), default=0)
    if cells:
        last_row = max(last_row, max(int(digits) for _, digits in cells))
        letters = max((c.upper() for c, _ in cells), key=lambda c: (len(c), c))
        return last_row, _column_number(letters)
    return last_row, 0


def _within(entry: zipfile.ZipInfo, row: int, col: int, limits: SheetLimits) -> None:
    sheet = entry.filename.rsplit("/", 1)[-1].removesuffix(".xml")
    if row > limits.rows:
        raise TooLarge(
            f"refused: {sheet} reaches row {row:,}, past the {limits.rows:,} rows allowed",
            expected=f"at most {limits.rows:,} rows per sheet",
        )
    if col > limits.columns:
        raise TooLarge(
            f"refused: {sheet} reaches column {col:,}, past the {limits.columns:,} columns allowed",
            expected=f"at most {limits.columns:,} columns per sheet",
        )
    if row * col > limits.cells:
        raise TooLarge(
            f"refused: {sheet} spans {row:,} rows × {col:,} columns, more than the "
            f"{limits.cells:,} cells allowed",
            expected=f"at most {limits.cells:,} cells per sheet from A1",
        )


def _order_sheets(
    workbook: CalamineWorkbook, profile: TabularProfile
) -> tuple[list[TableSource], list[Skipped]]:
    """The sheets to read (the profile's, or each with an order header) and the visible
    sheets left aside for want of one."""
    if profile.sheet is not None:
        name = _profile_sheet(workbook.sheet_names, profile.sheet)
        return [TableSource(rows=_rows(workbook, name), sheet=name)], []
    worksheets = [
        meta.name
        for meta in workbook.sheets_metadata
        if meta.typ == SheetTypeEnum.WorkSheet and meta.visible == SheetVisibleEnum.Visible
    ]
    sources: list[TableSource] = []
    without: list[tuple[str, list[tuple[int, list[Cell]]]]] = []
    for name in worksheets:
        rows = _rows(workbook, name)
        header = find_header(rows, profile)
        if header is not None and header.usable:
            sources.append(TableSource(rows=rows, sheet=name, header=header))
        elif any(any(c is not None for c in cells) for _, cells in rows):
            without.append((name, rows))
    if not sources and not without:
        raise EmptyFile("the workbook holds no data", expected="an order table", key="empty_file")
    if not sources:
        # The sheet whose best row is nearest a header is the one to talk about.
        name, rows = max(
            without,
            key=lambda sheet: len(getattr(best_candidate(sheet[1], profile), "columns", {})),
        )
        raise missing_column(rows, profile, sheet=name)
    skipped = [
        Skipped(kind=SkipKind.SHEET_WITHOUT_TABLE, location=Location(sheet=name))
        for name, _ in without
    ]
    return sources, skipped


def _profile_sheet(names: Sequence[str], wanted: str | int) -> str:
    if isinstance(wanted, int) or (wanted.isascii() and wanted.isdigit()):
        index = int(wanted)
        if 1 <= index <= len(names):
            return names[index - 1]
    elif wanted in names:
        return wanted
    raise HeaderNotFound(
        f"the profile asks for sheet {wanted!r}, which the workbook does not have",
        expected=f"one of {', '.join(names)}",
        key="profile_sheet_missing",
        params={"sheet": str(wanted), "sheets": ", ".join(names)},
    )


def _rows(workbook: CalamineWorkbook, name: str) -> list[tuple[int, list[Cell]]]:
    """Every row of a sheet from A1, each with its Excel row number; empty cells as None."""
    values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return [
        (number, [None if value == "" else value for value in row])
        for number, row in enumerate(values, start=1)
    ]


# --------------------------------------------------------------------------- writing


def write_ack(
    responses: Sequence[OrderResponse],
    *,
    language: str = "fr",
    skipped: Sequence[SkippedRow] = (),
) -> bytes:
    """An acknowledgement workbook: a summary sheet (one row per order), every line, and
    what the reader left aside (when it did)."""
    sheets = [ack_summary_sheet(responses, language), ack_lines_sheet(responses, language)]
    if skipped:
        sheets.append(ack_skipped_sheet(skipped, language))
    return write_table(sheets)
