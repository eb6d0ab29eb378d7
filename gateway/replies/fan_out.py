"""Which replies a received file gets. One home for the decision.

* A file that could not be read: an error notice to the partner (``ERROR_….txt``), in
  its language. A file that failed on our side (a missing or broken mapping profile, a
  reader that crashed, our configuration) is not the partner's to correct: the admin
  gets the reason (``reports/<partner>/FAILED_….txt``) and the partner a neutral
  "received, we are looking at it" (``RECEIVED_….txt``).
* A spreadsheet file repeating one already processed: a notice naming that one.
* An EDIFACT file: a CONTRL per interchange (``functional_acks``); an X12 file: a TA1
  when asked for or when the envelope is wrong, and a 997 per functional group.
  Acknowledgments a partner sends are never acknowledged.
* Every stored order: a response in each of the partner's ``reply_formats`` (``auto``:
  the format it came in): a line acknowledgement per file for CSV / XLSX; for EDI an
  ORDRSP or 855 per order when the partner is answered at intake (``respond_at``, see
  :mod:`gateway.replies.order_responses`), else once the supplier decided.
* Rejected lines: the admin's XLSX report (``rejection_report``).
* A file refused whole: an EDI partner is answered in EDI only (a CONTRL or TA1 saying
  it was refused, never a text naming ids or partners); the reason goes to the admin's
  ``reports/<partner>/``.  A spreadsheet partner gets the error notice.
"""

from __future__ import annotations

from gateway.config.settings import PartnerConfig, ReplyFormat
from gateway.replies.edifact import queue_contrls
from gateway.replies.names import (
    duplicate_notice_name,
    failure_report_name,
    file_error_name,
    received_notice_name,
    refusal_name,
    stem,
)
from gateway.replies.order_responses import answered_at_intake, queue_order_response
from gateway.replies.outbox import Audience, MessageKind, ReplyContext
from gateway.replies.responses import StoredOrder, order_response
from gateway.replies.tabular import queue_rejection_report, queue_tabular_acks
from gateway.replies.x12 import queue_x12_acks
from gateway.rules.reasons import file_error_text, received_notice_text, sentence
from gateway.store.models import InboundFile
from parsers import edifact, x12
from parsers.document import Location, OrderResponse, ReadResult, SourceFormat

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
            lines=so.table,
            parties=(so.customer, so.site),
            supplier=ctx.ws.config.supplier,
        )
        for so in stored
    ]
    queue_tabular_acks(ctx, responses, [f for f in formats if f in TABULAR])
    if partner.functional_acks:
        if isinstance(result, edifact.EdifactReadResult):
            queue_contrls(ctx, result)
        elif isinstance(result, x12.X12ReadResult):
            queue_x12_acks(ctx, result)
    edi = [f for f in formats if f in EDI]
    for so, response in zip(stored, responses, strict=True):
        if edi and answered_at_intake(partner, so.order):
            queue_order_response(
                ctx.outbox, so.order, response, edi, inbound_file_id=ctx.inbound.id
            )
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


def queue_file_error(
    ctx: ReplyContext,
    reason: str,
    fmt: str | None = None,
    result: ReadResult | None = None,
    *,
    admin_reason: str | None = None,
    ours: bool = False,
) -> None:
    """What a file that could not be taken gets, and why (see the module docstring).

    ``fmt`` is the format it was recognised as; ``result`` the EDI reader's result when
    its sender was refused (its interchanges are then rejected: UNB error 23 / TA1 006);
    ``admin_reason`` what the admin is told beyond what the partner may hear. When the
    failure is ``ours``, the admin's report and the partner's neutral notice instead
    (``reason`` is then the admin's, and never reaches the partner).
    """
    name = ctx.inbound.name
    if fmt in (SourceFormat.EDIFACT.value, SourceFormat.X12.value):
        if ctx.partner.functional_acks and isinstance(
            result, edifact.EdifactReadResult | x12.X12ReadResult
        ):
            _refuse_senders(result)
            if isinstance(result, edifact.EdifactReadResult):
                queue_contrls(ctx, result)
            else:
                queue_x12_acks(ctx, result)
        queue_refusal_report(ctx, [admin_reason or reason])
        return
    file_stem, lang = stem(name), ctx.partner.language
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


def queue_refusal_report(ctx: ReplyContext, reasons: list[str]) -> None:
    """The admin's text on an EDI file (or interchanges of it) refused, in ``reports/``."""
    name = ctx.inbound.name
    ctx.queue(
        MessageKind.REFUSAL,
        refusal_name(stem(name), ctx.inbound.id),
        file_error_text(name, "; ".join(reasons), "en").encode("utf-8"),
        audience=Audience.ADMIN,
    )


def _refuse_senders(result: edifact.EdifactReadResult | x12.X12ReadResult) -> None:
    """Mark every interchange of a file whose sender was refused as rejected for it."""
    for ic in result.interchanges:
        if isinstance(ic, x12.InterchangeReport):
            where = Location(line=ic.location.line, segment="ISA", column="ISA06")
            ic.errors.insert(
                0,
                x12.InterchangeError(
                    code=x12.InterchangeErrorCode.INVALID_SENDER,
                    message="interchange sender not allowed",
                    location=where,
                ),
            )
        else:
            ic.errors.insert(
                0,
                edifact.SyntaxIssue(
                    code=edifact.SyntaxErrorCode.UNKNOWN_INTERCHANGE_SENDER,
                    text="interchange sender not allowed",
                    position=ic.position,
                    segment_tag="UNB",
                    element=2,
                ),
            )


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


__all__ = [
    "EDI",
    "TABULAR",
    "queue_duplicate_notice",
    "queue_file_error",
    "queue_file_replies",
    "queue_refusal_report",
    "reply_formats",
]
