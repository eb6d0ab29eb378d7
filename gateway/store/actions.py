"""The history of actions that have no history of their own: who signed in, resent a
reply, imported a row from a form, added a user or a token.

A status change, a replay or a learned cross-reference keeps its own record (an order
event, a replay, ``created_by``); this table holds the rest, each with its actor
(``admin:NAME``, ``partner:ID``), written in the transaction of the action itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.models import ActionEvent


def record_action(
    session: Session,
    actor: str,
    action: str,
    subject: str | None = None,
    details: dict[str, Any] | None = None,
    *,
    now: datetime | None = None,
) -> ActionEvent:
    """Add one action to the history, inside ``session``'s transaction."""
    event = ActionEvent(
        at=now or datetime.now(UTC),
        actor=actor,
        action=action,
        subject=subject,
        details=details or {},
    )
    session.add(event)
    return event


def recent_actions(
    session: Session, *, limit: int = 100, before_id: int | None = None
) -> list[ActionEvent]:
    """The newest actions first; ``before_id`` pages back."""
    q = select(ActionEvent).order_by(ActionEvent.id.desc()).limit(limit)
    if before_id is not None:
        q = q.where(ActionEvent.id < before_id)
    return list(session.scalars(q))


__all__ = ["recent_actions", "record_action"]
