"""Reply deadlines: an order neither validated nor rejected by its partner's
``response_deadline`` is overdue — listed (``orders list --overdue``, ``status``) and
logged once, as a warning, when it becomes so."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from gateway.rules.lifecycle import AWAITING_ANSWER
from gateway.store.models import Order
from gateway.workspace import Workspace

log = logging.getLogger("gateway.orders.deadlines")


def _awaiting(now: datetime):  # noqa: ANN202 — a SQL condition
    return (
        Order.due_at.is_not(None),
        Order.due_at < now,
        Order.status.in_([s.value for s in AWAITING_ANSWER]),
    )


def overdue_counts(ws: Workspace, now: datetime | None = None) -> dict[str, int]:
    """Overdue orders per partner."""
    now = now or datetime.now(UTC)
    with ws.read_sessions() as s:
        # Counted here, not by GROUP BY: grouped, SQLite walks the whole partner index
        # instead of the few awaiting orders' (status, due_at, partner) index entries.
        return dict(Counter(s.scalars(select(Order.partner).where(*_awaiting(now)))))


def log_newly_overdue(ws: Workspace, now: datetime | None = None) -> list[int]:
    """Warn once for each order that became overdue; the ids warned about."""
    now = now or datetime.now(UTC)
    with ws.sessions.begin() as s:
        orders = list(
            s.scalars(
                select(Order)
                .where(*_awaiting(now), Order.overdue_logged_at.is_(None))
                .order_by(Order.id)
                .with_for_update(skip_locked=True)
            )
        )
        for o in orders:
            o.overdue_logged_at = now
            log.warning(
                "order overdue partner=%s order=%d number=%s customer=%s due=%s status=%s",
                o.partner,
                o.id,
                o.order_number or "-",
                o.customer_code or "-",
                o.due_at.isoformat() if o.due_at else "-",
                o.status,
                extra={"partner": o.partner, "order": str(o.id)},
            )
        return [o.id for o in orders]


__all__ = ["log_newly_overdue", "overdue_counts"]
