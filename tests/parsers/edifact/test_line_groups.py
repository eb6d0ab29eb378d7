"""A line's usual five segments read at once (``line_groups``) read exactly as one by one.

The fast shape of an interchange (no release character, no indentation) hands each run of
LIN/PIA/IMD/QTY/PRI in their usual shapes to a regular expression; everything else is read
segment by segment.  An indented copy of the same interchange takes the listed shape, which
reads every segment one by one: the two must give the same orders, line for line, field
for field, position for position.
"""

from __future__ import annotations

from dataclasses import asdict

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.edifact import read
from parsers.edifact.orders import line_groups
from parsers.edifact.service_chars import DEFAULT, ServiceChars

from .builders import interchange, orders_message

_GTIN = "4000862141404"


def _usual(n: int) -> list[str]:
    return [f"LIN+{n}++{_GTIN}:EN", f"PIA+1+SKU-{n}:SA", f"IMD+F++:::Mug {n}", "QTY+21:5",
            "PRI+AAA:2.50"]  # fmt: skip


#: Lines in shapes the group takes, shapes it must leave alone, and segments after it
_VARIANTS: dict[str, list[str]] = {
    "usual": _usual(0),
    "no line id": ["LIN+++4000862141404:EN", *_usual(0)[1:]],
    "empty name": [*_usual(0)[:2], "IMD+F++:::", *_usual(0)[3:]],
    "padded name": [*_usual(0)[:2], "IMD+F++:::  Blue  mug  ", *_usual(0)[3:]],
    "name in two parts": [*_usual(0)[:2], "IMD+F++:::Blue:mug", *_usual(0)[3:]],
    "coded name": [*_usual(0)[:2], "IMD+C++TU::9", *_usual(0)[3:]],
    "other PIA qualifier": [_usual(0)[0], "PIA+5+SKU-9:SA", *_usual(0)[2:]],
    "buyer's PIA": [_usual(0)[0], "PIA+1+B-77:IN", *_usual(0)[2:]],
    "two PIA ids": [_usual(0)[0], "PIA+1+SKU-9:SA+B-77:IN", *_usual(0)[2:]],
    "unit on the quantity": [*_usual(0)[:3], "QTY+21:5:PCE", _usual(0)[4]],
    "decimal quantity": [*_usual(0)[:3], "QTY+21:2.5", _usual(0)[4]],
    "bad quantity": [*_usual(0)[:3], "QTY+21:5x", _usual(0)[4]],
    "QTY 1 only": [*_usual(0)[:3], "QTY+1:9", _usual(0)[4]],
    "decimal comma price": [*_usual(0)[:4], "PRI+AAA:2,50"],
    "whole price": [*_usual(0)[:4], "PRI+AAA:3"],
    "negative price": [*_usual(0)[:4], "PRI+AAA:-3"],
    "bad price": [*_usual(0)[:4], "PRI+AAA:abc"],
    "gross price": [*_usual(0)[:4], "PRI+AAB:2.50"],
    "price with basis": [*_usual(0)[:4], "PRI+AAA:2.50:CT:NTP:1:PCE"],
    "UPC": ["LIN+1++12345678905:UP", *_usual(0)[1:]],
    "no PIA": [_usual(0)[0], *_usual(0)[2:]],
    "no IMD": [*_usual(0)[:2], *_usual(0)[3:]],
    "no price": _usual(0)[:4],
    "order changed": [_usual(0)[0], *_usual(0)[2:4], _usual(0)[1], _usual(0)[4]],
    "delivery date after": [*_usual(0), "DTM+2:20240301:102"],
    "note after": [*_usual(0), "FTX+AAI+++fragile"],
    "second QTY 21 after": [*_usual(0), "QTY+21:7:PCE"],
    "QTY 1 after": [*_usual(0), "QTY+1:9"],
    "second price after": [*_usual(0), "PRI+AAB:9.99"],
    "second SA reference after": [*_usual(0), "PIA+1+SKU-9:SA"],
    "LIN alone": ["LIN+1"],
}


def _both(lines: list[list[str]]) -> tuple[dict, dict]:
    body = ["BGM+220+PO-1+9", "DTM+137:20240105:102"]
    for n, segments in enumerate(lines, 1):
        body += [s.replace("LIN+0+", f"LIN+{n}+", 1) for s in segments]
    message = orders_message(body=[*body, "UNS+S", f"CNT+2:{len(lines)}"])
    fast = read(interchange(message).encode())
    listed = read(interchange(message, sep="\n  ").encode())  # indented: one by one
    return _facts(fast), _facts(listed)


def _facts(result) -> dict:
    assert result.documents, result.interchanges[0].all_errors
    (doc,) = result.documents
    message = result.interchanges[0].messages[0]
    return {
        "lines": [asdict(line) for line in doc.lines],
        "order": (doc.order_number, doc.order_date, doc.notes),
        "warnings": message.warnings,
        "errors": [str(e) for e in message.errors],
    }


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(sorted(_VARIANTS)), min_size=1, max_size=12))
def test_any_mix_of_lines_reads_the_same_in_groups_and_one_by_one(kinds):
    fast, listed = _both([_VARIANTS[k] for k in kinds])
    assert fast == listed


def test_a_message_longer_than_a_piece_reads_the_same_where_pieces_cut_a_group():
    # about 120 KiB: the 64 KiB pieces end in the middle of some line's segments
    kinds = sorted(_VARIANTS)
    lines = [_VARIANTS[kinds[n % len(kinds)]] for n in range(2_400)]
    fast, listed = _both(lines)
    assert len(fast["lines"]) == 2_400
    assert fast == listed


def _segment(text: str) -> tuple[str, ...]:
    return ("", "", "", "", "", "", text)


def test_usual_lines_become_groups_and_the_rest_stays_segments():
    text = "'UNH+1+ORDERS:D:96A:UN'" + "'".join(_usual(1) + ["DTM+2:20240301:102"] + _usual(2))
    (items,) = line_groups([text], DEFAULT)
    assert items == [
        _segment("UNH+1+ORDERS:D:96A:UN"),
        ("1", _GTIN, "SKU-1", "Mug 1", "5", "2.50", ""),
        _segment("DTM+2:20240301:102"),
        ("2", _GTIN, "SKU-2", "Mug 2", "5", "2.50", ""),
    ]


def test_text_that_only_looks_like_a_group_inside_a_segment_is_not_one():
    # the FTX's text ends in "LIN+1++…:EN": not at a segment's start
    note = "FTX+AAI+++see " + "'".join(_usual(1))
    (items,) = line_groups(["'" + note], DEFAULT)
    assert all(item[6] for item in items)
    assert "'".join(item[6] for item in items) == note


def test_groups_are_found_with_the_senders_own_service_characters():
    # pattern characters as separators: the groups' character sets must still exclude them
    chars = ServiceChars(component="]", element="*", terminator="^", release="\\")
    usual = [s.replace("+", "*").replace(":", "]") for s in _usual(1)]
    (items,) = line_groups(["^" + "^".join(usual)], chars)
    assert items == [("1", _GTIN, "SKU-1", "Mug 1", "5", "2.50", "")]
