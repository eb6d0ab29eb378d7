"""A received file as a person reads it, beside the order made from it.

A CSV or XLSX is a table of its rows (with the file line or Excel row of each), an
EDIFACT or X12 interchange a list of its segments numbered as the readers count them
(the UNA, when present, and the ISA are segment 1). The rows an order's lines were read
from are marked with the line's outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gateway.admin.replay import original_bytes
from gateway.errors import GatewayError, NotFound
from gateway.store.models import InboundFile
from gateway.workspace import Workspace
from parsers import csv as csv_format
from parsers import xlsx as xlsx_format
from parsers.cells import cell_text
from parsers.detect import detect_format
from parsers.document import SourceFormat
from parsers.edifact.service_chars import DEFAULT, UNA_LENGTH, parse_una
from parsers.edifact.tokenizer import split_segments
from parsers.errors import ParseError
from parsers.x12.delimiters import parse_isa

#: Rows shown at most; a bigger file is downloaded to be read whole
MAX_ROWS = 2000


@dataclass
class SourceRow:
    #: The file line, Excel row or segment position
    number: int
    cells: list[str]
    #: The outcome of the order line read from this row (accepted, adjusted, rejected)
    mark: str | None = None
    #: Which order lines it holds
    line_nos: list[int] = field(default_factory=list)


@dataclass
class SourceView:
    file_id: int
    name: str
    format: str | None
    #: table (CSV, XLSX) | segments (EDIFACT, X12) | none (unreadable, or gone)
    kind: str
    rows: list[SourceRow] = field(default_factory=list)
    truncated: bool = False
    #: Why there is nothing to show
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "name": self.name,
            "format": self.format,
            "kind": self.kind,
            "truncated": self.truncated,
            "note": self.note,
            "rows": [vars(r) for r in self.rows],
        }


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # EDI repertoires A-C fit in it; nothing is lost


def _edifact(data: bytes) -> list[tuple[int, list[str]]]:
    text = _text(data).lstrip()
    chars, out = DEFAULT, []
    if text.startswith("UNA"):
        chars = parse_una(text[:UNA_LENGTH])
        out.append((1, [text[:UNA_LENGTH]]))
        text = text[UNA_LENGTH:]
    segments, tail = split_segments(text, chars)
    first = len(out) + 1
    out += [(first + i, [s + chars.terminator]) for i, s in enumerate(segments)]
    if tail:
        out.append((first + len(segments), [tail]))
    return out


def _x12(data: bytes) -> list[tuple[int, list[str]]]:
    text = _text(data)
    start = text.find("ISA")
    term = parse_isa(text, max(start, 0)).delimiters.segment
    parts = [p.strip() for p in text[max(start, 0) :].split(term)]
    return [(i, [p + term]) for i, p in enumerate((p for p in parts if p), 1)]


def _rows(data: bytes, fmt: SourceFormat) -> tuple[str, list[tuple[int, list[str]]]]:
    if fmt is SourceFormat.XLSX:
        return "table", [
            (n, [cell_text(c) or "" for c in r]) for n, r in xlsx_format.first_sheet_rows(data)
        ]
    if fmt is SourceFormat.EDIFACT:
        return "segments", _edifact(data)
    if fmt is SourceFormat.X12:
        return "segments", _x12(data)
    return "table", csv_format.rows(data)


def source_view(
    ws: Workspace,
    file_id: int,
    *,
    marks: Iterable[tuple[int, int, str]] = (),
    max_rows: int = MAX_ROWS,
) -> SourceView:
    """File ``file_id`` as rows; ``marks``: (source line, order line number, outcome) of
    the lines read from it."""
    with ws.read_sessions() as s:
        inbound = s.get(InboundFile, file_id)
        if inbound is None:
            raise NotFound(f"no received file #{file_id}")
        s.expunge(inbound)
    view = SourceView(inbound.id, inbound.name, inbound.format, "none")
    try:
        data = original_bytes(ws, inbound)
    except GatewayError as exc:  # the original is gone: said on the page, not raised
        view.note = str(exc)
        return view
    try:
        fmt = SourceFormat(inbound.format) if inbound.format else detect_format(data, inbound.name)
        view.kind, rows = _rows(data, fmt)
    except (ParseError, ValueError) as exc:
        view.note = f"the file cannot be shown as {inbound.format or 'a table'}: {exc}"
        return view
    by_row: dict[int, list[tuple[int, str]]] = {}
    for source_line, line_no, outcome in marks:
        by_row.setdefault(source_line, []).append((line_no, outcome))
    view.truncated = len(rows) > max_rows
    for number, cells in rows[:max_rows]:
        held = sorted(by_row.get(number, []))
        worst = next(
            (o for o in ("rejected", "adjusted", "accepted") if any(h[1] == o for h in held)),
            None,
        )
        view.rows.append(SourceRow(number, list(cells), worst, [n for n, _ in held]))
    return view


__all__ = ["MAX_ROWS", "SourceRow", "SourceView", "source_view"]
