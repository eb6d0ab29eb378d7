"""The gateway as a daemon, tested as it runs in production: ``order-gateway run`` processes,
real files dropped in real inboxes, replies read from the outbox, orders from the database.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE, CONFIG, build_workspace, ean
from tests.gateway.running import (
    Gateway,
    archived,
    counts,
    drop_renamed,
    files_in,
    order,
    replies,
    wait_for,
)

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def ws(tmp_path):
    config = CONFIG + (
        '\n[partners.small]\nname = "Small files only"\nmax_file_size = 300\n'
        'grants = [{ customer = "C1", site = "S1" }]\n'
    )
    workspace = build_workspace(tmp_path / "ws", config=config)
    yield workspace
    workspace.close()


def all_done(ws: Workspace, partner: str, n: int) -> bool:
    return len(archived(ws, partner)) >= n and len(replies(ws, partner)) >= n


def test_files_present_before_start_up_are_processed(ws):
    for i in range(5):
        drop_renamed(ws.inbox("shop"), f"before{i}.csv", order(f"BEFORE-{i}"))
    with Gateway(ws.root) as gw:
        assert wait_for(lambda: all_done(ws, "shop", 5), 30), gw.log_text()
        assert gw.terminate() == 0
    c = counts(ws)
    assert (c["inbound"], c["orders"], c["messages"], c["unsent"]) == (5, 5, 5, 0)


def test_sigterm_finishes_the_file_in_hand_and_exits_0(ws):
    names = [f"t{i:03}.csv" for i in range(60)]
    for i, name in enumerate(names):
        drop_renamed(ws.inbox("shop"), name, order(f"TERM-{i}"))
    with Gateway(ws.root) as gw:
        assert wait_for(lambda: len(archived(ws, "shop")) >= 3, 30), gw.log_text()
        assert gw.terminate() == 0
        assert "gateway stopped reason=SIGTERM" in gw.log_text()
    assert files_in(ws.processing("shop")) == []
    done = len(archived(ws, "shop"))
    c = counts(ws)
    assert c["inbound"] == c["orders"] == c["messages"] == done
    assert c["unsent"] == 0
    assert len(replies(ws, "shop")) == done
    assert len(files_in(ws.inbox("shop"))) == len(names) - done


def test_symlink_folder_oversized_and_garbage_are_quarantined_and_the_next_file_is_read(ws):
    inbox = ws.inbox("small")
    good_elsewhere = ws.root / "elsewhere.csv"
    good_elsewhere.write_bytes(order("LINKED-1"))
    (inbox / "link.csv").symlink_to(good_elsewhere)
    (inbox / "folder").mkdir()
    (inbox / "folder" / "inside.csv").write_bytes(order("INSIDE-1"))
    drop_renamed(inbox, "big.csv", order("BIG-1", lines=40))
    drop_renamed(inbox, "garbage.csv", bytes(range(256)) * 1)
    with Gateway(ws.root, "--settle", "0.3") as gw:
        gw.wait_started()
        assert wait_for(lambda: len(files_in(ws.failed_dir("small"))) >= 8, 30), gw.log_text()
        drop_renamed(inbox, "good.csv", order("GOOD-1"))
        assert wait_for(lambda: len(archived(ws, "small")) == 1, 30), gw.log_text()
        assert gw.terminate() == 0
    reasons = {
        p.name.removesuffix(".reason.txt"): p.read_text()
        for p in ws.failed_dir("small").iterdir()
        if p.name.endswith(".reason.txt")
    }
    assert "is a symbolic link; only regular files are read" in reasons["link.csv"]
    assert "is a folder; only regular files are read" in reasons["folder"]
    assert "over the partner's limit of 300 bytes" in reasons["big.csv"]
    assert "reason:" in reasons["garbage.csv"]
    assert good_elsewhere.read_bytes() == order("LINKED-1")  # the link was not followed
    assert [p.name for p in archived(ws, "small")] == ["good.csv"]
    assert counts(ws)["orders"] == 1


@pytest.mark.slow
def test_file_written_slowly_over_3_seconds_is_not_read_before_it_is_complete(ws):
    data = order("SLOW-1", lines=3)
    chunks = [data[i : i + 8] for i in range(0, len(data), 8)]
    pause = 3.0 / len(chunks)
    path = ws.inbox("shop") / "slow.csv"
    with Gateway(ws.root, "--settle", "1") as gw:
        gw.wait_started()
        with open(path, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
                fh.flush()
                time.sleep(pause)
                assert path.exists(), "claimed while still being written"
        assert wait_for(lambda: all_done(ws, "shop", 1), 30), gw.log_text()
        assert gw.terminate() == 0
    [original] = archived(ws, "shop")
    assert original.read_bytes() == data
    from gateway.orders.queries import list_orders

    [placed] = list_orders(ws)
    assert [ln["quantity"] for ln in placed["lines"]] == [1, 2, 3]


@pytest.mark.slow
def test_2000_files_dropped_at_once_are_each_processed_exactly_once(ws):
    staging = ws.root / "staging"
    staging.mkdir()
    n = 2000
    for i in range(n):
        (staging / f"bulk{i:04}.csv").write_bytes(order(f"BULK-{i}"))
    with Gateway(ws.root) as gw:
        gw.wait_started()
        for i in range(n):
            os.rename(staging / f"bulk{i:04}.csv", ws.inbox("shop") / f"bulk{i:04}.csv")
        assert wait_for(lambda: all_done(ws, "shop", n), 240, interval=0.5), gw.log_text()
        assert gw.terminate() == 0
    c = counts(ws)
    assert c == {
        "inbound": n,
        "inbound_names": n,
        "orders": n,
        "order_numbers": n,
        "messages": n,
        "unsent": 0,
    }
    assert len(archived(ws, "shop")) == len(replies(ws, "shop")) == n
    assert files_in(ws.failed_dir("shop")) == []


@pytest.mark.slow
def test_two_run_processes_on_one_workspace_process_each_file_once(workspace):
    ws = workspace  # SQLite and PostgreSQL: several workers is what PostgreSQL is for
    ws.close()  # the gateways open their own connections
    n = 400
    with Gateway(ws.root) as a, Gateway(ws.root) as b:
        a.wait_started()
        b.wait_started()
        for i in range(n):
            drop_renamed(ws.inbox("shop"), f"pair{i:03}.csv", order(f"PAIR-{i}"))
        assert wait_for(lambda: all_done(ws, "shop", n), 60, interval=0.5), a.log_text()
        assert a.terminate() == 0 and b.terminate() == 0
        worked = [t.count("file done") for t in (a.log_text(), b.log_text())]
    c = counts(ws)
    assert (c["inbound"], c["inbound_names"], c["orders"], c["order_numbers"]) == (n, n, n, n)
    assert (c["messages"], c["unsent"]) == (n, 0)
    assert files_in(ws.failed_dir("shop")) == []  # no file seen twice, not even as a duplicate
    assert len(replies(ws, "shop")) == n
    assert sum(worked) == n and min(worked) > 0  # both took part


def _talking_order(number: str) -> bytes:
    """One line accepted, one refused (a barcode not in the catalog), and a total row."""
    return (
        "N° commande;Code-barre;Désignation;Quantité\n"
        f"{number};{COFFEE};Coffee;2\n"
        f"{number};{ean('301234500199')};Unknown;1\n"
        ";;TOTAL;3\n"
    ).encode()


def test_at_the_default_level_the_service_says_it_started_and_one_line_per_file(ws):
    with Gateway(ws.root, options=()) as gw:
        gw.wait_started()
        drop_renamed(ws.inbox("shop"), "po.csv", _talking_order("PO-TALK"))
        assert wait_for(lambda: len(archived(ws, "shop")) == 1, 30), gw.log_text()
        drop_renamed(ws.inbox("shop"), "again.csv", _talking_order("PO-TALK"))
        assert wait_for(lambda: "again.csv" in gw.log_text(), 30), gw.log_text()
        assert gw.terminate() == 0
    lines = gw.log_text().splitlines()
    [banner] = [x for x in lines if "gateway started" in x]
    assert " INFO " in banner
    for said in (
        f"workspace={ws.root}",
        f"database=sqlite:///{ws.root / 'gateway.sqlite'}",
        "partners=6",
        "folder=hotel,multi,rounder,shop,small,strict",
        "watching=inotify",
    ):
        assert said in banner, banner
    [first] = [x for x in lines if "file=po.csv" in x]  # one line, whatever else was done
    assert " INFO gateway.intake file done partner=shop file=po.csv outcome=processed " in first
    assert "format=csv orders=1 accepted=1 rejected=1 duration=" in first
    [duplicate] = [x for x in lines if "file=again.csv" in x]
    assert " WARNING gateway.intake file done partner=shop file=again.csv outcome=duplicate" in (
        duplicate
    )
    assert not [x for x in lines if "total row" in x]  # read as a matter of course
    assert not [x for x in lines if " ERROR " in x]


def test_json_logs_carry_the_same_fields(ws):
    with Gateway(ws.root, options=("--log-format", "json")) as gw:
        gw.wait_started()
        drop_renamed(ws.inbox("shop"), "po.csv", _talking_order("PO-JSON"))
        assert wait_for(lambda: len(archived(ws, "shop")) == 1, 30), gw.log_text()
        assert gw.terminate() == 0
    records = [json.loads(x) for x in gw.log_text().splitlines() if x.startswith("{")]
    [banner] = [r for r in records if r["message"].startswith("gateway started")]
    assert banner["level"] == "info" and banner["watching"] == "inotify"
    assert banner["partners"] == ["hotel", "multi", "rounder", "shop", "small", "strict"]
    assert banner["channels"] == {
        "folder": ["hotel", "multi", "rounder", "shop", "small", "strict"]
    }
    assert banner["workspace"] == str(ws.root)
    [done] = [r for r in records if r.get("file") == "po.csv"]
    assert {k: done[k] for k in ("level", "partner", "outcome", "format", "orders")} == {
        "level": "info",
        "partner": "shop",
        "outcome": "processed",
        "format": "csv",
        "orders": 1,
    }
    assert (done["accepted"], done["rejected"]) == (1, 1)
    assert isinstance(done["seconds"], float)
