"""Which replies a received file gets. One home for the decision.

* A file that could not be read: an error notice to the partner (``ERROR_….txt``).
* A spreadsheet file repeating one already processed: a notice naming that one.
* An EDIFACT file: a CONTRL per interchange (``functional_acks``); an X12 file: a TA1
  when asked for or when the envelope is wrong, and a 997 per functional group.
  Acknowledgments a partner sends are never acknowledged.
* Every stored order: a response in each of the partner's ``reply_formats`` (``auto``:
  the format it came in): a line acknowledgement per file for CSV / XLSX, an ORDRSP or
  855 per order for EDI.
* Rejected lines: the admin's XLSX report (``rejection_report``).
"""

from __future__ import annotations

from gateway.config.settings import PartnerConfig, ReplyFormat
from gateway.replies.edifact import ordrsp_reply, queue_contrls
from gateway.replies.names import duplicate_notice_name, file_error_name, stem
from gateway.replies.outbox import MessageKind, ReplyContext
from gateway.replies.responses import StoredOrder, order_response
from gateway.replies.tabular import queue_rejection_report, queue_tabular_acks
from gateway.replies.x12 import queue_x12_acks, x855_reply
from gateway.rules.reasons import file_error_text, sentence
from gateway.store.models import InboundFile
from parsers import edifact, x12
from parsers.document import OrderResponse, ReadResult, SourceFormat

TABULAR = (SourceFormat.CSV, SourceFormat.XLSX)
EDI = (SourceFormat.EDIFACT, SourceFormat.X12)


def reply_formats(partner: PartnerConfig, source: SourceFormat) -> list[SourceFormat]:
    """The formats the partner is answered in, for an order that came in ``source``."""
    out: list[SourceFormat] = []
    for f in partner.reply_formats:
        fmt = source if f is ReplyFormat.AUTO else SourceFormat(f.value)
        if fmt not in out:
            out.append(fmt)
    return out


def queue_file_replies(
    ctx: ReplyContext, stored: list[StoredOrder], source: SourceFormat, result: ReadResult
) -> None:
    """Queue every reply a file that was read gets (see the module docstring)."""
    partner = ctx.partner
    formats = reply_formats(partner, source)
    responses: list[OrderResponse] = [
        order_response(
            ctx.session,
            so.order,
            response_number=f"{so.order.id}",
            issued_at=ctx.now,
            language=partner.language,
            lines=so.lines,
            parties=(so.customer, so.site),
        )
        for so in stored
    ]
    queue_tabular_acks(ctx, responses, [f for f in formats if f in TABULAR])
    if partner.functional_acks:
        if isinstance(result, edifact.EdifactReadResult):
            queue_contrls(ctx, result)
        elif isinstance(result, x12.X12ReadResult):
            queue_x12_acks(ctx, result)
    s, cfg, pid = ctx.session, ctx.ws.config, ctx.partner_id
    for so, response in zip(stored, responses, strict=True):
        if SourceFormat.EDIFACT in formats:
            reply = ordrsp_reply(s, cfg, pid, response, ctx.now)
            ctx.queue_edi(MessageKind.ORDRSP, SourceFormat.EDIFACT, reply, order_id=so.order.id)
        if SourceFormat.X12 in formats and response.order_number:
            reply = x855_reply(s, cfg, pid, response, ctx.now)
            ctx.queue_edi(MessageKind.PO_ACK_855, SourceFormat.X12, reply, order_id=so.order.id)
    if partner.rejection_report:
        queue_rejection_report(ctx, stored)


def queue_duplicate_notice(ctx: ReplyContext, earlier: InboundFile) -> None:
    """Tell a spreadsheet partner which of its files a duplicate repeats, and its result.

    An EDI partner gets nothing: its translator expects EDI, and the interchange was
    acknowledged when it first came (the admin sees the duplicate in ``files list``).
    """
    if earlier.format not in TABULAR:
        return
    lang = ctx.partner.language
    result = sentence(
        "file_result",
        lang,
        orders=earlier.orders_count,
        accepted=earlier.lines_accepted,
        rejected=earlier.lines_rejected,
    )
    text = sentence(
        "duplicate_file",
        lang,
        name=ctx.inbound.name,
        earlier=earlier.name,
        date=f"{earlier.received_at.astimezone():%Y-%m-%d %H:%M}",
        result=result,
    )
    name = duplicate_notice_name(stem(ctx.inbound.name), ctx.inbound.id)
    ctx.queue(MessageKind.DUPLICATE_NOTICE, name, text.encode("utf-8"))


def queue_file_error(ctx: ReplyContext, reason: str) -> None:
    """The partner's notice that its file could not be read, and why."""
    name = ctx.inbound.name
    ctx.queue(
        MessageKind.FILE_ERROR,
        file_error_name(stem(name), ctx.inbound.id),
        file_error_text(name, reason, ctx.partner.language).encode("utf-8"),
    )


__all__ = [
    "EDI",
    "TABULAR",
    "queue_duplicate_notice",
    "queue_file_error",
    "queue_file_replies",
    "reply_formats",
]
