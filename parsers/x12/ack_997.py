"""Write the 997 Functional Acknowledgment for one received functional group.

Shape (one interchange, one group, one set)::

    ISA GS*FA ST*997
      AK1  GS01 received, GS06 received [, GS08 from 005010]
      per received set:  AK2 ST01, ST02
                         AK3 segment id, position in set, , 720 code     (per bad segment)
                         AK4 element position[:component], 725 ref, 723 code, bad copy
                         AK5 A/E/R, up to five 718 codes
      AK9  A/E/P/R, sets included (GE01), received, accepted, up to five 716 codes
    SE GE IEA

It answers in the partner's own delimiters and versions (ISA12, GS08 of the received
group) and to the partner's ISA sender.  X12 cannot escape a delimiter: any found in
a copied bad value (AK404) is replaced by a space.
"""

from __future__ import annotations

from datetime import datetime

from parsers.x12.reports import GroupReport, InterchangeReport
from parsers.x12.segment_writer import EnvelopeWriter, clean

_MAX_CODES = 5


def write_997(
    interchange_report: InterchangeReport,
    group_report: GroupReport,
    *,
    sender_id: str,
    sender_qualifier: str,
    interchange_control: int,
    group_control: int,
    set_control: int,
    when: datetime,
    application_sender: str | None = None,
) -> bytes:
    """The 997 for ``group_report`` (a group of ``interchange_report``), as bytes.

    ``sender_id``/``sender_qualifier`` are ours (ISA06/ISA05); the control numbers
    are allocated and persisted by the caller.  ``application_sender`` (GS02)
    defaults to ``sender_id``.
    """
    d = interchange_report.delimiters
    group_version = group_report.version or interchange_report.version + "0"
    w = EnvelopeWriter(d)
    ak1 = [group_report.functional_id, group_report.control_number]
    if group_version[:6] >= "005010":
        ak1.append(group_version)
    w.add("AK1", *ak1)
    for report in group_report.sets:
        w.add("AK2", report.set_id, report.control_number)
        for segment in report.segment_errors:
            w.add(
                "AK3",
                segment.segment_id,
                segment.position_in_set,
                "",
                segment.code.value,
            )
            for element in segment.elements:
                position = str(element.position)
                if element.component is not None:
                    position += d.component + str(element.component)
                w.add_raw(
                    "AK4",
                    position,
                    element.reference or "",
                    element.code.value,
                    clean(element.value, d)[:99],
                )
        codes = [c.value for c in report.error_codes[:_MAX_CODES]]
        w.add("AK5", report.ack_code.value, *codes)
    received = len(group_report.sets)
    included = group_report.included_count
    w.add(
        "AK9",
        group_report.ack_code.value,
        included if included is not None else received,
        received,
        group_report.accepted_count,
        *list(dict.fromkeys(e.code.value for e in group_report.errors))[:_MAX_CODES],
    )
    return w.interchange(
        set_id="997",
        functional_id="FA",
        sender_qualifier=sender_qualifier,
        sender_id=sender_id,
        receiver_qualifier=interchange_report.sender_qualifier,
        receiver_id=interchange_report.sender_id,
        application_sender=application_sender or sender_id,
        application_receiver=group_report.application_sender,
        interchange_control=interchange_control,
        group_control=group_control,
        set_control=set_control,
        when=when,
        version=group_version if group_version[:6].isdigit() else interchange_report.version,
        interchange_version=interchange_report.version,
        usage=interchange_report.usage,
    )
