"""CONTRL: the syntax and service report answering one received interchange.

We are the sender and the interchange's sender is the recipient.  The reply uses the
received syntax identifier, version and service characters, so the partner can read
it with the settings it already uses.  Layout (CONTRL D:3 / 4:1)::

    UNH  UCI (interchange: action 7 acknowledged / 4 rejected, first error)
         [UCF per functional group]  UCM per message  [UCS (segment) [UCD (element)]…]…
    UNT

A rejected interchange rejects everything below it, so every UCM then says 4 too.
Never answer a CONTRL with a CONTRL: the gateway skips reports whose messages are
all service messages.
"""

from __future__ import annotations

from datetime import datetime

from parsers.edifact.charsets import codec_for
from parsers.edifact.reports import (
    SERVICE_MESSAGES,
    InterchangeReport,
    MessageReport,
    SyntaxIssue,
)
from parsers.edifact.segment_writer import SegmentWriter
from parsers.edifact.versions import contrl_identifier

ACKNOWLEDGED = "7"  # 0083: this level and lower levels acknowledged if not rejected
REJECTED = "4"  # 0083: this level and all lower levels rejected
_SERVICE_TAGS = frozenset({"UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"})


def _error_elements(issue: SyntaxIssue | None) -> list:
    """0085, 0013 and S011 of a UCI/UCF/UCM for ``issue`` (empty when none)."""
    if issue is None:
        return []
    element = (
        (str(issue.element), str(issue.component) if issue.component else None)
        if issue.element
        else None
    )
    return [issue.code.value, issue.segment_tag, element]


def write_contrl(
    report: InterchangeReport,
    *,
    sender_id: str,
    sender_qualifier: str | None,
    interchange_ref: str,
    message_ref: str,
    when: datetime,
    line_ending: str = "",
) -> bytes:
    """A CONTRL interchange from us to the sender of ``report``."""
    if not report.sender_id:
        raise ValueError("the received interchange names no sender to answer (UNB S002)")
    syntax = report.syntax_identifier or "UNOA"
    if codec_for(syntax) is None:
        syntax = "UNOA"
    version = report.syntax_version if report.syntax_version in ("1", "2", "3", "4") else "3"
    out = SegmentWriter(
        syntax=syntax,
        syntax_version=version,
        service_chars=report.service_chars,
        line_ending=line_ending,
    )
    out.unb(
        sender=(sender_id, sender_qualifier),
        recipient=(report.sender_id, report.sender_qualifier, report.sender_routing),
        when=when,
        control_ref=interchange_ref,
        test=report.test,
    )
    # The association code of the EANCOM release acknowledged (its first message's)
    first = next((m for m in report.messages if m.type not in SERVICE_MESSAGES), None)
    identifier = contrl_identifier(
        version, first.release if first else "", first.association if first else ""
    )
    out.open_message(message_ref, identifier)
    accepted = report.accepted
    out.add(
        "UCI",
        report.control_ref,
        (report.sender_id, report.sender_qualifier),
        (report.recipient_id, report.recipient_qualifier),
        ACKNOWLEDGED if accepted else REJECTED,
        *_error_elements(report.errors[0] if report.errors else None),
    )
    in_groups: dict[str | None, list[MessageReport]] = {g.ref: [] for g in report.groups}
    loose: list[MessageReport] = []
    for message in report.messages:
        (in_groups[message.group_ref] if message.group_ref in in_groups else loose).append(message)
    for group in report.groups:
        group_ok = accepted and group.accepted
        out.add(
            "UCF",
            group.ref,
            (group.sender_id, group.sender_qualifier),
            (group.recipient_id, group.recipient_qualifier),
            ACKNOWLEDGED if group_ok else REJECTED,
            *_error_elements(group.errors[0] if group.errors else None),
        )
        for message in in_groups[group.ref]:
            _message(out, message, group_ok)
    for message in loose:
        _message(out, message, accepted)
    out.close_message(message_ref)
    out.unz(1, interchange_ref)
    return out.render()


def _message(out: SegmentWriter, message: MessageReport, parent_ok: bool) -> None:
    service = [e for e in message.errors if e.segment_tag in _SERVICE_TAGS]
    data = [e for e in message.errors if e.segment_tag not in _SERVICE_TAGS]
    located = [e for e in data if e.message_position is not None]
    head = service[0] if service else next((e for e in data if e.message_position is None), None)
    out.add(
        "UCM",
        message.ref,
        (message.type, message.version, message.release, message.agency, message.association),
        ACKNOWLEDGED if parent_ok and message.accepted else REJECTED,
        *_error_elements(head),
    )
    by_segment: dict[int, list[SyntaxIssue]] = {}
    for issue in located:
        by_segment.setdefault(issue.message_position, []).append(issue)  # type: ignore[arg-type]
    for position, issues in sorted(by_segment.items()):
        whole = next((i for i in issues if i.element is None), None)
        out.add("UCS", str(position), whole.code.value if whole else None)
        for issue in issues:
            if issue.element is not None:
                out.add(
                    "UCD",
                    issue.code.value,
                    (str(issue.element), str(issue.component) if issue.component else None),
                )
