"""Files meant to stop the gateway, fed to real ``order-gateway run`` processes.

Each ends archived or quarantined with a reason, is looked at once (never re-reasoned on
every scan), and the next good file — of another partner — is processed without a person.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from gateway.intake.attempts import mark_of
from gateway.orders.queries import list_orders
from tests.gateway.conftest import COFFEE, CONFIG, build_workspace
from tests.gateway.running import (
    REPO,
    Gateway,
    archived,
    drop_renamed,
    files_in,
    order,
    wait_for,
)
from tests.parsers.workbook_xml import number, one_huge_string, order_rows, workbook

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

#: A partner whose bounds let every workbook reach calamine, to meet its crashes
UNBOUNDED = """
[partners.unbounded]
name = "No bounds at all"
grants = [{ customer = "C1", site = "S1" }]
max_sheet_rows = 2000000
max_sheet_columns = 16384
max_sheet_cells = 100000000000000
"""
#: A 2 KB workbook with one cell at XFD1048576: calamine allocates 512 GiB for it
LAST_CELL = workbook(
    order_rows([(COFFEE, "1")]) + f'<row r="1048576">{number("XFD1048576", "1")}</row>'
)


@pytest.fixture
def ws(tmp_path):
    workspace = build_workspace(tmp_path / "ws", config=CONFIG + UNBOUNDED)
    yield workspace
    workspace.close()


def run_once(ws) -> subprocess.CompletedProcess:  # noqa: ANN001
    """``order-gateway run --once`` as a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "gateway", "-w", str(ws.root), "run", "--once", "--settle", "0"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def served_next(ws, partner: str = "hotel") -> bool:  # noqa: ANN001
    """A good file of another partner, dropped after the poison one, is processed."""
    drop_renamed(ws.inbox(partner), "next.csv", order("NEXT-1"))
    done = run_once(ws)
    return done.returncode == 0 and [p.name for p in archived(ws, partner)] == ["next.csv"]


def reasons(ws, partner: str) -> dict[str, str]:  # noqa: ANN001
    return {
        p.name.removesuffix(".reason.txt"): p.read_text()
        for p in files_in(ws.failed_dir(partner))
        if p.name.endswith(".reason.txt")
    }


def test_fifo_socket_and_hard_link_are_quarantined_once_unread(ws):
    inbox = ws.inbox("shop")
    os.mkfifo(inbox / "pipe.csv")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(inbox / "sock.csv"))
    secret = ws.root / "secret.csv"  # outside every inbox
    secret.write_bytes(order("SECRET-1"))
    os.link(secret, inbox / "linked.csv")
    with Gateway(ws.root, "--settle", "0.3") as gw:
        gw.wait_started()
        assert wait_for(lambda: len(reasons(ws, "shop")) >= 3, 30), gw.log_text()
        time.sleep(1.5)  # several scans more: no second reason file for any of them
        drop_renamed(ws.inbox("hotel"), "good.csv", order("GOOD-1"))
        assert wait_for(lambda: len(archived(ws, "hotel")) == 1, 30), gw.log_text()
        assert gw.terminate() == 0
    sock.close()
    why = reasons(ws, "shop")
    assert sorted(why) == ["linked.csv", "pipe.csv", "sock.csv"]
    assert "a named pipe (FIFO)" in why["pipe.csv"]
    assert "a socket" in why["sock.csv"]
    assert "a hard link" in why["linked.csv"]
    assert files_in(ws.inbox("shop")) == []
    assert archived(ws, "shop") == []
    assert secret.read_bytes() == order("SECRET-1")  # left alone, never echoed
    assert not any(b"SECRET" in p.read_bytes() for p in files_in(ws.outbox("shop")))


def test_names_too_long_or_not_utf8_are_processed_and_answered(ws):
    inbox = os.fsencode(ws.inbox("shop"))
    long_name = b"x" * 245 + b".csv"
    latin1 = "commande-été.csv".encode("latin-1")
    for name, po in ((long_name, "LONG-1"), (latin1, "LATIN-1")):
        tmp = os.path.join(inbox, b"." + name[:200] + b".tmp")
        with open(tmp, "wb") as fh:
            fh.write(order(po))
        os.rename(tmp, os.path.join(inbox, name))
    with Gateway(ws.root, "--settle", "0.3") as gw:
        gw.wait_started()
        assert wait_for(lambda: len(archived(ws, "shop")) == 2, 30), gw.log_text()
        drop_renamed(ws.inbox("hotel"), "good.csv", order("GOOD-1"))
        assert wait_for(lambda: len(archived(ws, "hotel")) == 1, 30), gw.log_text()
        assert gw.terminate() == 0
    assert files_in(ws.failed_dir("shop")) == []
    assert files_in(ws.processing("shop")) == []
    acks = sorted(p.name for p in files_in(ws.outbox("shop")))
    assert len(acks) == 2
    assert all(len(os.fsencode(a)) <= 255 for a in acks)
    assert any(a.startswith("ACK_commande-\\xe9t\\xe9_") for a in acks), acks
    assert any(a.startswith("ACK_xxxx") and "~" in a for a in acks), acks


@pytest.mark.slow
def test_file_written_in_three_opens_is_read_once_whole(ws):
    path = ws.inbox("shop") / "export.csv"
    header, *rows = order("THREE-1", lines=3).splitlines(keepends=True)
    with Gateway(ws.root, "--settle", "2") as gw:
        gw.wait_started()
        for i, row in enumerate(rows):
            with open(path, "ab") as fh:  # each open: a close event inotify reports
                fh.write((header if i == 0 else b"") + row)
            time.sleep(1.0)
            assert path.exists(), "claimed after a close while its writer was not done"
        assert wait_for(lambda: len(archived(ws, "shop")) == 1, 30), gw.log_text()
        assert gw.terminate() == 0
    from gateway.orders.queries import list_orders

    [placed] = list_orders(ws)
    assert [ln["quantity"] for ln in placed["lines"]] == [1, 2, 3]
    assert [p.name for p in files_in(ws.outbox("shop"))] != []
    assert files_in(ws.failed_dir("shop")) == []


def test_a_workbook_that_aborts_its_reader_is_quarantined_and_the_next_partner_served(ws):
    drop_renamed(ws.inbox("unbounded"), "bomb.xlsx", LAST_CELL)
    done = run_once(ws)
    assert done.returncode == 0, done.stderr[-3000:]
    why = reasons(ws, "unbounded")
    assert "the file could not be read" in why["bomb.xlsx"], why
    assert files_in(ws.processing("unbounded")) == []
    assert served_next(ws)


def test_a_workbook_past_the_partners_bounds_is_refused_with_the_bound_named(ws):
    drop_renamed(ws.inbox("shop"), "bomb.xlsx", LAST_CELL)
    assert run_once(ws).returncode == 0
    assert "reaches row 1,048,576, past the 50,000 rows allowed" in reasons(ws, "shop")["bomb.xlsx"]
    [notice] = files_in(ws.outbox("shop"))  # the partner is told why
    assert "50,000 rows" in notice.read_text()
    assert served_next(ws)


def test_a_workbook_whose_text_unpacks_to_70_mb_is_refused(ws):
    data = workbook(order_rows([(COFFEE, "1")]), shared_strings=one_huge_string(70_000_000))
    drop_renamed(ws.inbox("shop"), "text.xlsx", data)
    assert run_once(ws).returncode == 0
    assert "shared strings) is over 64 MB" in reasons(ws, "shop")["text.xlsx"]
    assert served_next(ws)


def test_a_nan_quantity_is_a_rejected_line_and_the_order_is_stored(ws):
    data = workbook(order_rows([(COFFEE, "2"), (COFFEE, "NaN"), (COFFEE, "-INF")]))
    drop_renamed(ws.inbox("shop"), "nan.xlsx", data)
    assert run_once(ws).returncode == 0
    [placed] = list_orders(ws)
    outcomes = [(ln["outcome"], ln["reason_code"]) for ln in placed["lines"]]
    assert outcomes == [
        ("accepted", None),
        ("rejected", "invalid_quantity"),
        ("rejected", "invalid_quantity"),
    ]
    assert files_in(ws.failed_dir("shop")) == []


def test_inspect_json_of_nan_inf_and_huge_numbers_is_json_not_a_traceback(ws):
    path = ws.root / "odd.xlsx"
    path.write_bytes(workbook(order_rows([(COFFEE, "NaN"), (COFFEE, "INF"), (COFFEE, "1E+308")])))
    done = subprocess.run(
        [sys.executable, "-m", "gateway", "-w", str(ws.root), "inspect", str(path), "-p", "shop",
         "--json"],
        capture_output=True, text=True, cwd=REPO, timeout=60,
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout)
    assert report["format"] == "xlsx"


def test_a_file_of_empty_lines_over_max_lines_is_refused_unparsed(ws):
    drop_renamed(ws.inbox("shop"), "empty.csv", order("EMPTY-1") + b"\r\n" * 2_500_000)
    assert run_once(ws).returncode == 0
    assert "more than the 200,000 allowed (max_lines)" in reasons(ws, "shop")["empty.csv"]
    assert served_next(ws)


def test_a_file_whose_reading_killed_the_gateway_is_read_again_isolated(ws):
    claimed = ws.processing("shop") / "o.csv"
    claimed.parent.mkdir(parents=True, exist_ok=True)
    claimed.write_bytes(order("KILLED-1"))
    mark_of(claimed).write_text("1 pid=4242\n")  # what a reader killed mid-file leaves
    done = run_once(ws)
    assert done.returncode == 0, done.stderr[-3000:]
    assert [p.name for p in archived(ws, "shop")] == ["o.csv"]
    assert [o["order_number"] for o in list_orders(ws)] == ["KILLED-1"]
    assert not mark_of(claimed).exists()


def test_a_gateway_killed_again_during_the_isolated_read_still_takes_the_file(ws):
    # Restarts in quick succession (kill -9 twice) are not the file's doing: the isolated
    # reader has its own limits, so a good file is never quarantined for them.
    claimed = ws.processing("shop") / "o.csv"
    claimed.parent.mkdir(parents=True, exist_ok=True)
    claimed.write_bytes(order("KILLED-2"))
    mark_of(claimed).write_text("2 pid=4242\n")  # what a mark from two deaths says
    assert run_once(ws).returncode == 0
    assert [p.name for p in archived(ws, "shop")] == ["o.csv"]
    assert [o["order_number"] for o in list_orders(ws)] == ["KILLED-2"]
    assert not mark_of(claimed).exists()


def test_a_corrupted_database_keeps_the_files_and_stops_naming_it(tmp_path):
    ws = build_workspace(tmp_path / "ws", config=CONFIG)
    ws.close()
    db = ws.root / "gateway.sqlite"
    damaged = bytearray(db.read_bytes())
    for page in range(4096, len(damaged), 4096):  # every page but the header's
        damaged[page : page + 100] = b"\xff" * 100
    db.write_bytes(bytes(damaged))
    drop_renamed(ws.inbox("shop"), "good.csv", order("GOOD-1"))
    done = run_once(ws)
    assert done.returncode == 3
    assert "ERROR" in done.stderr and f"database sqlite:///{db}" in done.stderr
    assert "Traceback" not in done.stderr
    assert (ws.inbox("shop") / "good.csv").exists() or files_in(ws.processing("shop"))
    assert files_in(ws.failed_dir("shop")) == []


def test_run_once_prints_a_name_that_is_not_utf8_without_failing(ws):
    folder = os.fsencode(ws.inbox("shop"))
    with open(os.path.join(folder, "caf\xe9.csv".encode("latin-1")), "wb") as fh:
        fh.write(order("CAFE-1"))
    done = run_once(ws)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "caf\\xe9.csv" in done.stdout
    assert len(archived(ws, "shop")) == 1
