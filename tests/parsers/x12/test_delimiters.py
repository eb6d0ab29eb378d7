"""Delimiters come from the ISA, whatever they are, and real-file sloppiness is tolerated."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from parsers.errors import InvalidStructure
from parsers.x12 import Delimiters, read, segments

from .builders import group, interchange, order_set


# Every element / component / terminator combination found in the corpus.
@pytest.mark.parametrize(
    ("element", "component", "terminator", "line_ending"),
    [
        ("*", ">", "~", "\n"),  # nodex12, stedi
        ("*", ">", "~", ""),  # bots ascii1: one line
        ("*", ">", "\n", ""),  # nodex12-850_2: newline only
        ("*", "~", "|", "\r\n"),  # OopFactory Example1
        ("~", ">", "*", "\r\n"),  # OopFactory Example3
        ("\x1d", "@", "\x1c", "\r\n"),  # OBOE binary delimiters
        ("*", ":", "\x15", "\r\n"),  # bots 004030: NAK terminator
        ("\x7f", ">", "\x15", ""),  # bots VICS: DEL element separator
        ("*", "+", "~", "\n"),  # bots 004010-02: '+' component separator
        ("~", ">", "\n", ""),  # OBOE lfTestCase 855
    ],
)
def test_delimiters_are_read_from_the_isa(
    element: str, component: str, terminator: str, line_ending: str
) -> None:
    text = interchange(
        [group([order_set()])],
        element=element,
        component=component,
        terminator=terminator,
        line_ending=line_ending,
    )
    result = read(text.encode("latin-1"))
    assert result.interchanges[0].delimiters == Delimiters(
        element, component, terminator, None, line_ending
    )
    [document] = result.documents
    assert document.order_number == "PO-1"
    assert document.lines[0].barcode == "012345678905"
    assert result.problems() == []


def test_repetition_separator_comes_from_isa11_when_not_u() -> None:
    text = interchange([group([order_set()], version="005010")], repetition="^", version="00501")
    assert read(text.encode()).interchanges[0].delimiters.repetition == "^"


def test_isa11_u_is_not_a_repetition_separator() -> None:
    assert (
        read(interchange([group([order_set()])]).encode()).interchanges[0].delimiters.repetition
        is None
    )


def test_utf8_bom_and_leading_whitespace_are_ignored_and_reported() -> None:
    data = b"\xef\xbb\xbf  \r\n" + interchange([group([order_set()])]).encode()
    result = read(data)
    assert len(result.documents) == 1
    assert any("byte order mark" in w for w in result.warnings)
    assert any("whitespace before" in w for w in result.warnings)


def test_indented_segments_are_read() -> None:
    text = interchange([group([order_set()])], line_ending="\r\n")
    indented = "\r\n".join("    " + line for line in text.split("\r\n"))
    assert read(indented.encode()).documents[0].order_number == "PO-1"


def test_an_isa_one_character_short_is_read_and_reported() -> None:
    text = interchange([group([order_set()])]).replace("BUYERCO        ", "BUYERCO       ", 1)
    result = read(text.encode())
    assert result.documents[0].envelope.sender_id == "BUYERCO"
    assert any("105 characters long" in w for w in result.warnings)


def test_nbsp_padding_in_the_isa_is_decoded_as_text() -> None:
    text = interchange([group([order_set()])]).replace(
        "BUYERCO        ", "BUYERCO \u00a0 \u00a0 \u00a0 \u00a0", 1
    )
    result = read(text.encode("utf-8"))
    assert result.interchanges[0].sender_id == "BUYERCO"
    assert result.interchanges[0].delimiters.segment == "~"
    assert any("U+00A0" in w for w in result.warnings)


def test_space_after_isa16_with_crlf_makes_the_line_break_the_terminator() -> None:
    text = interchange([group([order_set()])], terminator=" ", line_ending="\r\n")
    result = read(text.encode())
    assert result.interchanges[0].delimiters.segment == "\r"
    assert result.documents[0].lines[0].quantity == 10
    assert any("space follows ISA16" in w for w in result.warnings)


def test_a_missing_final_terminator_is_tolerated_and_reported() -> None:
    text = interchange([group([order_set()])]).rstrip("~\n")
    result = read(text.encode())
    assert result.problems() == []
    assert any("no segment terminator at the end" in w for w in result.warnings)


def test_isa12_and_gs08_disagreeing_is_a_warning() -> None:
    text = interchange([group([order_set()], version="004010")], version="00300")
    result = read(text.encode())
    assert len(result.documents) == 1
    assert any("GS08 '004010' and ISA12 '00300'" in w for w in result.warnings)


def test_an_isa_cut_short_raises_a_located_error() -> None:
    with pytest.raises(InvalidStructure) as caught:
        read(b"ISA*00*          *00*   ")
    assert caught.value.line == 1
    assert caught.value.segment == "ISA"


def test_segments_are_split_into_elements_with_file_positions() -> None:
    tokens = segments(interchange([group([order_set()])]).encode())
    assert [t.id for t in tokens[:4]] == ["ISA", "GS", "ST", "BEG"]
    assert tokens[3].position == 4
    assert tokens[3].elements[3] == "PO-1"


def _as_sent(text: str) -> list[list[str]]:
    return [t.elements for t in segments(text.encode())]


# The reader cuts at terminator + line ending when every terminator has its line ending,
# and at the terminator alone otherwise: the segments must come out the same either way.
@pytest.mark.parametrize(
    "sloppy",
    [
        lambda text: text,  # every terminator followed by "\n"
        lambda text: text.rstrip("\n"),  # the last one without it
        lambda text: text.replace("~\n", "~", 2),  # two in the middle without it
        lambda text: text.replace("~\n", "~\n\n", 3),  # blank lines
        lambda text: text.replace("~\nBEG", "  ~\n \tBEG"),  # padding around segments
        lambda text: text.replace("\n", "\r\n"),  # CRLF, the interchange's own ending
        lambda text: text + text.replace("000000001", "000000002"),  # two interchanges
    ],
)
def test_segments_do_not_depend_on_how_terminators_are_followed(
    sloppy: Callable[[str], str],
) -> None:
    text = interchange([group([order_set(), order_set("0002")])])
    expected = _as_sent(text)
    if "000000002" in sloppy(text):
        expected += [[e.replace("000000001", "000000002") for e in s] for s in expected]
    assert _as_sent(sloppy(text)) == expected
