"""Character sets: UNB 0001 decides the decoding; bytes that do not fit are reported."""

from __future__ import annotations

import pytest

from parsers.edifact import SyntaxErrorCode, read

from .builders import interchange, orders_message


def _named_order(syntax: str, name: str, encoding: str) -> bytes:
    message = orders_message(
        body=[
            "BGM+220+PO-1+9",
            "LIN+1++4000862141404:EN",
            f"IMD+F++:::{name}",
            "QTY+21:1",
            "UNS+S",
        ]
    )
    return interchange(message, syntax=syntax).encode(encoding)


@pytest.mark.parametrize(
    ("syntax", "name", "encoding", "codec"),
    [
        ("UNOA:3", "PLAIN NAME", "ascii", "ascii"),
        ("UNOB:3", "Plain name", "ascii", "ascii"),
        ("UNOC:3", "Crème brûlée", "iso-8859-1", "iso-8859-1"),
        ("UNOD:3", "Żółć łąka", "iso-8859-2", "iso-8859-2"),
        ("UNOE:3", "Сметана", "iso-8859-5", "iso-8859-5"),
        ("UNOF:3", "Γιαούρτι", "iso-8859-7", "iso-8859-7"),
        ("UNOW:4", "Crème 中文 Сметана", "utf-8", "utf-8"),
        ("UNOY:4", "Γιαούρτι ✓", "utf-8", "utf-8"),
    ],
)
def test_each_character_set_decodes_to_text(syntax, name, encoding, codec):
    result = read(_named_order(syntax, name, encoding))
    assert result.documents[0].lines[0].name == name
    assert result.interchanges[0].charset == codec
    assert result.interchanges[0].accepted


def test_utf8_bytes_under_unoc_are_read_as_utf8_with_a_warning():
    data = interchange(orders_message(), syntax="UNOC:3").replace("PO-1", "Größe")
    result = read(data.encode("utf-8"))
    assert result.documents[0].order_number == "Größe"
    assert result.interchanges[0].charset == "utf-8"
    assert any("bytes are UTF-8" in w for w in result.warnings)


def test_latin1_bytes_under_unoa_reject_the_interchange_with_code_21():
    data = _named_order("UNOA:3", "CRÈME", "iso-8859-1")
    result = read(data)
    report = result.interchanges[0]
    assert not report.accepted and result.documents == []
    error = report.errors[0]
    assert error.code is SyntaxErrorCode.INVALID_CHARACTERS
    assert error.position == 6  # UNA, UNB, UNH, BGM, LIN, IMD
    assert "0xC8" in error.text


def test_undefined_byte_in_iso_8859_7_is_reported_not_raised():
    data = _named_order("UNOF:3", "ΑΒ", "iso-8859-7").replace(b"\xc1", b"\xae")  # 0xAE undefined
    report = read(data).interchanges[0]
    assert report.errors[0].code is SyntaxErrorCode.INVALID_CHARACTERS
    assert report.sender_id == "SENDER"  # the envelope is still read, to address a CONTRL


def test_lower_case_under_unoa_is_accepted_with_a_warning():
    result = read(interchange(orders_message(), syntax="UNOA:3").replace("PO-1", "po-1").encode())
    assert result.documents[0].order_number == "po-1"
    assert any("lower-case" in w for w in result.warnings)


def test_unknown_syntax_identifier_is_reported_as_character_set_not_supported():
    report = read(interchange(orders_message(), syntax="KECA:3").encode()).interchanges[0]
    assert [e.code for e in report.errors] == [SyntaxErrorCode.CHARACTER_SET_NOT_SUPPORTED]
