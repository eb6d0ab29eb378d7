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
from gateway.rules.lifecycle import SHIPPING, OrderStatus, TransitionRefused, check_transition
from gateway.rules.quantity import json_number, plain
from gateway.rules.reasons import sentence
from gateway.store.models import Order, OrderEvent, OrderLine
from gateway.workspace import Workspace
from parsers.document import LineStatus
from parsers.gtin import GtinError, validate_sscc

log = logging.getLogger("gateway.orders.transitions")


class OrderNotFound(NotFound):
    """No such order."""

    def __init__(self, order_id: int | None, description: str | None = None) -> None:
        self.order_id = order_id
        super().__init__(description or f"no order #{order_id}")


class LineQuantityRefused(Refused):
    """A line quantity that cannot apply to this order."""

    def __init__(
        self, order_id: int, line_no: int | None, message: str, more: MoreThanAllowed | None = None
    ) -> None:
        self.order_id = order_id
        self.line_no = line_no
        self.more = more
        super().__init__(f"order #{order_id}: {message}")


@dataclass(frozen=True)
class MoreThanAllowed:
    """A quantity above the ordered one (confirming) or the confirmed one (shipping), in
    figures: the command line says it with its ``--allow-more`` flag, the console in its own
    words beside its checkbox."""

    line_no: int
    asked: Decimal
    #: ordered (confirming) or confirmed (shipping)
    limit: Decimal
    shipping: bool
    #: what is asked plus what was shipped before, when something was
    total: Decimal | None = None

    def __str__(self) -> str:
        """The command line's words, naming its ``--allow-more`` flag."""
        if not self.shipping:
            return (
                f"line {self.line_no}: {plain(self.asked)} asked, {plain(self.limit)} ordered; "
                "add --allow-more to confirm more than was ordered"
            )
        shipped = (
            f" ({plain(self.total)} with what was shipped before)" if self.total is not None else ""
        )
        return (
            f"line {self.line_no}: {plain(self.asked)} asked{shipped}, {plain(self.limit)} "
            "confirmed; add --allow-more to ship more than was confirmed"
        )


#: Which line quantity a transition sets: ``--line 2=5`` on validate confirms 5, on ship ships 5
LINE_QUANTITY = {
    OrderStatus.VALIDATED: "confirmed",
    OrderStatus.PARTIALLY_SHIPPED: "shipped",
    OrderStatus.SHIPPED: "shipped",
}


class PackageRefused(Refused):
    """A package of a shipment that cannot be: a wrong SSCC, a line it cannot hold."""

    def __init__(self, order_id: int, message: str) -> None:
        self.order_id = order_id
        super().__init__(f"order #{order_id}: {message}")


@dataclass(frozen=True)
class PackageSpec:
    """A package as the admin or the ERP feed names it: its SSCC and, per line, how much
    of the shipment it holds (none given: every line shipped)."""

    sscc: str
    lines: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass
class TransitionResult:
    order_id: int
    order_number: str | None
    partner: str
    from_status: str
    to_status: str
    event_id: int
    message_ids: list[int] = field(default_factory=list)


def _check_lines(
    order: Order, to: OrderStatus, lines: Mapping[int, Decimal], *, allow_more: bool
) -> None:
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
        if not allow_more:
            _check_not_more(order.id, ln, to, qty)


def _check_not_more(order_id: int, ln: OrderLine, to: OrderStatus, qty: Decimal) -> None:
    """More than was ordered (confirming) or confirmed (shipping) is a typing slip far more
    often than a decision: it is refused unless the admin says so (``allow_more``)."""
    more = None
    if to is OrderStatus.VALIDATED:
        if ln.quantity is not None and qty > ln.quantity:
            more = MoreThanAllowed(ln.line_no, qty, Decimal(ln.quantity), shipping=False)
    else:
        confirmed = ln.confirmed_quantity if ln.confirmed_quantity is not None else ln.quantity
        total = Decimal(ln.shipped_quantity or 0) + qty
        if confirmed is not None and total > confirmed:
            more = MoreThanAllowed(
                ln.line_no, qty, Decimal(confirmed), shipping=True,
                total=total if total != qty else None,
            )  # fmt: skip
    if more is not None:
        raise LineQuantityRefused(order_id, ln.line_no, str(more), more)


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


def _ship(
    order: Order,
    lines: Mapping[int, Decimal],
    packages: list[PackageSpec],
    *,
    final: bool,
    allow_more: bool,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """This shipment's quantity per line (the product's unit) and its packages.

    A line ships what is given for it (or what its packages hold); the last shipment
    also ships what remains of every other line, a partial one nothing more. What the
    packages hold is held to the same bounds as a ``--line`` quantity, and where both are
    given they must agree: a ship notice whose packages do not add up to its lines is one
    the customer's goods-in cannot reconcile.
    """
    in_packages: dict[int, Decimal] = {}
    for package in packages:
        for line_no, qty in package.lines.items():
            in_packages[line_no] = in_packages.get(line_no, Decimal(0)) + qty
    _check_packages(order, lines, in_packages, allow_more=allow_more)
    shipped: dict[str, Any] = {}
    now: dict[int, Decimal] = {}
    for ln in order.lines:
        if ln.outcome == LineStatus.REJECTED.value:
            continue
        before = Decimal(ln.shipped_quantity or 0)
        if ln.line_no in lines:
            qty = lines[ln.line_no]
        elif ln.line_no in in_packages:
            qty = in_packages[ln.line_no]
        elif final:
            base = ln.confirmed_quantity if ln.confirmed_quantity is not None else ln.quantity
            qty = max(Decimal(base or 0) - before, Decimal(0))
        else:
            continue
        ln.shipped_quantity = before + qty
        shipped[str(ln.line_no)] = json_number(qty)
        now[ln.line_no] = qty
    described = []
    for package in packages:
        try:
            sscc = validate_sscc(package.sscc)
        except GtinError as exc:
            raise PackageRefused(order.id, f"package {package.sscc!r}: {exc}") from None
        held = package.lines or {n: q for n, q in now.items() if q}
        unknown = sorted(n for n in held if n not in now)
        if unknown:
            raise PackageRefused(
                order.id,
                f"package {sscc} holds line {unknown[0]}, which this shipment does not ship",
            )
        described.append({"sscc": sscc, "lines": {str(n): json_number(q) for n, q in held.items()}})
    return shipped, described


def _check_packages(
    order: Order,
    lines: Mapping[int, Decimal],
    in_packages: Mapping[int, Decimal],
    *,
    allow_more: bool,
) -> None:
    by_no = {ln.line_no: ln for ln in order.lines}
    for line_no, held in sorted(in_packages.items()):
        ln = by_no.get(line_no)
        if ln is None or ln.outcome == LineStatus.REJECTED.value:
            continue  # named by the package check below, with the package's SSCC
        if held < 0:
            raise PackageRefused(order.id, f"line {line_no}: its packages hold {plain(held)}")
        if line_no in lines:
            if lines[line_no] != held:
                raise PackageRefused(
                    order.id,
                    f"line {line_no} ships {plain(lines[line_no])} but its packages hold "
                    f"{plain(held)}",
                )
        elif not allow_more:
            _check_not_more(order.id, ln, OrderStatus.SHIPPED, held)


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
    packages: list[PackageSpec] | None = None,
    tell_partner: bool = False,
    allow_more: bool = False,
) -> TransitionResult:
    """Move one order to ``to`` inside ``box``'s transaction (the caller commits), queueing
    the partner's status report on it.

    ``reason`` is kept in the history for the supplier's people; it reaches the partner
    (``partner_reason`` of the status report) only with ``tell_partner``. A line quantity
    above the ordered one (validating) or the confirmed one (shipping) is refused unless
    ``allow_more``.

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
        _check_lines(order, target, lines, allow_more=allow_more)

    info: dict[str, Any] = dict(details or {})
    if target is OrderStatus.VALIDATED and lines:
        language = box.ws.partner(order.partner).language
        info["confirmed"] = _confirm(order, lines, language)
    if target in SHIPPING:
        final = target is OrderStatus.SHIPPED
        info["shipped"], described = _ship(
            order, lines or {}, packages or [], final=final, allow_more=allow_more
        )
        info["shipment"] = {"packages": described, "final": final}
    elif packages:
        raise PackageRefused(order.id, "packages are given when shipping")
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
    if "shipment" in info:
        # Our despatch advice number: the order and this event, unique and stable
        event.details = info | {"shipment": info["shipment"] | {"number": f"{order.id}-{event.id}"}}
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
    #: order id → the quantity above what was ordered or confirmed that refused it
    more: dict[int, MoreThanAllowed] = field(default_factory=dict)
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
    packages: list[PackageSpec] | None = None,
    tell_partner: bool = False,
    allow_more: bool = False,
) -> MoveReport:
    """Move each order in its own transaction, whose status reports are written after it
    (``tell_partner``, ``allow_more``: see :func:`apply_transition`)."""
    report = MoveReport()
    for oid in order_ids:
        try:
            with outbox_transaction(ws, now or datetime.now(UTC)) as box:
                result = apply_transition(
                    box, oid, to, actor=actor, reason=reason, lines=lines, packages=packages,
                    tell_partner=tell_partner, allow_more=allow_more,
                )  # fmt: skip
        except (TransitionRefused, OrderNotFound, LineQuantityRefused, PackageRefused) as exc:
            report.refused[oid] = str(exc)
            if isinstance(exc, LineQuantityRefused) and exc.more is not None:
                report.more[oid] = exc.more
            log.warning("order not moved id=%d to=%s actor=%s: %s", oid, to, actor, exc)
            continue
        report.moved.append(result)
        report.written += box.written
    return report


__all__ = [
    "LINE_QUANTITY",
    "LineQuantityRefused",
    "MoreThanAllowed",
    "MoveReport",
    "OrderNotFound",
    "PackageRefused",
    "PackageSpec",
    "TransitionRefused",
    "TransitionResult",
    "apply_transition",
    "load_order_for_update",
    "move_orders",
]
