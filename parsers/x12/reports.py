"""What the X12 reader found in each envelope, in the terms a 997 (and a TA1) reports.

Every error carries the real X12 code (enums in :mod:`parsers.x12.codes`) and a
:class:`~parsers.document.Location` whose ``line`` is the segment position in the file
(1-based), so an admin can find it and :func:`parsers.x12.write_997` can answer it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from parsers.document import Location, OrderDocument, ReadResult
from parsers.x12.codes import (
    ElementErrorCode,
    GroupAckCode,
    GroupErrorCode,
    InterchangeErrorCode,
    SegmentErrorCode,
    SetAckCode,
    SetErrorCode,
)
from parsers.x12.delimiters import Delimiters
from parsers.x12.received_acks import FunctionalAck, InterchangeAck


@dataclass(slots=True, kw_only=True)
class ElementError:
    """One AK4: a bad data element inside a segment."""

    position: int  # element position in the segment (AK401-1)
    code: ElementErrorCode
    reference: str | None = None  # data element dictionary number (AK402), e.g. "330"
    component: int | None = None  # component position in a composite (AK401-2)
    value: str | None = None  # copy of the bad element (AK404)


@dataclass(slots=True, kw_only=True)
class SegmentError:
    """One AK3: a segment in error, located within its set and within the file."""

    segment_id: str
    position_in_set: int  # ST is 1 (AK302)
    code: SegmentErrorCode
    message: str
    location: Location
    elements: list[ElementError] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class SetError:
    code: SetErrorCode
    message: str
    location: Location


@dataclass(slots=True, kw_only=True)
class GroupError:
    code: GroupErrorCode
    message: str
    location: Location


@dataclass(slots=True, kw_only=True)
class InterchangeError:
    code: InterchangeErrorCode
    message: str
    location: Location


@dataclass(slots=True, kw_only=True)
class TransactionSetReport:
    """One ST…SE as received: AK2 identity, AK3/AK4 detail and the AK5 verdict."""

    set_id: str  # ST01
    control_number: str  # ST02
    location: Location
    errors: list[SetError] = field(default_factory=list)
    segment_errors: list[SegmentError] = field(default_factory=list)
    #: Set when an error makes the set unusable; a rejected 850 yields no order
    rejected: bool = False
    #: The order read from this set (850s that were not rejected)
    document: OrderDocument | None = None

    @property
    def ack_code(self) -> SetAckCode:
        if self.rejected:
            return SetAckCode.REJECTED
        if self.errors or self.segment_errors:
            return SetAckCode.ACCEPTED_WITH_ERRORS
        return SetAckCode.ACCEPTED

    @property
    def error_codes(self) -> list[SetErrorCode]:
        """The AK502… codes, each once, in the order found."""
        codes = list(dict.fromkeys(e.code for e in self.errors))
        if self.segment_errors and SetErrorCode.SEGMENTS_IN_ERROR not in codes:
            codes.append(SetErrorCode.SEGMENTS_IN_ERROR)
        return codes

    def reject(self, code: SetErrorCode, message: str, location: Location) -> None:
        self.errors.append(SetError(code=code, message=message, location=location))
        self.rejected = True


#: Transaction sets that acknowledge others; they are read, never acknowledged
ACKNOWLEDGMENT_SETS = frozenset({"997", "999"})


@dataclass(slots=True, kw_only=True)
class GroupReport:
    """One GS…GE as received: what AK1 and AK9 need."""

    functional_id: str  # GS01
    application_sender: str  # GS02
    application_receiver: str  # GS03
    control_number: str  # GS06
    version: str  # GS08
    location: Location
    #: GE01 as received (None when GE is missing or not a number)
    included_count: int | None = None
    sets: list[TransactionSetReport] = field(default_factory=list)
    errors: list[GroupError] = field(default_factory=list)

    @property
    def accepted_count(self) -> int:
        return sum(not s.rejected for s in self.sets)

    @property
    def only_acknowledgments(self) -> bool:
        """It holds 997/999 sets and nothing else: read, never acknowledged."""
        return bool(self.sets) and all(s.set_id in ACKNOWLEDGMENT_SETS for s in self.sets)

    @property
    def ack_code(self) -> GroupAckCode:
        accepted = self.accepted_count
        if self.sets and accepted == 0:
            return GroupAckCode.REJECTED
        if accepted < len(self.sets):
            return GroupAckCode.PARTIALLY_ACCEPTED
        clean = all(s.ack_code is SetAckCode.ACCEPTED for s in self.sets)
        if self.errors or not clean:
            return GroupAckCode.ACCEPTED_WITH_ERRORS
        return GroupAckCode.ACCEPTED


@dataclass(slots=True, kw_only=True)
class InterchangeReport:
    """One ISA…IEA as received: everything a reply's envelope needs."""

    sender_qualifier: str  # ISA05
    sender_id: str  # ISA06, trimmed
    recipient_qualifier: str  # ISA07 (X12's "receiver")
    recipient_id: str  # ISA08, trimmed
    date: str  # ISA09 YYMMDD
    time: str  # ISA10 HHMM
    control_ref: str  # ISA13, the interchange control number
    version: str  # ISA12
    delimiters: Delimiters
    ack_requested: bool  # ISA14 == "1" (a TA1 is wanted)
    usage: str  # ISA15: P production, T test
    location: Location
    groups: list[GroupReport] = field(default_factory=list)
    errors: list[InterchangeError] = field(default_factory=list)
    #: TA1 segments it carried: a partner's verdicts on our interchanges
    interchange_acks: list[InterchangeAck] = field(default_factory=list)

    @property
    def only_acknowledgments(self) -> bool:
        """It carries acknowledgments (TA1, 997, 999) and nothing else: never answered."""
        if not (self.interchange_acks or self.groups):
            return False
        return all(group.only_acknowledgments for group in self.groups)

    @property
    def documents(self) -> list[OrderDocument]:
        """The orders read from this interchange (its 850 sets that were not rejected)."""
        return [s.document for g in self.groups for s in g.sets if s.document is not None]


@dataclass(slots=True, kw_only=True)
class X12ReadResult(ReadResult):
    """Orders plus one report per interchange (for the 997s) and what was tolerated."""

    interchanges: list[InterchangeReport] = field(default_factory=list)
    #: 997/999 sets received: a partner's verdicts on our functional groups
    functional_acks: list[FunctionalAck] = field(default_factory=list)

    def sets(self) -> Iterator[TransactionSetReport]:
        for interchange in self.interchanges:
            for group in interchange.groups:
                yield from group.sets

    def problems(self) -> list[str]:
        """Every located error as one line of text, for a reason file."""
        lines: list[str] = []
        for interchange in self.interchanges:
            for e in interchange.errors:
                lines.append(f"{e.location}: {e.message} (TA1 {e.code.value})")
            for group in interchange.groups:
                for g in group.errors:
                    lines.append(f"{g.location}: {g.message} (AK9 {g.code.value})")
                for s in group.sets:
                    for t in s.errors:
                        lines.append(f"{t.location}: {t.message} (AK5 {t.code.value})")
                    for seg in s.segment_errors:
                        lines.append(f"{seg.location}: {seg.message} (AK3 {seg.code.value})")
        return lines
