"""Order forms: written for a customer, filled in, dropped back, read as an order."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from gateway.catalog.order_form import UnknownParty, order_form
from gateway.cli.app import app
from gateway.daemon.passes import process_external
from gateway.orders.queries import get_order
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE, TEA_UPC
from tests.gateway.lifecycle_support import sqlite_lifecycle_ws_fixture  # noqa: F401

#: The form's header row (above it: the header block and the instructions)
HEADER_ROW = 8


def _template(ws: Workspace, tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "form.xlsx"
    result = CliRunner().invoke(app, ["-w", str(ws.root), "template", *args, "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _table(path: Path) -> list[tuple]:
    return list(openpyxl.load_workbook(path).active.iter_rows(min_row=HEADER_ROW, values_only=True))


def test_the_form_lists_the_customers_assortment_with_an_empty_quantity_column(
    sqlite_lifecycle_ws: Workspace, tmp_path: Path
) -> None:
    path = _template(sqlite_lifecycle_ws, tmp_path, "C2", "--site", "S2")
    rows = _table(path)
    assert rows[0] == ("Code-barre", "Référence", "Désignation", "Unité de commande",
                       "Vendu par", "Quantité commandée")  # fmt: skip
    assert sorted(r[1] for r in rows[1:]) == ["COF-250", "JAM-STR", "TEA-GRN"]
    assert {(r[3], r[5]) for r in rows[1:]} == {("pièce", None)}  # units as people order
    coffee = next(r for r in rows[1:] if r[1] == "COF-250")
    assert coffee[0] == COFFEE  # the unit barcode, as text, not the carton's
    tea = next(r for r in rows[1:] if r[1] == "TEA-GRN")
    assert tea[0] == TEA_UPC  # leading zero kept


def test_the_form_has_an_order_number_field_the_customer_the_site_and_instructions(
    sqlite_lifecycle_ws: Workspace, tmp_path: Path
) -> None:
    path = _template(sqlite_lifecycle_ws, tmp_path, "C2", "--site", "S2")
    block = list(openpyxl.load_workbook(path).active.iter_rows(max_row=6, values_only=True))
    assert [r[:2] for r in block[:5]] == [
        ("N° de commande :", None),
        ("Client :", "C2"),
        ("Site de livraison :", "S2"),
        ("Date de livraison souhaitée :", None),
        ("Commentaire :", None),
    ]
    assert block[5][0].startswith("Mode d'emploi : bon de commande de Hotel Belle Vue.")


def test_the_quantity_column_is_highlighted(sqlite_lifecycle_ws: Workspace, tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(_template(sqlite_lifecycle_ws, tmp_path, "C2")).active
    quantity = [sheet.cell(row, 6).fill.fgColor.rgb for row in (HEADER_ROW, HEADER_ROW + 1)]
    assert quantity == ["FFFFF2CC", "FFFFF2CC"]  # header and cells to fill, in yellow
    assert sheet.cell(HEADER_ROW + 1, 1).fill.fgColor.rgb == "00000000"


def test_without_an_assortment_every_active_product_is_listed(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    with sqlite_lifecycle_ws.sessions() as s:
        data = order_form(s, "C1")
    path = sqlite_lifecycle_ws.root / "c1.xlsx"
    path.write_bytes(data)
    skus = [r[1] for r in _table(path)][1:]
    assert "OLD-1" not in skus  # inactive
    assert len(skus) == 7


def test_an_unknown_customer_is_refused(sqlite_lifecycle_ws: Workspace) -> None:
    with sqlite_lifecycle_ws.sessions() as s, pytest.raises(UnknownParty, match="'C9'"):
        order_form(s, "C9")


def _fill(path: Path, quantities: dict[int, int], **block: object) -> None:
    wb = openpyxl.load_workbook(path)
    sheet = wb.active
    rows = {"number": 1, "site": 3, "delivery": 4, "comment": 5}
    for field, value in block.items():
        sheet.cell(rows[field], 2).value = value
    for index, quantity in quantities.items():
        sheet.cell(HEADER_ROW + index, 6).value = quantity
    wb.save(path)


def test_a_filled_form_dropped_back_is_an_order_with_its_header_block(
    sqlite_lifecycle_ws: Workspace, tmp_path: Path
) -> None:
    ws = sqlite_lifecycle_ws
    path = _template(ws, tmp_path, "C2", "--site", "S2")
    _fill(path, {1: 2, 2: 4, 3: 6}, number="HB-77", delivery=datetime(2026, 12, 12),
          comment="Quai B, avant 10h")  # fmt: skip
    outcome = process_external(ws, "hotel", path)
    assert outcome.outcome == "processed", outcome.reason
    [summary] = outcome.orders
    order = get_order(ws, summary.id)
    assert order is not None
    assert (order["order_number"], order["customer"], order["site"], order["status"]) == (
        "HB-77",
        "C2",
        "S2",
        "pending_validation",
    )
    assert (order["delivery_date"], order["comment"]) == (
        date(2026, 12, 12).isoformat(),
        "Quai B, avant 10h",
    )
    assert [ln["matched_by"] for ln in order["lines"]] == ["barcode"] * 3
    assert [ln["quantity"] for ln in order["lines"]] == [2, 4, 6]


def test_a_filled_form_leaves_nothing_aside_in_its_ack(
    sqlite_lifecycle_ws: Workspace, tmp_path: Path
) -> None:
    ws = sqlite_lifecycle_ws
    path = _template(ws, tmp_path, "C2")
    _fill(path, {1: 1}, number="HB-78", site="S1")
    process_external(ws, "hotel", path)
    [ack] = ws.outbox("hotel").glob("ACK_*.xlsx")
    assert openpyxl.load_workbook(ack).sheetnames == ["Synthèse", "Lignes"]  # no "Non lu"


def test_rows_left_blank_on_a_form_are_not_ordered(
    sqlite_lifecycle_ws: Workspace, tmp_path: Path
) -> None:
    ws = sqlite_lifecycle_ws
    path = _template(ws, tmp_path, "C2", "--site", "S2")
    _fill(path, {2: 5})  # only the second product is ordered
    outcome = process_external(ws, "hotel", path)
    [summary] = outcome.orders
    order = get_order(ws, summary.id)
    assert order is not None
    assert [(ln["quantity"], ln["outcome"]) for ln in order["lines"]] == [(5, "accepted")]


def test_an_english_form_is_read_back_too(sqlite_lifecycle_ws: Workspace, tmp_path: Path) -> None:
    ws = sqlite_lifecycle_ws
    path = _template(ws, tmp_path, "C1", "--language", "en")
    assert _table(path)[0][5] == "Quantity ordered"
    _fill(path, {1: 3}, number="PO-EN-1")
    outcome = process_external(ws, "shop", path)
    [summary] = outcome.orders
    order = get_order(ws, summary.id)
    assert order is not None
    assert (order["order_number"], order["customer"], len(order["lines"])) == ("PO-EN-1", "C1", 1)
