"""The outbox dispatcher: writes committed outgoing messages, each exactly once.

A message is committed with the orders it answers (transactional outbox). Writing it
is: temporary name beside the target, fsync, rename, then mark it sent (the replies of
one file: all written, one sync of the filesystem, all renamed). A crash after
the rename but before the mark leaves a file whose bytes equal the message: the next
run sees that and only marks it, so a reply is never written twice.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.models import OutgoingMessage

log = logging.getLogger("gateway.replies.dispatch")

#: Messages written per transaction
BATCH = 100


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that readers see nothing or everything."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # A per-process temporary name: two workers never write through the same one.
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    fsync_dir(target.parent)


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX: the directory entry itself)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _target(message: OutgoingMessage) -> tuple[Path, bool]:
    """Where ``message`` goes, and whether it is there already (same bytes)."""
    target = Path(message.destination) / message.filename
    if target.exists() and target.read_bytes() != message.content:
        # Same name, other bytes: never overwrite a reply a partner may have read.
        target = target.with_name(f"{target.stem}.{message.id}{target.suffix}")
    # Written before a crash, not yet marked: not written again.
    return target, target.exists() and target.read_bytes() == message.content


def deliver(message: OutgoingMessage) -> Path:
    """Write one message to its destination folder; idempotent."""
    target, there = _target(message)
    if not there:
        write_atomically(target, message.content)
    return target


_libc = ctypes.CDLL(None, use_errno=True)
_syncfs = getattr(_libc, "syncfs", None)


def _sync_filesystem(folder: Path, files: list[Path]) -> None:
    """Make ``files`` (all in ``folder``'s filesystem) durable: one ``syncfs`` where Linux
    has it, else an fsync each."""
    if _syncfs is not None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            if _syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for path in files:
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())


def deliver_all(messages: list[OutgoingMessage]) -> list[Path]:
    """Write many messages, each seen whole or not at all, with one flush to disk for
    them all rather than an fsync per file and per folder (a file of 5,000 orders has
    10,000 replies): every temporary file is written, the filesystem synced once per
    folder, then each renamed, then each folder's entries synced once."""
    targets = [_target(m) for m in messages]
    pending: dict[Path, list[tuple[Path, Path]]] = {}
    for message, (target, there) in zip(messages, targets, strict=True):
        if there:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(message.content)
        pending.setdefault(target.parent, []).append((tmp, target))
    for folder, moves in pending.items():
        _sync_filesystem(folder, [tmp for tmp, _ in moves])
        for tmp, target in moves:
            os.replace(tmp, target)
        fsync_dir(folder)
    return [target for target, _ in targets]


def dispatch_committed(
    sessions: sessionmaker[Session], messages: list[OutgoingMessage]
) -> list[Path]:
    """Write messages this worker has just committed, then mark them sent in one statement.

    The fast path after each file: the messages are still in memory, and no other worker
    touches them yet (the periodic resend waits until they are some seconds old), so there
    is nothing to re-read or lock.
    """
    if not messages:
        return []
    written = deliver_all(messages)
    now = datetime.now(UTC)
    with sessions.begin() as s:
        s.execute(
            update(OutgoingMessage)
            .where(OutgoingMessage.id.in_([m.id for m in messages]))
            .where(OutgoingMessage.sent_at.is_(None))
            .values(sent_at=now)
        )
    for m, path in zip(messages, written, strict=True):
        # DEBUG: the file's own line (INFO) already counts what it was answered
        log.debug(
            "reply written partner=%s file=%s kind=%s to=%s", m.partner, m.filename, m.kind, path
        )
    return written


def dispatch_pending(
    sessions: sessionmaker[Session],
    *,
    partner: str | None = None,
    ids: Iterable[int] | None = None,
) -> list[Path]:
    """Write every unsent message (optionally of one partner or these ids); mark each sent."""
    if ids is None:
        with sessions() as s:
            q = select(OutgoingMessage.id).where(OutgoingMessage.sent_at.is_(None))
            if partner is not None:
                q = q.where(OutgoingMessage.partner == partner)
            pending = list(s.scalars(q.order_by(OutgoingMessage.id)))
    else:
        pending = sorted(ids)
    written: list[Path] = []
    for start in range(0, len(pending), BATCH):
        chunk = pending[start : start + BATCH]
        # One transaction per batch; rows locked (PostgreSQL; SQLite's BEGIN IMMEDIATE
        # already serialises): of two workers dispatching a message, the second sees it
        # sent. A crash mid-batch leaves files whose bytes deliver() recognises.
        with sessions.begin() as s:
            messages = s.scalars(
                select(OutgoingMessage)
                .where(OutgoingMessage.id.in_(chunk), OutgoingMessage.sent_at.is_(None))
                .order_by(OutgoingMessage.id)
                .with_for_update()
            )
            for msg in messages:
                path = deliver(msg)
                msg.sent_at = datetime.now(UTC)
                log.debug(
                    "reply written partner=%s file=%s kind=%s to=%s",
                    msg.partner,
                    msg.filename,
                    msg.kind,
                    path,
                )
                written.append(path)
    return written
