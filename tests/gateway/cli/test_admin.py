"""The admin's loop typed at a terminal: replay, files, rejections, xref — tables and JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gateway.cli.app import app
from gateway.workspace import Workspace
from tests.gateway.admin.support import LOOP_CONFIG
from tests.gateway.conftest import COFFEE, JAM_APRICOT, build_workspace
from tests.gateway.lifecycle_support import csv_order

runner = CliRunner()


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    ws = build_workspace(tmp_path / "ws", config=LOOP_CONFIG)
    yield ws
    ws.close()


def cli(ws: Workspace, *args: str):  # noqa: ANN201
    return runner.invoke(app, ["--workspace", str(ws.root), *args], catch_exceptions=False)


def put(ws: Workspace, name: str, data: bytes) -> str:
    path = ws.root / name
    path.write_bytes(data)
    return str(path)


def test_the_fix_and_replay_loop_at_the_command_line(ws: Workspace) -> None:
    order_file = put(ws, "commande.csv", csv_order("HB-1", [(COFFEE, 2), (JAM_APRICOT, 3)]))
    assert cli(ws, "process", order_file, "--partner", "hotel").exit_code == 0
    listed = cli(ws, "rejections", "list", "--json")
    [group] = json.loads(listed.stdout)
    assert group["reason_code"] == "not_in_assortment"
    file_id = group["lines"][0]["file_id"]

    fix = put(ws, "assortment.csv", b"customer;sku\nC2;JAM-APR\n")
    assert cli(ws, "import", "assortments", fix).exit_code == 0
    dry = cli(ws, "replay", str(file_id), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "dry run — nothing changed" in dry.stdout
    assert "revived" in dry.stdout and "rejected JAM-APR ×3 (not_in_assortment)" in dry.stdout
    assert "accepted JAM-APR ×3" in dry.stdout

    done = cli(ws, "replay", str(file_id), "--yes", "--actor", "marie", "--json")
    report = json.loads(done.stdout)
    assert report["result"] == "changed" and report["replies"][0].endswith(".csv")
    shown = json.loads(
        cli(ws, "orders", "show", str(report["orders"][0]["order_id"]), "--json").stdout
    )
    assert [ln["outcome"] for ln in shown["lines"]] == ["accepted", "accepted"]
    assert shown["events"][-1]["actor"] == "admin:marie"
    again = cli(ws, "replay", str(file_id), "--yes")
    assert "nothing changed" in again.stdout


def test_files_list_failed_as_a_table_and_as_json(ws: Workspace) -> None:
    bad = put(ws, "bad.csv", csv_order("T-1", [(COFFEE, 2)]))
    cli(ws, "process", bad, "--partner", "typo")
    table = cli(ws, "files", "list", "--failed")
    assert table.exit_code == 0 and "bad.csv" in table.stdout and "failed" in table.stdout
    [row] = json.loads(cli(ws, "files", "list", "--failed", "--json").stdout)
    assert row["outcome"] == "failed" and "excel-frr" in row["reason"]
    shown = json.loads(cli(ws, "files", "show", str(row["id"]), "--json").stdout)
    # a failure on our side: the customer hears its file arrived, the admin why it failed
    replies = " ".join(str(r) for r in shown["replies"])
    assert "RECEIVED_bad_" in replies and "FAILED_bad_" in replies
    assert "ERROR_bad_" not in replies


def test_orders_list_refuses_an_unknown_status_naming_the_valid_ones(ws: Workspace) -> None:
    result = cli(ws, "orders", "list", "--status", "pending")
    assert result.exit_code == 2
    assert "unknown status 'pending'" in result.stderr and "pending_validation" in result.stderr
    result = cli(ws, "orders", "list", "--partner", "nobody")
    assert result.exit_code == 2 and "configured: " in result.stderr


def test_orders_list_overdue_as_a_table_and_as_json(ws: Workspace) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from gateway.store.models import Order

    assert json.loads(cli(ws, "orders", "list", "--overdue", "--json").stdout) == []
    cli(ws, "process", put(ws, "a.csv", csv_order("OV-1", [(COFFEE, 1)])), "--partner", "hotel")
    cli(ws, "process", put(ws, "b.csv", csv_order("OV-2", [(COFFEE, 1)])), "--partner", "hotel")
    with ws.sessions.begin() as s:
        s.execute(
            update(Order)
            .where(Order.order_number == "OV-1")
            .values(due_at=datetime.now(UTC) - timedelta(minutes=5))
        )
    [late] = json.loads(cli(ws, "orders", "list", "--overdue", "--json").stdout)
    assert (late["order_number"], late["overdue"]) == ("OV-1", True)
    table = cli(ws, "orders", "list", "--overdue")
    assert "1 order(s)" in table.stdout and "OV-2" not in table.stdout


def test_xref_add_list_remove(ws: Workspace) -> None:
    added = cli(
        ws, "xref", "add", "--customer", "C2", "--code", "HB-77", "--sku", "TEA-GRN", "--json"
    )
    assert added.exit_code == 0, added.output
    xref = json.loads(added.stdout)
    assert (xref["kind"], xref["sku"], xref["owner"]) == ("reference", "TEA-GRN", "C2")
    assert "HB-77" in cli(ws, "xref", "list").stdout
    assert cli(ws, "xref", "remove", str(xref["id"])).exit_code == 0
    assert json.loads(cli(ws, "xref", "list", "--json").stdout) == []
    unknown = cli(ws, "xref", "add", "--customer", "C2", "--code", "X", "--sku", "NOPE")
    assert unknown.exit_code == 2 and "no product with reference 'NOPE'" in unknown.stderr


def test_rejections_fix_of_a_line_a_cross_reference_cannot_fix_exits_with_the_fix(
    ws: Workspace,
) -> None:
    order_file = put(ws, "c.csv", csv_order("HB-2", [(JAM_APRICOT, 3)]))
    cli(ws, "process", order_file, "--partner", "hotel")
    [group] = json.loads(cli(ws, "rejections", "list", "--json").stdout)
    result = cli(ws, "rejections", "fix", str(group["lines"][0]["line_id"]), "--sku", "JAM-APR")
    assert result.exit_code == 1 and "assortment" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [["replay", "--help"], ["files", "list", "--help"], ["files", "show", "--help"],
     ["rejections", "list", "--help"], ["rejections", "fix", "--help"], ["xref", "add", "--help"]],
)  # fmt: skip
def test_each_admin_command_has_help_with_an_example(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and "Example" in result.output
