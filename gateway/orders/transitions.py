"""Moving an order from one status to the next: the check, the event, the status report.

:func:`apply_transition` is the one way an order changes status after intake, whoever
asks (an admin's command, the ERP status feed). Inside the caller's transaction it
locks the order, refuses what :mod:`gateway.rules.lifecycle` forbids, applies line
quantities (confirmed on validation, shipped on shipment), writes the event with its
actor, reason and quantities, and queues the partner's status report — so the report
exists exactly when the change was committed.

:func:`move_orders` runs one transaction per order (one refusal does not hold back the
others) and writes the queued reports afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gateway.errors import NotFound, Refused
from gateway.replies.outbox import Outbox, outbox_transaction
from gateway.replies.status_reports import queue_status_report
from gateway.rules.lifecycle import OrderStatus, TransitionRefused, check_transition
from gateway.rules.quantity import json_number, plain
from gateway.rules.reasons import sentence
from gateway.store.models import Order, OrderEvent
from gateway.workspace import Workspace
from parsers.document import LineStatus

log = logging.getLogger("gateway.orders.transitions")


class OrderNotFound(NotFound):
    """No such order."""

    def __init__(self, order_id: int | None, description: str | None = None) -> None:
        self.order_id = order_id
        super().__init__(description or f"no order #{order_id}")


class LineQuantityRefused(Refused):
    """A line quantity that cannot apply to this order."""

    def __init__(self, order_id: int, line_no: int | None, message: str) -> None:
        self.order_id = order_id
        self.line_no = line_no
        super().__init__(f"order #{order_id}: {message}")


#: Which line quantity a transition sets: ``--line 2=5`` on validate confirms 5, on ship ships 5
LINE_QUANTITY = {OrderStatus.VALIDATED: "confirmed", OrderStatus.SHIPPED: "shipped"}


@dataclass
class TransitionResult:
    order_id: int
    order_number: str | None
    partner: str
    from_status: str
    to_status: str
    event_id: int
    message_ids: list[int] = field(default_factory=list)


def _check_lines(order: Order, to: OrderStatus, lines: Mapping[int, Decimal]) -> None:
    if to not in LINE_QUANTITY:
        raise LineQuantityRefused(
            order.id,
            None,
            f"line quantities apply when validating (confirmed) or shipping (shipped), "
            f"not when the order becomes {to.value}",
        )
    by_no = {ln.line_no: ln for ln in order.lines}
    for line_no, qty in lines.items():
        ln = by_no.get(line_no)
        if ln is None:
            known = ", ".join(str(n) for n in sorted(by_no)) or "none"
            raise LineQuantityRefused(
                order.id, line_no, f"it has no line {line_no} (lines: {known})"
            )
        if ln.outcome == LineStatus.REJECTED.value:
            raise LineQuantityRefused(
                order.id,
                line_no,
                f"line {line_no} was rejected at intake ({ln.reason_code}); it has no quantity to "
                f"{'confirm' if to is OrderStatus.VALIDATED else 'ship'}",
            )
        if qty < 0:
            raise LineQuantityRefused(
                order.id, line_no, f"line {line_no}: quantity {qty} is negative"
            )


def _confirm(order: Order, lines: Mapping[int, Decimal], language: str) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for ln in order.lines:
        if ln.line_no not in lines:
            continue
        qty = lines[ln.line_no]
        before = ln.confirmed_quantity if ln.confirmed_quantity is not None else ln.quantity
        ln.confirmed_quantity = qty
        if before is None or Decimal(before) != qty:
            ln.outcome = LineStatus.ADJUSTED.value
            ln.message = sentence(
                "confirmed_changed", language, before=plain(before or 0), after=plain(qty)
            )
        changed[str(ln.line_no)] = json_number(qty)
    return changed


def _ship(order: Order, lines: Mapping[int, Decimal]) -> dict[str, Any]:
    """Shipped quantity per line: as given, else what was confirmed."""
    shipped: dict[str, Any] = {}
    for ln in order.lines:
        if ln.outcome == LineStatus.REJECTED.value:
            continue
        if ln.line_no in lines:
            qty = lines[ln.line_no]
        else:
            base = ln.confirmed_quantity if ln.confirmed_quantity is not None else ln.quantity
            qty = Decimal(base) if base is not None else Decimal(0)
        ln.shipped_quantity = qty
        shipped[str(ln.line_no)] = json_number(qty)
    return shipped


def load_order_for_update(session: Session, order_id: int) -> Order:
    order = session.scalar(
        select(Order)
        .options(selectinload(Order.lines))
        .where(Order.id == order_id)
        .with_for_update()
    )
    if order is None:
        raise OrderNotFound(order_id)
    return order


def apply_transition(
    box: Outbox,
    order: Order | int,
    to: OrderStatus | str,
    *,
    actor: str,
    reason: str | None = None,
    lines: Mapping[int, Decimal] | None = None,
    details: Mapping[str, Any] | None = None,
    tell_partner: bool = False,
) -> TransitionResult:
    """Move one order to ``to`` inside ``box``'s transaction (the caller commits), queueing
    the partner's status report on it.

    ``reason`` is kept in the history for the supplier's people; it reaches the partner
    (``partner_reason`` of the status report) only with ``tell_partner``.

    Raises :class:`TransitionRefused` (forbidden by the lifecycle), :class:`OrderNotFound`
    or :class:`LineQuantityRefused` before changing anything.
    """
    session, now = box.session, box.now
    target = OrderStatus(to)
    if isinstance(order, int):
        order = load_order_for_update(session, order)
    current = order.status
    check_transition(order.id, current, target.value)
    if lines:
        _check_lines(order, target, lines)

    info: dict[str, Any] = dict(details or {})
    if target is OrderStatus.VALIDATED and lines:
        language = box.ws.partner(order.partner).language
        info["confirmed"] = _confirm(order, lines, language)
    if target is OrderStatus.SHIPPED:
        info["shipped"] = _ship(order, lines or {})
    order.status = target.value
    order.updated_at = now
    if target in (OrderStatus.REJECTED, OrderStatus.CANCELLED) and reason:
        order.reason = reason
    event = OrderEvent(
        order_id=order.id,
        at=now,
        from_status=current,
        to_status=target.value,
        actor=actor,
        reason=reason,
        details=info,
    )
    session.add(event)
    session.flush()
    told = reason if tell_partner else None
    messages = queue_status_report(box, order, event_id=event.id, partner_reason=told)
    session.flush()
    log.info(
        "order moved id=%d partner=%s %s→%s actor=%s%s",
        order.id,
        order.partner,
        current,
        target.value,
        actor,
        f" reason={reason!r}" if reason else "",
    )
    return TransitionResult(
        order.id,
        order.order_number,
        order.partner,
        current,
        target.value,
        event.id,
        [m.id for m in messages],
    )


@dataclass
class MoveReport:
    moved: list[TransitionResult] = field(default_factory=list)
    #: order id → why it was not moved
    refused: dict[int, str] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)


def move_orders(
    ws: Workspace,
    order_ids: Iterable[int],
    to: OrderStatus | str,
    *,
    actor: str,
    reason: str | None = None,
    lines: Mapping[int, Decimal] | None = None,
    now: datetime | None = None,
    tell_partner: bool = False,
) -> MoveReport:
    """Move each order in its own transaction, whose status reports are written after it
    (``tell_partner``: the reason goes to the partner too, see :func:`apply_transition`)."""
    report = MoveReport()
    for oid in order_ids:
        try:
            with outbox_transaction(ws, now or datetime.now(UTC)) as box:
                result = apply_transition(
                    box, oid, to, actor=actor, reason=reason, lines=lines, tell_partner=tell_partner
                )
        except (TransitionRefused, OrderNotFound, LineQuantityRefused) as exc:
            report.refused[oid] = str(exc)
            log.warning("order not moved id=%d to=%s actor=%s: %s", oid, to, actor, exc)
            continue
        report.moved.append(result)
        report.written += box.written
    return report


__all__ = [
    "LINE_QUANTITY",
    "LineQuantityRefused",
    "MoveReport",
    "OrderNotFound",
    "TransitionRefused",
    "TransitionResult",
    "apply_transition",
    "load_order_for_update",
    "move_orders",
]
