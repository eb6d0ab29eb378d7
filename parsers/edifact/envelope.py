"""Walk one interchange's segments: UNB/UNG/UNH…UNT/UNE/UNZ structure and control checks.

Every finding becomes a :class:`SyntaxIssue` on the level it rejects; nothing raises.
Trailer checks (UNT/UNE/UNZ counts and references, a missing UNZ) may be tolerated
by passing ``accept_trailer_errors``: they are then recorded as warnings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from parsers.edifact.reports import (
    GroupReport,
    InterchangeReport,
    MessageReport,
    SyntaxErrorCode,
    SyntaxIssue,
)
from parsers.edifact.service_chars import ServiceChars
from parsers.edifact.tokenizer import Segments, split_elements, value

E = SyntaxErrorCode
_SUPPORTED_VERSIONS = frozenset("1234")
_TRAILER_CODES = frozenset({E.CONTROL_COUNT_DOES_NOT_MATCH, E.REFERENCES_DO_NOT_MATCH})


@dataclass(slots=True)
class MessageSpan:
    """A message's report and where its segments (UNH…UNT) are in the interchange."""

    report: MessageReport
    source: Segments
    first_index: int
    last_index: int
    start_offset: int  # text offsets, fast shape only (-1 otherwise)
    end_offset: int
    first_position: int  # file position of the UNH

    def chunks(self) -> Iterator[list[str]]:
        """The message's segments, UNH first, as consecutive lists."""
        return self.source.chunks(
            self.first_index, self.last_index, self.start_offset, self.end_offset
        )

    def texts(self, *, lead: bool = False) -> Iterator[str]:
        """The fast shape's message text in pieces of whole segments (UNH first), each
        piece after the terminator before it with ``lead``."""
        return self.source.texts(self.start_offset, self.end_offset, lead=lead)

    @property
    def has_release(self) -> bool:
        """Whether any segment may hold a release character (never in the fast shape)."""
        return not self.source.is_fast


class _NeedsListing(Exception):
    """The fast shape met data segments outside any message: walk every segment instead."""


@dataclass(slots=True)
class WalkedInterchange:
    report: InterchangeReport
    spans: list[MessageSpan] = field(default_factory=list)
    segment_count: int = 0  # segments seen, for the next interchange's positions


def _is_tag(segment: str, elem: str) -> bool:
    tag = segment[:3]
    return len(tag) == 3 and tag.isalnum() and tag.isupper() and segment[3:4] in ("", elem)


class _Walker:
    def __init__(
        self, report: InterchangeReport, chars: ServiceChars, accept_trailer_errors: bool
    ) -> None:
        self.report = report
        self.chars = chars
        self.lenient = accept_trailer_errors
        self.spans: list[MessageSpan] = []
        self.source: Segments | None = None
        self.first_position = 0
        self.message: MessageReport | None = None
        self.message_start = 0
        self.message_offset = -1
        self.group: GroupReport | None = None
        self.group_messages = 0
        self.messages_outside_groups = 0
        self.unz_seen = False
        self.refs: set[str] = set()

    # -- recording -------------------------------------------------------------------------
    def _record(self, errors: list[SyntaxIssue], warnings: list[str], issue: SyntaxIssue) -> None:
        trailer = issue.code in _TRAILER_CODES or (
            issue.code is E.MISSING and issue.segment_tag == "UNZ"
        )
        if self.lenient and trailer:
            warnings.append(f"{issue} (tolerated)")
        else:
            errors.append(issue)

    def interchange_issue(self, issue: SyntaxIssue) -> None:
        self._record(self.report.errors, self.report.warnings, issue)

    def message_issue(self, message: MessageReport, issue: SyntaxIssue) -> None:
        issue.message_ref = message.ref
        self._record(message.errors, message.warnings, issue)

    def group_issue(self, group: GroupReport, issue: SyntaxIssue) -> None:
        self._record(group.errors, self.report.warnings, issue)

    # -- structure -------------------------------------------------------------------------
    def open_message(self, index: int, offset: int, position: int, els: list[list[str]]) -> None:
        ref = value(els, 1)
        msg = MessageReport(
            ref=ref,
            type=value(els, 2, 0),
            version=value(els, 2, 1),
            release=value(els, 2, 2),
            agency=value(els, 2, 3),
            association=value(els, 2, 4),
            group_ref=self.group.ref if self.group else None,
            position=position,
        )
        self.report.messages.append(msg)
        self.message, self.message_start, self.message_offset = msg, index, offset
        if not ref:
            self.message_issue(msg, _missing("UNH", position, 1, "message reference (0062)", 1))
        elif ref in self.refs:
            self.message_issue(
                msg,
                SyntaxIssue(
                    code=E.DUPLICATE_DETECTED,
                    text=f"message reference {ref!r} used twice in this interchange",
                    position=position,
                    message_position=1,
                    segment_tag="UNH",
                    element=1,
                ),
            )
        self.refs.add(ref)
        if not msg.type or not msg.version or not msg.release or not msg.agency:
            self.message_issue(
                msg,
                _missing("UNH", position, 2, "message identifier (type:version:release:agency)", 1),
            )
        if self.group is not None:
            self.group_messages += 1
        else:
            self.messages_outside_groups += 1
            if self.report.groups:
                self.interchange_issue(_mixed(position))

    def close_message(self, end_index: int, end_offset: int, unt_position: int | None) -> None:
        msg = self.message
        assert msg is not None and self.source is not None
        msg.segment_count = end_index - self.message_start + 1
        self.spans.append(
            MessageSpan(
                msg,
                self.source,
                self.message_start,
                end_index,
                self.message_offset,
                end_offset,
                self.first_position + self.message_start,
            )
        )
        if unt_position is None:
            last = self.first_position + end_index
            self.message_issue(
                msg,
                SyntaxIssue(
                    code=E.MISSING,
                    text="message trailer UNT missing",
                    position=last,
                    message_position=msg.segment_count,
                    segment_tag="UNT",
                ),
            )
        self.message = None

    def close_group(self, position: int, une: list[list[str]] | None) -> None:
        group = self.group
        assert group is not None
        if une is None:
            self.group_issue(
                group,
                SyntaxIssue(
                    code=E.MISSING,
                    text="functional group trailer UNE missing",
                    position=position,
                    segment_tag="UNE",
                ),
            )
        else:
            _check_count(
                self.group_issue, group, une, position, "UNE", self.group_messages, "messages"
            )
            if value(une, 2) != group.ref:
                self.group_issue(
                    group,
                    _mismatch("UNE", position, 2, "group reference", value(une, 2), group.ref),
                )
        self.group = None
        self.group_messages = 0

    def walk(self, source: Segments, first_position: int) -> None:
        self.source, self.first_position = source, first_position
        chars, report = self.chars, self.report
        elem = chars.element
        fast = source.is_fast
        data_tags: set[str] = set()  # tags already seen to be well-formed data segments
        previous = 0
        for index, seg, offset in source.envelope():
            tag = seg[:3]
            if fast and self.message is None and index != previous + 1:
                raise _NeedsListing
            previous = index
            if tag in data_tags and self.message is not None and (len(seg) == 3 or seg[3] == elem):
                continue  # the common case of the listed shape: a data segment in a message
            position = first_position + index
            before = offset - 1  # where a message cut short by this segment ends (fast shape)
            if tag == "UNH" and seg[3:4] == elem:
                if self.message is not None:
                    self.close_message(index - 1, before, None)
                self.open_message(index, offset, position, split_elements(seg, chars))
            elif tag == "UNT" and seg[3:4] in (elem, ""):
                self._unt(index, offset + len(seg), position, split_elements(seg, chars))
            elif self.message is not None and _is_tag(seg, elem) and tag not in _ENVELOPE_TAGS:
                data_tags.add(tag)
            elif not _is_tag(seg, elem):
                issue = SyntaxIssue(
                    code=E.INVALID_VALUE,
                    text=f"not a segment: {seg[:20]!r} (a tag is three upper-case letters/digits)",
                    position=position,
                )
                if self.message is not None:
                    issue.message_position = index - self.message_start + 1
                    self.message_issue(self.message, issue)
                else:
                    self.interchange_issue(issue)
            elif tag == "UNG":
                self._ung(index, before, position, split_elements(seg, chars))
            elif tag == "UNE":
                if self.message is not None:
                    self.close_message(index - 1, before, None)
                if self.group is None:
                    self.interchange_issue(_outside("UNE", position, "a functional group"))
                else:
                    self.close_group(position, split_elements(seg, chars))
            elif tag == "UNZ":
                self._unz(index, before, position, split_elements(seg, chars))
            else:
                self.interchange_issue(_outside(tag, position, "a message"))
        last_index = source.count - 1
        if fast and self.message is None and previous != last_index:
            raise _NeedsListing
        last_position = first_position + last_index
        if self.message is not None:
            self.close_message(last_index, source.end_offset(), None)
        if self.group is not None:
            self.close_group(last_position, None)
        if not self.unz_seen:
            self.interchange_issue(
                SyntaxIssue(
                    code=E.MISSING,
                    text="interchange trailer UNZ missing",
                    position=last_position,
                    segment_tag="UNZ",
                )
            )
        if not report.messages and not report.errors:
            self.interchange_issue(
                SyntaxIssue(
                    code=E.LOWER_LEVEL_EMPTY,
                    text="interchange holds no message",
                    position=first_position,
                    segment_tag="UNB",
                )
            )

    def _unt(self, index: int, end: int, position: int, els: list[list[str]]) -> None:
        msg = self.message
        if msg is None:
            self.interchange_issue(_outside("UNT", position, "a message"))
            return
        self.close_message(index, end, position)
        _check_count(
            self.message_issue, msg, els, position, "UNT", msg.segment_count, "segments", msg
        )
        if value(els, 2) != msg.ref:
            issue = _mismatch("UNT", position, 2, "message reference", value(els, 2), msg.ref)
            issue.message_position = msg.segment_count
            self.message_issue(msg, issue)

    def _ung(self, index: int, before: int, position: int, els: list[list[str]]) -> None:
        if self.message is not None:
            self.close_message(index - 1, before, None)
        if self.group is not None:
            self.close_group(position - 1, None)
        if self.messages_outside_groups:
            self.interchange_issue(_mixed(position))
        group = GroupReport(
            ref=value(els, 5),
            function=value(els, 1),
            sender_id=value(els, 2, 0) or None,
            sender_qualifier=value(els, 2, 1) or None,
            recipient_id=value(els, 3, 0) or None,
            recipient_qualifier=value(els, 3, 1) or None,
            position=position,
        )
        if not group.ref:
            self.group_issue(group, _missing("UNG", position, 5, "group reference (0048)"))
        self.report.groups.append(group)
        self.group, self.group_messages = group, 0

    def _unz(self, index: int, before: int, position: int, els: list[list[str]]) -> None:
        if self.message is not None:
            self.close_message(index - 1, before, None)
        if self.group is not None:
            self.close_group(position - 1, None)
        report = self.report
        if self.unz_seen:
            self.interchange_issue(_outside("UNZ", position, "the interchange (second UNZ)"))
            return
        self.unz_seen = True
        if report.groups:
            expected, what = len(report.groups), "functional groups"
        else:
            expected, what = len(report.messages), "messages"
        _check_count(self.interchange_issue, None, els, position, "UNZ", expected, what)
        if value(els, 2) != (report.control_ref or ""):
            self.interchange_issue(
                _mismatch(
                    "UNZ", position, 2, "interchange reference", value(els, 2), report.control_ref
                )
            )


_ENVELOPE_TAGS = frozenset({"UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"})


def _missing(
    tag: str, position: int, element: int, what: str, message_position: int | None = None
) -> SyntaxIssue:
    return SyntaxIssue(
        code=E.MISSING,
        text=f"{what} missing",
        position=position,
        message_position=message_position,
        segment_tag=tag,
        element=element,
    )


def _mismatch(
    tag: str, position: int, element: int, what: str, found: str, expected: str | None
) -> SyntaxIssue:
    return SyntaxIssue(
        code=E.REFERENCES_DO_NOT_MATCH,
        text=f"{tag} {what} {found!r} does not match the header's {expected!r}",
        position=position,
        segment_tag=tag,
        element=element,
    )


def _outside(tag: str, position: int, where: str) -> SyntaxIssue:
    return SyntaxIssue(
        code=E.INVALID_OCCURRENCE_OUTSIDE_MESSAGE,
        text=f"{tag} segment outside {where}",
        position=position,
        segment_tag=tag,
    )


def _mixed(position: int) -> SyntaxIssue:
    return SyntaxIssue(
        code=E.GROUPS_AND_MESSAGES_MIXED,
        text="messages both inside and outside functional groups",
        position=position,
    )


def _check_count(
    record: Callable[..., None],
    level: MessageReport | GroupReport | None,
    els: list[list[str]],
    position: int,
    tag: str,
    actual: int,
    what: str,
    message: MessageReport | None = None,
) -> None:
    written = value(els, 1)
    # ASCII only: "²".isdigit() is true, yet int() refuses it; a count longer than any
    # real one is compared as text (int() refuses 4,300 digits with a ValueError).
    numeric = written.isascii() and written.isdigit()
    if numeric and len(written) <= 18 and int(written) == actual:
        return
    issue = SyntaxIssue(
        code=E.CONTROL_COUNT_DOES_NOT_MATCH if numeric else E.INVALID_VALUE,
        text=(
            f"{tag} says {written[:20]}{'…' if len(written) > 20 else ''} {what}, found {actual}"
            if numeric
            else f"{tag} count {written!r} is not a number (found {actual} {what})"
        ),
        position=position,
        segment_tag=tag,
        element=1,
    )
    if message is not None:
        issue.message_position = message.segment_count
    if level is None:
        record(issue)
    else:
        record(level, issue)


def walk_interchange(
    text: str,
    chars: ServiceChars,
    *,
    first_position: int,
    una_present: bool,
    accept_trailer_errors: bool = False,
) -> WalkedInterchange:
    """Check the envelope of one interchange (``text`` starts after any UNA)."""
    report = InterchangeReport(
        position=first_position, service_chars=chars, una_present=una_present
    )
    try:
        return _walk(text, chars, report, first_position, una_present, accept_trailer_errors)
    except _NeedsListing:
        report = InterchangeReport(
            position=first_position, service_chars=chars, una_present=una_present
        )
        return _walk(text, chars, report, first_position, una_present, accept_trailer_errors, True)


def _walk(
    text: str,
    chars: ServiceChars,
    report: InterchangeReport,
    first_position: int,
    una_present: bool,
    accept_trailer_errors: bool,
    listed: bool = False,
) -> WalkedInterchange:
    source = Segments(text, chars, force_listed=listed)
    if source.tail:
        report.warnings.append(
            f"last segment has no terminator {chars.terminator!r}: {source.tail[:20]!r}"
        )
    start = first_position + (1 if una_present else 0)
    walked = WalkedInterchange(report)
    first = source.first()
    if first[:3] != "UNB":
        report.errors.append(
            SyntaxIssue(
                code=E.MISSING,
                text="interchange header UNB missing",
                position=start,
                segment_tag="UNB",
            )
        )
    else:
        _read_unb(report, split_elements(first, chars), start)
        walker = _Walker(report, chars, accept_trailer_errors)
        walker.walk(source, start)
        walked.spans = walker.spans
    # After the walk: the fast shape's count comes from where it stopped counting
    walked.segment_count = source.count + (1 if una_present else 0)
    return walked


def _read_unb(report: InterchangeReport, els: list[list[str]], position: int) -> None:
    report.syntax_identifier = value(els, 1, 0) or None
    report.syntax_version = value(els, 1, 1) or None
    report.sender_id = value(els, 2, 0) or None
    report.sender_qualifier = value(els, 2, 1) or None
    report.sender_routing = value(els, 2, 2) or None
    report.recipient_id = value(els, 3, 0) or None
    report.recipient_qualifier = value(els, 3, 1) or None
    report.recipient_routing = value(els, 3, 2) or None
    report.prepared_date = value(els, 4, 0) or None
    report.prepared_time = value(els, 4, 1) or None
    report.control_ref = value(els, 5) or None
    report.application_ref = value(els, 7) or None
    report.ack_requested = value(els, 9) == "1"
    report.test = value(els, 11) == "1"
    checks = [
        (report.syntax_identifier, 1, 1, "syntax identifier (0001)"),
        (report.syntax_version, 1, 2, "syntax version (0002)"),
        (report.sender_id, 2, 1, "interchange sender (0004)"),
        (report.recipient_id, 3, 1, "interchange recipient (0010)"),
        (report.control_ref, 5, None, "interchange control reference (0020)"),
    ]
    for found, element, component, what in checks:
        if found is None:
            report.errors.append(
                SyntaxIssue(
                    code=E.MISSING,
                    text=f"UNB {what} missing",
                    position=position,
                    segment_tag="UNB",
                    element=element,
                    component=component,
                )
            )
        elif not found.strip():
            report.warnings.append(f"UNB {what} is blank")
    if report.syntax_version and report.syntax_version not in _SUPPORTED_VERSIONS:
        report.errors.append(
            SyntaxIssue(
                code=E.SYNTAX_VERSION_NOT_SUPPORTED,
                text=f"syntax version {report.syntax_version!r} is not 1 to 4",
                position=position,
                segment_tag="UNB",
                element=1,
                component=2,
            )
        )
    if len(els) > 12:
        report.errors.append(
            SyntaxIssue(
                code=E.TOO_MANY_CONSTITUENTS,
                text=f"UNB has {len(els) - 1} data elements, at most 11 are defined",
                position=position,
                segment_tag="UNB",
            )
        )
