"""Read models for the CLI and reports: orders as plain dicts (the JSON contract).

An order has at least ``id, partner, customer, site, order_number, status, lines``; a
line at least ``line_no, sku, quantity, outcome, reason_code, message, matched_by``.
An order also says what its sender said of it (``comment``, ``buyer_reference``) and a
line what the sender can do about it (``hint``). One order shown alone adds ``events``
and ``replies`` (each with the partner's
``acknowledgment`` when it was an EDI message: accepted, rejected…).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from gateway.rules.quantity import json_number
from gateway.store.models import (
    Order,
    OrderEvent,
    OrderLine,
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
        "lines": [line_dict(ln) for ln in o.lines],
    }
    if events:
        d["events"] = [event_dict(e) for e in o.events]
    return d


def list_orders(
    ws: Workspace,
    *,
    status: str | None = None,
    partner: str | None = None,
    customer: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
) -> list[dict[str, Any]]:
    q = select(Order).options(selectinload(Order.lines)).order_by(Order.id.desc()).limit(limit)
    if status:
        q = q.where(Order.status == status)
    if partner:
        q = q.where(Order.partner == partner)
    if customer:
        q = q.where(Order.customer_code == customer)
    if since:
        q = q.where(Order.created_at >= since)
    if until:
        q = q.where(Order.created_at < until)
    with ws.read_sessions() as s:
        return [order_dict(o) for o in s.scalars(q)]


def reply_dict(m: OutgoingMessage, sent: SentInterchange | None) -> dict[str, Any]:
    """A message sent about an order, and – for EDI – what the partner said of it."""
    return {
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
        rows = s.execute(
            select(OutgoingMessage, SentInterchange)
            .outerjoin(SentInterchange, SentInterchange.outgoing_message_id == OutgoingMessage.id)
            .where(OutgoingMessage.order_id == order_id)
            .order_by(OutgoingMessage.id)
        )
        d["replies"] = [reply_dict(m, sent) for m, sent in rows]
        return d
