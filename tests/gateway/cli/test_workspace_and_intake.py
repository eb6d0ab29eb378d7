"""The command line: what an admin types, and what other tools parse (``--json``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gateway.cli.app import app
from tests.gateway.conftest import COFFEE, ean
from tests.gateway.lifecycle_support import csv_order

runner = CliRunner()
#: ``run`` turns the service's info log on for the rest of the process unless told: the
#: tests that run in this one process after these ones count their own log records
QUIET = ("--log-level", "warning")


def cli(ws_root: Path, *args: str):  # noqa: ANN201
    result = runner.invoke(app, ["--workspace", str(ws_root), *args], catch_exceptions=False)
    return result


def test_every_command_has_help():
    for args in (
        ["--help"],
        ["init", "--help"],
        ["import", "--help"],
        ["process", "--help"],
        ["run", "--help"],
        ["check", "--help"],
        ["inspect", "--help"],
        ["orders", "list", "--help"],
        ["orders", "show", "--help"],
        ["demo", "--help"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
        assert "Usage" in result.output


def test_init_creates_workspace_and_refuses_to_overwrite(tmp_path):
    assert cli(tmp_path, "init").exit_code == 0
    assert (tmp_path / "gateway.toml").exists()
    assert (tmp_path / "gateway.sqlite").exists()
    again = cli(tmp_path, "init")
    assert again.exit_code == 1 and "already exists" in again.output


def test_config_error_is_printed_with_key_not_traceback(tmp_path):
    (tmp_path / "gateway.toml").write_text('[partners.a]\nname = "A"\nlanguage = 3\n')
    result = cli(tmp_path, "orders", "list")
    assert result.exit_code == 2
    assert "partners.a.language" in result.output
    assert "Traceback" not in result.output


def test_process_then_list_and_show_as_json(sqlite_workspace, tmp_path):
    order = tmp_path / "order.csv"
    order.write_text(f"N° commande;Code-barre;Quantité\nPO-77;{COFFEE};2\n", encoding="utf-8")
    res = cli(sqlite_workspace.root, "process", str(order), "--partner", "shop", "--json")
    assert res.exit_code == 0, res.output
    outcome = json.loads(res.output)
    assert outcome["outcome"] == "processed" and order.exists()  # the original stays
    listed = json.loads(cli(sqlite_workspace.root, "orders", "list", "--json").output)
    assert [(o["order_number"], o["status"]) for o in listed] == [("PO-77", "pending_validation")]
    for key in ("id", "partner", "customer", "site", "order_number", "status", "lines"):
        assert key in listed[0]
    shown = json.loads(
        cli(sqlite_workspace.root, "orders", "show", str(listed[0]["id"]), "--json").output
    )
    line = shown["lines"][0]
    for key in ("line_no", "sku", "quantity", "outcome", "reason_code", "message", "matched_by"):
        assert key in line
    assert (line["sku"], line["quantity"], line["matched_by"]) == ("COF-250", 2, "barcode")
    assert [e["to_status"] for e in shown["events"]] == ["received", "pending_validation"]


def test_orders_list_filters(sqlite_workspace, tmp_path):
    for n, partner in (("A-1", "shop"), ("A-2", "rounder")):
        f = tmp_path / f"{n}.csv"
        f.write_text(f"N° commande;Code-barre;Quantité\n{n};{COFFEE};1\n", encoding="utf-8")
        assert cli(sqlite_workspace.root, "process", str(f), "-p", partner).exit_code == 0
    by_partner = json.loads(
        cli(sqlite_workspace.root, "orders", "list", "--partner", "shop", "--json").output
    )
    assert [o["order_number"] for o in by_partner] == ["A-1"]
    by_status = json.loads(
        cli(sqlite_workspace.root, "orders", "list", "--status", "validated", "--json").output
    )
    assert [o["order_number"] for o in by_status] == ["A-2"]
    by_customer = json.loads(
        cli(sqlite_workspace.root, "orders", "list", "--customer", "C2", "--json").output
    )
    assert by_customer == []
    future = json.loads(
        cli(sqlite_workspace.root, "orders", "list", "--since", "2999-01-01", "--json").output
    )
    assert future == []


def test_inspect_is_a_dry_run(sqlite_workspace, tmp_path):
    f = tmp_path / "o.csv"
    f.write_text(f"Code-barre;Quantité\n{COFFEE};2\n4000000000006;1\n", encoding="utf-8")
    res = cli(sqlite_workspace.root, "inspect", str(f), "--partner", "shop", "--json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    outcomes = [ln["outcome"] for ln in report["orders"][0]["lines"]]
    assert outcomes == ["accepted", "rejected"]
    assert json.loads(cli(sqlite_workspace.root, "orders", "list", "--json").output) == []
    assert list(sqlite_workspace.outbox("shop").iterdir()) == []


def test_inspect_of_unreadable_file_says_why(sqlite_workspace, tmp_path):
    f = tmp_path / "o.csv"
    f.write_bytes(b"")
    res = cli(sqlite_workspace.root, "inspect", str(f), "--partner", "shop")
    assert res.exit_code == 1 and "empty" in res.output.lower()


def test_import_command_reports_changes_as_json(sqlite_workspace, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("code;name\nC9;Nine\nC1;Corner Shop\n", encoding="utf-8")
    res = cli(sqlite_workspace.root, "import", "customers", str(f), "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["changes"]["customers"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 1,
    }


def test_import_of_unknown_kind_lists_the_kinds(sqlite_workspace, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("x\n1\n")
    res = cli(sqlite_workspace.root, "import", "widgets", str(f))
    assert res.exit_code == 2 and "customer-refs" in res.output


@pytest.mark.slow
def test_demo_runs_from_a_fresh_folder(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "gateway", "demo", str(tmp_path / "demo")],
        capture_output=True,
        text=True,
        timeout=300,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr
    for number in ("EPI-2026-118", "HB-5531", "HB-5532"):
        assert number in out.stdout
    demo = tmp_path / "demo"
    assert list((demo / "outbox" / "epicerie").glob("ACK_*.csv"))
    assert list((demo / "outbox" / "bellevue").glob("ACK_*.xlsx"))
    assert not list((demo / "failed").rglob("*.reason.txt"))


def test_a_pass_over_many_files_prints_a_summary_and_the_files_that_need_attention(
    sqlite_workspace, drop
):
    """Past OUTCOME_ROWS files, ``run --once`` prints totals by outcome, then only the
    files that need someone (failed, or with rejected lines), and where to see the rest;
    ``--json`` still gives every file."""
    from gateway.cli.tables import OUTCOME_ROWS

    ws = sqlite_workspace
    good = OUTCOME_ROWS + 5
    for n in range(good):
        drop(ws, "shop", f"good-{n:03d}.csv", csv_order(f"PO-{n}", [(COFFEE, 2)]))
    drop(ws, "shop", "unknown-product.csv", csv_order("PO-X", [(ean("301234599990"), 1)]))
    drop(ws, "shop", "garbage.csv", b"\x00\x01 not an order \xff" * 40)

    out = runner.invoke(
        app, ["-w", str(ws.root), *QUIET, "run", "--once", "--settle", "0"], env={"COLUMNS": "120"}
    ).stdout  # the log lines name every file, on stderr
    summary, attention = out.split("files that need attention")
    totals = {}
    for line in summary.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if cells[0] in ("processed", "failed"):
            totals[cells[0]] = cells[1:]
    # outcome: files, orders, lines accepted, lines rejected
    assert totals == {
        "processed": [str(good + 1), str(good + 1), str(good), "1"],
        "failed": ["1", "0", "0", "0"],
    }
    assert f"{good + 2} files" in summary
    assert "unknown-product.csv" in attention and "garbage.csv" in attention
    assert "good-0" not in out  # nor any of the clean ones
    assert f"files list --limit {good + 2}" in attention

    listed = cli(ws.root, "files", "list", "--limit", str(good + 2), "--json")
    assert len(json.loads(listed.output)) == good + 2


def test_a_pass_over_a_few_files_lists_every_one(sqlite_workspace, drop):
    ws = sqlite_workspace
    drop(ws, "shop", "one.csv", csv_order("PO-1", [(COFFEE, 2)]))
    out = runner.invoke(
        app, ["-w", str(ws.root), *QUIET, "run", "--once", "--settle", "0"], env={"COLUMNS": "120"}
    ).stdout  # the log lines name every file, on stderr
    assert "one.csv" in out and "processed" in out
    assert "need attention" not in out
