"""The neutral order line and response line, and the quick ways hot paths build them."""

from __future__ import annotations

import inspect
from dataclasses import fields
from decimal import Decimal

from parsers.document import (
    LINE_COLUMNS,
    ItemId,
    LineStatus,
    Location,
    OrderLine,
    ResponseLine,
    ResponseLines,
    line_column,
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


def test_response_lines_columns_are_every_field_the_quick_builder_sets_in_its_order() -> None:
    assert LINE_COLUMNS == tuple(inspect.signature(response_line_at).parameters)
    assert set(LINE_COLUMNS) == {f.name for f in fields(ResponseLine)} - {"change"}


def columns_of(*lines: dict[str, object]) -> dict[str, list[object]]:
    return {name: [line[name] for line in lines] for name in LINE_COLUMNS}


SECOND = RESPONSE_VALUES | {"line_no": 4, "status": LineStatus.ACCEPTED, "suggestions": None,
                            "item_ids": None, "hint": None}  # fmt: skip


def test_response_lines_read_line_by_line_are_the_lines_their_columns_hold() -> None:
    lines = ResponseLines(columns_of(RESPONSE_VALUES, SECOND))
    expected = [
        ResponseLine(**RESPONSE_VALUES),  # type: ignore[arg-type]
        ResponseLine(**SECOND | {"suggestions": [], "item_ids": []}),  # type: ignore[arg-type]
    ]
    assert len(lines) == 2
    assert list(lines) == expected
    assert lines[1] == expected[1] and lines[-1:] == expected[1:]
    assert lines == expected


def test_each_line_of_response_lines_gets_its_own_lists() -> None:
    shared = ["SKU-4"]
    lines = ResponseLines(columns_of(RESPONSE_VALUES | {"suggestions": shared}, SECOND))
    lines[0].suggestions.append("SKU-5")
    assert shared == ["SKU-4"]
    assert lines[1].suggestions == [] and lines[1].suggestions is not lines[0].suggestions


def test_a_line_changed_once_read_is_what_its_column_then_holds() -> None:
    lines = ResponseLines(columns_of(RESPONSE_VALUES, SECOND))
    assert line_column(lines, "confirmed_quantity") == [Decimal("12"), Decimal("12")]
    for line in lines:
        line.confirmed_quantity = Decimal(6)
    assert lines[0] is lines[0]
    assert line_column(lines, "confirmed_quantity") == [Decimal(6), Decimal(6)]


def test_a_column_of_a_list_of_lines_is_read_line_by_line() -> None:
    lines = [ResponseLine(**RESPONSE_VALUES), ResponseLine(**SECOND)]  # type: ignore[arg-type]
    assert line_column(lines, "status") == [LineStatus.ADJUSTED, LineStatus.ACCEPTED]
    assert line_column(ResponseLines(columns_of(RESPONSE_VALUES, SECOND)), "status") == [
        LineStatus.ADJUSTED,
        LineStatus.ACCEPTED,
    ]
