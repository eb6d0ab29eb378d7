"""Write the TA1 Interchange Acknowledgment for one received interchange.

Shape – an interchange of its own, with no functional group::

    ISA (ours, to the partner's ISA sender)
      TA1  ISA13 received, ISA09 date, ISA10 time, A/E/R, note code (I18)
    IEA*0 (no groups)

A 997 answers a functional group; what is wrong with the envelope around the groups
(an IEA that does not match, a segment outside any group, a missing IEA) can only be
told in a TA1.  The acknowledgment code says what became of the interchange:

* ``A`` – no interchange-level error (note ``000``);
* ``E`` – errors noted, but its groups were read (each gets its 997);
* ``R`` – rejected: no functional group could be read from it, or it was refused as a
  whole (a sender not allowed: note ``006``; not addressed to us: ``009``; an ISA12
  that is no X12 version: ``017``; a duplicate: ``025``; a letter or digit as component
  separator: ``027``).

TA105 holds one note code; when there are several errors, the first found is sent.
"""

from __future__ import annotations

from datetime import datetime

from parsers.x12.codes import InterchangeAckCode, InterchangeErrorCode
from parsers.x12.envelope import valid_isa12
from parsers.x12.reports import InterchangeReport
from parsers.x12.segment_writer import clean, isa_segment

#: Errors that refuse the whole interchange, however sound its groups
REJECTING = frozenset(
    {
        InterchangeErrorCode.DUPLICATE_CONTROL_NUMBER,
        InterchangeErrorCode.UNKNOWN_RECEIVER,
        InterchangeErrorCode.INVALID_SENDER,
        InterchangeErrorCode.INVALID_VERSION,
        InterchangeErrorCode.INVALID_COMPONENT_SEPARATOR,
    }
)


def ta1_verdict(report: InterchangeReport) -> tuple[InterchangeAckCode, InterchangeErrorCode]:
    """TA104 and TA105 for ``report``."""
    if not report.errors:
        return InterchangeAckCode.ACCEPTED, InterchangeErrorCode.NO_ERROR
    rejecting = next((e.code for e in report.errors if e.code in REJECTING), None)
    if rejecting is not None:
        return InterchangeAckCode.REJECTED, rejecting
    first = report.errors[0].code
    if not report.groups:
        return InterchangeAckCode.REJECTED, first
    return InterchangeAckCode.ACCEPTED_WITH_ERRORS, first


def write_ta1(
    report: InterchangeReport,
    *,
    sender_id: str,
    sender_qualifier: str,
    interchange_control: int,
    when: datetime,
) -> bytes:
    """The TA1 for the interchange ``report`` describes, as bytes.

    ``sender_id``/``sender_qualifier`` are ours (ISA06/ISA05); the control number is
    allocated and persisted by the caller.  The partner's delimiters, ISA12 version
    and usage indicator are answered in kind.
    """
    d = report.delimiters.for_replies()
    ack, note = ta1_verdict(report)
    isa = isa_segment(
        d,
        sender_qualifier=sender_qualifier,
        sender_id=sender_id,
        receiver_qualifier=report.sender_qualifier,
        receiver_id=report.sender_id,
        interchange_control=interchange_control,
        when=when,
        isa12=report.version if valid_isa12(report.version) else "00401",
        usage=report.usage,
    )
    ta1 = d.element.join(
        [
            "TA1",
            clean(report.control_ref, d),
            clean(report.date, d),
            clean(report.time, d),
            ack.value,
            note.value,
        ]
    )
    iea = d.element.join(["IEA", "0", f"{interchange_control:09d}"])
    end = d.segment_end()
    return (end.join([isa, ta1, iea]) + end).encode("latin-1")
