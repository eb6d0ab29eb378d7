"""Order statuses and the transitions allowed between them. Plain rules, no I/O.

``received → pending_validation → validated → in_preparation → shipped → delivered``,
with ``rejected`` (nothing usable) and ``cancelled`` as ends.  An order shipped in
parts is ``partially_shipped`` between its first shipment and its last.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from gateway.errors import Refused


class OrderStatus(StrEnum):
    RECEIVED = "received"
    PENDING_VALIDATION = "pending_validation"
    VALIDATED = "validated"
    IN_PREPARATION = "in_preparation"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


S = OrderStatus
ALLOWED: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.RECEIVED: frozenset({S.PENDING_VALIDATION, S.VALIDATED, S.REJECTED, S.CANCELLED}),
    S.PENDING_VALIDATION: frozenset({S.VALIDATED, S.REJECTED, S.CANCELLED}),
    S.VALIDATED: frozenset({S.IN_PREPARATION, S.CANCELLED}),
    S.IN_PREPARATION: frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED}),
    # Another part shipped, or the last one
    S.PARTIALLY_SHIPPED: frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.REJECTED: frozenset(),
    S.CANCELLED: frozenset(),
}
#: Statuses in which an order still holds its customer + order number
LIVE = frozenset(s for s in S if s not in (S.REJECTED, S.CANCELLED))
OPEN = frozenset(
    {
        S.RECEIVED,
        S.PENDING_VALIDATION,
        S.VALIDATED,
        S.IN_PREPARATION,
        S.PARTIALLY_SHIPPED,
        S.SHIPPED,
    }
)
#: Statuses in which the buyer may still change the order (ORDCHG / 860 / a replacing order)
CHANGEABLE = frozenset({S.RECEIVED, S.PENDING_VALIDATION, S.VALIDATED, S.IN_PREPARATION})
#: Statuses reached by shipping something
SHIPPING = frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED})
#: Statuses in which the supplier owes the customer an answer (validate or reject)
AWAITING_ANSWER = frozenset({S.RECEIVED, S.PENDING_VALIDATION})
#: Statuses in which an order may still be revised by the customer or a replay
REVISABLE = frozenset({S.RECEIVED.value, S.PENDING_VALIDATION.value})


def is_overdue(status: OrderStatus, due_at: datetime | None, now: datetime) -> bool:
    """Whether the supplier's answer is late: still awaited after its deadline.

    >>> from datetime import UTC
    >>> due, now = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    >>> is_overdue(S.PENDING_VALIDATION, due, now), is_overdue(S.VALIDATED, due, now)
    (True, False)
    """
    if due_at is None or status not in AWAITING_ANSWER:
        return False
    if due_at.tzinfo is None:  # SQLite hands back naive UTC
        due_at = due_at.replace(tzinfo=now.tzinfo)
    return due_at < now


class TransitionRefused(Refused):
    """The lifecycle does not allow this change of status."""

    def __init__(self, order_id: int | None, current: OrderStatus, wanted: OrderStatus) -> None:
        self.order_id = order_id
        self.current = current
        self.wanted = wanted
        allowed = ", ".join(sorted(ALLOWED[current])) or "none (final status)"
        who = f"order #{order_id}" if order_id is not None else "the order"
        super().__init__(
            f"{who} is {current.value}: it cannot become {wanted.value} "
            f"(allowed from {current.value}: {allowed})"
        )


def check_transition(order_id: int | None, current: str, wanted: str) -> None:
    cur, want = OrderStatus(current), OrderStatus(wanted)
    if want not in ALLOWED[cur]:
        raise TransitionRefused(order_id, cur, want)


class ActorKind(StrEnum):
    """Who moved an order; an event's ``actor`` is ``kind`` or ``kind:name``."""

    PARTNER = "partner"
    ADMIN = "admin"
    ERP = "erp"
    SYSTEM = "system"


def actor(kind: ActorKind, name: str | None = None) -> str:
    return f"{kind.value}:{name}" if name else kind.value


#: The supplier's verbs (``order-gateway orders validate …``) and the status each aims at
VERBS: dict[str, OrderStatus] = {
    "validate": S.VALIDATED,
    "reject": S.REJECTED,
    "cancel": S.CANCELLED,
    "prepare": S.IN_PREPARATION,
    "ship": S.SHIPPED,
    "deliver": S.DELIVERED,
}


class ChangeRefused(Refused):
    """The buyer's change comes too late: the order is no longer in a changeable status."""

    def __init__(self, order_id: int | None, current: OrderStatus) -> None:
        self.order_id = order_id
        self.current = current
        super().__init__(
            f"order #{order_id} is {current.value}: a change is taken while it is "
            f"{', '.join(sorted(s.value for s in CHANGEABLE))}"
        )


def check_change(order_id: int | None, current: str) -> None:
    """Refuse a buyer's change to an order that shipped (or ended)."""
    status = OrderStatus(current)
    if status not in CHANGEABLE:
        raise ChangeRefused(order_id, status)


__all__ = [
    "ALLOWED",
    "AWAITING_ANSWER",
    "CHANGEABLE",
    "LIVE",
    "OPEN",
    "REVISABLE",
    "SHIPPING",
    "VERBS",
    "ActorKind",
    "ChangeRefused",
    "OrderStatus",
    "TransitionRefused",
    "actor",
    "check_change",
    "check_transition",
    "is_overdue",
]
