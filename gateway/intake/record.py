"""Store evaluated orders: the order, its lines with outcomes, its first status events.

Called inside the file's one transaction (see ``gateway.intake.pipeline``); it never commits.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from gateway.config.settings import PartnerConfig
from gateway.intake.evaluate import EvaluatedOrder
from gateway.intake.replacement import LineChanges, line_changes, not_replaced_note, replaceable
from gateway.replies.responses import StoredOrder
from gateway.rules.check import MAX_AMOUNT
from gateway.rules.lifecycle import LIVE, ActorKind, OrderStatus, check_transition
from gateway.rules.lifecycle import actor as make_actor
from gateway.rules.reasons import ReasonCode, reason_message, sentence
from gateway.store.bulk import bulk_insert
from gateway.store.models import Order, OrderEvent, OrderLine, table_of
from parsers.document import LineStatus, Party


def find_live_order(session: Session, customer_code: str, order_number: str) -> Order | None:
    return session.scalar(
        select(Order).where(
            Order.customer_code == customer_code,
            Order.order_number == order_number,
            Order.status.in_([s.value for s in LIVE]),
        )
    )


def _mark_duplicate(ev: EvaluatedOrder, other: Order, language: str, note: str = "") -> None:
    text = (
        reason_message(
            ReasonCode.DUPLICATE_ORDER,
            language,
            value=ev.doc.order_number,
            customer=other.customer_code,
            other=other.id,
        )
        + note
    )
    ev.reason, ev.message = ReasonCode.DUPLICATE_ORDER, text
    for r in ev.lines:
        r.outcome, r.reason, r.message = LineStatus.REJECTED, ReasonCode.DUPLICATE_ORDER, text
        r.confirmed, r.hint = None, None


def store_order(
    session: Session,
    ev: EvaluatedOrder,
    *,
    partner_id: str,
    partner: PartnerConfig,
    inbound_file_id: int | None,
    now: datetime,
    actor: str | None = None,
) -> StoredOrder:
    doc, who = ev.doc, ev.who
    customer_code = who.customer.code if who.customer else None
    replaced: LineChanges | None = None
    if ev.reason is None and customer_code and doc.order_number:
        other = find_live_order(session, customer_code, doc.order_number)
        if other is not None and replaceable(other, ev, partner_id, partner):
            replaced = line_changes(other, ev.lines)
            _cancel_replaced(session, other, now)
        elif other is not None:
            _mark_duplicate(
                ev, other, partner.language, not_replaced_note(other, partner_id, partner)
            )

    if ev.usable:
        final = OrderStatus.VALIDATED if partner.auto_validate else OrderStatus.PENDING_VALIDATION
    else:
        final = OrderStatus.REJECTED
    env = doc.envelope
    order = Order(
        partner=partner_id,
        inbound_file_id=inbound_file_id,
        customer_id=who.customer.id if who.customer else None,
        site_id=who.site.id if who.site else None,
        customer_code=customer_code,
        site_code=who.site.code if who.site else None,
        order_number=doc.order_number,
        status=final.value,
        format=doc.format.value,
        order_date=doc.order_date,
        delivery_date=doc.delivery_date,
        currency=doc.currency,
        reason_code=ev.reason.value if ev.reason else None,
        reason=ev.message or (replaced.summary(partner.language) if replaced else None),
        comment="\n".join(doc.notes) or None,
        buyer_reference=(doc.references.get("buyer_reference") or "")[:64] or None,
        envelope={k: getattr(env, k) for k in env.__slots__ if getattr(env, k) is not None}
        | {"parties": [_party(p) for p in doc.parties]},
        created_at=now,
        updated_at=now,
    )
    session.add(order)
    session.flush()

    # 21 keys, no more: a 22nd doubles each row dict's table (100 MB for 100,000 lines),
    # so the order id, the same on every row, is added at the insert.
    rows = [
        {
            "line_no": r.line.line_no,
            "source_line": r.line.location.line,
            "external_id": r.line.external_id,
            "barcode": r.line.barcode,
            "supplier_ref": r.line.supplier_ref,
            "customer_ref": r.line.customer_ref,
            "description": r.line.name or r.product_name,
            "product_id": r.product_id,
            "sku": r.sku,
            "ordered_quantity": _storable(r.line.quantity),
            "ordered_unit": r.line.unit or r.unit,
            "quantity": r.quantity,
            "confirmed_quantity": r.confirmed if r.outcome is not LineStatus.REJECTED else None,
            "unit_price": _storable(r.line.unit_price),
            # str(member), not member.value: enum's value property is slow in a 100k loop
            "outcome": str(r.outcome),
            "reason_code": str(r.reason) if r.reason else None,
            "message": r.message,
            "hint": r.hint,
            "matched_by": str(r.matched_by) if r.matched_by else None,
            "confidence": r.confidence,
            "suggestions": r.suggestions,
        }
        for r in ev.lines
    ]
    if replaced is not None:
        replaced.annotate(rows, partner.language)
    if rows:
        # The driver's bulk path, not ORM objects nor SQLAlchemy's per-row parameter
        # processing: a 100,000-line order is stored in well under a second.
        cols = list(rows[0])
        at = cols.index("suggestions")
        tuples = []
        for r in rows:
            values = [r[c] for c in cols]
            found = values[at]
            values[at] = json.dumps(found, ensure_ascii=False) if found else "[]"
            tuples.append((order.id, *values))
        bulk_insert(session.connection(), table_of(OrderLine), ["order_id", *cols], tuples)

    who_acted = actor or actor_of_partner(partner_id)
    events = [
        {
            "order_id": order.id,
            "at": now,
            "from_status": None,
            "to_status": OrderStatus.RECEIVED.value,
            "actor": who_acted,
            "reason": None,
            "details": {"inbound_file_id": inbound_file_id},
        },
        {
            "order_id": order.id,
            "at": now,
            "from_status": OrderStatus.RECEIVED.value,
            "to_status": final.value,
            "actor": ActorKind.SYSTEM.value,
            "reason": ev.message or _summary(ev),
            "details": {"accepted": ev.accepted, "rejected": ev.rejected},
        },
    ]
    if replaced is not None:
        _record_replacement(events, replaced, order, who_acted, now)
    session.execute(insert(table_of(OrderEvent)), events)
    return StoredOrder(order, rows, who.customer, who.site)


def _cancel_replaced(session: Session, other: Order, now: datetime) -> None:
    """Cancel the order being replaced first: the live order number is unique."""
    check_transition(other.id, other.status, OrderStatus.CANCELLED.value)
    other.status = OrderStatus.CANCELLED.value
    other.updated_at = now
    session.flush()


def _record_replacement(
    events: list[dict[str, Any]], changes: LineChanges, order: Order, actor: str, now: datetime
) -> None:
    first = events[0]
    first["reason"] = f"replaces #{changes.replaced_id}"
    first["details"] = first["details"] | {
        "replaces": changes.replaced_id,
        "changes": changes.as_list(),
    }
    events.append({
        "order_id": changes.replaced_id, "at": now,
        "from_status": OrderStatus.PENDING_VALIDATION.value,
        "to_status": OrderStatus.CANCELLED.value, "actor": actor,
        "reason": f"replaced by #{order.id}", "details": {"replaced_by": order.id},
    })  # fmt: skip


def _storable(value: Decimal | None) -> Decimal | None:
    """A number the store's NUMERIC(18, 4) holds; an absurd one is left out (its line is
    rejected, and the message quotes it)."""
    return value if value is None or abs(value) < MAX_AMOUNT else None


def _summary(ev: EvaluatedOrder) -> str:
    # The event's reason, read by the supplier's people: in English, like the log.
    return sentence("lines_summary", "en", accepted=ev.accepted, rejected=ev.rejected)


def actor_of_partner(partner_id: str) -> str:
    return make_actor(ActorKind.PARTNER, partner_id)


def _party(p: Party) -> dict[str, str | None]:
    return {"role": p.role.value, "id": p.id, "qualifier": p.qualifier, "name": p.name}
