"""ORDCHG → OrderDocument: the buyer's change, line by line, in the ORDERS reader."""

from __future__ import annotations

from decimal import Decimal

from parsers.document import ItemId, LineChange
from parsers.edifact import read

from .builders import interchange


def _ordchg(*body: str, function: str = "4") -> list[str]:
    segments = [
        "UNH+1+ORDCHG:D:96A:UN:EAN005",
        f"BGM+230+CHG-7+{function}",
        "DTM+137:20250105:102",
        "RFF+ON:PO-1",
        "NAD+BY+5412345000013::9",
        *body,
        "UNS+S",
    ]
    return [*segments, f"UNT+{len(segments) + 1}+1"]


def _read(*body: str, function: str = "4"):  # noqa: ANN202
    result = read(interchange(_ordchg(*body, function=function)).encode())
    [document] = result.documents
    return document


def test_an_ordchg_names_the_order_it_changes_and_its_own_reference():
    doc = _read("LIN+1+3+4000862141404:EN", "QTY+21:6")
    assert (doc.order_number, doc.change_ref, doc.function) == ("PO-1", "CHG-7", "change")
    assert doc.envelope.message_type == "ORDCHG:D:96A:UN:EAN005"


def test_each_line_says_what_to_do_with_it():
    doc = _read(
        "LIN+1+3+4000862141404:EN",
        "QTY+21:6",
        "LIN+2+2+4012345000094:EN",
        "LIN+3+1+4006381333931:EN",
        "QTY+21:2",
        "DTM+2:20250110:102",
        "LIN+4+4+036000291452:UP",
        "QTY+21:1",
    )
    assert [(ln.external_id, ln.change) for ln in doc.lines] == [
        ("1", LineChange.CHANGE),
        ("2", LineChange.DELETE),
        ("3", LineChange.ADD),
        ("4", LineChange.UNCHANGED),
    ]
    assert doc.lines[0].quantity == Decimal(6)
    assert doc.lines[2].item_ids == [ItemId("EN", "4006381333931", "LIN03")]
    assert str(doc.lines[2].requested_delivery) == "2025-01-10"


def test_an_ordchg_cancelling_the_order_reads_as_cancel():
    assert _read(function="1").function == "cancel"


def test_an_orders_with_a_replace_purpose_reads_as_replace():
    from .builders import orders_message

    body = ["BGM+220+PO-1+5", "LIN+1++4000862141404:EN", "QTY+21:5", "UNS+S"]
    [doc] = read(interchange(orders_message(body=body)).encode()).documents
    assert (doc.function, doc.change_ref, doc.lines[0].change) == ("replace", None, None)
