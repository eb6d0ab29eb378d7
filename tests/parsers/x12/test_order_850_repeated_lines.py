"""Lines that repeat one PO1 layout: each line is still read on its own values.

The reader decides once per layout of product-id qualifiers which pair fills which
field, and remembers number texts it has parsed; these tests pin that a line which
departs from its neighbours (an empty pair, a bad barcode, a bad price) is read and
reported exactly as if it were alone.
"""

from __future__ import annotations

from decimal import Decimal

from parsers.document import IssueCode
from parsers.x12 import read

from .builders import one_order

LAYOUT = ("EA", "2.50", "", "UP", "012345678905", "VN", "V-1", "EN", "5412345000020")


def _line(n: int, *, quantity: str = "4", layout: tuple[str, ...] = LAYOUT) -> tuple[str, ...]:
    return (str(n), quantity, *layout)


def test_an_empty_preferred_pair_falls_back_to_the_next_qualifier_on_that_line_only() -> None:
    layout = ("EA", "2.50", "", "UP", "012345678905", "VN", "V-1", "SK", "SKU-1")
    no_vendor = ("EA", "2.50", "", "UP", "012345678905", "VN", "", "SK", "SKU-2")
    lines = (_line(1, layout=layout), _line(2, layout=no_vendor), _line(3, layout=layout))
    [order] = read(one_order(lines=lines)).documents
    assert [line.supplier_ref for line in order.lines] == ["V-1", "SKU-2", "V-1"]
    assert order.lines[1].columns == {"barcode": "PO107", "supplier_ref": "PO111"}
    assert order.lines[2].columns == {"barcode": "PO107", "supplier_ref": "PO109"}


def test_a_bad_barcode_among_good_lines_is_an_issue_on_its_own_line() -> None:
    bad = ("EA", "2.50", "", "UP", "N/A", "VN", "V-2", "EN", "5412345000020")
    [order] = read(one_order(lines=(_line(1), _line(2, layout=bad), _line(3)))).documents
    first, second, third = order.lines
    assert (second.barcode, second.barcode_type, second.supplier_ref) == (None, None, "V-2")
    assert [(i.code, i.column) for i in second.issues] == [(IssueCode.INVALID_VALUE, "PO107")]
    assert second.columns == {"supplier_ref": "PO109"}
    assert first.issues == [] and third.issues == []
    assert third.columns == {"barcode": "PO107", "supplier_ref": "PO109"}


def test_a_repeated_bad_price_is_reported_on_every_line_that_has_it() -> None:
    bad_price = ("EA", "2,50", "", "UP", "012345678905")
    lines = (_line(1, layout=bad_price), _line(2), _line(3, layout=bad_price))
    result = read(one_order(lines=lines))
    [order] = result.documents
    assert [line.unit_price for line in order.lines] == [None, Decimal("2.50"), None]
    assert [[i.column for i in line.issues] for line in order.lines] == [["PO104"], [], ["PO104"]]
    report = result.interchanges[0].groups[0].sets[0]
    assert [e.position_in_set for e in report.segment_errors] == [3, 5]


def test_repeated_quantities_keep_each_lines_own_text_and_value() -> None:
    lines = (_line(1, quantity="4"), _line(2, quantity="004"), _line(3, quantity="4"))
    [order] = read(one_order(lines=lines)).documents
    assert [(line.quantity, line.quantity_text) for line in order.lines] == [
        (Decimal(4), "4"),
        (Decimal(4), "004"),
        (Decimal(4), "4"),
    ]
