"""Read one file: which reader reads it, and who may have sent it.

Content decides the format (:func:`parsers.detect.detect_format`); the partner's mapping
profile tunes the spreadsheet readers; an EDI interchange must come from one of the
partner's own sender ids (:mod:`gateway.rules.senders`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.config.mapping import MappingProfile
from gateway.config.settings import GatewayConfig
from gateway.edi.acknowledgments import received_acknowledgments
from gateway.rules.senders import SenderRefused, check_application_sender, check_sender
from parsers import csv as csv_format
from parsers import edifact, x12
from parsers import xlsx as xlsx_format
from parsers.detect import detect_format
from parsers.document import OrderDocument, ReadResult, SourceFormat
from parsers.errors import ParseError


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
) -> ReadOutcome:
    """The orders in ``data``; ParseError when unreadable, SenderRefused when not the
    partner's to send."""
    fmt = detect_format(data, name)
    if fmt is SourceFormat.CSV:
        result: ReadResult = csv_format.read(data, profile.spreadsheet)
    elif fmt is SourceFormat.XLSX:
        result = xlsx_format.read(data, profile.spreadsheet)
    else:
        return _read_edi(fmt, data, partner_id, config)
    return ReadOutcome(
        fmt, result.documents, result, warnings=list(result.warnings), notes=list(result.notes)
    )


def _read_edi(
    fmt: SourceFormat, data: bytes, partner_id: str, config: GatewayConfig
) -> ReadOutcome:
    try:
        result: edifact.EdifactReadResult | x12.X12ReadResult = (
            edifact.read(data) if fmt is SourceFormat.EDIFACT else x12.read(data)
        )
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
