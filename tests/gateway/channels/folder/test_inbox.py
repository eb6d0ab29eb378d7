"""When an inbox file is ready, and how claiming and recovery share files between workers.

In-process and fast: real files in a real workspace, the real pipeline; the clock given to
the tracker is the monotonic one, moved forward by passing ``now``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gateway.channels.folder.inbox import InboxTracker, Readiness, claim_held, hold
from gateway.channels.folder.inotify import Kind
from gateway.daemon.passes import dispatch_unsent, process_claimed, recover, run_once
from gateway.store.models import InboundFile, Order
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE, CONFIG, build_workspace


def order(number: str, lines: int = 1) -> bytes:
    rows = "".join(f"{number};{COFFEE};{n + 1}\n" for n in range(lines))
    return f"N° commande;Code-barre;Quantité\n{rows}".encode()


def fresh(folder: Path, name: str, data: bytes = b"x") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def aged(path: Path, seconds: float = 10) -> Path:
    past = time.time() - seconds
    os.utime(path, (past, past))
    return path


def inbound_count(ws: Workspace) -> int:
    with ws.sessions() as s:
        return s.scalar(select(func.count()).select_from(InboundFile))


def order_count(ws: Workspace) -> int:
    with ws.sessions() as s:
        return s.scalar(select(func.count()).select_from(Order))


# --- readiness ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [".hidden.csv", "order.csv.tmp", "order.part", "~$order.xlsx"])
def test_temporary_names_are_never_ready(tmp_path, name):
    aged(fresh(tmp_path, name))
    poll = InboxTracker(tmp_path, Readiness()).poll()
    assert poll.ready == [] and poll.odd == []


def test_configured_temp_pattern_is_ignored(tmp_path):
    aged(fresh(tmp_path, "order.csv.uploading"))
    aged(fresh(tmp_path, "order.csv"))
    rules = Readiness(patterns=(".*", "*.uploading"))
    assert InboxTracker(tmp_path, rules).poll().ready == [tmp_path / "order.csv"]


def test_file_untouched_for_the_settle_time_is_ready_on_first_look(tmp_path):
    path = aged(fresh(tmp_path, "old.csv"), seconds=2)
    assert InboxTracker(tmp_path, Readiness(settle=1.0)).poll().ready == [path]


def test_young_file_waits_for_the_settle_time(tmp_path):
    path = fresh(tmp_path, "new.csv")
    tracker = InboxTracker(tmp_path, Readiness(settle=1.0))
    now = time.monotonic()
    first = tracker.poll(now)
    assert first.ready == []
    assert first.next_check is not None and first.next_check <= now + 1.0
    assert tracker.poll(now + 1.01).ready == [path]


def test_file_that_grows_restarts_the_settle_clock(tmp_path):
    path = fresh(tmp_path, "growing.csv", b"a")
    tracker = InboxTracker(tmp_path, Readiness(settle=1.0))
    now = time.monotonic()
    tracker.poll(now)
    with open(path, "ab") as fh:
        fh.write(b"more")
    assert tracker.poll(now + 0.9).ready == []
    assert tracker.poll(now + 1.5).ready == []  # only 0.6 s since it last changed
    assert tracker.poll(now + 1.95).ready == [path]


def test_file_renamed_in_is_ready_at_once(tmp_path):
    path = fresh(tmp_path, "moved.csv")
    tracker = InboxTracker(tmp_path, Readiness(settle=5.0))
    tracker.hint(Kind.MOVED_IN, "moved.csv")
    assert tracker.poll().ready == [path]


def test_file_closed_by_its_writer_still_waits_for_the_settle_time(tmp_path):
    path = fresh(tmp_path, "closed.csv")
    tracker = InboxTracker(tmp_path, Readiness(settle=1.0, grace=0.2))
    now = time.monotonic()
    tracker.hint(Kind.CLOSED, "closed.csv", now)
    assert tracker.poll(now + 0.3).ready == []
    assert tracker.poll(now + 1.4).ready == [path]


def test_symlink_and_folder_are_handed_over_for_quarantine_once_still(tmp_path):
    target = aged(fresh(tmp_path.parent, "elsewhere.csv"))
    (tmp_path / "link.csv").symlink_to(target)
    (tmp_path / "folder").mkdir()
    tracker = InboxTracker(tmp_path, Readiness(settle=1.0))
    now = time.monotonic()
    assert tracker.poll(now).odd == []
    later = tracker.poll(now + 1.1)
    assert sorted(p.name for p in later.odd) == ["folder", "link.csv"]
    assert later.ready == []


def test_done_marker_partner_waits_for_the_marker(tmp_path):
    path = aged(fresh(tmp_path, "order.csv"))
    tracker = InboxTracker(tmp_path, Readiness(done_marker=True))
    assert tracker.poll().ready == []
    fresh(tmp_path, "order.csv.ok")
    assert tracker.poll().ready == [path]


# --- claiming -------------------------------------------------------------------------------
def test_a_file_is_claimed_by_one_worker_only(tmp_path):
    path = fresh(tmp_path, "o.csv")
    first = claim_held(path)
    assert first is not None
    assert claim_held(path) is None
    assert hold(first.path) is None  # another open file description: the lock is exclusive
    first.release()
    assert not path.exists() and first.path.exists()


def test_recovery_leaves_a_file_another_worker_holds(sqlite_workspace):
    ws = sqlite_workspace
    path = fresh(ws.inbox("shop"), "busy.csv", order("BUSY-1"))
    held = claim_held(path)
    assert held is not None
    with held:
        assert recover(ws) == []
        assert held.path.exists()
    [outcome] = recover(ws)
    assert outcome.outcome == "processed"
    assert not held.path.exists()


def test_file_claimed_but_not_committed_before_a_crash_is_redone_once(sqlite_workspace):
    ws = sqlite_workspace
    path = fresh(ws.inbox("shop"), "crash.csv", order("CRASH-1"))
    os.link(path, ws.processing("shop") / "crash.csv")  # the crash hit between link and unlink
    [outcome] = run_once(ws, settle=0)
    assert outcome.outcome == "processed"
    assert not path.exists()
    assert (inbound_count(ws), order_count(ws)) == (1, 1)


def test_done_marker_is_removed_with_its_file(tmp_path):
    config = (
        CONFIG
        + '\n[partners.marked]\nname = "Marked"\ndone_marker = true\n'
        + ('grants = [{ customer = "C1", site = "S1" }]\n')
    )
    ws = build_workspace(tmp_path / "ws", config=config)
    inbox = ws.inbox("marked")
    aged(fresh(inbox, "o.csv", order("MARK-1")))
    assert run_once(ws, settle=0) == []
    fresh(inbox, "o.csv.done")
    [outcome] = run_once(ws, settle=0)
    assert outcome.outcome == "processed"
    assert sorted(os.listdir(inbox)) == [".processing"]
    ws.close()


# --- a pipeline that raises ------------------------------------------------------------------
def test_file_that_makes_the_pipeline_raise_is_quarantined_and_the_next_is_read(
    sqlite_workspace, drop, monkeypatch
):
    ws = sqlite_workspace
    import gateway.intake.guard

    real = gateway.intake.guard.process_file

    def pipeline_with_a_bug(ws, partner_id, path):  # noqa: ANN001, ANN202
        if path.name == "bad.csv":
            raise RuntimeError("a bug in the pipeline")
        return real(ws, partner_id, path)

    monkeypatch.setattr(gateway.intake.guard, "process_file", pipeline_with_a_bug)
    aged(fresh(ws.inbox("shop"), "bad.csv", order("BAD-1")), 20)
    aged(fresh(ws.inbox("shop"), "good.csv", order("GOOD-1")), 10)
    bad, good = run_once(ws, settle=0)
    assert (bad.name, bad.outcome) == ("bad.csv", "failed")
    note = bad.moved_to.with_name(bad.moved_to.name + ".reason.txt").read_text()
    assert "RuntimeError: a bug in the pipeline" in note and "nothing was stored" in note
    assert (good.name, good.outcome) == ("good.csv", "processed")


def test_file_whose_reply_cannot_be_written_is_archived_and_the_reply_sent_later(
    sqlite_workspace,
):
    ws = sqlite_workspace
    outbox = ws.outbox("shop")
    outbox.rmdir()
    outbox.write_text("a file where the outbox folder should be")
    held = claim_held(fresh(ws.inbox("shop"), "o.csv", order("LATE-1")))
    assert held is not None
    with held:
        out = process_claimed(ws, "shop", held.path)
    assert out.outcome == "processed"
    assert "replies are not written yet" in out.reason
    assert out.moved_to.parent.parent.parent.parent.name == "shop"  # archive/shop/yyyy/mm/dd
    assert (inbound_count(ws), order_count(ws)) == (1, 1)
    outbox.unlink()
    assert dispatch_unsent(ws, older_than=3600) == 0  # a young message is its worker's to send
    assert dispatch_unsent(ws) == 1
    assert [p.name for p in outbox.iterdir()] == [f"ACK_o_{out.inbound_id}.csv"]
