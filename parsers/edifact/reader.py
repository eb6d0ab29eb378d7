"""Read EDIFACT bytes: find the interchanges, decode each in its character set, check
its envelope and read every accepted ORDERS message into an order.

Interchanges are independent: each may have its own UNA and character set, and a
broken one is reported without stopping the others.  Only bytes that are not EDIFACT
at all raise (:class:`UnrecognisedFormat`, :class:`EmptyFile`, or
:class:`InvalidStructure` for a first UNA that cannot be used).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from parsers.document import Envelope
from parsers.edifact import charsets
from parsers.edifact.envelope import MessageSpan, walk_interchange
from parsers.edifact.orders import build_order, line_groups
from parsers.edifact.reports import (
    SERVICE_MESSAGES,
    EdifactReadResult,
    InterchangeReport,
    InterchangeVerdict,
    SyntaxErrorCode,
    SyntaxIssue,
)
from parsers.edifact.service_chars import (
    DEFAULT,
    UNA_LENGTH,
    InvalidServiceChars,
    ServiceChars,
    parse_una,
)
from parsers.edifact.tokenizer import split_released
from parsers.errors import EmptyFile, InvalidStructure, UnrecognisedFormat
from parsers.gc_pause import paused_gc

_BOM = b"\xef\xbb\xbf"
#: Messages read into orders: purchase orders and the buyer's changes to them
ORDER_MESSAGES = frozenset({"ORDERS", "ORDCHG"})
_LAYOUT = b" \t\r\n"
_START = re.compile(rb"[ \t\r\n]*(?:UNA|UNB[^A-Za-z0-9])")


@dataclass(slots=True)
class _Chunk:
    start: int
    end: int
    chars: ServiceChars
    una_present: bool
    una_error: str | None = None


def recognise(data: bytes) -> bool:
    """Whether ``data`` looks like EDIFACT: UNA or UNB first (after a BOM and blanks)."""
    head = data[:64]
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    return _START.match(head) is not None


def read(data: bytes, *, accept_trailer_errors: bool = False) -> EdifactReadResult:
    """Every interchange in ``data``, with an order per accepted ORDERS message.

    ``accept_trailer_errors`` tolerates wrong UNT/UNE/UNZ counts or references and a
    missing UNZ (they become warnings); by default they reject their level, as a
    CONTRL would report them.
    """
    body = data[len(_BOM) :] if data.startswith(_BOM) else data
    offset = len(body) - len(body.lstrip(_LAYOUT))
    if offset == len(body):
        raise EmptyFile("the file holds no EDIFACT data", line=1)
    if not recognise(body):
        found = body[offset : offset + 20].decode("latin-1")
        raise UnrecognisedFormat(
            "not EDIFACT: no UNA or UNB at the start",
            line=1,
            expected="UNA or UNB",
            found=found,
        )
    result = EdifactReadResult()
    position = 1
    # Orders build hundreds of thousands of objects without reference cycles (see
    # parsers.gc_pause: 3x slower at 100k lines with the collector running)
    with paused_gc():
        for chunk in _split_interchanges(body, offset):
            report, used = _read_interchange(body, chunk, position, accept_trailer_errors, result)
            result.interchanges.append(report)
            position += used
    for number, report in enumerate(result.interchanges, 1):
        result.warnings.extend(f"interchange {number}: {w}" for w in report.warnings)
    return result


def _split_interchanges(data: bytes, offset: int) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    pos = offset
    while pos < len(data):
        chars, una_error, una = DEFAULT, None, data.startswith(b"UNA", pos)
        if una:
            text = data[pos : pos + UNA_LENGTH].decode("latin-1")
            try:
                chars = parse_una(text)
            except InvalidServiceChars as exc:
                if not chunks:
                    raise InvalidStructure(
                        str(exc),
                        line=1,
                        segment="UNA",
                        expected="UNA and six service characters",
                        found=text,
                    ) from None
                una_error = str(exc)
        end = _next_interchange(data, pos + (UNA_LENGTH if una else 3), chars)
        chunks.append(_Chunk(pos, end, chars, una, una_error))
        pos = end + len(data[end:]) - len(data[end:].lstrip(_LAYOUT))
    return chunks


def _next_interchange(data: bytes, pos: int, chars: ServiceChars) -> int:
    """Where the next UNA/UNB begins after a real (unreleased) terminator, or the end."""
    term = chars.terminator.encode("latin-1")
    release = chars.release.encode("latin-1")
    elem = chars.element.encode("latin-1")
    if len(term) == 1 and term not in _LAYOUT and not term.isalnum():
        return _next_header(data, pos, term, release, elem)
    pattern = re.compile(re.escape(term) + rb"[ \t\r\n]*(?=UNA|UNB" + re.escape(elem) + rb")")
    for match in pattern.finditer(data, pos):
        if _released(data, match.start(), release):
            continue  # a released terminator is data
        return match.start() + len(term)
    return len(data)


def _next_header(data: bytes, pos: int, term: bytes, release: bytes, elem: bytes) -> int:
    """:func:`_next_interchange` by looking for the rare ``UNA``/``UNB`` first (one
    pattern pass, in C: half the time of a ``find`` for each, which both scan the
    whole of a one-interchange file) and then back for the terminator, instead of
    trying every terminator."""
    for found in _header_pattern(elem).finditer(data, pos):
        k = found.start()
        while k > pos and data[k - 1] in _LAYOUT:
            k -= 1
        start = k - 1
        if start < pos or data[start : start + 1] != term:
            continue
        if _released(data, start, release):
            continue  # a released terminator is data
        return start + 1
    return len(data)


@lru_cache(maxsize=8)
def _header_pattern(elem: bytes) -> re.Pattern[bytes]:
    """``UNA`` or ``UNB`` and the element separator, wherever they are."""
    return re.compile(b"UN(?:A|B" + re.escape(elem) + b")")


def _released(data: bytes, at: int, release: bytes) -> bool:
    """Whether the character at ``at`` follows an odd run of release characters."""
    if not release:
        return False
    run, k = 0, at - 1
    while k >= 0 and data[k : k + 1] == release:
        run, k = run + 1, k - 1
    return run % 2 == 1


def _syntax_identifier(raw: bytes, chars: ServiceChars) -> str:
    elem = re.escape(chars.element.encode("latin-1"))
    found = re.search(rb"UNB" + elem + rb"([A-Za-z]{4})", raw[:200])
    return found.group(1).decode("ascii").upper() if found else "UNOA"


def _read_interchange(
    data: bytes,
    chunk: _Chunk,
    position: int,
    accept_trailer_errors: bool,
    result: EdifactReadResult,
) -> tuple[InterchangeReport, int]:
    raw = data[chunk.start : chunk.end]
    syntax_id = _syntax_identifier(raw, chunk.chars)
    decoded = charsets.decode(raw, syntax_id)
    text = decoded.text[UNA_LENGTH:] if chunk.una_present else decoded.text
    walked = walk_interchange(
        text,
        chunk.chars,
        first_position=position,
        una_present=chunk.una_present,
        accept_trailer_errors=accept_trailer_errors,
    )
    # The walk keeps the text it needs; two more copies of a big interchange would
    # only raise the peak while its orders are built.
    del text
    decoded.text = ""
    report = walked.report
    report.charset = decoded.codec
    report.line_ending = _line_ending(raw, chunk)
    report.warnings[:0] = decoded.warnings
    if chunk.una_error:
        report.errors.insert(
            0,
            SyntaxIssue(
                code=SyntaxErrorCode.INVALID_SERVICE_CHARACTERS,
                text=chunk.una_error,
                position=position,
                segment_tag="UNA",
            ),
        )
    if report.syntax_identifier and charsets.codec_for(report.syntax_identifier) is None:
        report.errors.append(
            SyntaxIssue(
                code=SyntaxErrorCode.CHARACTER_SET_NOT_SUPPORTED,
                text=f"syntax identifier {report.syntax_identifier!r} is not supported",
                position=position + (1 if chunk.una_present else 0),
                segment_tag="UNB",
                element=1,
                component=1,
            )
        )
    if decoded.bad_offset is not None:
        term = chunk.chars.terminator.encode("latin-1")
        bad = raw[decoded.bad_offset]
        report.errors.append(
            SyntaxIssue(
                code=SyntaxErrorCode.INVALID_CHARACTERS,
                text=(
                    f"byte 0x{bad:02X} is not a character of {syntax_id} ({decoded.codec}) "
                    "and the data is not UTF-8 either"
                ),
                position=position + raw[: decoded.bad_offset].count(term),
            )
        )
    _read_messages(walked.spans, report, chunk.chars, result)
    return report, walked.segment_count


def _line_ending(raw: bytes, chunk: _Chunk) -> str:
    """What follows the UNB's terminator: the sender's line ending, written once."""
    term = chunk.chars.terminator.encode("latin-1")
    start = raw.find(b"UNB")
    end = raw.find(term, start) if start >= 0 else -1
    if end < 0 or term in b"\r\n":
        return ""
    after = raw[end + 1 : end + 3]
    for ending in (b"\r\n", b"\n", b"\r"):
        if after.startswith(ending):
            return ending.decode("ascii")
    return ""


def _read_messages(
    spans: list[MessageSpan],
    report: InterchangeReport,
    chars: ServiceChars,
    result: EdifactReadResult,
) -> None:
    groups_ok: dict[str | None, bool] = {g.ref: g.accepted for g in report.groups}
    # Stamped on every order so a reply can be written in the sender's own syntax and
    # service characters without going back to the interchange.
    syntax = f"{report.syntax_identifier or 'UNOC'}:{report.syntax_version or '3'}"
    service_string = report.service_chars.una()
    groups = {g.ref: g for g in report.groups}
    for span in spans:
        message = span.report
        group = groups.get(message.group_ref) if message.group_ref else None
        if message.type in SERVICE_MESSAGES:
            message.warnings.append(f"{message.type} is a service message, not an order")
            if message.type == "CONTRL":
                message.verdict = _read_uci(span, chars)
            continue
        if message.type not in ORDER_MESSAGES:
            message.errors.append(
                SyntaxIssue(
                    code=SyntaxErrorCode.NO_AGREEMENT,
                    text=f"message type {message.type!r} is not accepted here "
                    "(only ORDERS and ORDCHG)",
                    position=message.position,
                    message_position=1,
                    segment_tag="UNH",
                    element=2,
                    component=1,
                    message_ref=message.ref,
                )
            )
            continue
        if not (report.accepted and message.accepted and groups_ok.get(message.group_ref, True)):
            continue
        envelope = Envelope(
            sender_id=report.sender_id,
            sender_qualifier=report.sender_qualifier,
            recipient_id=report.recipient_id,
            recipient_qualifier=report.recipient_qualifier,
            interchange_ref=report.control_ref,
            group_ref=message.group_ref,
            message_ref=message.ref,
            message_type=message.identifier,
            syntax=syntax,
            service_string=service_string,
            version=f"{message.version}:{message.release}",
            application_sender=group.sender_id if group else None,
            application_recipient=group.recipient_id if group else None,
            line_ending=report.line_ending,
        )
        changes = message.type == "ORDCHG"
        document = build_order(
            span.chunks()
            if span.has_release or changes
            else line_groups(span.texts(lead=True), chars),
            span.first_position,
            chars,
            message,
            envelope,
            released=span.has_release,
            changes=changes,
        )
        if message.accepted:
            message.document = document
            result.documents.append(document)


def _read_uci(span: MessageSpan, chars: ServiceChars) -> InterchangeVerdict | None:
    """The UCI of a received CONTRL: which of our interchanges, and what became of it."""
    for chunk in span.chunks():
        for segment in chunk:
            if segment.startswith("UCI" + chars.element):
                els = split_released(segment, chars.element, chars.component, chars.release)
                ref, action, error = (els[i][0].strip() if len(els) > i else "" for i in (1, 4, 5))
                return InterchangeVerdict(interchange_ref=ref, action=action, error=error or None)
    return None
