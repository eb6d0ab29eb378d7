"""Driving the pipeline over inboxes: recovery, one pass over every partner, one external file.

The long-running service (``gateway.daemon.service``) calls the same functions on a timer
and on filesystem events. Every claimed file goes through :func:`process_claimed`, which
never lets one file stop the gateway: a file that makes the pipeline raise is quarantined
with the error, and a store that cannot be reached leaves the file claimed for later
(outcome ``deferred``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from gateway.channels.folder.inbox import (
    DEFAULT_SETTLE,
    InboxTracker,
    Readiness,
    abandoned_claims,
    claim_held,
    poll_settled,
    remove_markers,
)
from gateway.daemon.sftp_partners import poll_sftp_once
from gateway.intake.files import quarantine, refusal
from gateway.intake.guard import (
    DEFERRED,
    process_claimed,
    process_copy,
)
from gateway.intake.pipeline import FileOutcome, FileResult
from gateway.logs import log_fields
from gateway.orders.deadlines import log_newly_overdue
from gateway.orders.erp_feed import scan_feed
from gateway.replies.dispatch import dispatch_pending, mark_delivered, marking_later
from gateway.store.database import StoreBroken, is_broken_store, shown_url
from gateway.store.models import OutgoingMessage
from gateway.workspace import Workspace

log = logging.getLogger("gateway.daemon.passes")


def readiness(
    ws: Workspace, partner_id: str, *, settle: float = DEFAULT_SETTLE, grace: float | None = None
) -> Readiness:
    """The partner's readiness rules; its own ``settle_seconds`` wins over ``settle``."""
    p = ws.partner(partner_id)
    rules = Readiness(
        settle=p.settle_seconds if p.settle_seconds is not None else settle,
        patterns=tuple(p.temp_patterns),
        done_marker=p.done_marker,
    )
    if grace is not None:
        rules = Readiness(rules.settle, grace, rules.patterns, rules.done_marker)
    return rules


def dispatch_unsent(ws: Workspace, *, older_than: float | None = None) -> int:
    """Send unsent messages; a failing destination is logged and retried later.

    ``older_than`` (seconds) leaves alone the messages a live worker committed just now
    and is about to write itself: two writers of one reply would race on its temporary
    file (and on PostgreSQL both would see it unsent). A message of any age whose file is
    there whole already (written before a crash) is only marked sent.
    """
    try:
        mark_delivered(ws.sessions)
        ids = None
        if older_than is not None:
            cutoff = datetime.now(UTC) - timedelta(seconds=older_than)
            with ws.read_sessions() as s:
                rows = s.execute(
                    select(OutgoingMessage.id, OutgoingMessage.partner).where(
                        OutgoingMessage.sent_at.is_(None), OutgoingMessage.created_at < cutoff
                    )
                ).all()
            if not rows:
                return 0
            ids = [i for i, _ in rows]
            _say_overdue([p for _, p in rows], older_than)
        return len(dispatch_pending(ws.sessions, ids=ids))
    except Exception as exc:  # noqa: BLE001 — e.g. an outbox that cannot be written
        if is_broken_store(exc):
            where, why = shown_url(ws.database_url), getattr(exc, "orig", exc)
            log.error("database %s is broken: %s; the gateway stops", where, why)
            raise StoreBroken(
                f"the database {where} cannot be used ({why}); every file is kept where "
                "it is — restore or repair the database, then start the gateway again"
            ) from exc
        log.exception("sending unsent messages failed; retried on the next pass")
        return 0


def _say_overdue(partners: list[str], older_than: float) -> None:
    """A reply still unsent well after its commit: its worker died or its outbox failed,
    and a partner is waiting — a warning, per partner, as the timer sends them."""
    for pid in sorted(set(partners)):
        count = partners.count(pid)
        log.warning(
            "replies overdue partner=%s count=%d: committed over %.0fs ago and not sent; "
            "sending now",
            pid,
            count,
            older_than,
            extra={"partner": pid},
        )


def recover_partner(ws: Workspace, partner_id: str) -> list[FileOutcome]:
    """Finish or redo the files in the partner's ``.processing/`` that no live worker holds."""
    outcomes: list[FileOutcome] = []
    inbox = ws.inbox(partner_id)
    for held in abandoned_claims(inbox):
        path = held.path
        if ws.partner(partner_id).done_marker:
            remove_markers(inbox / path.name)
        log.info(
            "recovering partner=%s file=%s",
            partner_id,
            path.name,
            extra=log_fields(partner_id, path.name),
        )
        outcomes.append(process_claimed(ws, partner_id, path))
        if outcomes[-1].outcome == DEFERRED:
            break
    return outcomes


def recover(ws: Workspace) -> list[FileOutcome]:
    """Finish what a crash interrupted: claimed files, then unsent messages."""
    outcomes: list[FileOutcome] = []
    for pid in ws.config.partners:
        outcomes += recover_partner(ws, pid)
    dispatch_unsent(ws)
    return outcomes


def quarantine_odd(ws: Workspace, partner_id: str, entry: Path) -> FileOutcome | None:
    """Quarantine a symlink, folder, FIFO, socket or device in an inbox, with the reason;
    it is renamed, never opened."""
    try:
        reason = refusal(entry, os.lstat(entry)) or f"{entry.name} is not a regular file"
        moved = quarantine(ws, partner_id, entry, reason)
    except FileNotFoundError:
        return None  # taken away meanwhile (or by a peer)
    log.warning(
        "quarantined partner=%s file=%s outcome=failed reason=%r",
        partner_id,
        entry.name,
        reason,
        extra=log_fields(partner_id, entry.name, "failed"),
    )
    return FileOutcome(partner_id, entry.name, FileResult.FAILED, reason=reason, moved_to=moved)


def process_inbox_file(ws: Workspace, partner_id: str, path: Path) -> FileOutcome | None:
    """Claim inbox file ``path`` and process it; None if another worker claimed it."""
    held = claim_held(path)
    if held is None:
        return None
    with held:
        if ws.partner(partner_id).done_marker:
            remove_markers(path)
        return process_claimed(ws, partner_id, held.path)


def scan_partner(
    ws: Workspace,
    partner_id: str,
    *,
    settle: float = DEFAULT_SETTLE,
    on_file: Callable[[str, str], None] | None = None,
) -> list[FileOutcome]:
    """Process the partner's ready files, waiting at most the settle time for young ones."""
    tracker = InboxTracker(ws.inbox(partner_id), readiness(ws, partner_id, settle=settle))
    poll = poll_settled(tracker, settle)
    outcomes: list[FileOutcome] = []
    for entry in poll.odd:
        if (out := quarantine_odd(ws, partner_id, entry)) is not None:
            outcomes.append(out)
    with marking_later(ws):  # one commit a file: its replies marked in the next one's
        for path in poll.ready:
            if on_file:
                on_file(partner_id, path.name)
            out = process_inbox_file(ws, partner_id, path)
            if out is not None:
                outcomes.append(out)
                if out.outcome == DEFERRED:
                    break
    return outcomes


def run_once(
    ws: Workspace,
    *,
    settle: float = DEFAULT_SETTLE,
    on_file: Callable[[str, str], None] | None = None,
) -> list[FileOutcome]:
    """Recover, then process every ready file of every partner inbox once.

    Folder partners first, then SFTP partners (two polls a settle time apart), then
    the ERP status feed — so a status change in the same run can find its order.
    """
    outcomes = recover(ws)
    for pid, partner in ws.config.partners.items():
        if partner.channel != "folder":
            continue
        outcomes += scan_partner(ws, pid, settle=settle, on_file=on_file)
    outcomes += poll_sftp_once(ws)
    outcomes += scan_feed(ws, settle=settle)
    log_newly_overdue(ws)
    return outcomes


def process_external(ws: Workspace, partner_id: str, file: Path) -> FileOutcome:
    """Process a file from anywhere: a copy is claimed; the original is left in place."""
    return process_copy(ws, partner_id, file.name, file.read_bytes())


__all__ = [
    "dispatch_unsent",
    "process_external",
    "process_inbox_file",
    "quarantine_odd",
    "readiness",
    "recover",
    "recover_partner",
    "run_once",
    "scan_partner",
]
