"""Order forms: written for a customer, filled in, dropped back, read as an order."""

from __future__ import annotations

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


def _template(ws: Workspace, tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "form.xlsx"
    result = CliRunner().invoke(app, ["-w", str(ws.root), "template", *args, "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_form_lists_the_customers_assortment_with_an_empty_quantity_column(
    sqlite_lifecycle_ws: Workspace, tmp_path: Path
) -> None:
    path = _template(sqlite_lifecycle_ws, tmp_path, "C2", "--site", "S2")
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == ("Client", "Site", "Code-barre", "Référence", "Désignation", "Unité",
                       "Multiple de vente", "Quantité commandée")  # fmt: skip
    assert sorted(r[3] for r in rows[1:]) == ["COF-250", "JAM-STR", "TEA-GRN"]
    assert {(r[0], r[1], r[7]) for r in rows[1:]} == {("C2", "S2", None)}
    coffee = next(r for r in rows[1:] if r[3] == "COF-250")
    assert coffee[2] == COFFEE  # the unit barcode, as text, not the carton's
    tea = next(r for r in rows[1:] if r[3] == "TEA-GRN")
    assert tea[2] == TEA_UPC  # leading zero kept


def test_without_an_assortment_every_active_product_is_listed(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    with sqlite_lifecycle_ws.sessions() as s:
        data = order_form(s, "C1")
    path = sqlite_lifecycle_ws.root / "c1.xlsx"
    path.write_bytes(data)
    skus = [r[3] for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True)][1:]
    assert "OLD-1" not in skus  # inactive
    assert len(skus) == 7


def test_an_unknown_customer_is_refused(sqlite_lifecycle_ws: Workspace) -> None:
    with sqlite_lifecycle_ws.sessions() as s, pytest.raises(UnknownParty, match="'C9'"):
        order_form(s, "C9")


def test_a_filled_form_dropped_back_is_an_order_resolved_by_barcode(
    sqlite_lifecycle_ws: Workspace, tmp_path: Path
) -> None:
    ws = sqlite_lifecycle_ws
    path = _template(ws, tmp_path, "C2", "--site", "S2")
    wb = openpyxl.load_workbook(path)
    sheet = wb.active
    for n, row in enumerate(sheet.iter_rows(min_row=2), start=1):
        row[7].value = n * 2
    wb.save(path)
    outcome = process_external(ws, "hotel", path)
    assert outcome.outcome == "processed", outcome.reason
    [summary] = outcome.orders
    order = get_order(ws, summary.id)
    assert order is not None
    assert (order["customer"], order["site"], order["status"]) == ("C2", "S2", "pending_validation")
    assert [ln["matched_by"] for ln in order["lines"]] == ["barcode"] * 3
    assert [ln["quantity"] for ln in order["lines"]] == [2, 4, 6]


def test_rows_left_blank_on_a_form_are_not_ordered(
    sqlite_lifecycle_ws: Workspace, tmp_path: Path
) -> None:
    ws = sqlite_lifecycle_ws
    path = _template(ws, tmp_path, "C2", "--site", "S2")
    wb = openpyxl.load_workbook(path)
    rows = list(wb.active.iter_rows(min_row=2))
    rows[1][7].value = 5  # only the second product is ordered
    wb.save(path)
    outcome = process_external(ws, "hotel", path)
    [summary] = outcome.orders
    order = get_order(ws, summary.id)
    assert order is not None
    assert [(ln["quantity"], ln["outcome"]) for ln in order["lines"]] == [(5, "accepted")]
