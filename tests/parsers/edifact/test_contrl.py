"""write_contrl: a CONTRL answering one received interchange, readable by us and pydifact."""

from __future__ import annotations

import warnings
from datetime import datetime

import pytest
from pydifact.segmentcollection import Interchange

from parsers.edifact import SyntaxErrorCode, SyntaxIssue, read, write_contrl

from .builders import interchange, orders_message

WHEN = datetime(2024, 1, 6, 8, 30)


def _contrl(text: str, **kwargs) -> bytes:
    report = read(text.encode()).interchanges[0]
    return write_contrl(
        report,
        sender_id="4012345000094",
        sender_qualifier="14",
        interchange_ref="C-1",
        message_ref="CM1",
        when=WHEN,
        **kwargs,
    )


def _pydifact_segments(data: bytes) -> list[tuple[str, list]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = Interchange.from_str(data.decode("latin-1"))
    return [(s.tag, s.elements) for s in parsed.segments]


def _segments(data: bytes) -> list[str]:
    return data.decode("latin-1")[9:].split("'")[:-1]


def test_accepted_interchange_gets_uci_7_and_ucm_7_per_message():
    data = _contrl(interchange(orders_message("A"), orders_message("B")))
    assert _segments(data) == [
        "UNB+UNOC:3+4012345000094:14+SENDER:14+240106:0830+C-1",
        "UNH+CM1+CONTRL:D:3:UN:EAN002",  # the EANCOM 1997 CONTRL, for EAN008 orders
        "UCI+IC1+SENDER:14+RECEIVER:14+7",
        "UCM+A+ORDERS:D:96A:UN:EAN008+7",
        "UCM+B+ORDERS:D:96A:UN:EAN008+7",
        "UNT+5+CM1",
        "UNZ+1+C-1",
    ]


def test_missing_unz_rejects_with_uci_4_and_code_13():
    data = _contrl(interchange(orders_message(), unz=False))
    assert "UCI+IC1+SENDER:14+RECEIVER:14+4+13+UNZ" in _segments(data)


def test_unt_count_error_is_reported_on_the_ucm():
    data = _contrl(interchange(orders_message()[:-1] + ["UNT+4+1"]))
    assert "UCM+1+ORDERS:D:96A:UN:EAN008+4+29+UNT+1" in _segments(data)


def test_data_segment_errors_become_ucs_and_ucd():
    message = orders_message()
    message.insert(4, "lin+x")
    message[-1] = "UNT+11+1"
    segments = _segments(_contrl(interchange(message)))
    assert segments[3:5] == ["UCM+1+ORDERS:D:96A:UN:EAN008+4", "UCS+5+12"]


def test_element_error_in_data_segment_becomes_ucd():
    report = read(interchange(orders_message()).encode()).interchanges[0]
    report.messages[0].errors.append(
        SyntaxIssue(
            code=SyntaxErrorCode.INVALID_VALUE,
            text="bad",
            message_position=4,
            segment_tag="NAD",
            element=2,
            component=3,
        )
    )
    data = write_contrl(
        report,
        sender_id="S",
        sender_qualifier=None,
        interchange_ref="9",
        message_ref="1",
        when=WHEN,
    )
    assert _segments(data)[3:6] == ["UCM+1+ORDERS:D:96A:UN:EAN008+4", "UCS+4", "UCD+12+2:3"]


def test_groups_get_ucf():
    text = interchange(
        ["UNG+ORDERS+S:14+R:14+240105:1200+G1+UN+D:96A", *orders_message(), "UNE+1+G1"]
    )
    assert "UCF+G1+S:14+R:14+7" in _segments(_contrl(text))


def test_reply_uses_received_service_chars_and_test_indicator():
    text = interchange(orders_message(), una="UNA:+.? #", term="#").replace(
        "+IC1#", "+IC1++++++1#", 1
    )
    data = _contrl(text)
    assert data.startswith(
        b"UNA:+.? #UNB+UNOC:3+4012345000094:14+SENDER:14+240106:0830+C-1++++++1#"
    )


def test_syntax_4_interchange_is_answered_with_contrl_4_1():
    data = _contrl(interchange(orders_message(), syntax="UNOW:4"))
    assert "UNH+CM1+CONTRL:4:1:UN" in data.decode()
    assert "+20240106:0830+" in data.decode()


def test_contrl_reads_back_with_our_reader():
    data = _contrl(interchange(orders_message()[:-1] + ["UNT+4+1"]))
    report = read(data).interchanges[0]
    assert report.accepted and report.control_ref == "C-1"
    assert [(m.type, m.ref, m.errors) for m in report.messages] == [("CONTRL", "CM1", [])]


def test_contrl_reads_back_with_pydifact():
    data = _contrl(interchange(orders_message()[:-1] + ["UNT+4+1"]))
    segments = _pydifact_segments(data)
    assert segments[1] == ("UCI", ["IC1", ["SENDER", "14"], ["RECEIVER", "14"], "7"])
    assert segments[2] == (
        "UCM",
        ["1", ["ORDERS", "D", "96A", "UN", "EAN008"], "4", "29", "UNT", "1"],
    )


def test_interchange_without_sender_cannot_be_answered():
    report = read(interchange(orders_message()).encode()).interchanges[0]
    report.sender_id = None
    with pytest.raises(ValueError):
        write_contrl(
            report,
            sender_id="S",
            sender_qualifier=None,
            interchange_ref="1",
            message_ref="1",
            when=WHEN,
        )


def test_a_contrl_we_receive_says_what_became_of_our_interchange():
    """Read back, our own CONTRLs are what a partner's look like: verdicts, not orders."""
    rejecting = read(_contrl(interchange(orders_message(), unz=False)))
    [message] = rejecting.interchanges[0].messages
    assert rejecting.documents == [] and message.errors == []
    assert (message.verdict.interchange_ref, message.verdict.action) == ("IC1", "4")
    assert str(message.verdict) == "CONTRL for our interchange IC1: rejected (error 13)"
    assert not message.verdict.accepted
    accepting = read(_contrl(interchange(orders_message("A"))))
    verdict = accepting.interchanges[0].messages[0].verdict
    assert verdict.accepted and str(verdict) == "CONTRL for our interchange IC1: acknowledged"
    assert accepting.interchanges[0].only_acknowledgments


def test_a_refused_interchange_contrl_has_the_structure_of_the_edifabric_sample(corpus):
    """A CONTRL as EdiFabric's sample (UNB UNH UCI … UNT UNZ), with the UCM per message
    EANCOM asks for after the UCI."""
    text = (corpus / "edifact-contrl" / "edifabric-CONTRL.txt").read_bytes().decode("utf-8-sig")
    sample = [s.strip()[:3] for s in text.split("'") if s.strip()]
    report = read(interchange(orders_message("A")).encode()).interchanges[0]
    refused = SyntaxIssue(code=SyntaxErrorCode.UNKNOWN_INTERCHANGE_SENDER, text="not allowed")
    report.errors.insert(0, refused)
    segments = _segments(
        write_contrl(
            report, sender_id="X", sender_qualifier="14", interchange_ref="1", message_ref="1",
            when=WHEN,
        )
    )  # fmt: skip
    tags = [s[:3] for s in segments]
    assert tags == [*sample[:3], "UCM", *sample[3:4], *sample[-1:]]
    assert segments[2] == "UCI+IC1+SENDER:14+RECEIVER:14+4+23"
