"""860 → OrderDocument: the buyer's change of a PO, read with the 850's rules."""

from __future__ import annotations

from decimal import Decimal

from parsers.document import ItemId, LineChange
from parsers.x12 import read

from .builders import group, interchange


def _860(*lines: tuple[str, ...], purpose: str = "04") -> bytes:
    body = [
        ["BCH", purpose, "SA", "PO-1", "", "2", "20240102"],
        *(["POC", *line] for line in lines),
        ["CTT", str(len(lines))],
    ]
    st = [["ST", "860", "0001"], *body, ["SE", str(len(body) + 2), "0001"]]
    return interchange([group([st], functional_id="PC")]).encode()


def test_an_860_names_the_po_and_its_change_sequence():
    [doc] = read(_860(("1", "QI", "12", "12", "EA", "2.50", "", "UP", "012345678905"))).documents
    assert (doc.order_number, doc.change_ref, doc.function) == ("PO-1", "2", "change")
    [line] = doc.lines
    assert (line.external_id, line.change, line.quantity, line.unit) == (
        "1",
        LineChange.CHANGE,
        Decimal(12),
        "EA",
    )
    assert line.item_ids == [ItemId("UP", "012345678905", "POC09")]
    assert line.location.segment == "POC" and line.location.in_message == 3
    assert doc.envelope.message_type == "860"


def test_poc02_says_add_delete_or_no_change():
    data = _860(
        ("1", "DI", "0", "", "EA", "", "", "UP", "012345678905"),
        ("2", "AI", "3", "3", "EA", "", "", "VP", "ABC"),
        ("3", "NC", "1", "1", "EA", "", "", "VP", "XYZ"),
    )
    [doc] = read(data).documents
    assert [line.change for line in doc.lines] == [
        LineChange.DELETE,
        LineChange.ADD,
        LineChange.UNCHANGED,
    ]


def test_a_cancelling_860_needs_no_line():
    result = read(_860(purpose="01"))
    [doc] = result.documents
    assert (doc.function, doc.lines) == ("cancel", [])


def test_a_bad_quantity_is_a_line_issue_named_by_its_poc_column():
    [doc] = read(_860(("1", "CA", "lots", "", "EA", "", "", "UP", "012345678905"))).documents
    [issue] = doc.lines[0].issues
    assert (issue.code.value, issue.column) == ("invalid_quantity", "POC03")
