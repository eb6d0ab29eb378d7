"""Which EDI interchanges are taken: those addressed to us, and each of them once.

* **Addressed to us.**  When ``[supplier] receiver_ids`` is set, an interchange whose
  recipient (UNB S003 / ISA07-08) is not one of them was meant for someone else – a
  sister company on the same network, a misrouted mailbox – and is refused.
* **Once.**  The file ledger (same partner, same sha256) stops the same bytes arriving
  twice.  This stops the same *interchange* – same sender, same control reference
  (UNB 0020 / ISA13) – arriving in other bytes: re-enveloped by a network, another line
  ending, a translator re-sending from its archive.

A refused interchange's orders are not stored, so none of them is answered as if it
were new (an 855 or ORDRSP refusing a "duplicate order" would tell the buyer's ERP
that its original order was rejected).  Its interchange acknowledgment says why: a
TA1 ``R`` with note ``009`` (unknown receiver) or ``025`` (duplicate), or a CONTRL
rejecting it (UCI action 4) with error 7 (not the actual recipient) or 26 (duplicate).

Interchanges are recorded in the file's own write transaction, under a unique
constraint, so of two workers taking the same interchange at once, one records it and
the other, retried, finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from gateway.config.settings import SupplierConfig
from gateway.rules.senders import addressed_to_us, edi_id
from gateway.store.ledger import earlier_interchange, record_interchange
from gateway.store.models import InboundFile
from parsers import edifact, x12
from parsers.document import Location, ReadResult

_Interchange = edifact.InterchangeReport | x12.InterchangeReport


@dataclass
class Refused:
    """The interchanges :func:`admit_interchanges` did not take."""

    #: Why, one line per refused interchange
    reasons: list[str] = field(default_factory=list)
    #: ``id()`` of every order document read from one: not stored, not answered
    documents: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.reasons)


def _refuse(
    ic: _Interchange,
    refused: Refused,
    text: str,
    x12_code: x12.InterchangeErrorCode,
    edifact_code: edifact.SyntaxErrorCode,
    *,
    isa_column: str,
    unb_element: int,
) -> None:
    """Put the error first on the interchange's report, where its acknowledgment reads it."""
    refused.reasons.append(text)
    refused.documents.update(id(d) for d in ic.documents)
    if isinstance(ic, x12.InterchangeReport):
        where = Location(line=ic.location.line, segment="ISA", column=isa_column)
        ic.errors.insert(0, x12.InterchangeError(code=x12_code, message=text, location=where))
    else:
        issue = edifact.SyntaxIssue(
            code=edifact_code,
            text=text,
            position=ic.position,
            segment_tag="UNB",
            element=unb_element,
        )
        ic.errors.insert(0, issue)


def admit_interchanges(
    session: Session,
    result: ReadResult,
    inbound: InboundFile,
    now: datetime,
    supplier: SupplierConfig,
) -> Refused:
    """Record the file's interchanges that are taken; say which are not, and why.

    A second copy within the same file is a duplicate too; the first copy is taken.
    """
    refused = Refused()
    if not isinstance(result, edifact.EdifactReadResult | x12.X12ReadResult):
        return refused
    fmt = inbound.format or ""
    interchanges: list[_Interchange] = list(result.interchanges)
    for ic in interchanges:
        sender = edi_id(ic.sender_qualifier, ic.sender_id)
        ref = (ic.control_ref or "").strip()
        if not ref or not sender:
            continue  # already refused for it; nothing to tell apart
        if not addressed_to_us(
            supplier.receiver_ids, ic.recipient_qualifier, ic.recipient_id or ""
        ):
            shown = edi_id(ic.recipient_qualifier, ic.recipient_id) or "no one"
            text = (
                f"interchange {ref} is addressed to {shown}, not to "
                f"us ([supplier] receiver_ids: {', '.join(supplier.receiver_ids)}); "
                "it was not taken"
            )
            _refuse(
                ic, refused, text,
                x12.InterchangeErrorCode.UNKNOWN_RECEIVER,
                edifact.SyntaxErrorCode.RECIPIENT_NOT_ACTUAL_RECIPIENT,
                isa_column="ISA08", unb_element=3,
            )  # fmt: skip
            continue
        earlier = earlier_interchange(session, inbound.partner, fmt, sender, ref)
        if earlier is None:
            record_interchange(session, inbound, fmt, sender, ref, now)
            continue
        where = (
            "earlier in this file"
            if earlier.id == inbound.id
            else f"in file {earlier.name!r} on {earlier.received_at:%Y-%m-%d %H:%M}"
        )
        text = (
            f"interchange {ref} from {sender} was already received {where}; it was not taken again"
        )
        _refuse(
            ic, refused, text,
            x12.InterchangeErrorCode.DUPLICATE_CONTROL_NUMBER,
            edifact.SyntaxErrorCode.DUPLICATE_DETECTED,
            isa_column="ISA13", unb_element=5,
        )  # fmt: skip
    return refused


__all__ = ["Refused", "admit_interchanges"]
