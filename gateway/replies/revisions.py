"""The one updated business reply after an admin's replay changed an order.

The partner is told the whole order as it stands now, in the format(s) it is answered
in: a new line acknowledgement for spreadsheet partners (its lines saying what
changed); for EDI partners already answered, an ORDRSP / 855 replacing the first (an
EDI partner answered at validation hears of it then). Never a second CONTRL, 997 or
TA1: the interchange was acknowledged when it first came.
"""

from __future__ import annotations

from typing import Any

from gateway.replies.fan_out import EDI, TABULAR, reply_formats
from gateway.replies.names import ack_name, stem
from gateway.replies.order_responses import answered_at_intake, queue_order_response
from gateway.replies.outbox import MessageKind, Outbox
from gateway.replies.responses import order_response
from gateway.rules.products import PartyInfo
from gateway.store.models import InboundFile, Order, OutgoingMessage
from parsers import csv as csv_format
from parsers import xlsx as xlsx_format
from parsers.document import ReadResult, SourceFormat


def queue_revision_reply(
    box: Outbox,
    order: Order,
    inbound: InboundFile,
    rows: list[dict[str, Any]],
    *,
    tag: str,
    parties: tuple[PartyInfo | None, PartyInfo | None] | None = None,
    read_result: ReadResult | None = None,
) -> list[OutgoingMessage]:
    """Queue the partner's updated reply about ``order`` (``tag`` tells it apart, e.g. R3)."""
    ws, session = box.ws, box.session
    partner = ws.partner(order.partner)
    lang = partner.language
    response = order_response(
        session,
        order,
        response_number=f"{order.id}-{tag}",
        issued_at=box.now,
        language=lang,
        lines=rows,
        parties=parties,
    )
    queued: list[OutgoingMessage] = []
    formats = reply_formats(partner, SourceFormat(order.format))
    for fmt in (f for f in formats if f in TABULAR):
        if fmt is SourceFormat.CSV:
            dialect = getattr(read_result, "dialect", None) or csv_format.dialect_for(lang)
            data = csv_format.write_ack([response], dialect, language=lang)
        else:
            data = xlsx_format.write_ack([response], language=lang)
        name = ack_name(stem(inbound.name), inbound.id, fmt.value, revision=tag)
        queued.append(
            box.queue(
                order.partner, MessageKind.ACK, name, data,
                order_id=order.id, inbound_file_id=inbound.id,
            )
        )  # fmt: skip
    edi = [f for f in formats if f in EDI]
    if edi and answered_at_intake(partner, order):
        # Told once already: the new response replaces it (BAK01 05 / BGM 1225 5), and
        # only if the partner can see a change. Not told yet: it is told at validation.
        queued += queue_order_response(box, order, response, edi, inbound_file_id=inbound.id)
    return queued


__all__ = ["queue_revision_reply"]
