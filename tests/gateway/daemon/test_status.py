"""``order-gateway status``: per partner, what waits, what is in hand, what was done today."""

from __future__ import annotations

import json
import os

from typer.testing import CliRunner

from gateway.channels.folder.inbox import claim_held
from gateway.cli.app import app
from gateway.daemon.passes import run_once
from gateway.daemon.status import gateway_status
from tests.gateway.running import order


def by_partner(ws):  # noqa: ANN001, ANN201
    return {s.partner: s for s in gateway_status(ws)}


def test_empty_workspace_reports_zeros_for_every_partner(sqlite_workspace):
    rows = gateway_status(sqlite_workspace)
    assert [r.partner for r in rows] == ["shop", "hotel", "multi", "strict", "rounder"]
    assert all(
        (
            r.waiting,
            r.in_progress,
            r.abandoned,
            r.processed_today,
            r.failed_today,
            r.unsent_messages,
            r.last_error,
        )
        == (0, 0, 0, 0, 0, 0, None)
        for r in rows
    )


def test_processed_and_failed_today_and_last_error(sqlite_workspace, drop):
    ws = sqlite_workspace
    drop(ws, "shop", "a.csv", order("ST-1"))
    drop(ws, "shop", "b.csv", order("ST-2"))
    drop(ws, "shop", "junk.csv", b"\x00\x01 not an order \xff")
    run_once(ws, settle=0)
    shop = by_partner(ws)["shop"]
    assert (shop.processed_today, shop.failed_today) == (2, 1)
    assert shop.last_error is not None and shop.last_error.file == "junk.csv"
    assert shop.last_error.reason


def test_waiting_in_progress_and_abandoned_files_are_told_apart(sqlite_workspace, drop):
    ws = sqlite_workspace
    drop(ws, "shop", "waiting.csv", order("ST-3"))
    (ws.inbox("shop") / ".upload.tmp").write_bytes(b"partial")  # a temporary: not counted
    held = claim_held(drop(ws, "shop", "in-hand.csv", order("ST-4")))
    left = drop(ws, "shop", "left.csv", order("ST-5"))
    os.link(left, ws.processing("shop") / "left.csv")  # claimed by a process that died
    os.unlink(left)
    assert held is not None
    with held:
        shop = by_partner(ws)["shop"]
        assert (shop.waiting, shop.in_progress, shop.abandoned) == (1, 1, 1)


def test_reply_that_could_not_be_written_counts_as_unsent(sqlite_workspace, drop):
    ws = sqlite_workspace
    outbox = ws.outbox("shop")
    outbox.rmdir()
    outbox.write_text("a file where the outbox folder should be")
    drop(ws, "shop", "o.csv", order("ST-6"))
    run_once(ws, settle=0)
    shop = by_partner(ws)["shop"]
    assert (shop.unsent_messages, shop.processed_today, shop.failed_today) == (1, 1, 0)


def test_status_command_prints_json(sqlite_workspace, drop):
    ws = sqlite_workspace
    drop(ws, "hotel", "w.csv", order("ST-7"))
    result = CliRunner().invoke(app, ["-w", str(ws.root), "status", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["partner"]: r for r in json.loads(result.stdout)}
    assert rows["hotel"]["waiting"] == 1
    assert set(rows["shop"]) == {
        "partner",
        "waiting",
        "in_progress",
        "abandoned",
        "processed_today",
        "failed_today",
        "unsent_messages",
        "overdue_orders",
        "last_error",
    }
