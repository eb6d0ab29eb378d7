"""What partners say of what we sent: EDI acknowledgments matched to our messages.

Every EDIFACT or X12 message we send is recorded with its control references
(:func:`record_sent`).  A partner's 997/999, TA1 or CONTRL names those references; it
is matched to them (:func:`reconcile`), so each reply – the 855 or ORDRSP that answered
an order – shows whether the partner accepted it, and an admin is warned when not.

An acknowledgment is itself never acknowledged: answering a CONTRL with a CONTRL, or a
997 with a 997, is how two translators end up acknowledging each other without end
(:mod:`gateway.replies.fan_out` skips them).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.logs import log_fields
from gateway.store.models import OutgoingMessage, SentInterchange
from parsers import edifact, x12
from parsers.document import ReadResult, SourceFormat

log = logging.getLogger("gateway.edi.acknowledgments")


class EdiReply(NamedTuple):
    """An EDI message ready to queue, with the control references the partner will quote."""

    name: str
    data: bytes
    interchange_ref: str  # ISA13 as written (9 digits) / UNB 0020
    group_ref: str | None = None  # GS06
    message_ref: str | None = None  # ST02 / UNH 0062


def _ref(text: str) -> str:
    """A control reference as compared: numbers without their padding (000000042 → 42)."""
    text = text.strip()
    return text.lstrip("0") or "0" if text.isdigit() else text


def record_sent(
    session: Session, message: OutgoingMessage, fmt: SourceFormat, reply: EdiReply
) -> None:
    session.add(
        SentInterchange(
            partner=message.partner,
            format=fmt.value,
            interchange_ref=_ref(reply.interchange_ref),
            group_ref=_ref(reply.group_ref) if reply.group_ref else None,
            message_ref=_ref(reply.message_ref) if reply.message_ref else None,
            message=message,
        )
    )


#: X12 AK5 / AK9 / TA104 and EDIFACT 0083 codes, in words
_X12_CODES = {
    "A": "accepted",
    "E": "accepted with errors",
    "P": "partially accepted",
    "R": "rejected",
    "M": "rejected",
    "W": "rejected",
    "X": "rejected",
}
_CONTRL_ACTIONS = {"7": "accepted", "4": "rejected", "8": "received"}


@dataclass
class Verdict:
    """One acknowledgment received, and which of our messages it was about."""

    text: str  # what it says, e.g. "997 for our group 43 (PR): A"
    accepted: bool
    #: file names of the messages it acknowledges (empty: it matches nothing we sent)
    matched: list[str] = field(default_factory=list)


def _sent(session: Session, partner: str, fmt: SourceFormat, **refs: str) -> list[SentInterchange]:
    query = select(SentInterchange).where(
        SentInterchange.partner == partner, SentInterchange.format == fmt.value
    )
    for name, value in refs.items():
        query = query.where(getattr(SentInterchange, name) == _ref(value))
    return list(session.scalars(query))


def _mark(rows: list[SentInterchange], word: str, text: str, now: datetime) -> list[str]:
    for row in rows:
        row.acknowledgment, row.acknowledgment_detail, row.acknowledged_at = word, text, now
    return [row.message.filename for row in rows]


def _x12_verdicts(
    session: Session, partner: str, result: x12.X12ReadResult, now: datetime
) -> list[Verdict]:
    verdicts = []
    for ic in result.interchanges:
        for ta1 in ic.interchange_acks:
            rows = _sent(session, partner, SourceFormat.X12, interchange_ref=ta1.control_number)
            word = _X12_CODES.get(ta1.code, ta1.code)
            # A TA1 only says the envelope was read; a 997 already received says more.
            keep = [r for r in rows if r.acknowledgment is None or ta1.code != "A"]
            _mark(keep, word, str(ta1), now)
            verdicts.append(Verdict(str(ta1), ta1.code == "A", [r.message.filename for r in rows]))
    for ack in result.functional_acks:
        group = _sent(session, partner, SourceFormat.X12, group_ref=ack.group_control_number)
        matched: list[str] = []
        by_set = {r.message_ref: r for r in group}
        for acked in ack.sets:
            row = by_set.pop(_ref(acked.control_number), None)
            if row is not None and acked.code:
                matched += _mark([row], _X12_CODES.get(acked.code, acked.code), str(ack), now)
        if ack.code:  # the rest of the group takes the group's verdict
            rest = [r for r in by_set.values() if r.acknowledgment is None or not ack.sets]
            matched += _mark(rest, _X12_CODES.get(ack.code, ack.code), str(ack), now)
        verdicts.append(Verdict(str(ack), ack.accepted, matched))
    return verdicts


def _edifact_texts(
    result: edifact.EdifactReadResult,
) -> list[tuple[str, edifact.InterchangeVerdict | None]]:
    found: list[tuple[str, edifact.InterchangeVerdict | None]] = []
    for ic in result.interchanges:
        for m in ic.messages:
            if m.verdict is not None:
                found.append((str(m.verdict), m.verdict))
            elif m.type in edifact.SERVICE_MESSAGES:
                found.append((f"{m.type} {m.ref} (interchange {ic.control_ref})", None))
    return found


def _edifact_verdicts(
    session: Session, partner: str, result: edifact.EdifactReadResult, now: datetime
) -> list[Verdict]:
    verdicts = []
    for text, verdict in _edifact_texts(result):
        if verdict is None:  # an APERAK, or a CONTRL without a UCI: nothing to match
            verdicts.append(Verdict(text, True))
            continue
        rows = _sent(
            session, partner, SourceFormat.EDIFACT, interchange_ref=verdict.interchange_ref
        )
        word = _CONTRL_ACTIONS.get(verdict.action, verdict.action)
        verdicts.append(Verdict(text, verdict.accepted, _mark(rows, word, text, now)))
    return verdicts


def reconcile(session: Session, partner: str, result: ReadResult, now: datetime) -> list[Verdict]:
    """Match the acknowledgments in ``result`` to what we sent ``partner``, and mark them."""
    if isinstance(result, x12.X12ReadResult):
        return _x12_verdicts(session, partner, result, now)
    if isinstance(result, edifact.EdifactReadResult):
        return _edifact_verdicts(session, partner, result, now)
    return []


def received_acknowledgments(result: ReadResult) -> list[str]:
    """What the acknowledgments in ``result`` say, one line each (no database needed)."""
    if isinstance(result, x12.X12ReadResult):
        lines = [str(ta1) for ic in result.interchanges for ta1 in ic.interchange_acks]
        return lines + [str(ack) for ack in result.functional_acks]
    if isinstance(result, edifact.EdifactReadResult):
        return [text for text, _ in _edifact_texts(result)]
    return []


def take_acknowledgments(
    session: Session, partner_id: str, file_name: str, result: ReadResult, now: datetime
) -> list[Verdict]:
    """Match what the partner says of what we sent, and log it; a rejection is a warning
    (an acceptance is DEBUG: the file's own line already says it)."""
    verdicts = reconcile(session, partner_id, result, now)
    for verdict in verdicts:
        about = ", ".join(verdict.matched) if verdict.matched else "matches nothing we sent"
        (log.debug if verdict.accepted else log.warning)(
            "acknowledgment received partner=%s file=%s: %s — %s",
            partner_id,
            file_name,
            verdict.text,
            about,
            extra=log_fields(partner_id, file_name),
        )
    return verdicts


__all__ = [
    "EdiReply",
    "Verdict",
    "received_acknowledgments",
    "reconcile",
    "record_sent",
    "take_acknowledgments",
]
