"""The usual PO1 is read on a fast path; every line reads as the general path reads it.

``read_850`` builds the usual line item (numbers that parse, the preferred ids
present, digit barcodes) in one step from per-set caches, and hands anything else to
``_general_po1``, which reads a line from scratch and reports its problems.  These
tests generate many lines – usual ones and every kind of departure, in every layout –
and pin that each line of an order equals what the general path makes of it alone.
"""

from __future__ import annotations

import random
from dataclasses import asdict

import pytest

from parsers.document import Location, OrderLine
from parsers.x12 import read
from parsers.x12.order_850 import ID_QUALIFIERS, _general_po1, _ranking, _SetReader
from parsers.x12.reports import TransactionSetReport

from .builders import one_order

QUANTITIES = ["4", "4", "004", "12.5", " 7 ", "", "  ", "x", "1e3", "-2", "+3", ".5"]
PRICES = ["2.50", "2.50", "", " 1.10", "2,50", "abc", "0", "10."]
UNITS = ["EA", "EA", "CA", "", " PK ", "  "]
IDS = {
    "UP": ["012345678905", "012345678905", "", " 012345678905 ", "0123-4567-8905", "N/A"],
    "EN": ["5412345000020", "", "54 1234 5000020"],
    "VN": ["V-1", "V-1", "", "  ", " V-2 "],
    "SK": ["SKU-1", ""],
    "BP": ["B-9", ""],
    "MG": ["M-3", ""],
    "ZZ": ["whatever", ""],
}
LAYOUTS = [
    (),
    ("UP",),
    ("UP", "VN"),
    ("UP", "VN", "EN"),
    ("VN", "SK"),
    ("EN", "UP", "BP", "MG"),
    ("ZZ", "SK", "VN"),
    ("UP", "UP"),
    ("SK", "BP", "ZZ", "EN", "VN"),
]


def _random_po1(rng: random.Random, n: int) -> tuple[str, ...]:
    layout = rng.choice(LAYOUTS)
    pairs: list[str] = []
    for qualifier in layout:
        pairs += [qualifier, rng.choice(IDS[qualifier])]
    if pairs and rng.random() < 0.1:
        pairs = pairs[:-1]  # a qualifier with no value after it
    price = rng.choice(PRICES)
    head = [str(n), rng.choice(QUANTITIES), rng.choice(UNITS), price, "PE" if price else ""]
    if not pairs and rng.random() < 0.3:
        return tuple(head[: rng.randint(1, 4)])  # a short PO1
    return (*head, *pairs)


def _fields(line: OrderLine) -> dict[str, object]:
    values = asdict(line)
    del values["line_no"], values["location"]
    return values


@pytest.mark.parametrize("seed", range(6))
def test_every_line_reads_as_the_general_path_reads_it_alone(seed: int) -> None:
    rng = random.Random(seed)
    po1s = tuple(_random_po1(rng, n) for n in range(1, 301))
    [order] = read(one_order(lines=po1s)).documents
    ranking = _ranking(ID_QUALIFIERS)
    assert len(order.lines) == len(po1s)
    for line, po1 in zip(order.lines, po1s, strict=True):
        report = TransactionSetReport(set_id="850", control_number="1", location=Location())
        alone = _SetReader(report, 0, 0, [], ID_QUALIFIERS)
        # as tokenised: blanks around a segment are padding, not element text
        elements = "*".join(("PO1", *po1)).strip().split("*")
        expected = _general_po1(alone, 0, elements, line.line_no, ranking, {})
        assert _fields(line) == _fields(expected), po1


def test_the_mixture_takes_both_paths() -> None:
    """The generated lines are not all usual or all unusual, so both paths are compared."""
    rng = random.Random(0)
    po1s = tuple(_random_po1(rng, n) for n in range(1, 301))
    [order] = read(one_order(lines=po1s)).documents
    with_issues = sum(1 for line in order.lines if line.issues)
    assert 30 < with_issues < 270
