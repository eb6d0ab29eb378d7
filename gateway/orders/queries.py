"""Read models for the CLI and reports: orders as plain dicts (the JSON contract).

An order has at least ``id, partner, customer, site, order_number, status, lines``; a
line at least ``line_no, sku, quantity, outcome, reason_code, message, matched_by``.
An order also says what its sender said of it (``comment``, ``buyer_reference``) and a
line what the sender can do about it (``hint``). One order shown alone adds ``events``,
``replies`` (each with the partner's ``acknowledgment`` when it was an EDI message:
accepted, rejected…) and ``file_replies``, the replies to its files that name no order
(acknowledgements).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload

from gateway.errors import NotFound
from gateway.rules.lifecycle import AWAITING_ANSWER, OrderStatus, is_overdue
from gateway.rules.quantity import json_number
from gateway.store.models import (
    InboundFile,
    Order,
    OrderEvent,
    OrderLine,
    OrderSource,
    OutgoingMessage,
    SentInterchange,
)
from gateway.workspace import Workspace


def line_dict(ln: OrderLine) -> dict[str, Any]:
    return {
        "line_no": ln.line_no,
        "source_line": ln.source_line,
        "external_id": ln.external_id,
        "barcode": ln.barcode,
        "supplier_ref": ln.supplier_ref,
        "customer_ref": ln.customer_ref,
        "name": ln.description,
        "sku": ln.sku,
        "ordered_quantity": json_number(ln.ordered_quantity),
        "unit": ln.ordered_unit,
        "quantity": json_number(ln.quantity),
        "confirmed_quantity": json_number(ln.confirmed_quantity),
        "shipped_quantity": json_number(ln.shipped_quantity),
        "unit_price": json_number(ln.unit_price),
        "outcome": ln.outcome,
        "reason_code": ln.reason_code,
        "message": ln.message,
        "hint": ln.hint,
        "matched_by": ln.matched_by,
        "confidence": ln.confidence,
        "suggestions": ln.suggestions or [],
    }


def event_dict(e: OrderEvent) -> dict[str, Any]:
    return {
        "at": e.at.isoformat(),
        "kind": e.kind or "status",
        "from_status": e.from_status,
        "to_status": e.to_status,
        "actor": e.actor,
        "reason": e.reason,
        "details": e.details or {},
    }


def order_dict(o: Order, *, events: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": o.id,
        "partner": o.partner,
        "customer": o.customer_code,
        "site": o.site_code,
        "order_number": o.order_number,
        "status": o.status,
        "format": o.format,
        "order_date": o.order_date.isoformat() if o.order_date else None,
        "delivery_date": o.delivery_date.isoformat() if o.delivery_date else None,
        "currency": o.currency,
        "reason_code": o.reason_code,
        "reason": o.reason,
        "comment": o.comment,
        "buyer_reference": o.buyer_reference,
        "inbound_file_id": o.inbound_file_id,
        "created_at": o.created_at.isoformat(),
        "updated_at": o.updated_at.isoformat(),
        "due_at": o.due_at.isoformat() if o.due_at else None,
        "overdue": is_overdue(OrderStatus(o.status), o.due_at, datetime.now(UTC)),
        "lines": [line_dict(ln) for ln in o.lines],
    }
    if events:
        d["events"] = [event_dict(e) for e in o.events]
    return d


class UnknownStatus(NotFound):
    """No order status has that name."""


def list_orders(
    ws: Workspace,
    *,
    status: str | None = None,
    partner: str | None = None,
    customer: str | None = None,
    number: str | None = None,
    overdue: bool = False,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
    before: int | None = None,
    changed_since: datetime | None = None,
) -> list[dict[str, Any]]:
    """Orders, newest first. An unknown status or partner is an error naming the valid
    ones (an empty list would say "none" when the question was wrong).

    ``before``: only orders older than that id (the next page); ``changed_since``: only
    orders whose status or lines changed at or after that time."""
    if status and status not in {s.value for s in OrderStatus}:
        known = ", ".join(s.value for s in OrderStatus)
        raise UnknownStatus(f"unknown status {status!r} (statuses: {known})")
    if partner:
        ws.partner(partner)
    q = select(Order).options(selectinload(Order.lines)).order_by(Order.id.desc()).limit(limit)
    if status:
        q = q.where(Order.status == status)
    if partner:
        q = q.where(Order.partner == partner)
    if number:
        q = q.where(Order.order_number == number)
    if overdue:
        q = q.where(
            Order.due_at.is_not(None),
            Order.due_at < datetime.now(UTC),
            Order.status.in_([s.value for s in AWAITING_ANSWER]),
        )
    if customer:
        q = q.where(Order.customer_code == customer)
    if since:
        q = q.where(Order.created_at >= since)
    if until:
        q = q.where(Order.created_at < until)
    if before is not None:
        q = q.where(Order.id < before)
    if changed_since is not None:
        q = q.where(Order.updated_at >= changed_since)
    with ws.read_sessions() as s:
        return [order_dict(o) for o in s.scalars(q)]


def reply_dict(m: OutgoingMessage, sent: SentInterchange | None) -> dict[str, Any]:
    """A message sent about an order, and – for EDI – what the partner said of it."""
    return {
        "id": m.id,
        "kind": m.kind,
        "filename": m.filename,
        "created_at": m.created_at.isoformat(),
        "sent_at": m.sent_at.isoformat() if m.sent_at else None,
        "acknowledgment": sent.acknowledgment if sent else None,
        "acknowledgment_detail": sent.acknowledgment_detail if sent else None,
        "acknowledged_at": (
            sent.acknowledged_at.isoformat() if sent and sent.acknowledged_at else None
        ),
    }


def list_messages(
    ws: Workspace,
    *,
    partner: str | None = None,
    kind: str | None = None,
    audience: str | None = None,
    before: int | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """What was sent, newest first: each message with whom it went to and what the
    partner's acknowledgment said (its bytes are not loaded)."""
    if partner:
        ws.partner(partner)
    q = (
        select(OutgoingMessage, SentInterchange)
        .outerjoin(SentInterchange, SentInterchange.outgoing_message_id == OutgoingMessage.id)
        .options(defer(OutgoingMessage.content))
        .order_by(OutgoingMessage.id.desc())
        .limit(limit)
    )
    if partner:
        q = q.where(OutgoingMessage.partner == partner)
    if kind:
        q = q.where(OutgoingMessage.kind == kind)
    if audience:
        q = q.where(OutgoingMessage.audience == audience)
    if before is not None:
        q = q.where(OutgoingMessage.id < before)
    with ws.read_sessions() as s:
        return [
            reply_dict(m, sent)
            | {
                "partner": m.partner,
                "audience": m.audience,
                "order_id": m.order_id,
                "inbound_file_id": m.inbound_file_id,
                "uploaded_at": m.uploaded_at.isoformat() if m.uploaded_at else None,
            }
            for m, sent in s.execute(q)
        ]


def get_order(ws: Workspace, order_id: int) -> dict[str, Any] | None:
    """One order with its lines, status history and the replies sent about it."""
    with ws.read_sessions() as s:
        o = s.scalar(
            select(Order)
            .options(selectinload(Order.lines), selectinload(Order.events))
            .where(Order.id == order_id)
        )
        if o is None:
            return None
        d = order_dict(o, events=True)
        replies = select(OutgoingMessage, SentInterchange).outerjoin(
            SentInterchange, SentInterchange.outgoing_message_id == OutgoingMessage.id
        )
        rows = s.execute(
            replies.options(defer(OutgoingMessage.content))
            .where(OutgoingMessage.order_id == order_id)
            .order_by(OutgoingMessage.id)
        )
        d["replies"] = [reply_dict(m, sent) | {"audience": m.audience} for m, sent in rows]
        # The replies to the files it came from that speak of no order in particular (a
        # spreadsheet's acknowledgement, a CONTRL, a 997). "No order" is sifted here: in
        # SQL it sends SQLite through every such message of every file.
        sources = select(OrderSource.inbound_file_id).where(OrderSource.order_id == order_id)
        rows = s.execute(
            replies.options(defer(OutgoingMessage.content))
            .where(OutgoingMessage.inbound_file_id.in_(sources))
            .order_by(OutgoingMessage.id)
        )
        d["file_replies"] = [
            reply_dict(m, sent) | {"audience": m.audience} for m, sent in rows if m.order_id is None
        ]
        d["files"] = [
            {"id": f.id, "name": f.name, "role": role, "received_at": f.received_at.isoformat()}
            for f, role in s.execute(
                select(InboundFile, OrderSource.role)
                .join(OrderSource, OrderSource.inbound_file_id == InboundFile.id)
                .where(OrderSource.order_id == order_id)
                .order_by(InboundFile.id)
            )
        ]
        return d
