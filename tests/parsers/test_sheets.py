"""The acknowledgement tables the CSV and XLSX writers share: what each row says."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from parsers.document import (
    LINE_COLUMNS,
    LineStatus,
    OrderResponse,
    ResponseKind,
    ResponseLine,
    ResponseLines,
)
from parsers.sheets import RowStyle, SkippedRow, ack_lines_columns, ack_lines_sheet

LINES = [
    ResponseLine(line_no=1, status=LineStatus.ACCEPTED, barcode="4006381333931", sku="STB-01",
                 name="Stylo", ordered_quantity=Decimal(12), confirmed_quantity=Decimal(12),
                 source_row=2),
    ResponseLine(line_no=2, status=LineStatus.REJECTED, barcode="3017620422003",
                 ordered_quantity=Decimal("2.5"), reason_code="unknown_product",
                 message="Produit inconnu", source_row=3, hint="Vérifiez le code-barre"),
    ResponseLine(line_no=3, status=LineStatus.ADJUSTED, sku="SUC-1",
                 ordered_quantity=Decimal(7), confirmed_quantity=Decimal(10), source_row=4,
                 reason_code="rounded_to_multiple", message="Arrondi à 10"),
]  # fmt: skip


def response(number: str, status: str, lines: list[ResponseLine] | ResponseLines) -> OrderResponse:
    return OrderResponse(
        kind=ResponseKind.CHANGED, order_number=number, order_status=status,
        response_number="R", issued_at=date(2024, 6, 3), lines=lines,
        summary=f"{number} : 3 lignes", hint="Corrigez la ligne 2",
    )  # fmt: skip


def as_columns(lines: list[ResponseLine]) -> ResponseLines:
    return ResponseLines({name: [getattr(ln, name) for ln in lines] for name in LINE_COLUMNS})


def test_each_order_opens_with_its_row_and_its_lines_follow_then_what_was_left_aside() -> None:
    left = [SkippedRow(sheet=None, row=9, code="total_row", message="ligne 9 : total")]
    orders = [response("A-1", "pending_validation", LINES), response("A-2", "validated", LINES[:1])]
    sheet = ack_lines_sheet(orders, "fr", with_orders=True, skipped=left)
    assert sheet.rows == [
        ["A-1", None, None, None, None, None, None, None, "Reçue — en attente de validation",
         "pending_validation", "A-1 : 3 lignes", "Corrigez la ligne 2"],
        ["A-1", 1, 2, "4006381333931", "STB-01", "Stylo", Decimal(12), Decimal(12),
         "Reçue — en attente de validation", None, None, None],
        ["A-1", 2, 3, "3017620422003", None, None, Decimal("2.5"), None, "Refusée",
         "unknown_product", "Produit inconnu", "Vérifiez le code-barre"],
        ["A-1", 3, 4, None, "SUC-1", None, Decimal(7), Decimal(10),
         "Ajustée — en attente de validation", "rounded_to_multiple", "Arrondi à 10", None],
        ["A-2", None, None, None, None, None, None, None, "Validée", "validated",
         "A-2 : 3 lignes", "Corrigez la ligne 2"],
        ["A-2", 1, 2, "4006381333931", "STB-01", "Stylo", Decimal(12), Decimal(12),
         "Acceptée", None, None, None],
        [None, None, 9, None, None, None, None, None, "Non lue", "total_row", "ligne 9 : total",
         None],
    ]  # fmt: skip
    assert sheet.styles == [None, None, RowStyle.REJECTED, RowStyle.ADJUSTED, None, None, None]


def test_lines_held_as_columns_make_the_table_lines_held_one_by_one_make() -> None:
    for with_orders in (True, False):
        one_by_one = ack_lines_columns([response("A-1", "received", LINES)], "en",
                                       with_orders=with_orders)  # fmt: skip
        by_columns = ack_lines_columns([response("A-1", "received", as_columns(LINES))], "en",
                                       with_orders=with_orders)  # fmt: skip
        assert by_columns == one_by_one
        assert len(by_columns.columns) == len(by_columns.headers) == 12
        assert (
            by_columns.sheet().rows
            == ack_lines_sheet(
                [response("A-1", "received", LINES)], "en", with_orders=with_orders
            ).rows
        )


def test_an_order_without_lines_is_its_row_alone() -> None:
    table = ack_lines_columns([response("A-3", "rejected", [])], "en", with_orders=True)
    assert [len(column) for column in table.columns] == [1] * 12
    assert table.sheet().rows[0][8] == "Rejected"
