"""The supplier's commands: move orders, list them, show their history."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gateway.cli.app import app
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE, JAM_STRAWBERRY
from tests.gateway.lifecycle_support import (  # noqa: F401 — fixtures
    csv_order,
    intake,
    lifecycle_ws_fixture,
    outbox_files,
    sqlite_lifecycle_ws_fixture,
)

runner = CliRunner()


def _run(ws: Workspace, *args: str, user: str = "alice"):  # noqa: ANN202
    return runner.invoke(app, ["-w", str(ws.root), *args], env={"USER": user, "COLUMNS": "200"})


def _order(ws: Workspace, number: str = "PO-1") -> int:
    return intake(
        ws, "shop", f"{number}.csv", csv_order(number, [(COFFEE, 5), (JAM_STRAWBERRY, 2)])
    )


def test_commands_walk_an_order_through_every_state(lifecycle_ws: Workspace) -> None:
    ws = lifecycle_ws
    oid = str(_order(ws))
    steps = [
        (["validate", oid], "pending_validation → validated"),
        (["prepare", oid], "validated → in_preparation"),
        (["ship", oid, "--line", "1=4", "--reason", "short on coffee"], "→ shipped"),
        (["deliver", oid], "shipped → delivered"),
    ]
    for args, expected in steps:
        result = _run(ws, "orders", *args)
        assert result.exit_code == 0, result.output
        assert expected in result.output
    shown = json.loads(_run(ws, "orders", "show", oid, "--json").output)
    assert shown["status"] == "delivered"
    assert [e["actor"] for e in shown["events"][2:]] == ["admin:alice"] * 4
    assert shown["events"][4]["reason"] == "short on coffee"
    assert shown["events"][4]["details"]["shipped"] == {"1": 4, "2": 2}
    assert len(outbox_files(ws, "shop", "STATUS_")) == 4


def test_actor_option_names_who_acted(sqlite_lifecycle_ws: Workspace) -> None:
    oid = str(_order(sqlite_lifecycle_ws))
    _run(sqlite_lifecycle_ws, "orders", "reject", oid, "--actor", "bob", "--reason", "no stock")
    shown = json.loads(_run(sqlite_lifecycle_ws, "orders", "show", oid, "--json").output)
    assert (shown["events"][-1]["actor"], shown["events"][-1]["reason"]) == (
        "admin:bob",
        "no stock",
    )


@pytest.mark.parametrize(
    ("verb", "message"),
    [
        ("prepare", "is pending_validation: it cannot become in_preparation"),
        ("ship", "is pending_validation: it cannot become shipped"),
        ("deliver", "is pending_validation: it cannot become delivered"),
    ],
)
def test_a_forbidden_move_exits_1_with_a_clear_message(
    sqlite_lifecycle_ws: Workspace, verb: str, message: str
) -> None:
    oid = str(_order(sqlite_lifecycle_ws))
    result = _run(sqlite_lifecycle_ws, "orders", verb, oid)
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())


def test_a_malformed_line_option_exits_2(sqlite_lifecycle_ws: Workspace) -> None:
    oid = str(_order(sqlite_lifecycle_ws))
    result = _run(sqlite_lifecycle_ws, "orders", "ship", oid, "--line", "one=4")
    assert result.exit_code == 2
    assert "expected LINE=QUANTITY" in result.output


def test_orders_list_filters_by_status_partner_customer_and_date(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    first, second = _order(ws, "PO-1"), _order(ws, "PO-2")
    hotel = intake(ws, "hotel", "h.csv", csv_order("H-1", [(COFFEE, 1)], customer="C2"))
    _run(ws, "orders", "validate", str(second))

    def ids(*args: str) -> list[int]:
        return [o["id"] for o in json.loads(_run(ws, "orders", "list", "--json", *args).output)]

    assert ids("--status", "validated") == [second]
    assert ids("--partner", "hotel") == [hotel]
    assert ids("--customer", "C1") == [second, first]
    assert ids("--since", "2000-01-01") == [hotel, second, first]
    assert ids("--until", "2000-01-01") == []


def test_orders_show_prints_the_full_history(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    oid = str(_order(ws))
    _run(ws, "orders", "validate", oid)
    _run(ws, "orders", "cancel", oid, "--reason", "customer called")
    out = _run(ws, "orders", "show", oid).output
    history = out[out.index("history") :]
    for text in ("received", "pending_validation", "validated", "cancelled", "admin:alice"):
        assert text in history
    assert "customer called" in history


SSCC = "340123451234567895"


def test_ship_partial_ships_a_part_and_the_rest_stays_open(lifecycle_ws: Workspace) -> None:
    ws = lifecycle_ws
    oid = str(_order(ws, "PO-P1"))
    for verb in ("validate", "prepare"):
        assert _run(ws, "orders", verb, oid).exit_code == 0
    first = _run(ws, "orders", "ship", oid, "--partial", "--line", "1=2", "--package", SSCC)
    assert first.exit_code == 0, first.output
    assert "in_preparation → partially_shipped" in first.output
    shown = json.loads(_run(ws, "orders", "show", oid, "--json").output)
    assert [ln["shipped_quantity"] for ln in shown["lines"]] == [2, None]
    assert shown["events"][-1]["details"]["shipment"]["packages"] == [
        {"sscc": SSCC, "lines": {"1": 2}}
    ]
    rest = _run(ws, "orders", "ship", oid)
    assert "partially_shipped → shipped" in rest.output
    shown = json.loads(_run(ws, "orders", "show", oid, "--json").output)
    assert [ln["shipped_quantity"] for ln in shown["lines"]] == [5, 2]  # the remainder left
    assert shown["events"][-1]["details"]["shipped"] == {"1": 3, "2": 2}


def test_a_package_with_a_wrong_check_digit_is_refused(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    oid = str(_order(ws, "PO-P2"))
    for verb in ("validate", "prepare"):
        _run(ws, "orders", verb, oid)
    result = _run(ws, "orders", "ship", oid, "--package", "340123451234567890:1=5")
    assert result.exit_code == 1
    assert "check digit of SSCC 340123451234567890 should be 5, not 0" in result.output
    shown = json.loads(_run(ws, "orders", "show", oid, "--json").output)
    assert shown["status"] == "in_preparation"


def test_a_package_holding_more_than_was_confirmed_needs_allow_more(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    oid = str(_order(ws, "PO-P3"))  # line 1: 5 ordered
    for verb in ("validate", "prepare"):
        _run(ws, "orders", verb, oid)
    refused = _run(ws, "orders", "ship", oid, "--partial", "--package", f"{SSCC}:1=50")
    assert refused.exit_code == 1
    assert "line 1: 50 asked, 5 confirmed; add --allow-more" in " ".join(refused.output.split())
    shown = json.loads(_run(ws, "orders", "show", oid, "--json").output)
    assert (shown["status"], shown["lines"][0]["shipped_quantity"]) == ("in_preparation", None)
    allowed = _run(ws, "orders", "ship", oid, "--partial", "--package", f"{SSCC}:1=50",
                   "--allow-more")  # fmt: skip
    assert allowed.exit_code == 0, allowed.output
    shown = json.loads(_run(ws, "orders", "show", oid, "--json").output)
    assert shown["lines"][0]["shipped_quantity"] == 50


def test_a_line_and_its_packages_must_agree(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    oid = str(_order(ws, "PO-P4"))
    for verb in ("validate", "prepare"):
        _run(ws, "orders", verb, oid)
    refused = _run(ws, "orders", "ship", oid, "--partial", "--line", "1=4",
                   "--package", f"{SSCC}:1=3")  # fmt: skip
    assert refused.exit_code == 1
    assert "line 1 ships 4 but its packages hold 3" in " ".join(refused.output.split())
    shown = json.loads(_run(ws, "orders", "show", oid, "--json").output)
    assert shown["status"] == "in_preparation"


@pytest.mark.parametrize(
    ("verb", "option"),
    [("validate", "--partial"), ("validate", "--package"), ("reject", "--line"),
     ("cancel", "--line"), ("prepare", "--allow-more"), ("deliver", "--line")],
)  # fmt: skip
def test_a_verb_offers_only_the_options_that_mean_something_for_it(verb: str, option: str) -> None:
    assert option not in runner.invoke(app, ["orders", verb, "--help"]).output
    result = runner.invoke(app, ["orders", verb, "1", option, "1=2"])
    assert result.exit_code == 2 and "No such option" in result.output


def test_line_with_several_orders_is_refused_before_anything_moves(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    first, second = _order(ws, "PO-1"), _order(ws, "PO-2")
    result = _run(ws, "orders", "validate", str(first), str(second), "--line", "1=2")
    assert result.exit_code == 2
    assert "--line goes with one order (2 given)" in " ".join(result.output.split())
    listed = json.loads(_run(ws, "orders", "list", "--json").output)
    assert {o["status"] for o in listed} == {"pending_validation"}


def test_confirming_more_than_ordered_needs_allow_more(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    oid = str(_order(ws))  # line 1: 5 ordered
    refused = _run(ws, "orders", "validate", oid, "--line", "1=20")
    assert refused.exit_code == 1
    assert f"refused: order #{oid}: line 1: 20 asked, 5 ordered; add --allow-more" in " ".join(
        refused.output.split()
    )
    assert _run(ws, "orders", "validate", oid, "--line", "1=20", "--allow-more").exit_code == 0
    shown = json.loads(_run(ws, "orders", "show", oid, "--json").output)
    assert shown["lines"][0]["confirmed_quantity"] == 20


def test_orders_list_answers_while_another_process_holds_the_write_lock(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    import sqlite3
    import subprocess
    import sys

    from tests.gateway.running import REPO

    ws = sqlite_lifecycle_ws
    _order(ws, "PO-LOCK")
    ws.close()
    writer = sqlite3.connect(ws.root / "gateway.sqlite", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # what storing a big file holds, for as long
    writer.execute("UPDATE orders SET status = status")
    try:
        listed = subprocess.run(
            [sys.executable, "-m", "gateway", "-w", str(ws.root), "orders", "list", "--json"],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=25,  # the busy timeout is 30 s: a listing waiting on the lock fails here
        )
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert listed.returncode == 0, listed.stderr
    assert [o["order_number"] for o in json.loads(listed.stdout)] == ["PO-LOCK"]


def test_tell_partner_sends_the_reason_in_the_status_report(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    oid = str(_order(ws))
    result = _run(ws, "orders", "cancel", oid, "--reason", "rupture", "--tell-partner")
    assert result.exit_code == 0, result.output
    [report] = outbox_files(ws, "shop", "STATUS_")
    assert "rupture" in report.read_text("utf-8-sig")


def test_template_and_report_write_into_the_workspace_exports_and_say_where(
    sqlite_lifecycle_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = sqlite_lifecycle_ws
    _order(ws)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the current folder: nothing may land here
    shutil.rmtree(ws.root / "exports", ignore_errors=True)  # made when missing
    for args in (["template", "C1"], ["report", "orders", "--partner", "shop"]):
        result = _run(ws, *args)
        assert result.exit_code == 0, result.output
        [written] = [p for p in (ws.root / "exports").iterdir() if p.name in result.output]
        assert written.read_bytes()[:2] == b"PK"  # an XLSX
        assert f"written to {written}" in result.output
    assert list(elsewhere.iterdir()) == []


def test_output_names_another_file(sqlite_lifecycle_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    result = _run(sqlite_lifecycle_ws, "template", "C1", "--output", str(out))
    assert result.exit_code == 0 and out.exists()
    assert f"written to {out}" in result.output
