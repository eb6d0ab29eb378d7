"""Tokenising: service string advice, release characters, layout, several interchanges."""

from __future__ import annotations

import pytest

from parsers.edifact import ServiceChars, parse_una, read, recognise
from parsers.errors import EmptyFile, InvalidStructure, UnrecognisedFormat

from .builders import interchange, orders_message


def _ftx_order(text: str) -> list[str]:
    return orders_message(
        body=["BGM+220+PO-1+9", text, "LIN+1++4000862141404:EN", "QTY+21:1", "UNS+S"]
    )


def test_default_service_chars_apply_without_una():
    result = read(interchange(orders_message(), una=None).encode())
    assert result.interchanges[0].service_chars == ServiceChars()
    assert not result.interchanges[0].una_present
    assert [line.quantity for line in result.documents[0].lines] == [5, 7]


def test_una_with_hash_terminator_leaves_apostrophe_as_data():
    data = interchange(_ftx_order("FTX+AAI+++Customer's note"), una="UNA:+.? #", term="#")
    doc = read(data.encode()).documents[0]
    assert doc.notes == ["Customer's note"]


def test_una_with_equals_release_and_escaped_release_before_terminator():
    message = _ftx_order("FTX+AAI+++Customer==='s name+x==")
    data = interchange(message, una="UNA:+.= '")
    doc = read(data.encode()).documents[0]
    assert doc.notes == ["Customer='s name"]


def test_una_with_exclamation_release_escapes_separators():
    data = interchange(_ftx_order("FTX+AAI+++I!'ve a!:dream!+more"), una="UNA:+.!*'")
    assert read(data.encode()).documents[0].notes == ["I've a:dream+more"]


def test_una_with_comma_decimal_mark_reads_decimal_quantities():
    message = orders_message(
        body=["BGM+220+PO-1+9", "LIN+1++4000862141404:EN", "QTY+21:2,5", "PRI+AAA:1,25", "UNS+S"]
    )
    line = read(interchange(message, una="UNA:+,? '").encode()).documents[0].lines[0]
    assert (str(line.quantity), str(line.unit_price), line.quantity_text) == ("2.5", "1.25", "2,5")


def test_unusual_separators_are_read_from_una():
    text = interchange(orders_message(), una="UNA|*.\\ ~", term="~")
    text = text.replace("+", "*").replace(":", "|")
    result = read(text.encode())
    assert result.interchanges[0].service_chars == parse_una("UNA|*.\\ ~")
    assert [line.barcode for line in result.documents[0].lines] == [
        "4000862141404",
        "4012345000094",
    ]


def test_escaped_terminator_and_double_release_inside_data():
    data = interchange(_ftx_order("FTX+AAI+++a?'b??c?+d?:e??"))
    assert read(data.encode()).documents[0].notes == ["a'b?c+d:e?"]


def test_utf8_bom_crlf_and_mixed_line_ends_are_layout():
    text = interchange(orders_message(), sep="\r\n")
    text = text.replace("QTY+21:7'\r\n", "QTY+21:7'\n")
    result = read(b"\xef\xbb\xbf" + text.encode())
    assert result.interchanges[0].accepted
    assert len(result.documents[0].lines) == 2


def test_single_line_interchange_without_any_line_break():
    result = read(interchange(orders_message(), sep="").encode())
    assert result.documents[0].order_number == "PO-1"


def test_indented_segments_are_read():
    text = interchange(orders_message(), sep="\n   ")
    result = read(text.encode())
    assert result.interchanges[0].accepted and len(result.documents[0].lines) == 2


def test_segment_positions_count_una_as_first_segment():
    result = read(interchange(orders_message()).encode())
    lines = result.documents[0].lines
    # UNA 1, UNB 2, UNH 3, BGM 4, DTM 5, NAD 6, LIN 7
    assert (lines[0].location.line, lines[0].location.segment) == (7, "LIN")
    assert lines[1].location.line == 9
    assert result.documents[0].location.line == 3


def test_three_interchanges_with_a_broken_middle_one():
    good_1 = interchange(orders_message("A"), ref="IC1")
    broken = interchange(orders_message("B")[:-1] + ["UNT+99+B"], ref="IC2", unz=False)
    good_3 = interchange(orders_message("C"), ref="IC3", una=None)
    result = read((good_1 + broken + good_3).encode())
    refs = [ic.control_ref for ic in result.interchanges]
    assert refs == ["IC1", "IC2", "IC3"]
    assert [ic.accepted for ic in result.interchanges] == [True, False, True]
    assert [d.envelope.message_ref for d in result.documents] == ["A", "C"]
    codes = {e.code.value for e in result.interchanges[1].all_errors}
    assert codes == {"13", "29"}  # UNZ missing, UNT count wrong


def test_positions_continue_across_interchanges():
    first = interchange(orders_message("A"), ref="IC1")
    result = read((first + first.replace("IC1", "IC2")).encode())
    # the first interchange has 13 segments (UNA…UNZ): the second UNA is segment 14
    assert result.interchanges[1].position == 14
    assert result.documents[1].lines[0].location.line == 14 + 6


def test_functional_group_messages_carry_the_group_reference():
    message = orders_message("M1")
    text = interchange(
        ["UNG+ORDERS+SENDER:14+RECEIVER:14+240105:1200+G7+UN+D:96A", *message, "UNE+1+G7"]
    )
    result = read(text.encode())
    report = result.interchanges[0]
    assert report.accepted and report.groups[0].ref == "G7" and report.groups[0].accepted
    assert result.documents[0].envelope.group_ref == "G7"


def test_not_edifact_raises_unrecognised_format_with_location():
    with pytest.raises(UnrecognisedFormat) as err:
        read(b"ISA*00*          *00*")
    assert err.value.line == 1 and err.value.found.startswith("ISA")


def test_empty_file_raises_empty_file():
    with pytest.raises(EmptyFile):
        read(b"\xef\xbb\xbf \r\n")


def test_unusable_first_una_raises_invalid_structure():
    with pytest.raises(InvalidStructure) as err:
        read(b"UNA::.? 'UNB+UNOC:3+A+B+240101:1200+1'")
    assert err.value.segment == "UNA"


def test_recognise_accepts_una_or_unb_after_bom_and_rejects_others():
    assert recognise(b"\xef\xbb\xbfUNA:+.? 'UNB+UNOC:3")
    assert recognise(b"\r\nUNB+UNOA:2+X")
    assert not recognise(b"ISA*00*")
    assert not recognise(b"Code-barre;Quantit\xe9\r\n")
    assert not recognise(b"UNBEKANNT;1")
