"""Acknowledgments a partner sends us: 997/999 sets and TA1 segments, read, never answered.

An acknowledgment is never acknowledged – answering a 997 with a 997 is how two
translators end up acknowledging each other forever – so the reader keeps what they
say (which of our groups and sets were accepted) for the gateway to log, and does
not report them as unsupported sets.

997 (and 999, whose acknowledgment segments are IK3/IK4/IK5 in place of
AK3/AK4/AK5)::

    AK1  functional id, group control number   – our group being acknowledged
    AK2  set id, set control number            – one of our sets
    AK5 / IK5  A, E, M, R, W, X + error codes
    AK9  A, E, P, R, sets included, received, accepted + error codes
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.document import Location


@dataclass(slots=True, kw_only=True)
class AcknowledgedSet:
    """One AK2…AK5: the verdict on one of our transaction sets."""

    set_id: str  # AK201
    control_number: str  # AK202
    code: str = ""  # AK501 / IK501: A, E, R…
    errors: list[str] = field(default_factory=list)  # AK502… / IK502…


@dataclass(slots=True, kw_only=True)
class FunctionalAck:
    """One 997/999 received: the verdict on one of our functional groups."""

    set_id: str  # 997 or 999
    functional_id: str  # AK101, e.g. PR for our 855s
    group_control_number: str  # AK102: our GS06
    code: str = ""  # AK901: A, E, P, R
    errors: list[str] = field(default_factory=list)  # AK905…
    sets: list[AcknowledgedSet] = field(default_factory=list)
    location: Location

    @property
    def accepted(self) -> bool:
        return self.code == "A" and all(s.code in ("A", "") for s in self.sets)

    def __str__(self) -> str:
        text = (
            f"{self.set_id} for our group {self.group_control_number} "
            f"({self.functional_id or '?'}): {self.code or 'no AK9'}"
        )
        bad = [s for s in self.sets if s.code not in ("A", "")]
        if bad:
            text += "; " + ", ".join(
                f"set {s.set_id} {s.control_number}: {s.code}"
                + (f" ({' '.join(s.errors)})" if s.errors else "")
                for s in bad
            )
        return text


@dataclass(slots=True, kw_only=True)
class InterchangeAck:
    """One TA1 received: the verdict on one of our interchanges."""

    control_number: str  # TA101: our ISA13
    date: str  # TA102
    time: str  # TA103
    code: str  # TA104: A, E, R
    note: str  # TA105
    location: Location

    def __str__(self) -> str:
        return f"TA1 for our interchange {self.control_number}: {self.code} (note {self.note})"


def _get(elements: list[str], index: int) -> str:
    return elements[index].strip() if len(elements) > index else ""


def read_ta1(elements: list[str], location: Location) -> InterchangeAck:
    return InterchangeAck(
        control_number=_get(elements, 1),
        date=_get(elements, 2),
        time=_get(elements, 3),
        code=_get(elements, 4),
        note=_get(elements, 5),
        location=location,
    )


def read_functional_ack(
    segments: list[str], start: int, end: int, base: int, separator: str, set_id: str
) -> FunctionalAck:
    """The 997/999 whose ST is ``segments[start]`` and body ends before ``segments[end]``."""
    ack = FunctionalAck(
        set_id=set_id,
        functional_id="",
        group_control_number="",
        location=Location(line=base + start + 1, segment="ST"),
    )
    current: AcknowledgedSet | None = None
    for index in range(start + 1, end):
        el = segments[index].split(separator)
        tag = el[0]
        if tag == "AK1":
            ack.functional_id, ack.group_control_number = _get(el, 1), _get(el, 2)
        elif tag == "AK2":
            current = AcknowledgedSet(set_id=_get(el, 1), control_number=_get(el, 2))
            ack.sets.append(current)
        elif tag in ("AK5", "IK5") and current is not None:
            current.code = _get(el, 1)
            current.errors = [e.strip() for e in el[2:] if e.strip()]
        elif tag == "AK9":
            ack.code = _get(el, 1)
            ack.errors = [e.strip() for e in el[5:] if e.strip()]
    return ack
