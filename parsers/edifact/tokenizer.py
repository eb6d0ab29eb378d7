"""Split interchange text into segments, and segments into elements and components.

Fast path first: when the release character does not occur in the text, segments
are ``str.split`` on the terminator and elements ``str.split`` on the separators.
Only segments that contain the release character take the character-by-character
path, and an escaped terminator (an odd run of release characters before it) glues
two split pieces back together.

A segment is kept as its raw text (tag included) until someone needs its elements,
so segments nobody reads are never split.  The syntax-4 repetition separator is not
split: no segment the gateway reads repeats an element.

>>> from parsers.edifact.service_chars import DEFAULT
>>> split_segments("UNH+1'FTX+AAI+++a?'b'\\nUNT+2+1'", DEFAULT)
(['UNH+1', "FTX+AAI+++a?'b", 'UNT+2+1'], '')
>>> split_elements("FTX+AAI+++a?'b?:c:d", DEFAULT)
[['FTX'], ['AAI'], [''], [''], ["a'b:c", 'd']]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from parsers.edifact.service_chars import ServiceChars

_LAYOUT = " \t\r\n"


def _indented(text: str) -> bool:
    """Whether some line starts with blanks (``in`` is a fast substring search)."""
    return "\n " in text or "\n\t" in text or "\r " in text or "\r\t" in text


def split_segments(text: str, chars: ServiceChars) -> tuple[list[str], str]:
    """Raw segments (line breaks between them removed) and any unterminated tail."""
    term, rel = chars.terminator, chars.release
    layout = "".join(c for c in _LAYOUT if c not in (term, chars.element, chars.component))
    indented = _indented(text)
    if term not in "\r\n" and ("\n" in text or "\r" in text):
        # Line breaks are layout, never data (no repertoire has control characters),
        # so removing them all at once is cheaper than stripping every segment.
        text = text.replace("\r", "").replace("\n", "")
    parts = text.split(term)
    tail = parts.pop()
    if rel and rel in text:
        parts, tail = _rejoin_escaped(parts, tail, term, rel)
    if indented or (layout and parts and parts[-1][:1] in layout):
        parts = [p.lstrip(layout) for p in parts]
    if "" in parts:
        parts = [p for p in parts if p]
    return parts, tail.strip(layout)


def _rejoin_escaped(parts: list[str], tail: str, term: str, rel: str) -> tuple[list[str], str]:
    merged: list[str] = []
    pending: str | None = None
    for part in parts:
        if pending is not None:
            part = pending + term + part
            pending = None
        if part.endswith(rel) and (len(part) - len(part.rstrip(rel))) % 2:
            pending = part  # the terminator after it was released: it is data
            continue
        merged.append(part)
    if pending is not None:
        tail = pending + term + tail
    return merged, tail


def split_elements(segment: str, chars: ServiceChars) -> list[list[str]]:
    """``[[tag], [c1, c2…], …]``: each data element as its list of components, unescaped."""
    rel = chars.release
    if not rel or rel not in segment:
        comp = chars.component
        return [e.split(comp) for e in segment.split(chars.element)]
    return split_released(segment, chars.element, chars.component, rel)


def split_released(segment: str, elem: str, comp: str, rel: str) -> list[list[str]]:
    elements: list[list[str]] = []
    components: list[str] = []
    buf: list[str] = []
    i, n = 0, len(segment)
    while i < n:
        ch = segment[i]
        if ch == rel and i + 1 < n:
            buf.append(segment[i + 1])
            i += 2
            continue
        if ch == elem:
            components.append("".join(buf))
            elements.append(components)
            components, buf = [], []
        elif ch == comp:
            components.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    components.append("".join(buf))
    elements.append(components)
    return elements


def value(elements: list[list[str]], element: int, component: int = 0) -> str:
    """The component at 1-based ``element`` / 0-based ``component``, or ``""`` if absent."""
    if element < len(elements):
        comps = elements[element]
        if component < len(comps):
            return comps[component]
    return ""


_SERVICE_TAGS = "BGHTEZ"  # UNB UNG UNH UNT UNE UNZ
_CHUNK = 1 << 16


class Segments:
    """One interchange's segments, indexed 0 = UNB.

    Two shapes behind one interface.  The *fast* shape keeps the text and only the
    service segments (UNB/UNG/UNH/UNT/UNE/UNZ) found by a regular expression; data
    segments are split out chunk by chunk when a message is read, so a 100,000-line
    message never exists as one list.  It is used when the text has no release
    character, no indentation, no unterminated tail and every segment starts with a
    well-formed tag.  Anything else takes the *listed* shape: every segment in a list.
    """

    __slots__ = ("text", "listed", "tail", "term", "elem", "_count", "_counted", "_counted_to")

    def __init__(self, text: str, chars: ServiceChars, *, force_listed: bool = False) -> None:
        self.term, self.elem = chars.terminator, chars.element
        #: The fast shape's text ("" in the listed shape)
        self.text = ""
        #: The listed shape's segments (None in the fast shape)
        self.listed: list[str] | None = None
        # The fast shape's terminators before offset _counted_to (envelope() counts them
        # on its way, so the total needs no pass of its own over the text); -1 untold
        self._count, self._counted, self._counted_to = -1, 0, 0
        body = None if force_listed else _fast_body(text, chars)
        if body is not None:
            self.text, self.tail = body, ""
        else:
            listed, self.tail = split_segments(text, chars)
            if self.tail:
                listed.append(self.tail)
            self.listed, self._count = listed, len(listed)

    @property
    def count(self) -> int:
        """How many segments there are."""
        if self._count < 0:
            self._count = self._counted + self.text.count(self.term, self._counted_to)
        return self._count

    @property
    def is_fast(self) -> bool:
        return self.listed is None

    def first(self) -> str:
        if self.listed is not None:
            return self.listed[0] if self.listed else ""
        end = self.text.find(self.term)
        return self.text[:end] if end >= 0 else self.text

    def end_offset(self) -> int:
        """Offset of the last terminator (fast shape), where an unclosed message ends."""
        return self.text.rfind(self.term) if self.listed is None else -1

    def envelope(self) -> Iterator[tuple[int, str, int]]:
        """``(index, segment, offset)`` from index 1 on: every segment (listed) or only
        the service segments (fast; ``offset`` is where the segment starts)."""
        if self.listed is not None:
            for index in range(1, len(self.listed)):
                yield index, self.listed[index], -1
            return
        text, term = self.text, self.term
        after_tag = self.elem + term
        # str.find looks for the rare "'UN" in C several times faster than a pattern
        index, counted_to = 0, 0
        found = text.find(term + "UN")
        while found >= 0:
            start = found + 1
            ends = text[start + 2 : start + 4]  # the tag's last letter and what follows it
            if len(ends) == 2 and ends[0] in _SERVICE_TAGS and ends[1] in after_tag:
                index += text.count(term, counted_to, start)
                counted_to = start
                self._counted, self._counted_to = index, start
                yield index, text[start : text.find(term, start)], start
            found = text.find(term + "UN", start)

    def chunks(self, first: int, last: int, start: int, end: int) -> Iterator[list[str]]:
        """Segments ``first``…``last`` (listed) or those between offsets ``start``…``end``
        (fast), as lists of consecutive segments."""
        if self.listed is not None:
            yield self.listed[first : last + 1]
            return
        term = self.term
        for text in self.texts(start, end):
            yield text.split(term)

    def texts(self, start: int, end: int, *, lead: bool = False) -> Iterator[str]:
        """The fast shape's text between offsets ``start``…``end`` in pieces of whole
        segments (about 64 KiB each), without the terminator after each piece's last;
        ``lead`` starts each piece with the terminator before its first segment instead
        (one slice, where adding it would copy the piece again)."""
        text, term = self.text, self.term
        pos = start
        while pos < end:
            stop = pos + _CHUNK
            if stop < end:
                cut = text.rfind(term, pos, stop)
                if cut < 0:
                    cut = text.find(term, stop, end)
                    cut = end if cut < 0 else cut
            else:
                cut = end
            if not lead:
                yield text[pos:cut]
            elif pos:  # the terminator before a segment is the character before it
                yield text[pos - 1 : cut]
            else:
                yield term + text[:cut]
            pos = cut + 1


def _fast_body(text: str, chars: ServiceChars) -> str | None:
    """``text`` without line breaks when the fast shape can read it, else None."""
    term, elem = chars.terminator, chars.element
    # Indentation needs no check: a blank after a terminator fails the tag test below.
    if term in "\r\n \t" or (chars.release and chars.release in text):
        return None
    if "\r" in text:
        text = text.replace("\r", "")
    if "\n" in text:
        text = text.replace("\n", "")
    if not text[-16:].rstrip(" \t").endswith(term):
        return None  # an unterminated last segment
    tagged, untagged = _tag_patterns(elem, term)
    if not tagged.match(text):
        return None  # the first segment does not start with a tag
    found = untagged.search(text)
    if found is not None and text[found.end() :].strip(" \t"):
        return None  # a segment that does not start with a tag (not the blanks at the end)
    return text


@lru_cache(maxsize=8)
def _tag_patterns(elem: str, term: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A tag (three upper-case letters or digits, then a separator), and a terminator
    not followed by one.  The first terminator without a tag after it may be the last
    of the text (the caller looks at what follows): a lookahead for "a tag or the end"
    at each of half a million terminators took 40 % longer."""
    t, e = re.escape(term), re.escape(elem)
    return re.compile(f"[A-Z0-9]{{3}}[{e}{t}]"), re.compile(f"{t}(?![A-Z0-9]{{3}}[{e}{t}])")
