"""Read one file: which reader reads it, and who may have sent it.

Content decides the format (:func:`parsers.detect.detect_format`); the partner's mapping
profile tunes the spreadsheet readers; an EDI interchange must come from one of the
partner's own sender ids (:mod:`gateway.rules.senders`). The partner's bounds (lines,
sheet size, orders and interchanges per file) are checked before the expensive work:
lines before parsing, a workbook's extent before calamine reads it, orders before any
is resolved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from gateway.config.mapping import MappingProfile
from gateway.config.settings import GatewayConfig
from gateway.edi.acknowledgments import received_acknowledgments
from gateway.intake.sandbox import read_isolated
from gateway.rules.senders import SenderRefused, check_application_sender, check_sender
from parsers import columnar, edifact, x12
from parsers import csv as csv_format
from parsers import xlsx as xlsx_format
from parsers.columns import TabularProfile
from parsers.detect import detect_format
from parsers.document import OrderDocument, ReadResult, SkipKind, SourceFormat
from parsers.errors import ParseError, TooLarge
from parsers.xlsx import SheetLimits

T = TypeVar("T")


@dataclass
class ReadOutcome:
    format: SourceFormat
    documents: list[OrderDocument]
    result: ReadResult
    #: Why a readable file produced no order (e.g. only non-order messages)
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_file(
    data: bytes,
    name: str,
    partner_id: str,
    config: GatewayConfig,
    profile: MappingProfile,
    *,
    isolated: bool = False,
) -> ReadOutcome:
    """The orders in ``data``; ParseError when unreadable (:class:`TooLarge` when over one
    of the partner's bounds), SenderRefused when not the partner's to send.

    Workbooks are always read in a child process (:mod:`gateway.intake.sandbox`): their
    reader is native code. ``isolated`` reads every format there — for a file during
    whose reading the gateway died before.
    """
    partner = config.partner(partner_id)
    fmt = detect_format(data, name)
    if fmt is SourceFormat.CSV:
        lines = check_lines(data, partner.max_lines)
        reader = _read_columns if lines >= partner.column_path_lines else csv_format.read
        result: ReadResult = _run(isolated, reader, data, profile.spreadsheet)
    elif fmt is SourceFormat.XLSX:
        limits = SheetLimits(
            rows=partner.max_sheet_rows,
            columns=partner.max_sheet_columns,
            cells=partner.max_sheet_cells,
            shared_strings=partner.max_shared_strings_bytes,
        )
        # A big plain sheet is read by columns, as a big CSV file is (the same orders);
        # its lines are built here, out of the child: columns cross cheaply, lines not.
        found = read_isolated(
            xlsx_format.read_sheets, data, profile.spreadsheet, limits, partner.column_path_lines
        )
        result = found.result() if isinstance(found, xlsx_format.ColumnsRead) else found
    else:
        return _read_edi(fmt, data, partner_id, config, isolated)
    check_orders(len(result.documents), partner.max_orders_per_file)
    # A total row or a repeated header is a matter of course, logged for whoever looks
    # closer; the rest a reader left aside (a conflicting customer, an unread column) is
    # worth an admin's look. The sender is told of both in its acknowledgement.
    notes = [str(s) for s in result.skipped if s.kind in _ROUTINE]
    warnings = [w for w in result.warnings if w not in notes]
    return ReadOutcome(fmt, result.documents, result, warnings=warnings, notes=notes)


_ROUTINE = frozenset({SkipKind.TOTAL_ROW, SkipKind.REPEATED_HEADER})


def _run(isolated: bool, reader: Callable[..., T], *args: object) -> T:
    return read_isolated(reader, *args) if isolated else reader(*args)


def check_lines(data: bytes, limit: int) -> int:
    """Refuse a text file of more than ``limit`` lines, counted before it is parsed (a
    file of empty lines costs a parser more than its size says); how many it has."""
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if lines > limit:
        raise TooLarge(
            f"refused: the file has {lines:,} lines, more than the {limit:,} allowed (max_lines)",
            expected=f"at most {limit:,} lines per file",
        )
    return lines


def _read_columns(data: bytes, profile: TabularProfile) -> ReadResult:
    """A big CSV file in columns when it is a plain table, else by rows (the same orders
    either way: :mod:`parsers.columnar`)."""
    return columnar.read(data, profile) or csv_format.read(data, profile)


def check_orders(
    count: int, limit: int, what: str = "orders", key: str = "max_orders_per_file"
) -> None:
    """Refuse a file holding more orders (or interchanges) than its partner's bound,
    before any of them is resolved, stored or answered."""
    if count > limit:
        raise TooLarge(
            f"refused: the file holds {count:,} {what}, more than the {limit:,} allowed "
            f"({key}); send them in several files",
            expected=f"at most {limit:,} {what} per file",
        )


def check_segments(fmt: SourceFormat, data: bytes, limit: int) -> None:
    """Refuse an EDI file of more than ``limit`` segments, counted by their terminator
    before it is parsed (EANCOM's ``'`` unless a UNA says otherwise; X12's from the ISA).
    A released terminator counts too: the bound is on the reader's work, not exact."""
    if fmt is SourceFormat.EDIFACT:
        head = data.lstrip()[:9]
        terminator = head[8:9] if head.startswith(b"UNA") and len(head) == 9 else b"'"
    else:
        isa = data.lstrip()
        terminator = isa[105:106] if len(isa) > 105 else b"~"
    segments = data.count(terminator or b"~")
    if segments > limit:
        raise TooLarge(
            f"refused: the file has {segments:,} segments, more than the {limit:,} allowed "
            "(max_lines)",
            expected=f"at most {limit:,} segments per file",
        )


def _read_edi(
    fmt: SourceFormat, data: bytes, partner_id: str, config: GatewayConfig, isolated: bool
) -> ReadOutcome:
    partner = config.partner(partner_id)
    try:
        check_segments(fmt, data, partner.max_lines)
        result: edifact.EdifactReadResult | x12.X12ReadResult = (
            _run(isolated, edifact.read, data)
            if fmt is SourceFormat.EDIFACT
            else _run(isolated, x12.read, data)
        )
        check_orders(
            len(result.interchanges),
            partner.max_interchanges_per_file,
            "interchanges",
            "max_interchanges_per_file",
        )
        check_orders(len(result.documents), partner.max_orders_per_file)
    except ParseError as exc:
        exc.format = fmt.value  # type: ignore[attr-defined]  # an EDI file: no text reply
        raise
    try:
        for ic in result.interchanges:
            check_sender(config, partner_id, fmt, ic.sender_qualifier, ic.sender_id)
        if isinstance(result, x12.X12ReadResult):
            for x12_ic in result.interchanges:
                for group in x12_ic.groups:
                    check_application_sender(
                        config, partner_id, group.application_sender, group.location
                    )
    except SenderRefused as refused:
        refused.result = result  # its interchanges are answered as refused, in EDI
        raise
    problems = result.problems()
    reason = None
    if not result.documents:
        acks = received_acknowledgments(result)
        if acks and all(ic.only_acknowledgments for ic in result.interchanges):
            reason = f"acknowledgments only, not answered: {'; '.join(acks[:5])}"
        else:
            detail = "; ".join(problems[:5]) if problems else "it holds no order message"
            reason = f"no order could be read from the file: {detail}"
    return ReadOutcome(
        fmt, result.documents, result, reason=reason, warnings=list(result.warnings) + problems
    )


__all__ = ["ReadOutcome", "read_file"]
