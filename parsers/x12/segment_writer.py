"""Shared by the X12 writers: the ISA/GS/ST envelope, counts, dates and clean values.

X12 text is ASCII (the basic and extended character sets): :func:`clean` folds
anything else to its ASCII spelling (``Guérande`` → ``Guerande``, ``Straße`` →
``Strasse``) and drops control characters.  X12 has no escape character either, so a
delimiter inside a value cannot be written: it becomes a space – or ``_`` when a space
is itself a delimiter – so the output always tokenises; writers say so in their
docstrings.

>>> clean("Sel de Guérande*1kg", Delimiters())
'Sel de Guerande 1kg'
"""

from __future__ import annotations

import re
from datetime import date, datetime

from anyascii import anyascii

from parsers.x12.delimiters import Delimiters

_ID_WIDTH = 15
_MAX_CONTROL = 999_999_999


def versions(version: str) -> tuple[str, str]:
    """ISA12 and GS08 from either form: ``"00401"`` or ``"004010"`` (or ``004010VICS``)."""
    if len(version) == 5 and version.isdigit():
        return version, version + "0"
    if len(version) >= 6 and version[:6].isdigit():
        return version[:5], version
    raise ValueError(f"X12 version must look like 00401 or 004010, not {version!r}")


def x12_date(when: date, version: str) -> str:
    """CCYYMMDD from 004010 on, YYMMDD before (003xxx)."""
    return when.strftime("%y%m%d" if version < "004" else "%Y%m%d")


_NOT_PRINTABLE = re.compile(r"[^\x20-\x7e]")


def fold(text: str) -> str:
    """``text`` in printable ASCII: transliterated, control characters dropped."""
    if not text.isascii():
        text = anyascii(text)
    return _NOT_PRINTABLE.sub("", text) if _NOT_PRINTABLE.search(text) else text


def clean(value: object, d: Delimiters) -> str:
    text = fold("" if value is None else str(value))
    replacement = "_" if " " in d.characters() else " "
    for char in d.characters() | {"\r", "\n"}:
        if char in text:
            text = text.replace(char, replacement)
    return text.strip()


def isa_segment(
    d: Delimiters,
    *,
    sender_qualifier: str,
    sender_id: str,
    receiver_qualifier: str,
    receiver_id: str,
    interchange_control: int,
    when: datetime,
    isa12: str,
    usage: str = "P",
) -> str:
    """The fixed-width ISA of an interchange we send (no acknowledgment asked for)."""
    if not 0 < interchange_control <= _MAX_CONTROL:
        raise ValueError(
            f"interchange_control must be 1..{_MAX_CONTROL}, not {interchange_control}"
        )
    for name, value in (("sender_id", sender_id), ("receiver_id", receiver_id)):
        if len(value) > _ID_WIDTH:
            raise ValueError(f"{name} {value!r} is longer than {_ID_WIDTH} characters")
    if d.repetition:
        isa11 = d.repetition
    else:
        isa11 = "U" if isa12 < "00402" else "^"
    return d.element.join(
        [
            "ISA",
            "00",
            " " * 10,
            "00",
            " " * 10,
            clean(sender_qualifier, d).ljust(2)[:2],
            clean(sender_id, d).ljust(_ID_WIDTH),
            clean(receiver_qualifier, d).ljust(2)[:2],
            clean(receiver_id, d).ljust(_ID_WIDTH),
            when.strftime("%y%m%d"),
            when.strftime("%H%M"),
            isa11,
            isa12,
            f"{interchange_control:09d}",
            "0",
            usage if usage in ("P", "T") else "P",
            d.component,
        ]
    )


class EnvelopeWriter:
    """Collects the segments of one transaction set and wraps them in ISA/GS/ST."""

    def __init__(self, delimiters: Delimiters) -> None:
        self.d = delimiters
        self.body: list[str] = []

    def add(self, *elements: object) -> None:
        """Append a segment; trailing empty elements are dropped, as X12 requires."""
        values = [clean(e, self.d) for e in elements]
        while len(values) > 1 and values[-1] == "":
            values.pop()
        self.body.append(self.d.element.join(values))

    def add_raw(self, *elements: str) -> None:
        """Append a segment whose elements are already composites built with the delimiters."""
        values = list(elements)
        while len(values) > 1 and values[-1] == "":
            values.pop()
        self.body.append(self.d.element.join(values))

    def interchange(
        self,
        *,
        set_id: str,
        functional_id: str,
        sender_qualifier: str,
        sender_id: str,
        receiver_qualifier: str,
        receiver_id: str,
        interchange_control: int,
        group_control: int,
        set_control: int,
        when: datetime,
        version: str,
        interchange_version: str | None = None,
        usage: str = "P",
        application_sender: str | None = None,
        application_receiver: str | None = None,
    ) -> bytes:
        """The collected set in its envelope.  ``version`` is GS08 (or ISA12);
        ``interchange_version`` the ISA12 to write when it differs; GS02/GS03 default to
        the ISA ids.  Control numbers are allocated and persisted by the caller."""
        application_sender = application_sender or sender_id
        application_receiver = application_receiver or receiver_id
        isa12, gs08 = versions(version)
        if interchange_version and len(interchange_version) == 5:
            isa12 = interchange_version  # echo the partner's envelope version
        for name, number in (("group_control", group_control), ("set_control", set_control)):
            if not 0 < number <= _MAX_CONTROL:
                raise ValueError(f"{name} must be 1..{_MAX_CONTROL}, not {number}")
        d = self.d
        st02 = f"{set_control:04d}"
        isa = isa_segment(
            d,
            sender_qualifier=sender_qualifier,
            sender_id=sender_id,
            receiver_qualifier=receiver_qualifier,
            receiver_id=receiver_id,
            interchange_control=interchange_control,
            when=when,
            isa12=isa12,
            usage=usage,
        )
        segments = [
            isa,
            d.element.join(
                [
                    "GS",
                    clean(functional_id, d),
                    clean(application_sender, d),
                    clean(application_receiver, d),
                    x12_date(when, gs08),
                    when.strftime("%H%M"),
                    str(group_control),
                    "X",
                    gs08,
                ]
            ),
            d.element.join(["ST", set_id, st02]),
            *self.body,
            d.element.join(["SE", str(len(self.body) + 2), st02]),
            d.element.join(["GE", "1", str(group_control)]),
            d.element.join(["IEA", "1", f"{interchange_control:09d}"]),
        ]
        end = d.segment_end()
        return (end.join(segments) + end).encode("latin-1")
