"""Every EDI interchange is taken once: the same sender and control reference again is refused.

The file ledger (same partner, same sha256) stops the same bytes arriving twice.  This
stops the same *interchange* arriving in other bytes – re-enveloped by a network,
another line ending, a translator re-sending from its archive.  The duplicate's orders
are not stored, so none of them is answered as if it were new (an 855 or ORDRSP
refusing a "duplicate order" would tell the buyer's ERP that its original order was
rejected).  Its interchange acknowledgment says why: a TA1 ``R`` with note ``025``, or a
CONTRL rejecting the interchange (UCI action 4) with error 26, "duplicate detected".

Recorded in the file's own write transaction, under a unique constraint, so of two
workers taking the same interchange at once, one records it and the other, retried,
finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.formats import ReadOutcome
from gateway.store.models import InboundFile, ReceivedInterchange
from parsers import edifact, x12
from parsers.document import Location, OrderDocument


def _sender(qualifier: str | None, ident: str | None) -> str:
    ident = (ident or "").strip()
    return f"{qualifier.strip()}:{ident}" if qualifier and qualifier.strip() else ident


@dataclass
class Duplicates:
    """What :func:`record_interchanges` found already received."""

    #: Why, one line per duplicate interchange
    reasons: list[str] = field(default_factory=list)
    #: ``id()`` of every order document read from a duplicate: not stored, not answered
    documents: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.reasons)


def _documents(ic: edifact.InterchangeReport | x12.InterchangeReport) -> list[OrderDocument]:
    if isinstance(ic, x12.InterchangeReport):
        reports = [s.document for g in ic.groups for s in g.sets]
    else:
        reports = [m.document for m in ic.messages]
    return [d for d in reports if d is not None]


def record_interchanges(
    session: Session, read: ReadOutcome, inbound: InboundFile, now: datetime
) -> Duplicates:
    """Record the file's interchanges, and say which were received before.

    A duplicate's report gets the error its acknowledgment will carry.  A second copy
    within the same file is a duplicate too; the first copy is taken.
    """
    duplicates = Duplicates()
    result = read.result
    if not isinstance(result, edifact.EdifactReadResult | x12.X12ReadResult):
        return duplicates
    for ic in result.interchanges:
        if isinstance(ic, x12.InterchangeReport):
            sender, ref = _sender(ic.sender_qualifier, ic.sender_id), ic.control_number.strip()
        else:
            sender, ref = _sender(ic.sender_qualifier, ic.sender_id), (ic.control_ref or "").strip()
        if not ref or not sender:
            continue  # already refused for it; nothing to tell apart
        earlier = session.scalar(
            select(InboundFile)
            .join(ReceivedInterchange, ReceivedInterchange.inbound_file_id == InboundFile.id)
            .where(
                ReceivedInterchange.partner == inbound.partner,
                ReceivedInterchange.format == read.format.value,
                ReceivedInterchange.sender == sender,
                ReceivedInterchange.control_ref == ref,
            )
        )
        if earlier is None:
            session.add(
                ReceivedInterchange(
                    partner=inbound.partner,
                    format=read.format.value,
                    sender=sender,
                    control_ref=ref,
                    inbound_file_id=inbound.id,
                    received_at=now,
                )
            )
            session.flush()  # a second copy later in this same file is then found
            continue
        where = (
            "earlier in this file"
            if earlier.id == inbound.id
            else f"in file {earlier.name!r} on {earlier.received_at:%Y-%m-%d %H:%M}"
        )
        text = (
            f"interchange {ref} from {sender} was already received {where}; it was not taken again"
        )
        duplicates.reasons.append(text)
        duplicates.documents.update(id(d) for d in _documents(ic))
        if isinstance(ic, x12.InterchangeReport):
            ic.errors.insert(
                0,
                x12.InterchangeError(
                    code=x12.InterchangeErrorCode.DUPLICATE_CONTROL_NUMBER,
                    message=text,
                    location=Location(line=ic.location.line, segment="ISA", column="ISA13"),
                ),
            )
        else:
            ic.errors.insert(
                0,
                edifact.SyntaxIssue(
                    code=edifact.SyntaxErrorCode.DUPLICATE_DETECTED,
                    text=text,
                    position=ic.position,
                    segment_tag="UNB",
                    element=5,
                ),
            )
    return duplicates
