"""The ledger: the one place that asks "have we seen these bytes, this interchange?"

* **Files.** Every file that arrives is recorded (partner, name, sha256). The same
  partner's same bytes again are the same file: not processed twice.
* **Interchanges.** Every EDI interchange taken is recorded by sender and control
  reference (UNB 0020 / ISA13): the same interchange in other bytes is a duplicate.
* **ERP feed files.** The same bytes are never applied twice.
* **The buyer's changes.** A change to an order, by its own reference (or content),
  is applied once, in whatever interchange it comes again.

Each record is written in the transaction of the work it stands for, under a unique
constraint, so of two workers only one records a file or an interchange; the other,
retried, finds it here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.models import AppliedChange, FeedFile, InboundFile, ReceivedInterchange


class AlreadyKnown(Exception):
    """These bytes were already recorded from this partner (``known`` is that record)."""

    def __init__(self, known: InboundFile) -> None:
        super().__init__(f"already recorded as inbound file #{known.id}")
        self.known = known


def known_file(session: Session, partner_id: str, sha256: str) -> InboundFile | None:
    """The inbound file already recorded with these bytes from this partner, if any."""
    return session.scalar(
        select(InboundFile).where(InboundFile.partner == partner_id, InboundFile.sha256 == sha256)
    )


def record_file(session: Session, inbound: InboundFile) -> None:
    """Add the inbound-file record, or raise :class:`AlreadyKnown` with the existing one.

    Looked up inside the file's own write transaction (SQLite: BEGIN IMMEDIATE;
    PostgreSQL: the unique constraint), so of two workers only one records the file.
    """
    known = known_file(session, inbound.partner, inbound.sha256)
    if known is not None:
        session.expunge(known)  # keep its loaded state through the rollback that follows
        raise AlreadyKnown(known)
    session.add(inbound)
    session.flush()


def earlier_interchange(
    session: Session, partner_id: str, fmt: str, sender: str, control_ref: str
) -> InboundFile | None:
    """The file an interchange with this sender and control reference came in, if any."""
    return session.scalar(
        select(InboundFile)
        .join(ReceivedInterchange, ReceivedInterchange.inbound_file_id == InboundFile.id)
        .where(
            ReceivedInterchange.partner == partner_id,
            ReceivedInterchange.format == fmt,
            ReceivedInterchange.sender == sender,
            ReceivedInterchange.control_ref == control_ref,
        )
    )


def record_interchange(
    session: Session,
    inbound: InboundFile,
    fmt: str,
    sender: str,
    control_ref: str,
    now: datetime,
) -> None:
    """Record an interchange taken from ``inbound`` (flushed: a second copy later in the
    same file is then found)."""
    session.add(
        ReceivedInterchange(
            partner=inbound.partner,
            format=fmt,
            sender=sender,
            control_ref=control_ref,
            inbound_file_id=inbound.id,
            received_at=now,
        )
    )
    session.flush()


def known_feed_file(session: Session, sha256: str) -> FeedFile | None:
    """The ERP feed file already applied with these bytes, if any."""
    return session.scalar(select(FeedFile).where(FeedFile.sha256 == sha256))


__all__ = [
    "AlreadyKnown",
    "earlier_interchange",
    "known_feed_file",
    "known_file",
    "record_file",
    "record_interchange",
]


def known_change(
    session: Session, partner_id: str, order_id: int, key: str
) -> AppliedChange | None:
    """The record of this change to this order, when it was applied before."""
    return session.scalar(
        select(AppliedChange).where(
            AppliedChange.partner == partner_id,
            AppliedChange.order_id == order_id,
            AppliedChange.change_key == key,
        )
    )


def record_change(
    session: Session,
    partner_id: str,
    order_id: int,
    key: str,
    inbound_file_id: int | None,
    now: datetime,
) -> None:
    """Record a change applied, in the transaction that applies it."""
    session.add(
        AppliedChange(
            partner=partner_id,
            order_id=order_id,
            change_key=key,
            inbound_file_id=inbound_file_id,
            applied_at=now,
        )
    )
    session.flush()
