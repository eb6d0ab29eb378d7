"""The intake loop's replies written behind it by a writer thread, marked sent only once
they are on disk."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import select

from gateway.daemon.passes import process_external
from gateway.replies import writer as writer_module
from gateway.replies.dispatch import mark_written, marking_later
from gateway.replies.outbox import outbox_transaction
from gateway.replies.writer import writing_behind
from gateway.store.models import OutgoingMessage
from gateway.workspace import Workspace
from tests.gateway.running import order


def _send(ws: Workspace, tmp_path: Path, number: str) -> None:
    path = tmp_path / f"{number}.csv"
    path.write_bytes(order(number))
    process_external(ws, "shop", path)


def _sent(ws: Workspace) -> dict[str, bool]:
    """Each reply's file name, and whether it is marked sent."""
    with ws.read_sessions() as s:
        rows = s.execute(select(OutgoingMessage.filename, OutgoingMessage.sent_at))
        return {name: sent_at is not None for name, sent_at in rows}


def _on_disk(ws: Workspace) -> set[str]:
    return {p.name for p in ws.outbox("shop").iterdir()}


def test_every_reply_handed_is_written_and_marked_sent_by_the_end(workspace, tmp_path):
    ws = workspace
    with writing_behind(ws):
        for i in range(5):
            _send(ws, tmp_path, f"PO-{i}")
    sent = _sent(ws)
    assert len(sent) == 5 and all(sent.values())
    assert _on_disk(ws) == set(sent)


def test_a_reply_not_yet_on_disk_is_not_marked_by_the_next_transaction(
    workspace, tmp_path, monkeypatch
):
    ws = workspace
    release = threading.Event()
    deliver_all = writer_module.deliver_all

    def slow_disk(batch):  # type: ignore[no-untyped-def]
        release.wait(10)
        return deliver_all(batch)

    monkeypatch.setattr(writer_module, "deliver_all", slow_disk)
    with writing_behind(ws):
        _send(ws, tmp_path, "PO-1")
        [name] = _sent(ws)
        with outbox_transaction(ws):
            pass  # the next file's transaction, while the writer still waits on the disk
        assert _sent(ws) == {name: False}
        assert _on_disk(ws) == set()
        release.set()
        mark_written(ws)  # what the service does before it waits for work
        assert _sent(ws) == {name: True}
        assert _on_disk(ws) == {name}


def test_replies_written_meanwhile_are_marked_by_the_next_files_transaction(workspace, tmp_path):
    ws = workspace
    with writing_behind(ws):
        _send(ws, tmp_path, "PO-1")
        [first] = _sent(ws)
        writer = ws.replies_to_mark.writer
        writer.drain()
        assert _on_disk(ws) == {first}
        _send(ws, tmp_path, "PO-2")  # its transaction marks the first reply
        assert _sent(ws)[first] is True


def test_a_batch_that_fails_is_left_unsent_and_the_next_is_written(
    workspace, tmp_path, monkeypatch
):
    ws = workspace
    deliver_all = writer_module.deliver_all
    calls = 0

    def full_once(batch):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 1:
            raise OSError(28, "No space left on device")
        return deliver_all(batch)

    monkeypatch.setattr(writer_module, "deliver_all", full_once)
    with writing_behind(ws):
        _send(ws, tmp_path, "PO-1")
        ws.replies_to_mark.writer.drain()
        _send(ws, tmp_path, "PO-2")
    sent = _sent(ws)
    failed, written = sorted(sent, key=lambda name: "PO-2" in name)
    assert sent == {failed: False, written: True}  # the resend of old messages retries it
    assert _on_disk(ws) == {written}


def test_outside_writing_behind_replies_are_written_before_the_transaction_returns(
    workspace, tmp_path
):
    ws = workspace
    _send(ws, tmp_path, "PO-1")
    assert _on_disk(ws) == set(_sent(ws))


def test_a_loop_ahead_of_the_disk_waits_for_the_writer_and_loses_nothing(workspace, tmp_path):
    # A writer that holds at most one message: each hand waits for the one before.
    ws = workspace
    writer = writer_module.ReplyWriter(limit=1)
    ws.replies_to_mark.writer = writer
    try:
        with marking_later(ws):
            for i in range(4):
                _send(ws, tmp_path, f"PO-{i}")
    finally:
        del ws.replies_to_mark.writer
        writer.close()
    sent = _sent(ws)
    assert len(sent) == 4 and all(sent.values())
