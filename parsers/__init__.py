"""Format codecs: bytes ⇄ neutral order documents.

Each format is a module with the same small surface:

* ``recognise(data: bytes) -> bool`` — do these bytes look like this format?
* ``read(data: bytes, ...) -> ReadResult`` — the orders in them (``parsers.document``),
  raising a :class:`parsers.errors.ParseError` subclass when the file as a whole
  cannot be read; problems confined to one line become ``LineIssue`` entries.
* ``write_*(...) -> bytes`` — acknowledgements and responses in that format (XLSX
  workbooks are put together part by part in :mod:`parsers.xlsx_writer`).

:data:`FORMATS` holds each format's module under its :class:`SourceFormat`, and a test
feeds every one of them the same junk, truncated, empty and BOM-only bytes:

>>> sorted(FORMATS)
[<SourceFormat.CSV: 'csv'>, <SourceFormat.EDIFACT: 'edifact'>, <SourceFormat.X12: 'x12'>, \
<SourceFormat.XLSX: 'xlsx'>]
>>> FORMATS[SourceFormat.X12].recognise(b"UNA:+.? 'UNB+UNOC:3+A+B'")
False

This package knows nothing of the catalog, the database or folders: it never opens a
file, a socket or a connection, and it imports nothing from ``gateway``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Protocol, cast

from parsers.document import ReadResult, SourceFormat


class Codec(Protocol):
    """What every format module offers (its ``read`` may take more keyword options)."""

    def recognise(self, data: bytes) -> bool: ...

    def read(self, data: bytes) -> ReadResult: ...


class _Formats(Mapping[SourceFormat, Codec]):
    """Each format's module is ``parsers.<format>``, imported when first asked for: reading
    a CSV does not load the spreadsheet libraries, and a command's ``--help`` loads none."""

    def __getitem__(self, key: SourceFormat) -> Codec:
        try:
            fmt = SourceFormat(key)
        except ValueError:
            raise KeyError(key) from None
        return cast(Codec, importlib.import_module(f"parsers.{fmt.value}"))

    def __iter__(self) -> Iterator[SourceFormat]:
        return iter(SourceFormat)

    def __len__(self) -> int:
        return len(SourceFormat)


if TYPE_CHECKING:  # mypy holds every format module to the Codec protocol
    from parsers import csv, edifact, x12, xlsx

    _CODECS: dict[SourceFormat, Codec] = {
        SourceFormat.CSV: csv,
        SourceFormat.XLSX: xlsx,
        SourceFormat.EDIFACT: edifact,
        SourceFormat.X12: x12,
    }

#: Each format's module, by the :class:`SourceFormat` the documents it reads carry
FORMATS: Mapping[SourceFormat, Codec] = _Formats()

__all__ = ["FORMATS", "Codec"]
