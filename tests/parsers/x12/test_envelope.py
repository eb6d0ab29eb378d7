"""Envelope checks: every error located and coded, none raises, good sets survive bad ones."""

from __future__ import annotations

import pytest

from parsers.errors import EmptyFile
from parsers.x12 import (
    GroupAckCode,
    GroupErrorCode,
    InterchangeErrorCode,
    NotX12,
    SetAckCode,
    SetErrorCode,
    read,
    recognise,
)

from .builders import group, interchange, one_order, order_set


def test_several_interchanges_in_one_file_are_all_read() -> None:
    text = interchange([group([order_set(po="A")])], "000000001") + interchange(
        [group([order_set(po="B")], "2")], "000000002", element="|", terminator="\x15"
    )
    result = read(text.encode("latin-1"))
    assert [d.order_number for d in result.documents] == ["A", "B"]
    assert [i.control_ref for i in result.interchanges] == ["000000001", "000000002"]
    assert result.interchanges[1].delimiters.element == "|"
    assert result.documents[1].lines[0].location.line == 9 + 5  # positions run on across ISAs


def test_a_broken_set_between_two_good_ones_does_not_stop_them() -> None:
    sets = [
        order_set("0001", po="GOOD-1"),
        order_set("0002", po="BROKEN", se_count=99),
        order_set("0003", po="GOOD-2"),
    ]
    result = read(interchange([group(sets)]).encode())
    assert [d.order_number for d in result.documents] == ["GOOD-1", "GOOD-2"]
    [g] = result.interchanges[0].groups
    assert [s.ack_code for s in g.sets] == [
        SetAckCode.ACCEPTED,
        SetAckCode.REJECTED,
        SetAckCode.ACCEPTED,
    ]
    assert g.ack_code is GroupAckCode.PARTIALLY_ACCEPTED
    [error] = g.sets[1].errors
    assert error.code is SetErrorCode.SEGMENT_COUNT_MISMATCH
    assert (error.location.line, error.location.column) == (
        12,
        "SE01",
    )  # ISA GS, 5 segments of set 1, SE of set 2


def test_se02_differing_from_st02_rejects_the_set() -> None:
    result = read(interchange([group([order_set("0001", se_control="0009")])]).encode())
    [report] = result.sets()
    assert [e.code for e in report.errors] == [SetErrorCode.CONTROL_NUMBER_MISMATCH]
    assert result.documents == []


def test_a_set_without_se_is_rejected_and_the_next_set_still_read() -> None:
    broken = order_set("0001", po="NO-SE")[:-1]
    result = read(interchange([group([broken, order_set("0002", po="OK")], ge_count=2)]).encode())
    first, second = result.sets()
    assert [e.code for e in first.errors] == [SetErrorCode.TRAILER_MISSING]
    assert first.errors[0].location.segment == "ST"  # where the next set began
    assert second.ack_code is SetAckCode.ACCEPTED
    assert [d.order_number for d in result.documents] == ["OK"]


def test_ge_count_and_control_number_are_checked() -> None:
    result = read(interchange([group([order_set()], "7", ge_count=3, ge_control="8")]).encode())
    [g] = result.interchanges[0].groups
    assert [e.code for e in g.errors] == [
        GroupErrorCode.SET_COUNT_MISMATCH,
        GroupErrorCode.CONTROL_NUMBER_MISMATCH,
    ]
    assert [e.location.column for e in g.errors] == ["GE01", "GE02"]
    assert g.ack_code is GroupAckCode.ACCEPTED_WITH_ERRORS
    assert len(result.documents) == 1


def test_iea_count_and_control_number_are_checked() -> None:
    result = read(
        interchange([group([order_set()])], iea_count=2, iea_control="000000009").encode()
    )
    assert [e.code for e in result.interchanges[0].errors] == [
        InterchangeErrorCode.INVALID_GROUP_COUNT,
        InterchangeErrorCode.CONTROL_NUMBER_MISMATCH,
    ]


@pytest.mark.parametrize("segment", ["SE*5", "GE*1", "IEA*1"])
def test_a_count_with_a_superscript_digit_is_reported_not_raised(segment: str) -> None:
    # "²" (Latin-1 0xB2) is a digit to str.isdigit, but not to int
    data = one_order().replace(f"~\n{segment}*".encode(), f"~\n{segment}²*".encode("latin-1"))
    result = read(data)
    assert any(f"'{segment[-1]}²'" in problem for problem in result.problems())


def test_a_missing_ge_and_iea_are_reported_at_the_end_of_the_file() -> None:
    text = interchange([group([order_set()])[:-1]], with_iea=False)
    result = read(text.encode())
    [interchange_report] = result.interchanges
    assert [e.code for e in interchange_report.errors] == [
        InterchangeErrorCode.PREMATURE_END_OF_FILE
    ]
    assert [e.code for e in interchange_report.groups[0].errors] == [GroupErrorCode.TRAILER_MISSING]
    assert len(result.documents) == 1


def test_a_non_850_set_is_reported_as_not_supported() -> None:
    invoice = [["ST", "810", "0002"], ["BIG", "20240102", "INV1"], ["SE", "3", "0002"]]
    result = read(interchange([group([order_set("0001"), invoice])]).encode())
    _, report = result.sets()
    assert report.error_codes == [SetErrorCode.NOT_SUPPORTED]
    assert len(result.documents) == 1


def test_bytes_that_are_not_x12_raise_a_located_parse_error() -> None:
    with pytest.raises(NotX12) as caught:
        read(b"UNB+UNOC:3+SENDER+RECEIVER'")
    assert caught.value.line == 1
    assert caught.value.expected == "'ISA' interchange header"


def test_an_empty_file_raises_empty_file() -> None:
    with pytest.raises(EmptyFile):
        read(b"  \r\n")


def test_recognise_accepts_x12_and_refuses_the_rest() -> None:
    assert recognise(b"\xef\xbb\xbf" + one_order())
    assert not recognise(b"UNA:+.? 'UNB+UNOC:3+X+Y'")
    assert not recognise(b"Code-barre;Quantit\xe9\r\n123;4\r\n")
    assert not recognise(b"")


def test_junk_after_the_last_interchange_is_reported_not_raised() -> None:
    result = read(one_order() + b"garbage")
    assert len(result.documents) == 1
    assert any("not an interchange were ignored" in w for w in result.warnings)


def _walk_errors(text: str) -> list[tuple[InterchangeErrorCode, int | None, str]]:
    [report] = read(text.encode("ascii")).interchanges
    return [(e.code, e.location.line, e.message) for e in report.errors]


def test_every_segment_outside_a_set_is_reported_at_its_own_position() -> None:
    """Runs of stray segments – before a group, between sets, between groups – are
    reported one by one, whatever their length; those inside a set are its body."""
    sets = [order_set("0001", po="A"), [["REF", "ZZ", "1"], ["NTE", "GEN", "x"]]]
    sets.append(order_set("0002", po="B"))
    text = interchange([[["N9", "ZZ"], ["MSG", "stray"]], group(sets)], iea_count=1)
    # ISA, N9, MSG, GS, ST..SE (5), REF, NTE, ST..SE (5), GE, IEA
    outside_set = InterchangeErrorCode.INVALID_CONTROL_STRUCTURE
    assert _walk_errors(text) == [
        (InterchangeErrorCode.INVALID_CONTENT, 2, "segment 'N9' outside a functional group"),
        (InterchangeErrorCode.INVALID_CONTENT, 3, "segment 'MSG' outside a functional group"),
        (outside_set, 10, "segment 'REF' outside a transaction set"),
        (outside_set, 11, "segment 'NTE' outside a transaction set"),
    ]
    result = read(text.encode("ascii"))
    assert [d.order_number for d in result.documents] == ["A", "B"]


def test_segments_that_only_start_like_an_envelope_segment_are_not_one() -> None:
    """SEQ, STX, GSA, ISE, EA… begin with an envelope tag's letters: inside a set they
    are its body (an unknown tag is reported on the set), outside one they are strays."""
    look_alikes = (("SEQ", "1"), ("STX", "2"), ("GSA", "3"), ("ISE", "4"), ("EA", "5"))
    good = order_set("0001", po="A", extra=look_alikes)
    text = interchange([group([good, [["SEQ", "9"], ["SE", "x"]]])])
    [report] = read(text.encode("ascii")).interchanges
    [one] = report.groups[0].sets
    assert not one.rejected and one.document is not None
    assert one.document.order_number == "A"
    # ISA, GS, ST BEG + 5 look-alikes + PO1 CTT SE (10), then SEQ and a stray SE
    outside_set = InterchangeErrorCode.INVALID_CONTROL_STRUCTURE
    assert [(e.code, e.location.line, e.message) for e in report.errors] == [
        (outside_set, 13, "segment 'SEQ' outside a transaction set"),
        (outside_set, 14, "SE without a matching ST"),
    ]


def test_a_set_outside_any_group_is_skipped_whole_and_what_follows_is_read() -> None:
    orphan = order_set("0009", po="ORPHAN")
    stray = [["NTE", "GEN", "after"]]
    text = interchange([orphan, stray, group([order_set(po="A")])], iea_count=1)
    # ISA, ST..SE (5), NTE, GS, ...
    assert _walk_errors(text) == [
        (InterchangeErrorCode.INVALID_CONTENT, 2, "transaction set outside a functional group "
         "(no GS); skipped"),
        (InterchangeErrorCode.INVALID_CONTENT, 7, "segment 'NTE' outside a functional group"),
    ]  # fmt: skip
    assert [d.order_number for d in read(text.encode("ascii")).documents] == ["A"]
