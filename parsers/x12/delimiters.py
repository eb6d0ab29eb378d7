"""The four X12 delimiters, read from the ISA segment as text.

The ISA is meant to be 106 fixed characters, but real files are not: a UTF-8 BOM, an
ID field one character short, NBSP padding (two bytes, one character), a space after
ISA16 before the real CRLF terminator.  So the header is found by *counting element
separators* in decoded text instead of by byte offsets:

* the element separator is the character right after ``ISA``;
* ISA16 (the component separator) is the character after the 16th separator;
* the segment terminator is the character after ISA16 – unless that is a space
  followed by a line break, in which case the line break is the terminator;
* ISA11 is the repetition separator when it is not a letter/digit (``U``);
* what follows the terminator (CR/LF) is kept as ``line_ending`` so replies can be
  written the way the partner writes.

>>> header = parse_isa("ISA*00*          *00*          *ZZ*A              *ZZ*B" + " " * 14 +
...                    "*240101*1200*^*00501*000000001*0*P*:~\\nGS*PO")
>>> header.delimiters
Delimiters(element='*', component=':', segment='~', repetition='^', line_ending='\\n')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.errors import InvalidStructure, UnrecognisedFormat

#: The ISA width the standard prescribes; anything else is tolerated and reported.
ISA_LENGTH = 106
#: Characters that may pad segments (indentation, CR/LF); never stripped if a delimiter.
PADDING = " \t\r\n\x0b\x0c\x00"


class NotX12(UnrecognisedFormat):
    """The bytes do not start with an X12 interchange header (ISA)."""


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The separators of one interchange; pass the partner's own back to the writers."""

    element: str = "*"
    component: str = ">"
    segment: str = "~"
    repetition: str | None = None
    #: Written after every segment terminator (``"\\r\\n"``, ``"\\n"`` or nothing)
    line_ending: str = "\n"

    def characters(self) -> frozenset[str]:
        chars = {self.element, self.component, self.segment}
        if self.repetition:
            chars.add(self.repetition)
        return frozenset(chars)

    def service_string(self) -> str:
        """Element, component, segment and (when used) repetition character, in that
        order: what :attr:`parsers.document.Envelope.service_string` holds for X12."""
        return f"{self.element}{self.component}{self.segment}{self.repetition or ''}"

    def segment_end(self) -> str:
        """What ends each segment we write: the terminator, then the line ending once (a
        terminator that is itself a line break takes none: that would be an empty segment)."""
        return self.segment + ("" if self.segment in "\r\n" else self.line_ending)

    def for_replies(self) -> Delimiters:
        """These delimiters with a component separator a reply can use: a letter or digit
        (which the sender should never have chosen) would blank that character in data."""
        if not self.component.isalnum():
            return self
        used = {self.element, self.segment, self.repetition}
        component = next(c for c in ">:^@!" if c not in used)
        return Delimiters(self.element, component, self.segment, self.repetition, self.line_ending)

    @classmethod
    def from_service_string(cls, text: str, line_ending: str | None = None) -> Delimiters:
        """The delimiters :meth:`service_string` wrote (element, component, segment,
        repetition), with the sender's line ending when known."""
        return cls(
            element=text[0],
            component=text[1],
            segment=text[2],
            repetition=text[3] if len(text) > 3 else None,
            line_ending="\n" if line_ending is None else line_ending,
        ).for_replies()

    def padding(self) -> str:
        """Characters that may surround a segment and are not delimiters."""
        used = self.characters()
        return "".join(c for c in PADDING if c not in used)


@dataclass(slots=True)
class IsaHeader:
    delimiters: Delimiters
    #: Index in the text just after the ISA terminator
    end: int
    warnings: list[str] = field(default_factory=list)


def parse_isa(text: str, start: int = 0, *, position: int = 1) -> IsaHeader:
    """Read the delimiters of the ISA starting at ``text[start]``.

    ``position`` is the segment position of this ISA in the file, for messages.
    Raises :class:`NotX12` when there is no ISA and :class:`InvalidStructure` when
    the ISA is too broken to find the delimiters.
    """
    if text[start : start + 3] != "ISA":
        raise NotX12(
            "not an X12 interchange",
            line=position,
            expected="'ISA' interchange header",
            found=text[start : start + 20],
        )
    element = text[start + 3 : start + 4]
    if not element or element.isalnum() or element in PADDING:
        raise InvalidStructure(
            "no element separator after ISA",
            line=position,
            segment="ISA",
            expected="a separator character after 'ISA'",
            found=element,
        )
    # Bound the search: a real ISA is 106 characters, a sloppy one a few more.
    limit = min(len(text), start + ISA_LENGTH + 60)
    last = start + 3
    for number in range(2, 17):
        last = text.find(element, last + 1, limit)
        if last < 0:
            raise InvalidStructure(
                "ISA ends before its 16th element",
                line=position,
                segment="ISA",
                column=f"ISA{number:02d}",
                expected="16 elements separated by " + repr(element),
            )
    component = text[last + 1 : last + 2]
    terminator = text[last + 2 : last + 3]
    after = last + 3
    warnings: list[str] = []
    if not component or not terminator:
        raise InvalidStructure(
            "ISA ends before its segment terminator",
            line=position,
            segment="ISA",
            column="ISA16",
            expected="component separator followed by segment terminator",
        )
    if terminator == " " and text[after : after + 1] in ("\r", "\n"):
        # A space after ISA16 with CRLF after it: the line break is the real terminator.
        warnings.append(
            f"segment {position} ISA: a space follows ISA16; "
            "the line break after it is used as the segment terminator"
        )
        terminator = text[after]
        after += 1
    if terminator.isalnum() or terminator in (element, component) or component == element:
        raise InvalidStructure(
            "ISA delimiters are not distinct",
            line=position,
            segment="ISA",
            column="ISA16",
            expected="distinct element, component and segment delimiters",
            found=text[last : last + 3],
        )
    line_ending = ""
    for ending in ("\r\n", "\n", "\r"):
        if text.startswith(ending, after) and terminator not in ending:
            line_ending = ending
            break
    if terminator == "\r" and text.startswith("\n", after):
        line_ending = "\n"
    width = last + 3 - start
    if width != ISA_LENGTH:
        warnings.append(
            f"segment {position} ISA: {width} characters long instead of {ISA_LENGTH}; "
            "read by counting separators"
        )
    header_text = text[start : last + 1]
    if "\u00a0" in header_text:
        warnings.append(f"segment {position} ISA: padded with non-breaking spaces (U+00A0)")
    fields = header_text.split(element)
    isa11 = fields[11] if len(fields) > 11 else ""
    repetition = None
    if len(isa11) == 1 and not isa11.isalnum() and isa11 not in (element, component, terminator):
        repetition = isa11
    delimiters = Delimiters(element, component, terminator, repetition, line_ending)
    return IsaHeader(delimiters, after + len(line_ending), warnings)
