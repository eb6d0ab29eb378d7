"""Whole interchanges read the same with the usual line's hot path and without it.

``read_850`` builds a usual PO1 in one step from per-set caches and the layout's plan;
``usual_lines=False`` reads every PO1 by ``_general_po1``, from scratch.  Generated
orders – usual and unusual PO1s in several layouts, each followed by the segments an
850 line carries (PID, DTM, NTE, PO4, SAC, REF, N1…), text that only looks like a PO1,
every delimiter set and segment terminator a partner uses, more distinct values than
the caches hold – must give the same result either way: documents line for line and
field for field, reports with their errors and positions, warnings.
"""

from __future__ import annotations

from dataclasses import asdict

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.x12.order_850 import ID_QUALIFIERS
from parsers.x12.reader import _read

from .builders import group, interchange

QUANTITIES = ["4", "4", "12", "004", "12.5", " 7 ", "", "x", "1e3", "-2", ".5", "²"]
PRICES = ["2.50", "2.50", "", " 1.10", "2,50", "abc", "0", "10."]
UNITS = ["EA", "EA", "CA", "", " PK "]
IDS = {
    # ... and digits that are not ASCII (Arabic-Indic)
    "UP": [
        "012345678905",
        "012345678905",
        "",
        " 012345678905 ",
        "0123-4567-8905",
        "N/A",
        "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660\u0665",
    ],  # fmt: skip
    "EN": ["5412345000020", "", "54 1234 5000020"],
    "VN": ["V-1", "V-2", "", "  ", " V-3 "],
    "SK": ["SKU-1", ""],
    "BP": ["B-9", "", "  "],
    "MG": ["M-3", "", "  "],
    "ZZ": ["whatever", ""],
}
LAYOUTS = [
    ("UP", "VN"),
    ("UP", "VN"),
    (),
    ("UP",),
    ("UP", "VN", "EN"),
    ("VN", "SK"),
    ("EN", "UP", "BP", "MG"),
    ("ZZ", "SK", "VN"),
    ("UP", "UP"),
]
#: What follows a PO1 in its loop, and text that only looks like a line
AFTER: dict[str, list[list[str]]] = {
    "nothing": [],
    "PID": [["PID", "F", "", "", "", "Blue mug"]],
    "padded PID": [["PID", "F", "", "", "", "  Blue mug  "]],
    "two PIDs": [["PID", "F", "", "", "", "Blue"], ["PID", "F", "", "", "", "mug"]],
    "coded PID": [["PID", "S", "", "VI", "FL"]],
    "delivery date": [["DTM", "002", "20240301"]],
    "bad date": [["DTM", "002", "2024-03-01"]],
    "other date": [["DTM", "010", "20240301"]],
    "note": [["NTE", "GEN", "fragile"]],
    "message": [["MSG", "leave at the door"]],
    "pack and price": [["PO4", "6", "1", "EA"], ["CTP", "", "RES", "3.10"]],
    "charge": [["SAC", "C", "D240", "", "", "150"]],
    "line REF and N1": [["REF", "ZZ", "line ref"], ["N1", "ST", "Other site", "92", "S-9"]],
    "note like a PO1": [["NTE", "GEN", "PO1"], ["NTE", "PO1", "1", "5", "EA"]],
    "tag like PO1": [["PO1X", "1", "5", "EA"]],
    "bare PO1": [["PO1"]],
    "short PO1": [["PO1", "9", "3"]],
}
DELIMITERS = [
    {"element": "*", "component": ">", "terminator": "~", "line_ending": "\n"},
    {"element": "*", "component": ">", "terminator": "~", "line_ending": "\r\n"},
    {"element": "*", "component": ":", "terminator": "~", "line_ending": ""},
    {"element": "|", "component": ">", "terminator": "'", "line_ending": "\r\n"},
    {"element": "^", "component": ":", "terminator": "\n", "line_ending": ""},
    {"element": "*", "component": ">", "terminator": "\r", "line_ending": "\n"},
    {"element": "+", "component": "\\", "terminator": "?", "line_ending": "\n"},
    {"element": "*", "component": ">", "terminator": "~", "line_ending": "\n", "repetition": "^"},
]


@st.composite
def po1s(draw: st.DrawFn, n: int) -> list[str]:
    layout = draw(st.sampled_from(LAYOUTS))
    pairs: list[str] = []
    for qualifier in layout:
        pairs += [qualifier, draw(st.sampled_from(IDS[qualifier]))]
    if pairs and draw(st.integers(0, 9)) == 0:
        pairs = pairs[:-1]  # a qualifier with no value after it
    price = draw(st.sampled_from(PRICES))
    line_id = draw(st.sampled_from([str(n), str(n), f" {n} ", ""]))
    head = [line_id, draw(st.sampled_from(QUANTITIES)), draw(st.sampled_from(UNITS)), price]
    return ["PO1", *head, "PE" if price else "", *pairs]


@st.composite
def line_items(draw: st.DrawFn, n: int) -> list[list[str]]:
    after = draw(st.lists(st.sampled_from(sorted(AFTER)), max_size=2))
    return [draw(po1s(n)), *(s for kind in after for s in AFTER[kind])]


def order(body: list[list[str]], *, control: str = "0001") -> list[list[str]]:
    head = [
        ["BEG", "00", "SA", "PO-1", "", "20240102"],
        ["REF", "DP", "042"],
        ["N1", "BY", "Buyer", "92", "B-1"],
        ["N1", "ST", "Site", "92", "S-1"],
    ]
    segments = [["ST", "850", control], *head, *body, ["CTT", "3", "17"]]
    return [*segments, ["SE", str(len(segments) + 1), control]]


def both(data: bytes) -> tuple[dict, dict]:
    usual = _read(data, ID_QUALIFIERS)
    general = _read(data, ID_QUALIFIERS, usual_lines=False)
    return asdict(usual), asdict(general)


@settings(max_examples=120, deadline=None)
@given(
    st.integers(1, 12).flatmap(lambda n: st.tuples(*(line_items(k) for k in range(1, n + 1)))),
    st.sampled_from(DELIMITERS),
)
def test_any_mix_of_lines_reads_the_same_with_and_without_the_hot_path(items, delimiters):
    body = [segment for item in items for segment in item]
    data = interchange([group([order(body)])], **delimiters).encode("utf-8")
    usual, general = both(data)
    assert usual["documents"] or usual["interchanges"][0]["groups"][0]["sets"][0]["rejected"]
    assert usual == general


def test_an_order_with_more_distinct_values_than_the_caches_hold_reads_the_same():
    # 6,000 lines, each quantity and price its own: past the 4,096 the caches keep
    body: list[list[str]] = []
    for n in range(1, 6_001):
        body.append(["PO1", str(n), str(n), "EA", f"{n}.25", "", "UP", f"{n:012d}", "VN", f"V{n}"])
        body.append(["PID", "F", "", "", "", f"Article {n}"])
    data = interchange([group([order(body)])]).encode("ascii")
    usual, general = both(data)
    assert len(usual["documents"][0]["lines"]) == 6_000
    assert usual == general


def test_the_mixture_takes_both_readings():
    """Generated lines are not all usual or all unusual: both readings are compared."""
    body = [
        *[
            ["PO1", str(n), "4", "EA", "2.50", "", "UP", "012345678905", "VN", "V-1"]
            for n in (1, 2)
        ],
        ["PO1", "3", "x", "EA", "2.50", "", "UP", "012345678905", "VN", "V-1"],
    ]
    data = interchange([group([order(body)])]).encode("ascii")
    usual = _read(data, ID_QUALIFIERS).documents[0].lines
    general = _read(data, ID_QUALIFIERS, usual_lines=False).documents[0].lines
    # The hot path shares its layout's columns between lines; the general one does not
    assert usual[0].columns is usual[1].columns
    assert general[0].columns is not general[1].columns
    assert usual[2].issues and usual[2].columns is not usual[0].columns


def _departures() -> list[list[str]]:
    """The usual line, then that line with each value replaced by each other one."""
    # (blanks at a segment's end are padding: the last value cannot show them)
    usual = ["PO1", "1", "4", "EA", "2.50", "PE", "UP", "012345678905", "VN", "V-1", "BP", "B-9",
             "MG", "M-3", "ZZ", "whatever"]  # fmt: skip
    lines = [usual]
    others = {1: [" 1 ", ""], 2: QUANTITIES, 3: UNITS, 4: PRICES}
    others |= {7: IDS["UP"], 9: IDS["VN"], 11: IDS["BP"], 13: IDS["MG"]}
    for position, values in others.items():
        lines += [[*usual[:position], value, *usual[position + 1 :]] for value in values]
    return lines


@settings(max_examples=len(DELIMITERS), deadline=None)
@given(st.sampled_from(DELIMITERS))
def test_each_departure_from_the_usual_line_reads_the_same_alone(delimiters):
    for po1 in _departures():
        body = [["PO1", "0", "1", "EA", "1", "", "UP", "012345678905", "VN", "V-0"], po1]
        data = interchange([group([order(body)])], **delimiters).encode("utf-8")
        usual, general = both(data)
        assert usual == general, po1


def test_lines_that_change_their_two_pair_layout_read_the_same():
    """The hot path remembers the last two-pair layout (size, PO106, PO108): every change
    of it – other qualifiers, the same ones swapped or padded, a dangling qualifier, a
    layout of one or three pairs in between, an empty value – is read as from scratch."""
    pairs = [
        ["UP", "012345678905", "VN", "V-1"],
        ["UP", "012345678905", "VN", "V-2"],
        ["VN", "V-3", "UP", "012345678905"],
        ["UP", "012345678905", "VN", "V-4", "BP"],  # a qualifier with no value after it
        ["UP", "012345678905", "VN", "V-5"],
        [" UP", "012345678905", "VN", "V-6"],
        ["UP", "012345678905", "VN", ""],
        ["UP", "", "VN", "V-7"],
        ["UP", "012345678905"],
        ["UP", "012345678905", "VN", "V-8"],
        ["UP", "012345678905", "VN", "V-9", "BP", "B-9"],
        ["UP", "012345678905", "VN", "V-10"],
        ["UP", "N/A", "VN", "V-11"],
        ["UP", "012345678905", "BP", "B-1"],  # the same first qualifier only
        ["EN", "5412345000020", "SK", "SKU-1"],
        ["UP", "012345678905", "VN", "V-12"],
        ["VN", "V-13", "ZZ", "whatever"],
        ["VN", "V-14", "ZZ", ""],  # an empty value no line field reads
    ]
    body: list[list[str]] = []
    for n, ids in enumerate(pairs, 1):
        body.append(["PO1", str(n), "4", "EA", "2.50", "PE", *ids])
        body.append(["PID", "F", "", "", "", f"Article {n}"])
    data = interchange([group([order(body)])]).encode("ascii")
    usual, general = both(data)
    assert len(usual["documents"][0]["lines"]) == len(pairs)
    assert usual == general
    lines = _read(data, ID_QUALIFIERS).documents[0].lines
    assert [line.supplier_ref for line in lines[:3]] == ["V-1", "V-2", "V-3"]
    assert lines[3].item_ids[1].value == "V-4" and len(lines[3].item_ids) == 2
