"""Build outgoing EDIFACT: escaping, character-set fitting, envelopes and counts.

Values are fitted to the declared character set *before* escaping: a character the
set cannot hold becomes its unaccented form when there is one (``é`` → ``e``), else
``?`` — which is then released like any other service character, so a replacement
can never break the syntax.  UNOA text is upper-cased (level A has no lower case).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime

from parsers.edifact.charsets import codec_for
from parsers.edifact.service_chars import DEFAULT, ServiceChars

Component = str | None
Element = Component | Sequence[Component]
#: UNB S002/S003: identification, code qualifier and, when echoed, a routing address
Party = tuple[str, str | None] | tuple[str, str | None, str | None]


def fit_to_charset(value: str, codec: str) -> str:
    """``value`` with every character the codec cannot encode transliterated or replaced."""
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
        line_breaks: bool = False,
    ) -> None:
        self.syntax = syntax.upper()
        self.syntax_version = syntax_version
        self.codec = codec_for(self.syntax) or "ascii"
        self.chars = service_chars or (
            ServiceChars(repetition="*") if syntax_version == "4" else DEFAULT
        )
        self.line_breaks = line_breaks
        self.segments: list[str] = []
        self._message_start: int | None = None

    def _component(self, value: Component) -> str:
        if value is None:
            return ""
        value = fit_to_charset(str(value), self.codec)
        if self.syntax == "UNOA":
            value = value.upper()
        return self.chars.escape(value)

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
        self.add("UNH", ref, identifier)

    def close_message(self, ref: str) -> None:
        assert self._message_start is not None, "close_message without open_message"
        count = len(self.segments) - self._message_start + 1
        self.add("UNT", str(count), ref)
        self._message_start = None

    def unz(self, count: int, control_ref: str) -> None:
        self.add("UNZ", str(count), control_ref)

    def render(self) -> bytes:
        term = self.chars.terminator + ("\n" if self.line_breaks else "")
        text = self.chars.una() + ("\n" if self.line_breaks else "")
        text += term.join(self.segments) + term
        return text.encode(self.codec)
