"""The neutral order line, and the quick way EDI readers build one."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

from parsers.document import Location, OrderLine, order_line_at

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
