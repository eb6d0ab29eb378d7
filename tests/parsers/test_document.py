"""The neutral order line and response line, and the quick ways hot paths build them."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

from parsers.document import (
    ItemId,
    LineStatus,
    Location,
    OrderLine,
    ResponseLine,
    order_line_at,
    response_line_at,
)

VALUES = {
    "line_no": 7,
    "external_id": "0007",
    "barcode": "05412345000013",
    "barcode_type": "EN",
    "supplier_ref": "SKU-7",
    "customer_ref": "B-7",
    "manufacturer_ref": "M-7",
    "name": "Sparkling water 6x1.5l",
    "quantity": Decimal("12"),
    "quantity_text": "12",
    "unit": "EA",
    "unit_price": Decimal("2.50"),
    "columns": {"barcode": "PO107"},
}


def test_the_quick_builder_makes_the_line_the_constructor_makes() -> None:
    quick = order_line_at(line=42, segment="PO1", **VALUES)  # type: ignore[arg-type]
    slow = OrderLine(location=Location(line=42, segment="PO1"), **VALUES)  # type: ignore[arg-type]
    # getattr on a slot the builder forgot raises, so a new field cannot slip past
    for f in fields(OrderLine):
        assert getattr(quick, f.name) == getattr(slow, f.name), f.name
    assert quick == slow


def test_each_quick_line_gets_its_own_issue_list() -> None:
    a = order_line_at(line=1, segment="LIN", **VALUES)  # type: ignore[arg-type]
    b = order_line_at(line=2, segment="LIN", **VALUES)  # type: ignore[arg-type]
    a.issues.append(object())  # type: ignore[arg-type]
    assert b.issues == []
    assert a.location is not b.location


RESPONSE_VALUES = {
    "line_no": 3,
    "status": LineStatus.ADJUSTED,
    "external_id": "0003",
    "barcode": "05412345000013",
    "sku": "SKU-3",
    "customer_ref": "B-3",
    "name": "Sparkling water 6x1.5l",
    "ordered_quantity": Decimal("2"),
    "confirmed_quantity": Decimal("12"),
    "shipped_quantity": Decimal("6"),
    "unit": "CS",
    "unit_price": Decimal("2.50"),
    "reason_code": "rounded_to_multiple",
    "message": "Rounded up to 12",
    "source_row": 4,
    "suggestions": ["SKU-4"],
    "item_ids": [ItemId("IN", "B-3", "PO107")],
    "hint": "Order by 12",
}


def test_the_quick_builder_makes_the_response_line_the_constructor_makes() -> None:
    quick = response_line_at(**RESPONSE_VALUES)  # type: ignore[arg-type]
    slow = ResponseLine(**RESPONSE_VALUES)  # type: ignore[arg-type]
    # getattr on a slot the builder forgot raises, so a new field cannot slip past
    for f in fields(ResponseLine):
        assert getattr(quick, f.name) == getattr(slow, f.name), f.name
    assert quick == slow
    assert quick.change is None
