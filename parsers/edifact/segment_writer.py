"""Build outgoing EDIFACT: escaping, character-set fitting, envelopes and counts.

Values are fitted to the declared character set *before* escaping: a character the
set cannot hold becomes its unaccented form when there is one (``é`` → ``e``), else
``?`` — which is then released like any other service character, so a replacement
can never break the syntax.  Control characters (a NUL, a tab) belong to no EDIFACT
repertoire and are dropped.  Free text (:meth:`SegmentWriter.text`) is upper-cased
under UNOA (level A has no lower case); identifiers and references are written exactly
as received, whatever the level.

>>> text_components("a word that is long enough to need two parts", width=20)
['a word that is long', 'enough to need two', 'parts']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime

from parsers.edifact.charsets import codec_for
from parsers.edifact.service_chars import DEFAULT, ServiceChars

Component = str | None
Element = Component | Sequence[Component]
#: UNB S002/S003: identification, code qualifier and, when echoed, a routing address
Party = tuple[str, str | None] | tuple[str, str | None, str | None]


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def text_components(text: str, *, width: int = 70, count: int = 5) -> list[str]:
    """Free text cut at word boundaries into at most ``count`` parts of ``width``
    characters (a word longer than ``width`` is cut where it must be)."""
    parts: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                parts.append(current)
                current = ""
            parts.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = f"{current} {word}"
        else:
            parts.append(current)
            current = word
    if current:
        parts.append(current)
    return parts[:count]


def fit_to_charset(value: str, codec: str) -> str:
    """``value`` with every character the codec cannot encode transliterated or replaced,
    and control characters dropped."""
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    try:
        value.encode(codec)
        return value
    except UnicodeEncodeError:
        pass
    out = []
    for ch in value:
        try:
            ch.encode(codec)
            out.append(ch)
        except UnicodeEncodeError:
            bare = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            try:
                bare.encode(codec)
                out.append(bare or "?")
            except UnicodeEncodeError:
                out.append("?")
    return "".join(out)


class SegmentWriter:
    """Collects segments of one interchange and renders them as bytes."""

    def __init__(
        self,
        *,
        syntax: str,
        syntax_version: str,
        service_chars: ServiceChars | None = None,
        line_ending: str = "",
    ) -> None:
        self.syntax = syntax.upper()
        self.syntax_version = syntax_version
        self.codec = codec_for(self.syntax) or "ascii"
        self.chars = service_chars or (
            ServiceChars(repetition="*") if syntax_version == "4" else DEFAULT
        )
        # Written once after each terminator; a terminator that is itself a line break
        # takes no second one (that would read as an empty segment).
        self.line_ending = "" if self.chars.terminator in "\r\n" else line_ending
        self.segments: list[str] = []
        self._message_start: int | None = None
        self.control_ref = self.message_ref = ""
        self.identifier: tuple[str, ...] = ()

    def text(self, value: str | None) -> str | None:
        """Free text as this syntax level can carry it (UNOA: upper case)."""
        if value is None or self.syntax != "UNOA":
            return value
        return value.upper()

    def _component(self, value: Component) -> str:
        if value is None:
            return ""
        return self.chars.escape(fit_to_charset(str(value), self.codec))

    def add(self, tag: str, *elements: Element) -> None:
        """Append a segment; trailing empty elements and components are dropped."""
        rendered = []
        for element in elements:
            if element is None or isinstance(element, str):
                rendered.append(self._component(element))
            else:
                parts = [self._component(c) for c in element]
                while parts and not parts[-1]:
                    parts.pop()
                rendered.append(self.chars.component.join(parts))
        while rendered and not rendered[-1]:
            rendered.pop()
        self.segments.append(self.chars.element.join([tag, *rendered]))

    # -- envelope -------------------------------------------------------------------------
    def unb(
        self,
        *,
        sender: Party,
        recipient: Party,
        when: datetime,
        control_ref: str,
        test: bool = False,
    ) -> None:
        self.control_ref = control_ref
        date = when.strftime("%Y%m%d" if self.syntax_version == "4" else "%y%m%d")
        self.add(
            "UNB",
            (self.syntax, self.syntax_version),
            sender,
            recipient,
            (date, when.strftime("%H%M")),
            control_ref,
            *([None, None, None, None, None, "1"] if test else []),
        )

    def open_message(self, ref: str, identifier: Sequence[str]) -> None:
        self._message_start = len(self.segments)
        self.message_ref, self.identifier = ref, tuple(identifier)
        self.add("UNH", ref, identifier)

    @property
    def release(self) -> str:
        """The directory release of the open message (``96A``), which its code lists follow."""
        return self.identifier[2] if len(self.identifier) > 2 else ""

    def finish(self) -> bytes:
        """Close the one message (UNT) and the interchange (UNZ), and render."""
        self.close_message(self.message_ref)
        self.unz(1, self.control_ref)
        return self.render()

    def close_message(self, ref: str) -> None:
        assert self._message_start is not None, "close_message without open_message"
        count = len(self.segments) - self._message_start + 1
        self.add("UNT", str(count), ref)
        self._message_start = None

    def unz(self, count: int, control_ref: str) -> None:
        self.add("UNZ", str(count), control_ref)

    def position(self) -> int:
        """The position the next segment will have in the open message (UNH is 1)."""
        assert self._message_start is not None, "no message open"
        return len(self.segments) - self._message_start + 1

    def render(self) -> bytes:
        term = self.chars.terminator + self.line_ending
        text = self.chars.una() + self.line_ending
        text += term.join(self.segments) + term
        return text.encode(self.codec)
