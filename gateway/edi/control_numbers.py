"""Control numbers of what we send: per partner and kind, persisted, never reused.

A number is taken inside the transaction that queues the message carrying it, so a
rolled-back file gives its numbers back and a committed one keeps them for good.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.models import ControlNumber


class ControlKind(StrEnum):
    """Which counter: each envelope level of each syntax counts on its own."""

    EDIFACT_INTERCHANGE = "edifact_interchange"  # UNB 0020
    EDIFACT_MESSAGE = "edifact_message"  # UNH 0062
    X12_INTERCHANGE = "x12_interchange"  # ISA13
    X12_GROUP = "x12_group"  # GS06
    X12_SET = "x12_set"  # ST02


def next_control(session: Session, partner_id: str, kind: ControlKind) -> int:
    """The next number of ``kind`` for ``partner_id``; committed with the message using it."""
    row = session.scalar(
        select(ControlNumber)
        .where(ControlNumber.partner == partner_id, ControlNumber.kind == kind.value)
        .with_for_update()
    )
    if row is None:
        row = ControlNumber(partner=partner_id, kind=kind.value, last=0)
        session.add(row)
    row.last += 1
    session.flush()
    return row.last


__all__ = ["ControlKind", "next_control"]
