"""Which replies a received file gets. One home for the decision.

* A file that could not be read: an error notice to the partner (``ERROR_….txt``), in
  its language. A file that failed on our side (a missing or broken mapping profile, a
  reader that crashed, our configuration) is not the partner's to correct: the admin
  gets the reason (``reports/<partner>/FAILED_….txt``) and the partner a neutral
  "received, we are looking at it" (``RECEIVED_….txt``).
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
from gateway.replies.names import (
    failure_report_name,
    file_error_name,
    received_notice_name,
    stem,
)
from gateway.replies.outbox import Audience, MessageKind, ReplyContext
from gateway.replies.responses import StoredOrder, order_response
from gateway.replies.tabular import queue_rejection_report, queue_tabular_acks
from gateway.replies.x12 import queue_x12_acks, x855_reply
from gateway.rules.reasons import file_error_text, received_notice_text
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


def queue_file_error(ctx: ReplyContext, reason: str, *, ours: bool = False) -> None:
    """The partner's notice that its file could not be read, and why (``reason``, in its
    language); when the failure is ``ours``, the admin's report and the partner's neutral
    notice instead (``reason`` is then the admin's, and never reaches the partner)."""
    name, file_stem, lang = ctx.inbound.name, stem(ctx.inbound.name), ctx.partner.language
    if not ours:
        text = file_error_text(name, reason, lang)
        ctx.queue(MessageKind.FILE_ERROR, file_error_name(file_stem, ctx.inbound.id), _utf8(text))
        return
    notice = received_notice_text(name, lang)
    ctx.queue(
        MessageKind.RECEIVED_NOTICE, received_notice_name(file_stem, ctx.inbound.id), _utf8(notice)
    )
    report = (
        f"file: {name}\npartner: {ctx.partner_id}\ninbound file: #{ctx.inbound.id}\n"
        f"reason: {reason}\n\nThis failed on our side; the partner was told its file was "
        "received and is being looked at. Fix the cause, then process the file again.\n"
    )
    ctx.queue(
        MessageKind.FAILURE_REPORT,
        failure_report_name(file_stem, ctx.inbound.id),
        _utf8(report),
        audience=Audience.ADMIN,
    )


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


__all__ = ["EDI", "TABULAR", "queue_file_error", "queue_file_replies", "reply_formats"]
