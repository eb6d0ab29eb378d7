"""Writing committed replies exactly once, and marking them sent a transaction later."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from gateway.daemon.passes import dispatch_unsent, process_external, recover
from gateway.replies.dispatch import (
    SYNC_EACH_UP_TO,
    deliver_all,
    held_marks,
    mark_sent,
    mark_written,
    marking_later,
)
from gateway.replies.outbox import outbox_transaction
from gateway.store.models import OutgoingMessage, table_of
from gateway.workspace import Workspace
from tests.gateway.running import order


def _send(ws: Workspace, tmp_path: Path, number: str) -> Path:
    path = tmp_path / f"{number}.csv"
    path.write_bytes(order(number))
    [reply] = process_external(ws, "shop", path).replies
    return reply


def _sent(ws: Workspace) -> dict[str, bool]:
    """Each reply's file name, and whether it is marked sent."""
    with ws.read_sessions() as s:
        rows = s.execute(select(OutgoingMessage.filename, OutgoingMessage.sent_at))
        return {name: sent_at is not None for name, sent_at in rows}


def test_a_files_replies_are_marked_sent_in_the_next_files_transaction(workspace, tmp_path):
    ws = workspace
    with marking_later(ws):
        first = _send(ws, tmp_path, "PO-1")
        assert first.exists()
        assert _sent(ws) == {first.name: False}
        second = _send(ws, tmp_path, "PO-2")
        assert _sent(ws) == {first.name: True, second.name: False}
    assert _sent(ws) == {first.name: True, second.name: True}


def test_without_marking_later_each_files_replies_are_marked_at_once(workspace, tmp_path):
    reply = _send(workspace, tmp_path, "PO-1")
    assert _sent(workspace) == {reply.name: True}


@pytest.mark.parametrize("marked", [1, 3])
def test_marking_sent_marks_exactly_the_ids_given_and_keeps_an_earlier_mark(
    workspace, tmp_path, marked
):
    ws = workspace
    replies = [_send(ws, tmp_path, f"PO-{i}") for i in range(5)]
    with ws.sessions.begin() as s:
        s.execute(update(table_of(OutgoingMessage)).values(sent_at=None))
        s.execute(update(table_of(OutgoingMessage)).where(table_of(OutgoingMessage).c.id == 1)
                  .values(sent_at=datetime(2020, 1, 1, tzinfo=UTC)))  # fmt: skip
    with ws.sessions.begin() as s:
        mark_sent(s, list(range(1, marked + 1)))
    assert _sent(ws) == {r.name: i < marked or i == 0 for i, r in enumerate(replies)}
    with ws.read_sessions() as s:
        first = s.get(OutgoingMessage, 1)
        assert first is not None and first.sent_at.year == 2020


def test_a_rolled_back_transaction_leaves_the_marks_to_the_next(workspace, tmp_path):
    ws = workspace
    with marking_later(ws):
        reply = _send(ws, tmp_path, "PO-1")
        with pytest.raises(RuntimeError), outbox_transaction(ws):
            raise RuntimeError("the next file's transaction fails")
        assert _sent(ws) == {reply.name: False}
        mark_written(ws)  # what the service does before it waits for work
        assert _sent(ws) == {reply.name: True}


def test_replies_written_before_a_crash_and_not_marked_are_marked_not_written_again(
    workspace, tmp_path
):
    ws = workspace
    with marking_later(ws):
        reply = _send(ws, tmp_path, "PO-1")
        written = reply.read_bytes()
        # The process dies here: its replies are renamed into the outbox, not marked
        # sent. The next start-up (another process, on the same workspace) recovers.
        again = Workspace.open(ws.root)
        try:
            recover(again)
            assert _sent(again) == {reply.name: True}
        finally:
            again.close()
        assert sorted(os.listdir(reply.parent)) == [reply.name]  # no second copy, no tmp
        assert reply.read_bytes() == written


@pytest.mark.parametrize("count", [1, SYNC_EACH_UP_TO + 1])
def test_a_batch_of_replies_is_renamed_whole_into_its_folder(tmp_path, count):
    # Few files are fsynced one by one, many flushed together: either way each is
    # there whole under its name, and no temporary file is left.
    folder = tmp_path / "outbox"
    messages = [
        OutgoingMessage(
            id=i, destination=str(folder), filename=f"ACK_{i}.csv", content=b"x" * (i + 1)
        )
        for i in range(count)
    ]
    written = deliver_all(messages)
    assert written == [folder / f"ACK_{i}.csv" for i in range(count)]
    assert sorted(os.listdir(folder)) == sorted(f"ACK_{i}.csv" for i in range(count))
    assert all(p.read_bytes() == b"x" * (i + 1) for i, p in enumerate(written))


def test_a_young_reply_already_written_is_marked_by_the_resend_and_an_unwritten_one_left(
    workspace, tmp_path
):
    # A restart right after a crash: the resend of old messages skips young ones, but a
    # young one whose file is there whole is delivered already and only marked.
    ws = workspace
    with marking_later(ws):
        written = _send(ws, tmp_path, "PO-1")
        unwritten = _send(ws, tmp_path, "PO-2")
        # The process dies with both unmarked, the second's file not yet renamed in.
        held_marks(ws).clear()  # type: ignore[union-attr]
        with ws.sessions.begin() as s:
            s.execute(update(table_of(OutgoingMessage)).values(sent_at=None))
        content = written.read_bytes()
        unwritten.unlink()
        again = Workspace.open(ws.root)
        try:
            assert dispatch_unsent(again, older_than=60) == 0  # nothing written
            assert _sent(again) == {written.name: True, unwritten.name: False}
        finally:
            again.close()
        assert written.read_bytes() == content
        assert not unwritten.exists()
