"""Passes over the inboxes: what the timer finds left undone is said, then done."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from gateway.daemon.passes import dispatch_unsent, process_external
from gateway.store.models import OutgoingMessage
from tests.gateway.running import order


def said(caplog) -> list[logging.LogRecord]:  # noqa: ANN001
    """What the passes logged (the intake's own lines, when a command earlier in the
    session turned them on, are not the subject here)."""
    return [r for r in caplog.records if r.name == "gateway.daemon.passes"]


def test_a_reply_left_unsent_is_a_warning_naming_the_partner_then_sent(
    sqlite_workspace, tmp_path, caplog
):
    ws = sqlite_workspace
    path = tmp_path / "po.csv"
    path.write_bytes(order("PO-LATE"))
    [reply] = process_external(ws, "shop", path).replies
    # As if its worker died between the commit and the write, a minute ago
    reply.unlink()
    with ws.sessions.begin() as s:
        s.execute(
            update(OutgoingMessage).values(
                sent_at=None, created_at=datetime.now(UTC) - timedelta(minutes=1)
            )
        )
    with caplog.at_level(logging.INFO, logger="gateway.daemon.passes"):
        assert dispatch_unsent(ws, older_than=10) == 1
    [record] = said(caplog)
    assert record.levelno == logging.WARNING and record.partner == "shop"
    assert record.getMessage().startswith("replies overdue partner=shop count=1")
    assert reply.exists()


def test_a_reply_committed_just_now_is_left_to_its_worker_without_a_word(
    sqlite_workspace, tmp_path, caplog
):
    ws = sqlite_workspace
    path = tmp_path / "po.csv"
    path.write_bytes(order("PO-NOW"))
    process_external(ws, "shop", path)
    with ws.sessions.begin() as s:
        s.execute(update(OutgoingMessage).values(sent_at=None))
    with caplog.at_level(logging.INFO, logger="gateway.daemon.passes"):
        assert dispatch_unsent(ws, older_than=10) == 0
    assert said(caplog) == []
