"""Walk the ISA/GS/ST envelopes of one interchange and check their trailers.

Nothing here raises: a missing trailer, a wrong count or a control number that
does not match becomes a located error with its X12 code, and the walk goes on,
so a broken set between two good ones does not stop the good ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, compress, count, islice
from operator import itemgetter

from parsers.document import Location
from parsers.x12.codes import GroupErrorCode, InterchangeErrorCode, SetErrorCode
from parsers.x12.delimiters import Delimiters
from parsers.x12.received_acks import read_ta1
from parsers.x12.reports import (
    GroupError,
    GroupReport,
    InterchangeError,
    InterchangeReport,
    SetError,
    TransactionSetReport,
)

_ENVELOPE_IDS = frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE"})
#: Their first letters: a segment starting with none of them cannot be one
_ENVELOPE_INITIALS = frozenset(tag[0] for tag in _ENVELOPE_IDS)


@dataclass(slots=True)
class SetSpan:
    """Where one set's body lies: ``segments[start + 1:end]`` (ST excluded, SE excluded)."""

    report: TransactionSetReport
    group: GroupReport
    start: int
    end: int


def _field(elements: list[str], index: int) -> str:
    return elements[index].strip() if len(elements) > index else ""


def _count(text: str) -> int | None:
    text = text.strip()
    # ASCII only: "²".isdigit() is true, yet int() refuses it; and no count has more
    # digits than a control number (int() refuses 4,300 digits with a ValueError).
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def valid_isa12(version: str) -> bool:
    """Whether ISA12 names an X12 interchange control version (``00200``…``00999``).

    >>> valid_isa12("00401"), valid_isa12("00501"), valid_isa12("4010"), valid_isa12("ABCDE")
    (True, True, False, False)
    """
    return len(version) == 5 and version.isascii() and version.isdigit() and version >= "00200"


def walk_interchange(
    segments: list[str], base: int, delimiters: Delimiters
) -> tuple[InterchangeReport, list[SetSpan]]:
    """Check the envelopes of ``segments`` (``segments[0]`` is the ISA).

    ``base`` is the number of segments before this interchange in the file, so
    ``segments[i]`` is at file position ``base + i + 1``.
    """
    sep = delimiters.element
    isa = segments[0].split(sep)
    interchange = InterchangeReport(
        sender_qualifier=_field(isa, 5),
        sender_id=_field(isa, 6),
        recipient_qualifier=_field(isa, 7),
        recipient_id=_field(isa, 8),
        date=_field(isa, 9),
        time=_field(isa, 10),
        control_ref=_field(isa, 13),
        version=_field(isa, 12),
        delimiters=delimiters,
        ack_requested=_field(isa, 14) == "1",
        usage=_field(isa, 15),
        location=Location(line=base + 1, segment="ISA"),
    )

    def at(index: int, segment: str, column: str | None = None) -> Location:
        return Location(line=base + index + 1, segment=segment, column=column)

    def interchange_error(code: InterchangeErrorCode, message: str, where: Location) -> None:
        interchange.errors.append(InterchangeError(code=code, message=message, location=where))

    # Errors that refuse the interchange come first: its TA1 states the first one.
    if not valid_isa12(interchange.version):
        interchange_error(
            InterchangeErrorCode.INVALID_VERSION,
            f"ISA12 {interchange.version!r} is not an X12 interchange version (00200 to 00999)",
            at(0, "ISA", "ISA12"),
        )
    if delimiters.component.isalnum():
        interchange_error(
            InterchangeErrorCode.INVALID_COMPONENT_SEPARATOR,
            f"ISA16 {delimiters.component!r} is a letter or digit: it cannot separate "
            "components without corrupting the data",
            at(0, "ISA", "ISA16"),
        )
    if not (interchange.control_ref.isdigit() and len(interchange.control_ref) == 9):
        interchange_error(
            InterchangeErrorCode.INVALID_CONTROL_NUMBER,
            f"ISA13 {interchange.control_ref!r} is not a 9-digit control number",
            at(0, "ISA", "ISA13"),
        )

    spans: list[SetSpan] = []
    group: GroupReport | None = None
    open_set: SetSpan | None = None
    seen_sets: set[str] = set()
    skipping_orphan_set = False

    def close_set(index: int, trailer: list[str] | None) -> None:
        nonlocal open_set
        assert open_set is not None
        span, open_set = open_set, None
        span.end = index
        report = span.report
        if trailer is None:
            report.reject(
                SetErrorCode.TRAILER_MISSING,
                f"transaction set {report.control_number} has no SE trailer",
                at(index, segments[index].split(sep, 1)[0] if index < len(segments) else "EOF"),
            )
            return
        actual = index - span.start + 1
        declared = _count(_field(trailer, 1))
        if declared != actual:
            report.reject(
                SetErrorCode.SEGMENT_COUNT_MISMATCH,
                f"SE01 says {_field(trailer, 1)!r} segments, the set has {actual}",
                at(index, "SE", "SE01"),
            )
        if _field(trailer, 2) != report.control_number:
            report.reject(
                SetErrorCode.CONTROL_NUMBER_MISMATCH,
                f"SE02 {_field(trailer, 2)!r} does not match ST02 {report.control_number!r}",
                at(index, "SE", "SE02"),
            )

    def close_group(index: int, trailer: list[str] | None) -> None:
        nonlocal group
        assert group is not None
        if open_set is not None:
            close_set(index, None)
        current, group = group, None
        where = at(index, "GE" if trailer is not None else "EOF")
        if trailer is None:
            current.errors.append(
                GroupError(
                    code=GroupErrorCode.TRAILER_MISSING,
                    message=f"functional group {current.control_number} has no GE trailer",
                    location=where,
                )
            )
            return
        current.included_count = _count(_field(trailer, 1))
        if current.included_count != len(current.sets):
            current.errors.append(
                GroupError(
                    code=GroupErrorCode.SET_COUNT_MISMATCH,
                    message=f"GE01 says {_field(trailer, 1)!r} sets, "
                    f"the group has {len(current.sets)}",
                    location=at(index, "GE", "GE01"),
                )
            )
        if _field(trailer, 2) != current.control_number:
            current.errors.append(
                GroupError(
                    code=GroupErrorCode.CONTROL_NUMBER_MISMATCH,
                    message=f"GE02 {_field(trailer, 2)!r} does not match "
                    f"GS06 {current.control_number!r}",
                    location=at(index, "GE", "GE02"),
                )
            )

    def outside(index: int, segment: str) -> None:
        """A segment that is not an envelope's, where no set is open to hold it."""
        tag = segment.split(sep, 1)[0]
        if group is None:
            if segment.startswith("TA1" + sep):  # belongs outside any group
                interchange.interchange_acks.append(read_ta1(segment.split(sep), at(index, "TA1")))
                return
            interchange_error(
                InterchangeErrorCode.INVALID_CONTENT,
                f"segment {tag!r} outside a functional group",
                at(index, tag),
            )
        elif open_set is None:
            interchange_error(
                InterchangeErrorCode.INVALID_CONTROL_STRUCTURE,
                f"segment {tag!r} outside a transaction set",
                at(index, tag),
            )

    trailer_seen = False
    # Only segments starting like an envelope's can change the walk's state, and they
    # are found in C: a 100,000-line set's body is then skipped in one step instead of
    # one Python iteration per segment.  Between two of them the state is fixed, so
    # such a run is either all inside a set (nothing to check) or all reported.
    starts = map(_ENVELOPE_INITIALS.__contains__, map(itemgetter(0), islice(segments, 1, None)))
    candidates = compress(count(1), starts)  # segments[0] is the ISA, read above
    done = 1  # segments[1:done] have been walked
    for index in chain(candidates, (len(segments),)):
        if done < index and not skipping_orphan_set and (group is None or open_set is None):
            for between in range(done, index):
                outside(between, segments[between])
        done = index + 1
        if index == len(segments):
            break
        segment = segments[index]
        tag = segment.split(sep, 1)[0]
        if tag not in _ENVELOPE_IDS:  # "STX…" or "SEQ": starts like one, is not
            if not skipping_orphan_set:
                outside(index, segment)
            continue
        elements = segment.split(sep)
        if tag == "ST":
            if group is None:
                interchange_error(
                    InterchangeErrorCode.INVALID_CONTENT,
                    "transaction set outside a functional group (no GS); skipped",
                    at(index, "ST"),
                )
                skipping_orphan_set = True
                continue
            if open_set is not None:
                close_set(index, None)
            report = TransactionSetReport(
                set_id=_field(elements, 1),
                control_number=_field(elements, 2),
                location=at(index, "ST"),
            )
            if not report.set_id:
                report.reject(
                    SetErrorCode.INVALID_SET_IDENTIFIER, "ST01 is empty", at(index, "ST", "ST01")
                )
            if not report.control_number:
                report.reject(
                    SetErrorCode.INVALID_CONTROL_NUMBER, "ST02 is empty", at(index, "ST", "ST02")
                )
            elif report.control_number in seen_sets:
                # Reported, not rejected: the content is fine, and duplicate files are
                # the gateway's business (same partner + same sha256).
                report.errors.append(
                    SetError(
                        code=SetErrorCode.CONTROL_NUMBER_NOT_UNIQUE,
                        message=f"ST02 {report.control_number!r} already used in this group",
                        location=at(index, "ST", "ST02"),
                    )
                )
            seen_sets.add(report.control_number)
            group.sets.append(report)
            open_set = SetSpan(report, group, index, index)
        elif tag == "SE":
            if skipping_orphan_set:
                skipping_orphan_set = False
            elif open_set is None:
                interchange_error(
                    InterchangeErrorCode.INVALID_CONTROL_STRUCTURE,
                    "SE without a matching ST",
                    at(index, "SE"),
                )
            else:
                span = open_set
                close_set(index, elements)
                spans.append(span)
        elif tag == "GS":
            if group is not None:
                if open_set is not None:
                    spans.append(open_set)
                close_group(index, None)
            group = GroupReport(
                functional_id=_field(elements, 1),
                application_sender=_field(elements, 2),
                application_receiver=_field(elements, 3),
                control_number=_field(elements, 6),
                version=_field(elements, 8),
                location=at(index, "GS"),
            )
            seen_sets = set()
            interchange.groups.append(group)
        elif tag == "GE":
            if group is None:
                interchange_error(
                    InterchangeErrorCode.INVALID_CONTROL_STRUCTURE,
                    "GE without a matching GS",
                    at(index, "GE"),
                )
                continue
            if open_set is not None:
                spans.append(open_set)
            close_group(index, elements)
        elif tag == "IEA":
            if group is not None:
                if open_set is not None:
                    spans.append(open_set)
                close_group(index, None)
            trailer_seen = True
            _check_iea(interchange, elements, at(index, "IEA"), interchange_error)
        elif tag == "ISA":  # cannot happen: the reader cuts interchanges at each ISA
            break

    if not trailer_seen:
        end = len(segments)
        if group is not None:
            if open_set is not None:
                spans.append(open_set)
            close_group(end, None)
        interchange_error(
            InterchangeErrorCode.PREMATURE_END_OF_FILE,
            f"interchange {interchange.control_ref} has no IEA trailer",
            at(end - 1, segments[-1].split(sep, 1)[0]),
        )
    spans.sort(key=lambda span: span.start)
    return interchange, spans


def _check_iea(
    interchange: InterchangeReport,
    elements: list[str],
    where: Location,
    report: Callable[[InterchangeErrorCode, str, Location], None],
) -> None:
    declared = _count(_field(elements, 1))
    if declared != len(interchange.groups):
        report(
            InterchangeErrorCode.INVALID_GROUP_COUNT,
            f"IEA01 says {_field(elements, 1)!r} groups, the interchange has "
            f"{len(interchange.groups)}",
            Location(line=where.line, segment="IEA", column="IEA01"),
        )
    if _field(elements, 2) != interchange.control_ref:
        report(
            InterchangeErrorCode.CONTROL_NUMBER_MISMATCH,
            f"IEA02 {_field(elements, 2)!r} does not match ISA13 {interchange.control_ref!r}",
            Location(line=where.line, segment="IEA", column="IEA02"),
        )
