"""Delimited text orders (what Excel calls CSV, and its "Unicode text"), and CSV replies.

Reading works out the file's *dialect* before anything else, and keeps it so replies
go back in the sender's own dialect:

* encoding: a BOM decides (UTF-8, UTF-16 LE/BE — Excel's "Unicode text" is UTF-16LE
  with a BOM, tab-separated); otherwise strict UTF-8, then cp1252 (the Windows code page
  French Excel writes; it reads latin-1 French text identically and adds ``€`` and
  typographic quotes), then charset-normalizer's guess as a last resort.  A profile's
  ``encoding`` is used as declared, and a byte it cannot decode is reported by line.
* delimiter: among ``;`` ``,`` tab and ``|``, the one that splits the most sample rows
  into the same number of fields (quotes respected, so a ``;`` inside ``"…"`` does not
  count); ``csv.Sniffer`` guesses wrong on decimal commas.
* decimal mark: voted by the quantity and price values (see :mod:`parsers.tabular`),
  ``,`` when undecided and the delimiter is ``;``.

The rows themselves go through the stdlib ``csv`` module: quoted fields may hold
delimiters and line breaks; each row keeps the physical line it starts on. A big file
that is one plain table may be read in columns instead (:mod:`parsers.columnar`), into
the same documents.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from itertools import islice
from operator import itemgetter
from typing import cast

from parsers.cells import Cell
from parsers.columns import TabularProfile
from parsers.document import OrderResponse, ReadResult, SourceFormat
from parsers.errors import (
    EmptyFile,
    InvalidEncoding,
    InvalidStructure,
    ProfileError,
    UnrecognisedFormat,
)
from parsers.gc_pause import paused_gc
from parsers.sheets import FORMULA_PREFIXES, Sheet, SkippedRow, ack_lines_columns, neutralise
from parsers.tabular import read_table

DELIMITERS = (";", "\t", ",", "|")
_SAMPLE_CHARS = 64 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_EDI_PREFIXES = ("UNA", "UNB", "ISA")
_WESTERN_CODE_PAGES = ("cp850", "mac_roman", "cp437", "iso8859_15", "latin_1")
#: Magic numbers of binary formats people mistake for spreadsheets exports.
_BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x1f\x8b", b"\x89PNG")


@dataclass(slots=True, frozen=True, kw_only=True)
class CsvDialect:
    """How a CSV file is written; the defaults are what French Excel opens cleanly."""

    encoding: str = "utf-8"
    delimiter: str = ";"
    decimal: str = ","
    bom: bool = True
    line_terminator: str = "\r\n"


def dialect_for(language: str) -> CsvDialect:
    """The dialect a partner's Excel opens cleanly, for a reply not answering a CSV file.

    French Excel splits on ``;`` and reads ``,`` as the decimal mark (the
    :class:`CsvDialect` defaults); every other language gets ``,`` and ``.``.  The
    language is matched on its first two letters, as the reply's labels are.

    >>> dialect_for("fr")
    CsvDialect(encoding='utf-8', delimiter=';', decimal=',', bom=True, line_terminator='\\r\\n')
    >>> (dialect_for("fr-BE").delimiter, dialect_for("en").delimiter, dialect_for("en").decimal)
    (';', ',', '.')
    >>> dialect_for("de") == dialect_for("en")
    True
    """
    if language[:2].lower() == "fr":
        return CsvDialect()
    return CsvDialect(delimiter=",", decimal=".")


@dataclass(slots=True, kw_only=True)
class CsvReadResult(ReadResult):
    dialect: CsvDialect
    header_line: int | None = None
    #: field → the header it was read from
    columns: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- reading


def recognise(data: bytes) -> bool:
    """Whether ``data`` looks like delimited text (and not EDI or a binary file)."""
    if not data.strip() or data.startswith(_BINARY_MAGIC):
        return False
    try:
        text, _, _ = decode(data[: _SAMPLE_CHARS * 2], declared=None, partial=True)
    except (UnrecognisedFormat, InvalidEncoding):
        return False
    stripped = text.lstrip()
    if stripped.startswith(_EDI_PREFIXES):
        return False
    return sniff_delimiter(text) is not None


def text_of(data: bytes, encoding: str | None = None) -> tuple[str, str, bool]:
    """(text, encoding, BOM present) of delimited-text bytes; ParseError when they are not."""
    if not data.strip(b" \t\r\n\x00"):
        raise EmptyFile("the file is empty", key="empty_file")
    if data.startswith(_BINARY_MAGIC):
        raise UnrecognisedFormat(
            "this is a binary file (zip, Excel 97, PDF, image…), not delimited text",
            expected="a CSV or text export",
            key="binary_file",
        )
    text, encoding, bom = decode(data, declared=encoding)
    if not text.strip():
        raise EmptyFile("the file holds only blank lines", key="blank_lines_only")
    return text, encoding, bom


def rows(data: bytes) -> list[tuple[int, list[str]]]:
    """Every row of any delimited text (encoding and delimiter detected), with its line.

    For tables that are not orders (master data, status feeds); ParseError when the
    bytes are not delimited text.
    """
    text, _, _ = text_of(data)
    with paused_gc():  # millions of row lists, none in a cycle (see gc_pause)
        return split_rows(text, sniff_delimiter(text[:_SAMPLE_CHARS]) or ";")


def read(data: bytes, profile: TabularProfile | None = None) -> CsvReadResult:
    """The orders in a CSV file; raises a :class:`ParseError` when none can be read."""
    profile = profile or TabularProfile()
    text, encoding, bom = text_of(data, profile.encoding)
    delimiter = profile.delimiter or sniff_delimiter(text[:_SAMPLE_CHARS]) or ";"
    with paused_gc():
        table = read_table(
            split_rows(text, delimiter),
            source_format=SourceFormat.CSV,
            profile=profile,
            decimal_hint="," if delimiter in ";\t" else None,
        )
    dialect = CsvDialect(
        encoding=encoding,
        delimiter=delimiter,
        decimal=table.decimal,
        bom=bom,
        line_terminator=_line_terminator(text),
    )
    return CsvReadResult(
        documents=table.documents,
        warnings=table.warnings,
        skipped=table.skipped,
        dialect=dialect,
        header_line=table.header.line,
        columns={f.value: name for f, name in table.header.names.items()},
    )


def decode(data: bytes, declared: str | None, *, partial: bool = False) -> tuple[str, str, bool]:
    """The text, the codec name and whether a BOM was present.

    ``partial`` tolerates a multi-byte character cut at the end (for sniffing a head).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return (
                _decode_strict(data[len(bom) :], encoding, partial, offset=len(bom)),
                encoding,
                True,
            )
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError as error:
            raise ProfileError(
                f"the profile declares an unknown encoding {declared!r}",
                expected="a codec name such as utf-8 or cp1252",
            ) from error
        return _decode_strict(data, name, partial), name, False
    head = data[:4096]
    if b"\x00" in head:
        utf16 = _bomless_utf16(head)
        if utf16 is None:
            raise UnrecognisedFormat(
                "this is binary data, not text",
                line=1,
                expected="a CSV or text export",
                key="binary_file",
            )
        return _decode_strict(data, utf16, partial), utf16, False
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            if partial and encoding == "utf-8" and error.start >= len(data) - 3:
                text = data[: error.start].decode(encoding)
            else:
                continue
        _refuse_binary(text)
        return text, encoding, False
    if _mostly_latin1_letters(data):
        # cp1252 failed on one of its five unassigned bytes (0x81, 0x8D…), yet the
        # accented letters sit where latin-1 puts them: French latin-1 with a stray byte.
        text = data.decode("latin-1")
        _refuse_binary(text)
        return text, "iso8859-1", False
    return _charset_normalizer_guess(data)


def _mostly_latin1_letters(data: bytes) -> bool:
    high = data.translate(None, bytes(range(0x80)))
    letters = high.translate(None, bytes(range(0x80, 0xC0)))
    return bool(high) and len(letters) >= 0.8 * len(high)


def _decode_strict(data: bytes, encoding: str, partial: bool, offset: int = 0) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        if partial and error.start >= len(data) - 4:
            return data[: error.start].decode(encoding, errors="ignore")
        line = data.count(b"\n", 0, error.start) + 1
        raise InvalidEncoding(
            f"byte 0x{data[error.start]:02x} at offset {error.start + offset} cannot be "
            f"read as {encoding}",
            line=line,
            expected=f"text in {encoding}",
            key="undecodable_byte",
            params={"encoding": encoding},
        ) from error


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM shows NUL in every other byte of ASCII text."""
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = len(head) // 2 or 1
    if odd / half > 0.4 and even / half < 0.05:
        return "utf-16-le"
    if even / half > 0.4 and odd / half < 0.05:
        return "utf-16-be"
    return None


def _refuse_binary(text: str) -> None:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    if sample and controls / len(sample) > 0.01:
        raise UnrecognisedFormat(
            "this is binary data, not text",
            line=1,
            expected="a CSV or text export",
            key="binary_file",
        )


def _charset_normalizer_guess(data: bytes) -> tuple[str, str, bool]:
    from charset_normalizer import from_bytes

    # Western code pages only: a French or English order is in one of these, and an
    # unrestricted guess picks Arabic or Cyrillic pages for short texts.
    best = from_bytes(data, cp_isolation=list(_WESTERN_CODE_PAGES)).best()
    if best is None:
        raise InvalidEncoding(
            "the text is in no character set we recognise",
            expected="UTF-8, UTF-16 or Windows-1252 (ANSI) text",
            key="unknown_charset",
        )
    text = str(best)
    _refuse_binary(text)
    return text, codecs.lookup(best.encoding).name, False


def sniff_delimiter(sample: str) -> str | None:
    """The delimiter that splits the most sample rows into one consistent width."""
    cut = sample.rfind("\n")
    if 0 < cut < len(sample) - 1:
        sample = sample[: cut + 1]
    best: tuple[int, int] = (0, 0)
    found = None
    for delimiter in DELIMITERS:
        widths = [
            len(row)
            for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
            if len(row) > 1
        ][:200]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if (count, width) > best:
            best, found = (count, width), delimiter
    return found


def split_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Each row with the physical line it starts on (1-based)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise InvalidStructure(
            f"the CSV cannot be split into fields: {error}",
            line=reader.line_num,
            expected="delimited text",
            key="unsplittable",
        ) from error
    if reader.line_num == len(rows):
        # No quoted line breaks: row n is line n (the common case, and much faster).
        return list(zip(range(1, len(rows) + 1), rows, strict=True))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered: list[tuple[int, list[str]]] = []
    previous = 0
    for row in reader:
        numbered.append((previous + 1, row))
        previous = reader.line_num
    if numbered[-1][0] < reader.line_num:
        _check_closing_quote(text, delimiter, numbered[-1][0])
    return numbered


def _check_closing_quote(text: str, delimiter: str, start_line: int) -> None:
    """The last row spans several lines: legitimate, or a quote never closed?"""
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise InvalidStructure(
                "a quoted field opened on this line is never closed, so the rest of the "
                "file would be read as one value",
                line=start_line,
                expected='a closing "',
                key="unclosed_quote",
            ) from error


def _line_terminator(text: str) -> str:
    head = text[:_SAMPLE_CHARS]
    if "\r\n" in head:
        return "\r\n"
    if "\n" in head:
        return "\n"
    return "\r\n" if "\r" not in head else "\r"


# --------------------------------------------------------------------------- writing


def format_cell(value: Cell, dialect: CsvDialect) -> str:
    """A cell as CSV text: formula-like text neutralised, numbers in the dialect's decimal."""
    # Most cells are plain text, empty or whole numbers: answered first, without the
    # general conversions (an acknowledgement of 100,000 lines has a million cells).
    if value.__class__ is str:
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if value is None:
        return ""
    if value.__class__ is int:
        return str(value)
    value = neutralise(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal | float):
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        elif isinstance(value, Decimal):
            text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
        else:
            text = repr(value)
        return text.replace(".", dialect.decimal)
    if isinstance(value, datetime):
        if value.time() != time():
            french = dialect.decimal == ","
            return value.strftime("%d/%m/%Y %H:%M" if french else "%Y-%m-%d %H:%M")
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y") if dialect.decimal == "," else value.isoformat()
    return str(value)


def write_table(sheet: Sheet, dialect: CsvDialect | None = None) -> bytes:
    """One table as CSV bytes in ``dialect`` (default: UTF-8 with BOM, ``;``, ``,``, CRLF).

    Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first)
    is prefixed with ``'``; characters the encoding lacks become ``?``.
    """
    width = len(sheet.headers)
    if all(len(row) == width for row in sheet.rows):
        columns = list(zip(*sheet.rows, strict=True)) or [()] * width
        return write_columns(sheet.headers, columns, dialect, sheet.preamble)
    out = _CsvOut(dialect)
    rows: list[Sequence[Cell]] = [*sheet.preamble, sheet.headers, *sheet.rows]
    for row in rows:
        out.writerow(row)
    return out.close()


def write_columns(
    headers: Sequence[Cell],
    columns: Sequence[Sequence[Cell]],
    dialect: CsvDialect | None = None,
    preamble: Sequence[Sequence[Cell]] = (),
) -> bytes:
    """A table given column by column (``columns[j][i]``: row *i*'s cell *j*) as CSV
    bytes, as :func:`write_table` writes it."""
    out = _CsvOut(dialect)
    heads: list[Sequence[Cell]] = [*preamble, headers]
    for row in heads:
        out.writerow(row)
    # Column by column, each distinct value formatted once: an acknowledgement of
    # 100,000 lines repeats its order number, statuses and quantities in every row.
    out.writerows(zip(*(_formatted(column, out.dialect) for column in columns), strict=True))
    return out.close()


class _CsvOut:
    """CSV bytes in a dialect, written by ``csv.writer``; :meth:`close` gives them.

    Encoded as written (the whole text of a 100,000-line acknowledgement, held as one
    string, takes two bytes a character as soon as it holds one "—"), a few thousand
    rows at a time: handed to the encoder row by row, it cost 100,000 of its calls
    (0.1 s in cp1252).
    """

    CHUNK_ROWS = 4096

    def __init__(self, dialect: CsvDialect | None) -> None:
        self.dialect = dialect = dialect or CsvDialect()
        codec = codecs.lookup(dialect.encoding).name
        self._buffer = io.BytesIO()
        if dialect.bom and not codec.endswith("-sig"):
            self._buffer.write(_BOM_OF.get(codec, b""))
        self._stream = io.TextIOWrapper(self._buffer, encoding=codec, errors="replace", newline="")
        self._chunk = io.StringIO(newline="")
        self._writer = csv.writer(
            self._chunk, delimiter=dialect.delimiter, lineterminator=dialect.line_terminator
        )

    def writerow(self, row: Sequence[Cell]) -> None:
        """One row, each cell formatted by :func:`format_cell`."""
        self._writer.writerow([format_cell(v, self.dialect) for v in row])

    def writerows(self, rows: Iterable[Sequence[Cell]]) -> None:
        """Rows already formatted (see :func:`_formatted`)."""
        rows = iter(rows)
        while chunk := list(islice(rows, self.CHUNK_ROWS)):
            self._writer.writerows(chunk)
            self._encode()

    def _encode(self) -> None:
        self._stream.write(self._chunk.getvalue())
        self._chunk.seek(0)
        self._chunk.truncate()

    def close(self) -> bytes:
        self._encode()
        self._stream.flush()
        data = self._buffer.getvalue()
        self._stream.detach()
        return data


_NONE = type(None)
#: What a text a spreadsheet would take for a formula starts with (a superset, should a
#: prefix be longer than one character: a text that does not is then formatted anyway)
_FORMULA_FIRSTS = frozenset(prefix[:1] for prefix in FORMULA_PREFIXES)
_first_character = itemgetter(slice(0, 1))


def _formatted(column: Sequence[Cell], dialect: CsvDialect) -> Sequence[Cell]:
    """:func:`format_cell` of each value of a column, as the CSV writer is to write it.

    The CSV writer writes a whole number and a missing value as :func:`format_cell` does
    (``str(n)``, nothing): those stay as they are, and so does text unless one of the
    column's looks like a formula. Anything else (a quantity, a date) is formatted once
    per object — a big acknowledgement's quantities are a few shared objects, and the
    column keeps each alive, so an id is not reused meanwhile — never once per equal
    value, as ``Decimal("12.50")`` equals ``Decimal("12.5")`` yet is written otherwise.
    A long column is asked all that at once, in C; a short one value by value (asking at
    once costs more than a few values do)."""
    if len(column) < _LONG_COLUMN:
        return [
            value if value.__class__ is int or value is None else format_cell(value, dialect)
            for value in column
        ]
    kinds = set(map(type, column))
    if kinds <= {int, _NONE}:
        return column
    if kinds <= {str, _NONE}:
        # The texts' first characters ("" and None left out by the filter)
        texts = cast(Iterable[str], filter(None, column) if _NONE in kinds else column)
        if _FORMULA_FIRSTS.isdisjoint(map(_first_character, texts)):
            return column
    ids = list(map(id, column))
    by_id = dict(zip(ids, column, strict=True))
    done = {key: format_cell(value, dialect) for key, value in by_id.items()}
    return list(map(done.__getitem__, ids))


#: A column at least this long is formatted by :func:`_formatted`'s checks in C
_LONG_COLUMN = 64


_BOM_OF = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
}


def write_ack(
    responses: Sequence[OrderResponse],
    dialect: CsvDialect,
    *,
    language: str = "fr",
    skipped: Sequence[SkippedRow] = (),
) -> bytes:
    """A line-by-line acknowledgement of ``responses``, in the sender's own dialect: a
    row about each order before its lines, then what the reader left aside."""
    table = ack_lines_columns(responses, language, with_orders=True, skipped=skipped)
    return write_columns(table.headers, table.columns, dialect)
