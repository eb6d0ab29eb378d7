"""Read X12 bytes: recognise them, cut them into segments, and read every 850.

Bytes are decoded as text first (UTF-8, else ISO-8859-1), because the ISA is
defined in characters and real files pad it with multi-byte NBSPs.  Each ISA is
read for its own delimiters, so a file may hold several interchanges written by
different translators.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import repeat
from typing import NamedTuple

from parsers.document import Envelope
from parsers.errors import EmptyFile, ParseError
from parsers.gc_pause import paused_gc
from parsers.x12.codes import SetErrorCode
from parsers.x12.delimiters import Delimiters, parse_isa
from parsers.x12.envelope import walk_interchange
from parsers.x12.order_850 import ID_QUALIFIERS, read_850
from parsers.x12.received_acks import read_functional_ack
from parsers.x12.reports import ACKNOWLEDGMENT_SETS, InterchangeReport, X12ReadResult
from parsers.x12.ta1 import REJECTING


class Segment(NamedTuple):
    """One segment as tokenised: its position in the file and its elements."""

    position: int  # 1-based within the file
    elements: list[str]  # elements[0] is the segment id

    @property
    def id(self) -> str:
        return self.elements[0]


class _Interchange(NamedTuple):
    delimiters: Delimiters
    segments: list[str]
    base: int  # segments before this interchange in the file


def recognise(data: bytes) -> bool:
    """True when the bytes start (after a BOM or whitespace) with a readable ISA."""
    head = data[:600]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    # ISO-8859-1 never fails and keeps every separator one character wide.
    text = head.decode("latin-1").lstrip(" \t\r\n\x00")
    try:
        parse_isa(text)
    except ParseError:
        return False
    return True


def _decode(data: bytes, warnings: list[str]) -> tuple[str, bool]:
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        warnings.append("file is not UTF-8; decoded as ISO-8859-1")
        return data.decode("latin-1"), False


def _segment_start(text: str, tag: str, terminator: str, start: int, padding: str) -> int:
    """Index of the next ``tag`` that begins a segment (after a terminator and padding)."""
    i = text.find(tag, start)
    while i >= 0:
        j = i - 1
        while j >= start and text[j] != terminator and text[j] in padding:
            j -= 1
        if j < start or text[j] == terminator:
            return i
        i = text.find(tag, i + 1)
    return -1


def _pieces(text: str, delimiters: Delimiters, padding: str) -> list[str]:
    """``text`` cut at each segment terminator, to be stripped of ``padding`` next.

    When every terminator is followed by the interchange's line ending (and that is
    padding, as it nearly always is), the text is cut at terminator + line ending
    instead: the same segments once stripped, but each piece no longer starts with a
    line break, so the strip that follows returns it as it is instead of copying it
    (200,000 copies made and freed for a 100,000-line order; 0.04 s).
    """
    terminator = delimiters.segment
    cut = terminator + delimiters.line_ending
    if cut != terminator and delimiters.line_ending.strip(padding) == "":
        pieces = text.split(cut)
        tail = pieces[-1]
        if tail.endswith(terminator):  # the last one, its line ending not in ``text``
            pieces[-1:] = [tail[:-1], ""]
        if len(pieces) == text.count(terminator) + 1:  # no terminator without its ending
            return pieces
    return text.split(terminator)


def _interchanges(data: bytes, warnings: list[str]) -> list[_Interchange]:
    if not data.strip():
        raise EmptyFile("the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        warnings.append("UTF-8 byte order mark before ISA ignored")
        data = data[3:]
    text, _ = _decode(data, warnings)
    start = len(text) - len(text.lstrip(" \t\r\n\x00"))
    if start:
        warnings.append("whitespace before the first ISA ignored")
    found: list[_Interchange] = []
    base = 0
    while True:
        try:
            header = parse_isa(text, start, position=base + 1)
        except ParseError as error:
            if not found:
                raise
            # Later interchanges must not take the good ones down with them.
            warnings.append(f"{error}; the rest of the file was ignored")
            return found
        warnings.extend(header.warnings)
        d = header.delimiters
        padding = d.padding()
        after_isa = header.end
        iea = _segment_start(text, "IEA" + d.element, d.segment, after_isa, padding)
        nxt = _segment_start(text, "ISA" + d.element, d.segment, after_isa, padding)
        if iea >= 0 and (nxt < 0 or iea < nxt):
            stop = text.find(d.segment, iea)
            end = len(text) if stop < 0 else stop + len(d.segment)
        elif nxt >= 0:
            end = nxt
        else:
            end = len(text)
        pieces = _pieces(text[start:end], d, padding)
        # map/filter run in C: this is once per segment of a file that may hold 200,000
        segments = list(filter(None, map(str.strip, pieces, repeat(padding))))
        if pieces[-1].strip(padding):
            warnings.append(
                f"segment {base + len(segments)} {segments[-1].split(d.element, 1)[0]}: "
                "no segment terminator at the end of the file"
            )
        found.append(_Interchange(d, segments, base))
        base += len(segments)
        rest = text[end:]
        start = end + len(rest) - len(rest.lstrip(padding))
        if start >= len(text):
            return found
        if not text.startswith("ISA", start):
            warnings.append(
                f"after segment {base}: {len(text) - start} characters that are not an "
                "interchange were ignored"
            )
            return found


def segments(data: bytes) -> list[Segment]:
    """Every segment of every interchange, split into elements (components left whole)."""
    result: list[Segment] = []
    with paused_gc():  # one tuple and one list per segment, never in a cycle (see read)
        for interchange in _interchanges(data, []):
            separator = interchange.delimiters.element
            for i, text in enumerate(interchange.segments):
                result.append(Segment(interchange.base + i + 1, text.split(separator)))
    return result


def read(
    data: bytes, *, id_qualifiers: Mapping[str, tuple[str, ...]] = ID_QUALIFIERS
) -> X12ReadResult:
    """Read every 850 in ``data`` into an order, and report every envelope.

    Raises :class:`~parsers.x12.delimiters.NotX12` (a ``ParseError``) when the bytes
    are not X12, :class:`~parsers.errors.EmptyFile` when there are none, and
    :class:`~parsers.errors.InvalidStructure` when the first ISA is unreadable.
    Everything else – wrong counts, missing trailers, bad values – is reported in
    ``result.interchanges`` and never raises.  ``id_qualifiers`` maps PO1 product-id
    qualifiers to line fields (see :mod:`parsers.x12.order_850`).
    """
    # A big 850 builds several objects per line, none in a reference cycle; with the
    # cyclic collector running, its passes over the growing heap cost as much as
    # the reading itself (0.9 s instead of 0.5 s at 100,000 lines).
    with paused_gc():
        return _read(data, id_qualifiers)


#: The transaction sets read into orders, and the GS01 their group should have
ORDER_SETS = {"850": "PO", "860": "PC"}


def _read(
    data: bytes, id_qualifiers: Mapping[str, tuple[str, ...]], *, usual_lines: bool = True
) -> X12ReadResult:
    """:func:`read`'s work; ``usual_lines=False`` reads every PO1 the general way (see
    :func:`~parsers.x12.order_850.read_850`), the reading the usual one is held to."""
    result = X12ReadResult()
    warnings = result.warnings
    for chunk in _interchanges(data, warnings):
        interchange, spans = walk_interchange(chunk.segments, chunk.base, chunk.delimiters)
        result.interchanges.append(interchange)
        _check_versions(interchange, warnings)
        if any(e.code in REJECTING for e in interchange.errors):
            continue  # refused whole (TA1 R): none of its sets is read
        # Stamped on every order so a reply can use the sender's own delimiters
        service_string = interchange.delimiters.service_string()
        line_ending = interchange.delimiters.line_ending
        for span in spans:
            report = span.report
            group = span.group
            if report.set_id in ACKNOWLEDGMENT_SETS:
                result.functional_acks.append(
                    read_functional_ack(
                        chunk.segments,
                        span.start,
                        span.end,
                        chunk.base,
                        chunk.delimiters.element,
                        report.set_id,
                    )
                )
                continue
            if report.set_id not in ORDER_SETS:
                if not report.rejected:
                    report.reject(
                        SetErrorCode.NOT_SUPPORTED,
                        f"transaction set {report.set_id!r} is not an 850 purchase order "
                        "or an 860 change",
                        report.location,
                    )
                continue
            expected = ORDER_SETS[report.set_id]
            if group.functional_id != expected:
                warnings.append(
                    f"{group.location}: GS01 is {group.functional_id!r}, not {expected!r}, "
                    f"for a group holding {report.set_id}s"
                )
            envelope = Envelope(
                sender_id=interchange.sender_id,
                sender_qualifier=interchange.sender_qualifier,
                recipient_id=interchange.recipient_id,
                recipient_qualifier=interchange.recipient_qualifier,
                interchange_ref=interchange.control_ref,
                group_ref=group.control_number,
                message_ref=report.control_number,
                message_type=report.set_id,
                syntax=interchange.version,
                service_string=service_string,
                version=group.version,
                application_sender=group.application_sender,
                application_recipient=group.application_receiver,
                line_ending=line_ending,
            )
            document = read_850(
                chunk.segments,
                span.start,
                span.end,
                chunk.base,
                chunk.delimiters.element,
                envelope,
                report,
                warnings,
                id_qualifiers,
                consume=True,  # nothing reads a set's segments after its order
                usual_lines=usual_lines,
            )
            if document is not None and not report.rejected:
                report.document = document
                result.documents.append(document)
    return result


def _check_versions(interchange: InterchangeReport, warnings: list[str]) -> None:
    for group in interchange.groups:
        if group.version[:5] != interchange.version:
            warnings.append(
                f"{group.location}: GS08 {group.version!r} and ISA12 "
                f"{interchange.version!r} name different versions"
            )
