"""The orders report and the daily digest: open orders, each step's date, line quantities."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from gateway.cli.app import app
from gateway.orders.digest import due_digests, send_digest
from gateway.orders.transitions import move_orders
from gateway.rules.lifecycle import OrderStatus
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE, JAM_STRAWBERRY, build_workspace
from tests.gateway.lifecycle_support import (  # noqa: F401 — fixtures
    EDI_CONFIG,
    csv_order,
    intake,
    outbox_files,
    read_xlsx,
    sqlite_lifecycle_ws_fixture,
)

S = OrderStatus


def _orders(ws: Workspace) -> tuple[int, int]:
    shipped = intake(ws, "shop", "a.csv", csv_order("PO-1", [(COFFEE, 5), (JAM_STRAWBERRY, 2)]))
    for status in (S.VALIDATED, S.IN_PREPARATION):
        move_orders(ws, [shipped], status, actor="admin:a")
    move_orders(ws, [shipped], S.SHIPPED, actor="admin:a", lines={2: Decimal(1)})
    closed = intake(ws, "shop", "b.csv", csv_order("PO-2", [(COFFEE, 1)]))
    move_orders(ws, [closed], S.CANCELLED, actor="admin:a")
    return shipped, closed


def test_report_orders_lists_open_orders_with_step_dates_and_quantities(
    sqlite_lifecycle_ws: Workspace, tmp_path: Path
) -> None:
    ws = sqlite_lifecycle_ws
    _orders(ws)
    out = tmp_path / "report.xlsx"
    args = ["-w", str(ws.root), "report", "orders", "--partner", "shop", "--output", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    [order] = read_xlsx(out, 0)
    assert (order["Order number"], order["Status"]) == ("PO-1", "Shipped")
    for step in ("Received", "Validated", "In preparation", "Shipped"):
        assert isinstance(order[step], datetime)
    assert order["Delivered"] is None
    lines = read_xlsx(out, 1)
    assert [(ln["Ordered qty"], ln["Confirmed qty"], ln["Shipped qty"]) for ln in lines] == [
        (5, 5, 5),
        (2, 2, 1),
    ]


def test_report_orders_all_includes_closed_orders(
    sqlite_lifecycle_ws: Workspace, tmp_path: Path
) -> None:
    ws = sqlite_lifecycle_ws
    _orders(ws)
    out = tmp_path / "all.xlsx"
    args = ["-w", str(ws.root), "report", "orders", "-p", "shop", "--all", "-o", str(out)]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert [o["Status"] for o in read_xlsx(out, 0)] == ["Shipped", "Cancelled"]


def _digest_ws(tmp_path: Path) -> Workspace:
    config = EDI_CONFIG.replace(
        '[partners.shop]\nname = "Corner Shop"\n',
        '[partners.shop]\nname = "Corner Shop"\ndigest_at = "07:00"\n',
    )
    return build_workspace(tmp_path / "dws", config=config)


def test_a_digest_is_due_from_its_time_and_sent_once_a_day(tmp_path: Path) -> None:
    ws = _digest_ws(tmp_path)
    try:
        _orders(ws)
        assert due_digests(ws, datetime(2025, 3, 4, 6, 59)) == []
        assert due_digests(ws, datetime(2025, 3, 4, 7, 0)) == ["shop"]
        [written] = send_digest(ws, "shop", datetime(2025, 3, 4, 7, 0))
        assert written.name == "DIGEST_shop_20250304.xlsx"
        assert [o["Order number"] for o in read_xlsx(written, 0)] == ["PO-1"]
        assert due_digests(ws, datetime(2025, 3, 4, 18, 0)) == []
        assert send_digest(ws, "shop", datetime(2025, 3, 4, 18, 0)) == []
        assert due_digests(ws, datetime(2025, 3, 5, 7, 30)) == ["shop"]
    finally:
        ws.close()


def test_a_sent_digest_is_remembered_across_a_restart(tmp_path: Path) -> None:
    ws = _digest_ws(tmp_path)
    send_digest(ws, "shop", datetime(2025, 3, 4, 7, 0))
    ws.close()
    again = Workspace.open(ws.root)
    try:
        assert due_digests(again, datetime(2025, 3, 4, 9, 0)) == []
        assert len(outbox_files(again, "shop", "DIGEST_")) == 1
    finally:
        again.close()


def test_partners_without_digest_time_get_no_digest(sqlite_lifecycle_ws: Workspace) -> None:
    assert due_digests(sqlite_lifecycle_ws, datetime(2025, 3, 4, 23, 59)) == []
