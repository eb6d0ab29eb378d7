"""Our TA1: one per interchange, saying what became of its envelope, in the partner's terms."""

from __future__ import annotations

import io
from datetime import datetime

import pytest

from parsers.x12 import (
    InterchangeAckCode,
    InterchangeErrorCode,
    read,
    segments,
    ta1_verdict,
    write_ta1,
)

from .builders import group, interchange, order_set

WHEN = datetime(2024, 1, 3, 9, 15)


def _ta1_for(text: str) -> bytes:
    [report] = read(text.encode("latin-1")).interchanges
    return write_ta1(
        report, sender_id="SUPPLIERCO", sender_qualifier="ZZ", interchange_control=7, when=WHEN
    )


def _ta1_elements(data: bytes) -> list[str]:
    [ta1] = [s for s in segments(data) if s.id == "TA1"]
    return ta1.elements


def test_a_clean_interchange_is_accepted_with_note_000() -> None:
    data = _ta1_for(interchange([group([order_set()])], control="000000123"))
    assert _ta1_elements(data) == ["TA1", "000000123", "240102", "1030", "A", "000"]


def test_the_ta1_is_an_interchange_of_its_own_with_no_group() -> None:
    data = _ta1_for(interchange([group([order_set()])]))
    assert [s.id for s in segments(data)] == ["ISA", "TA1", "IEA"]
    [report] = read(data).interchanges
    assert report.errors == [] and report.groups == []
    assert (report.sender_id, report.recipient_id) == ("SUPPLIERCO", "BUYERCO")
    assert report.control_ref == "000000007"


def test_a_trailer_that_does_not_match_is_noted_and_the_groups_still_count() -> None:
    text = interchange([group([order_set()])], iea_control="000000999")
    assert _ta1_elements(_ta1_for(text))[4:] == ["E", "001"]


def test_a_wrong_group_count_is_noted() -> None:
    text = interchange([group([order_set()])], iea_count=3)
    assert _ta1_elements(_ta1_for(text))[4:] == ["E", "021"]


def test_an_interchange_without_any_group_is_rejected() -> None:
    text = interchange([[["BEG", "00", "SA", "PO-1", "", "20240102"]]], iea_count=0)
    [report] = read(text.encode()).interchanges
    assert ta1_verdict(report) == (
        InterchangeAckCode.REJECTED,
        InterchangeErrorCode.INVALID_CONTENT,
    )
    assert _ta1_elements(_ta1_for(text))[4:] == ["R", "024"]


def test_a_missing_iea_is_a_premature_end() -> None:
    text = interchange([group([order_set()])], with_iea=False)
    assert _ta1_elements(_ta1_for(text))[4:] == ["E", "023"]


@pytest.mark.parametrize(
    ("element", "component", "terminator", "line_ending"),
    [("*", ">", "~", "\n"), ("|", "^", "\x1c", ""), ("^", ":", "\n", "")],
)
def test_the_partners_delimiters_are_used(
    element: str, component: str, terminator: str, line_ending: str
) -> None:
    text = interchange(
        [group([order_set()])],
        element=element,
        component=component,
        terminator=terminator,
        line_ending=line_ending,
    )
    data = _ta1_for(text).decode()
    assert data.startswith("ISA" + element)
    assert data[104] == component and data[105] == terminator  # ISA is 106 wide
    assert f"TA1{element}000000001{element}" in data


def test_the_ta1_is_valid_for_pyx12() -> None:
    import pyx12.x12file as pyx12

    data = _ta1_for(interchange([group([order_set()])]))
    reader = pyx12.X12Reader(io.StringIO(data.decode()))
    ids = [segment.get_seg_id() for segment in reader]
    reader.cleanup()
    assert ids == ["ISA", "TA1", "IEA"]
    assert reader.pop_errors() == []


def test_an_isa12_that_is_no_x12_version_is_refused_with_note_017():
    text = interchange([group([order_set()])], version="ABCDE")
    result = read(text.encode("latin-1"))
    [report] = result.interchanges
    assert ta1_verdict(report) == (
        InterchangeAckCode.REJECTED,
        InterchangeErrorCode.INVALID_VERSION,
    )
    assert result.documents == []  # nothing of it is taken
    ta1 = {s.id: s.elements for s in segments(_ta1_for(text))}
    assert ta1["TA1"][4:] == ["R", "017"]
    assert ta1["ISA"][12] == "00401"  # never the invalid version copied back


def test_a_letter_or_digit_as_component_separator_is_refused_with_note_027():
    text = interchange([group([order_set()])], component="0")
    result = read(text.encode("latin-1"))
    [report] = result.interchanges
    assert ta1_verdict(report)[1] is InterchangeErrorCode.INVALID_COMPONENT_SEPARATOR
    assert result.documents == []
    data = _ta1_for(text)
    isa = data.decode()[:106]
    assert isa[104] == ">" and "000000007" in data.decode()  # our ISA16 is a real separator


def test_a_count_of_thousands_of_digits_is_a_mismatch_not_a_crash():
    huge = "9" * 5000
    text = interchange([group([order_set()])])
    for trailer in ("SE*5*", "GE*1*", "IEA*1*"):
        assert trailer in text
        text = text.replace(trailer, f"{trailer.split('*')[0]}*{huge}*")
    result = read(text.encode("latin-1"))
    [report] = result.interchanges
    assert {e.code for e in report.errors} == {InterchangeErrorCode.INVALID_GROUP_COUNT}
    [group_report] = report.groups
    assert group_report.sets[0].rejected
