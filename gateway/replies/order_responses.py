"""The business response to an EDI order (ORDRSP / 855): when it goes, and what it says.

* **When.**  A partner's ``respond_at`` decides when its first response goes: at intake
  (``"intake"``) or once the supplier decided (``"validation"``, the default): the order
  validated, rejected or cancelled.  An order the gateway itself refused, or validated
  (``auto_validate``), is decided at intake and answered then.
* **Once per thing seen.**  What the partner was told is kept as a fingerprint of the
  response it read (:class:`gateway.store.models.ToldPartner`): its segments written
  with neutral control references and dates.  A later response is sent only when that
  fingerprint changes – a quantity confirmed otherwise, a line refused, the order
  cancelled – and then says it replaces the earlier one (BAK01 ``05`` / BGM 1225 ``5``).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime

from gateway.config.settings import PartnerConfig
from gateway.replies.edifact import ordrsp_bytes, ordrsp_reply
from gateway.replies.outbox import MessageKind, Outbox
from gateway.replies.x12 import x855_bytes, x855_reply
from gateway.rules.lifecycle import OrderStatus
from gateway.store.models import Order, OutgoingMessage, ToldPartner
from parsers.document import OrderResponse, SourceFormat

#: Statuses in which the supplier has decided about an order
DECIDED = frozenset({OrderStatus.VALIDATED, OrderStatus.REJECTED, OrderStatus.CANCELLED})
_NEUTRAL_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def answered_at_intake(partner: PartnerConfig, order: Order) -> bool:
    """Whether a just-stored order gets its business response now."""
    return partner.respond_at == "intake" or OrderStatus(order.status) in DECIDED


def _fingerprint(box: Outbox, partner_id: str, response: OrderResponse, fmt: SourceFormat) -> str:
    neutral = replace(response, response_number="", purpose="original", issued_at=date(2000, 1, 1))
    config = box.ws.config
    if fmt is SourceFormat.EDIFACT:
        data = ordrsp_bytes(
            config, partner_id, neutral, _NEUTRAL_TIME, interchange_ref="0", message_ref="0"
        )
    else:
        data = x855_bytes(config, partner_id, neutral, _NEUTRAL_TIME)
    return hashlib.sha256(data).hexdigest()


def queue_order_response(
    box: Outbox,
    order: Order,
    response: OrderResponse,
    formats: list[SourceFormat],
    *,
    inbound_file_id: int | None = None,
) -> list[OutgoingMessage]:
    """Queue the ORDRSP / 855 about ``order`` in each EDI format of ``formats`` whose
    partner would read something new in it; remember what it was told."""
    session, now = box.session, box.now
    queued: list[OutgoingMessage] = []
    for fmt in formats:
        if fmt is SourceFormat.X12 and not order.order_number:
            continue  # an 855 must name the PO
        fingerprint = _fingerprint(box, order.partner, response, fmt)
        told = session.get(ToldPartner, (order.id, fmt.value))
        if told is not None and told.fingerprint == fingerprint:
            continue  # nothing the partner can see has changed
        answer = replace(response, purpose="original" if told is None else "replace")
        if fmt is SourceFormat.EDIFACT:
            reply = ordrsp_reply(session, box.ws.config, order.partner, answer, now)
            kind = MessageKind.ORDRSP
        else:
            reply = x855_reply(session, box.ws.config, order.partner, answer, now)
            kind = MessageKind.PO_ACK_855
        queued.append(
            box.queue_edi(
                order.partner, kind, fmt, reply, order_id=order.id,
                inbound_file_id=inbound_file_id,
            )
        )  # fmt: skip
        if told is None:
            told = ToldPartner(order_id=order.id, format=fmt.value, responses=0)
            session.add(told)
        told.fingerprint, told.told_at = fingerprint, now
        told.responses += 1
    return queued


__all__ = ["DECIDED", "answered_at_intake", "queue_order_response"]
