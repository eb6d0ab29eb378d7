"""A big, plain CSV order or worksheet read as columns, or None when it needs the row reader.

The row reader (:func:`parsers.csv.read`, :func:`parsers.xlsx.read` →
:mod:`parsers.tabular`) reads every shape people send, one row at a time. Most big files
are one plain table; this reader takes those in columns (a CSV file through Arrow's C++
CSV reader; a worksheet as calamine gave it, each distinct cell read once by the row
reader's own cell functions) and gives the very documents the row reader would. Whether
it can is decided before any line is built; when anything is outside what it reads
identically, it answers None and the row reader reads the file (and words any error):

* the header is on the first line (no header block above it) and every header cell is
  a column it reads: order number, barcode, supplier reference, customer reference,
  name, quantity;
* no quote character, no blank line, no lone carriage return: row *n* is line *n* + 1
  (a worksheet: no empty row);
* every row has the header's width, a barcode of digits of a GTIN length or none, a
  reference or a barcode (a name alone goes through the name rules of the row reader,
  which also tell notes from lines), no "total" label, a quantity written as a plain
  number (a worksheet: or a number cell), and the one order number of the file (or none
  at all).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from parsers.cells import Cell, cell_barcode, cell_number, cell_text, guess_decimal
from parsers.columns import HEADER_SEARCH_ROWS, Field, HeaderMatch, TabularProfile, find_header
from parsers.csv import (
    _SAMPLE_CHARS,
    CsvDialect,
    CsvReadResult,
    _line_terminator,
    sniff_delimiter,
    split_rows,
    text_of,
)
from parsers.document import Location, OrderDocument, OrderLine, SourceFormat, order_line_at
from parsers.errors import ParseError
from parsers.gc_pause import paused_gc
from parsers.gtin import all_plain, is_plain
from parsers.tabular import TableResult, TableSource, simple_number

#: The fields this reader reads; a header naming any other goes to the row reader
READ = (
    Field.ORDER_NUMBER,
    Field.BARCODE,
    Field.SUPPLIER_REF,
    Field.CUSTOMER_REF,
    Field.NAME,
    Field.QUANTITY,
)
#: The rows the row reader samples to vote the decimal mark (parsers.tabular)
_DECIMAL_SAMPLE = 2000


def read(data: bytes, profile: TabularProfile | None = None) -> CsvReadResult | None:
    """The orders of a plain CSV table, as :func:`parsers.csv.read` reads them; None when
    the file is not one this reader reads identically (see the module rules)."""
    profile = profile or TabularProfile()
    if profile.header_row is not None:
        return None  # a header placed by the profile is the row reader's
    try:
        text, encoding, bom = text_of(data, profile.encoding)
    except ParseError:
        return None  # the row reader says why, in its words
    if '"' in text or text.count("\r") != text.count("\r\n"):
        return None
    delimiter = profile.delimiter or sniff_delimiter(text[:_SAMPLE_CHARS]) or ";"
    head = text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS]
    header = find_header(split_rows("\n".join(head), delimiter), profile)
    if header is None or header.position != 0 or header.line != 1:
        return None
    cells = header.header_cells
    fields = {index: fld for fld, index in header.columns.items()}
    if len(fields) != len(cells) or not set(fields.values()) <= set(READ):
        return None  # an unread column, or one this reader does not read
    columns = _columns(text, delimiter, len(cells))
    if columns is None:
        return None
    raw = {fields[i].value: column for i, column in enumerate(columns)}
    with paused_gc():  # a hundred thousand lines, none in a cycle (see gc_pause)
        return _result(raw, header.names, profile, delimiter, text, encoding, bom)


def _columns(text: str, delimiter: str, width: int) -> list[list[str]] | None:
    """Each column's cells below the header, as written; None when a row is not
    ``width`` cells wide or a line is blank."""
    from pyarrow import ArrowInvalid, csv  # a second or so of import, for big files only

    rows = text.count("\n") - (text.endswith("\n"))
    try:
        table = csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=csv.ReadOptions(
                column_names=[str(i) for i in range(width)], skip_rows=1, use_threads=False
            ),
            parse_options=csv.ParseOptions(
                delimiter=delimiter, quote_char=False, ignore_empty_lines=False
            ),
            convert_options=csv.ConvertOptions(
                column_types={str(i): "string" for i in range(width)},
                strings_can_be_null=False,
            ),
        )
    except ArrowInvalid:
        return None  # a row of another width
    if table.num_rows != rows:
        return None
    return [table.column(i).to_pylist() for i in range(width)]


def _result(
    raw: dict[str, list[str]],
    names: dict[Field, str],
    profile: TabularProfile,
    delimiter: str,
    text: str,
    encoding: str,
    bom: bool,
) -> CsvReadResult | None:
    # The decimal mark is voted on the cells as written, as the row reader votes it.
    decimal = profile.decimal or guess_decimal(
        [q for q in raw["quantity"][:_DECIMAL_SAMPLE] if q], "," if delimiter in ";\t" else None
    )
    # Stripped as the row reader strips (str.strip: Python's whitespace, not Arrow's)
    texts = {k: list(map(str.strip, column)) for k, column in raw.items()}
    numbers: dict[str, Decimal | None] = {
        q: simple_number(q, decimal) for q in set(texts["quantity"])
    }
    if None in numbers.values():
        return None  # a quantity that needs the general reading, or none
    quantities = [numbers[q] for q in texts["quantity"]]
    document = _document(texts, quantities, names, profile, SourceFormat.CSV, None)
    if document is None:
        return None
    dialect = CsvDialect(
        encoding=encoding,
        delimiter=delimiter,
        decimal=decimal,
        bom=bom,
        line_terminator=_line_terminator(text),
    )
    return CsvReadResult(
        documents=[document],
        warnings=[],
        skipped=[],
        dialect=dialect,
        header_line=1,
        columns={fld.value: name for fld, name in names.items()},
    )


@dataclass(slots=True)
class SheetColumns:
    """A worksheet's plain table read into columns (each cell as the row reader reads
    it, "" when empty; the quantities as numbers), its lines not built yet: what is left
    is plain Python, and the columns cross a process boundary at a fraction of the cost
    of the lines (a workbook is read in a child process: see ``gateway.intake.sandbox``).
    """

    texts: dict[str, list[str]]
    quantities: list[Decimal]
    order_number: str | None
    header: HeaderMatch
    profile: TabularProfile
    sheet: str | None
    decimal: str

    def table(self) -> TableResult:
        """The orders, as :func:`parsers.tabular.read_tables` reads the sheet."""
        with paused_gc():  # a hundred thousand lines, none in a cycle (see gc_pause)
            document = _lines_document(
                self.texts, self.quantities, self.order_number, self.header.names,
                self.profile, SourceFormat.XLSX, self.sheet,
            )  # fmt: skip
        return TableResult(
            documents=[document], warnings=[], decimal=self.decimal, header=self.header
        )


def sheet_columns(source: TableSource, profile: TabularProfile) -> SheetColumns | None:
    """One worksheet's table (``source``: its rows from A1, empty cells as None, and its
    header) in columns, whose :meth:`~SheetColumns.table` reads as
    :func:`parsers.tabular.read_tables` reads it; None when the table is not one this
    reader reads identically (the module's rules, and: no empty row, every cell read as
    the row reader reads it — a barcode typed as a number comes back as its digits, a
    quantity is a number cell or a plain number's text)."""
    header = source.header
    if profile.header_row is not None or header is None:
        return None
    if header.position != 0 or header.line != 1:
        return None
    cells = header.header_cells
    width = len(cells)
    fields = {index: fld for fld, index in header.columns.items()}
    if len(fields) != width or not set(fields.values()) <= set(READ):
        return None
    rows = source.rows[1:]
    if any(len(row) != width for _, row in rows):
        return None
    columns = {fields[i].value: [row[i] for _, row in rows] for i in range(width)}
    raw_quantities = columns["quantity"]
    decimal = profile.decimal or guess_decimal(
        [q for q in raw_quantities[:_DECIMAL_SAMPLE] if isinstance(q, str) and q], None
    )
    # Each cell read by the row reader's own functions (a text cell is its stripped
    # text: what cell_text says of it); each distinct quantity once.
    texts: dict[str, list[str]] = {}
    for key, column in columns.items():
        if key == "barcode":
            texts[key] = [_barcode_text(c) or "" for c in column]
        else:
            texts[key] = [c.strip() if c.__class__ is str else cell_text(c) or "" for c in column]
    quantities = _each_distinct(lambda q: _quantity_cell(q, decimal), raw_quantities)
    if None in quantities or any(not any(row) for _, row in rows):
        return None  # a quantity that needs the general reading, or an empty row
    plain, number = _order_number(texts, len(quantities))
    if not plain:
        return None
    numbers = [q for q in quantities if q is not None]  # all of them: for the type checker
    return SheetColumns(texts, numbers, number, header, profile, source.sheet, decimal)


def _barcode_text(cell: Cell) -> str | None:
    """A barcode cell's digits as the row reader reads them (a number typed into the
    cell comes back as its digits); anything else as written, which is no GTIN: the
    file is then the row reader's."""
    if cell.__class__ is str:  # digits typed as text: most barcodes, read at once
        digits = cell.strip()
        if is_plain(digits):
            return digits
    text = cell_text(cell)
    if text is None:
        return None
    barcode, _ = cell_barcode(cell)
    return barcode or text


def _quantity_cell(cell: Cell, decimal: str) -> Decimal | None:
    if cell.__class__ is str:
        return simple_number(cell.strip(), decimal)
    return cell_number(cell, decimal) if cell is not None else None


T = TypeVar("T")


def _each_distinct(read_as: Callable[[Cell], T], column: list[Cell]) -> list[T]:
    done: dict[object, T] = {}
    out: list[T] = []
    for cell in column:
        # Keyed by type too (1 == 1.0 == True, which do not read alike); text by itself
        key = cell if cell.__class__ is str else (cell.__class__, cell)
        found = done.get(key, _MISSING)
        if found is _MISSING:
            found = done[key] = read_as(cell)
        out.append(found)
    return out


_MISSING: Any = object()


def _document(
    texts: dict[str, list[str]],
    quantities: Sequence[Decimal | None],
    names: dict[Field, str],
    profile: TabularProfile,
    source_format: SourceFormat,
    sheet: str | None,
) -> OrderDocument | None:
    """The one order of a table's columns (each cell's text, "" when empty), or None."""
    plain, number = _order_number(texts, len(quantities))
    if not plain:
        return None
    return _lines_document(texts, quantities, number, names, profile, source_format, sheet)


def _order_number(texts: dict[str, list[str]], count: int) -> tuple[bool, str | None]:
    """Whether a table's columns (``count`` rows) are the module's plain table, and its
    order number."""
    empty = [""] * count
    barcodes = texts.get("barcode", empty)
    refs = texts.get("supplier_ref", empty)
    customer_refs = texts.get("customer_ref", empty)
    # Every barcode given is digits (ASCII) of a GTIN length, tested on the column at once
    if not all_plain(barcodes, blanks=True):
        return False, None  # scientific notation, Excel's ="…", lost zeros: the row reader's
    # The first identifier each line gives, or "": none may be missing or say "total"
    # (joined by a line break: not in the word, so no match spans two cells)
    firsts = [b or r or c for b, r, c in zip(barcodes, refs, customer_refs, strict=True)]
    said = "\n".join(firsts)
    if not all(firsts) or "otal" in said or "OTAL" in said:
        return False, None  # a name alone, a note, a total row
    numbers_seen = set(texts.get("order_number", ("",)))
    if len(numbers_seen) != 1:
        return False, None  # several orders, or lines continuing the one above
    return True, numbers_seen.pop() or None


def _lines_document(
    texts: dict[str, list[str]],
    quantities: Sequence[Decimal | None],
    number: str | None,
    names: dict[Field, str],
    profile: TabularProfile,
    source_format: SourceFormat,
    sheet: str | None,
) -> OrderDocument:
    shown = {fld.value: name for fld, name in names.items()}
    keys = list(texts)  # in the header's order, as the row reader records a row's fields
    nothing: list[str | None] = [None] * len(quantities)

    def values(key: str) -> list[str | None]:
        return [v or None for v in texts[key]] if key in texts else nothing

    # A line's record of the columns it filled, one per combination of filled columns
    # (copied for each line: each line owns its dict)
    records: dict[tuple[bool, ...], dict[str, str]] = {}
    lines: list[OrderLine] = []
    for position, (filled, barcode, ref, customer_ref, name, quantity, text) in enumerate(
        zip(
            zip(*(map(bool, texts[k]) for k in keys), strict=True),
            values("barcode"), values("supplier_ref"), values("customer_ref"),
            values("name"), quantities, texts["quantity"], strict=True,
        )
    ):  # fmt: skip
        record = records.get(filled)
        if record is None:
            record = records[filled] = {k: shown[k] for k, f in zip(keys, filled, strict=True) if f}
        line = order_line_at(
            position + 1, position + 2, None, None, barcode, None, ref, customer_ref, None,
            name, quantity, text, None, None, record.copy(),
        )  # fmt: skip
        line.location.sheet = sheet
        lines.append(line)
    return OrderDocument(
        format=source_format,
        order_number=number,
        customer=profile.defaults.customer,
        site=profile.defaults.site,
        lines=lines,
        location=Location(line=2, sheet=sheet),
    )


__all__ = ["READ", "SheetColumns", "read", "sheet_columns"]
