"""Acknowledgments a partner sends us are read for what they say, and never refused."""

from __future__ import annotations

from parsers.x12 import read

from .builders import group, interchange, order_set


def _ack_set(set_id: str, body: list[list[str]], control: str = "0001") -> list[list[str]]:
    return [["ST", set_id, control], *body, ["SE", str(len(body) + 2), control]]


REJECTING_997 = _ack_set(
    "997",
    [
        ["AK1", "PR", "43"],
        ["AK2", "855", "0044"],
        ["AK3", "PO1", "3", "", "8"],
        ["AK5", "R", "5"],
        ["AK2", "855", "0045"],
        ["AK5", "A"],
        ["AK9", "P", "2", "2", "1"],
    ],
)


def test_a_997_tells_which_of_our_sets_were_rejected() -> None:
    result = read(interchange([group([REJECTING_997], functional_id="FA")]).encode())
    [ack] = result.functional_acks
    assert (ack.set_id, ack.functional_id, ack.group_control_number, ack.code) == (
        "997",
        "PR",
        "43",
        "P",
    )
    assert [(s.set_id, s.control_number, s.code, s.errors) for s in ack.sets] == [
        ("855", "0044", "R", ["5"]),
        ("855", "0045", "A", []),
    ]
    assert not ack.accepted
    assert str(ack) == "997 for our group 43 (PR): P; set 855 0044: R (5)"
    assert ack.location.line == 3  # its ST, for an admin looking for it
    assert result.problems() == [] and result.documents == []


def test_a_999_is_read_with_its_ik5_verdicts() -> None:
    body = [["AK1", "PR", "7", "005010X231A1"], ["AK2", "855", "0001"], ["IK5", "A"]]
    body.append(["AK9", "A", "1", "1", "1"])
    result = read(interchange([group([_ack_set("999", body)], functional_id="FA")]).encode())
    [ack] = result.functional_acks
    assert ack.accepted and [s.code for s in ack.sets] == ["A"]


def test_an_interchange_of_ta1s_only_is_read_as_acknowledgments() -> None:
    text = interchange([[["TA1", "000000917", "250101", "1200", "R", "001"]]], iea_count=0)
    [report] = read(text.encode()).interchanges
    assert report.errors == [] and report.only_acknowledgments
    [ta1] = report.interchange_acks
    assert (ta1.control_number, ta1.code, ta1.note) == ("000000917", "R", "001")
    assert str(ta1) == "TA1 for our interchange 000000917: R (note 001)"


def test_an_interchange_that_also_carries_an_order_is_not_only_acknowledgments() -> None:
    text = interchange(
        [group([REJECTING_997], functional_id="FA"), group([order_set()], control="2")]
    )
    result = read(text.encode())
    [report] = result.interchanges
    assert not report.only_acknowledgments
    assert len(result.documents) == 1 and len(result.functional_acks) == 1


def test_an_empty_interchange_is_not_taken_for_acknowledgments() -> None:
    [report] = read(interchange([], iea_count=0).encode()).interchanges
    assert not report.only_acknowledgments
