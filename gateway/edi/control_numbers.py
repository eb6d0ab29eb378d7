"""Control numbers of what we send: per partner and kind, persisted, never reused.

A number is taken inside the transaction that queues the message carrying it, so a
rolled-back file gives its numbers back and a committed one keeps them for good.
"""

from __future__ import annotations

import weakref
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, SessionTransaction

from gateway.store.models import ControlNumber


class ControlKind(StrEnum):
    """Which counter: each envelope level of each syntax counts on its own."""

    EDIFACT_INTERCHANGE = "edifact_interchange"  # UNB 0020
    EDIFACT_MESSAGE = "edifact_message"  # UNH 0062
    X12_INTERCHANGE = "x12_interchange"  # ISA13
    X12_GROUP = "x12_group"  # GS06
    X12_SET = "x12_set"  # ST02


#: Counter rows already locked by a transaction: (partner, kind) → row
_Locked = dict[tuple[str, str], ControlNumber]
_locked: weakref.WeakKeyDictionary[SessionTransaction, _Locked] = weakref.WeakKeyDictionary()


def next_control(session: Session, partner_id: str, kind: ControlKind) -> int:
    """The next number of ``kind`` for ``partner_id``; committed with the message using it.

    The counter's row is read (and locked) once per transaction; later numbers in the
    same transaction count on in memory — a file of 5,000 interchanges takes 20,000
    numbers, and a query plus a flush for each was most of its cost.
    """
    held = _locked.setdefault(session.get_transaction() or session.begin(), {})
    row = held.get((partner_id, kind.value))
    if row is None:
        row = session.scalar(
            select(ControlNumber)
            .where(ControlNumber.partner == partner_id, ControlNumber.kind == kind.value)
            .with_for_update()
        )
        if row is None:
            row = ControlNumber(partner=partner_id, kind=kind.value, last=0)
            session.add(row)
            session.flush()  # the new row is the lock a second worker waits on
        held[(partner_id, kind.value)] = row
    row.last += 1
    return row.last


__all__ = ["ControlKind", "next_control"]
