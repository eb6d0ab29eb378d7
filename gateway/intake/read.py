"""The format seam of the pipeline: which reader reads a file, which writers answer it.

Content decides the format (``parsers.detect``); the partner's mapping profile tunes
the spreadsheet readers; EDI files must come from one of the partner's own interchange
ids. Replies go out in the partner's reply formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.config.settings import GatewayConfig
from gateway.config.mapping import MappingProfile
from gateway.intake.record import StoredOrder
from gateway.replies.responses import (
    ReplyContext,
    order_response,
    queue_tabular_acks,
    reply_formats,
)
from parsers import csv as csv_format
from parsers import xlsx as xlsx_format
from parsers.detect import detect_format
from parsers.document import OrderDocument, OrderResponse, ReadResult, SourceFormat


class SenderRefused(Exception):
    """An EDI file claims a sender id that is not this partner's."""

    def __init__(self, message: str, fmt: str) -> None:
        super().__init__(message)
        self.format = fmt


@dataclass
class ReadOutcome:
    format: SourceFormat
    documents: list[OrderDocument]
    result: ReadResult
    #: Why a readable file produced no order (e.g. only non-order messages)
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)


def read_file(
    data: bytes,
    name: str,
    partner_id: str,
    config: GatewayConfig,
    profile: MappingProfile,
) -> ReadOutcome:
    fmt = detect_format(data, name)
    if fmt is SourceFormat.CSV:
        result: ReadResult = csv_format.read(data, profile.spreadsheet)
    elif fmt is SourceFormat.XLSX:
        result = xlsx_format.read(data, profile.spreadsheet)
    else:
        from gateway.edi import legacy as edi

        return edi.read_edi(fmt, data, partner_id, config)
    return ReadOutcome(fmt, result.documents, result, warnings=list(result.warnings))


def queue_format_replies(ctx: ReplyContext, stored: list[StoredOrder], read: ReadOutcome) -> None:
    formats = reply_formats(ctx.partner, read.format)
    orders = [so.order for so in stored]
    responses: list[OrderResponse] = [
        order_response(
            ctx.session,
            so.order,
            response_number=f"{so.order.id}",
            issued_at=ctx.now,
            language=ctx.partner.language,
            lines=so.lines,
            parties=(so.customer, so.site),
        )
        for so in stored
    ]
    tabular = [f for f in formats if f in (SourceFormat.CSV, SourceFormat.XLSX)]
    queue_tabular_acks(ctx, responses, tabular)
    edi_formats = [f for f in formats if f in (SourceFormat.EDIFACT, SourceFormat.X12)]
    if edi_formats or read.format in (SourceFormat.EDIFACT, SourceFormat.X12):
        from gateway.edi import legacy as edi

        edi.queue_edi_replies(ctx, orders, responses, read, edi_formats)
