"""The outbox dispatcher: writes committed outgoing messages, each exactly once.

A message is committed with the orders it answers (transactional outbox). Writing it
is: temporary name beside the target, fsync, rename, then mark it sent (the replies of
one file: all written, one flush to disk, all renamed, each folder synced once). A crash
after the rename but before the mark leaves a file whose bytes equal the message: the
next run sees that and only marks it, so a reply is never written twice.

That is also why a loop over many files may mark each file's replies sent in the
*next* file's transaction (:func:`marking_later`) rather than in one of their own: a
crash in between leaves replies written and unmarked, which :func:`deliver` recognises.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.models import OutgoingMessage, table_of
from gateway.workspace import Workspace

log = logging.getLogger("gateway.replies.dispatch")

#: Messages written per transaction
BATCH = 100
#: Up to this many files in a folder, each is fsynced; past it, one ``syncfs`` flushes
#: them all (a file of 5,000 orders has 10,000 replies). ``syncfs`` flushes every dirty
#: page of the filesystem, other programs' too, so for a file's two or three replies it
#: costs more than their own fsyncs.
SYNC_EACH_UP_TO = 32


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


class Message(Protocol):
    """What writing a message reads of it: an outbox row, or a copy of one."""

    @property
    def id(self) -> int: ...
    @property
    def partner(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def destination(self) -> str: ...
    @property
    def filename(self) -> str: ...
    @property
    def content(self) -> bytes: ...


def _target(message: Message) -> tuple[Path, bool]:
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


def deliver_all(messages: Sequence[Message]) -> list[Path]:
    """Write many messages, each seen whole or not at all, with one flush to disk per
    folder rather than an fsync and a folder sync per file: every temporary file is
    written (and fsynced while open when the folder gets few), the rest flushed with one
    ``syncfs``, then each renamed, then each folder's entries synced once."""
    targets = [_target(m) for m in messages]
    pending: dict[Path, list[tuple[Path, Path, bytes]]] = {}
    for message, (target, there) in zip(messages, targets, strict=True):
        if there:
            continue
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        pending.setdefault(target.parent, []).append((tmp, target, message.content))
    for folder, moves in pending.items():
        folder.mkdir(parents=True, exist_ok=True)
        each = len(moves) <= SYNC_EACH_UP_TO
        for tmp, _, data in moves:
            with open(tmp, "wb") as fh:
                fh.write(data)
                if each:
                    fh.flush()
                    os.fsync(fh.fileno())
        if not each:
            _sync_filesystem(folder, [tmp for tmp, _, _ in moves])
        for tmp, target, _ in moves:
            os.replace(tmp, target)
        fsync_dir(folder)
    return [target for target, _ in targets]


def mark_sent(session: Session, ids: list[int]) -> None:
    """Mark written messages sent, in the caller's transaction; one marked already (by a
    sweep that found its file whole) keeps its time."""
    if not ids:
        return
    now = datetime.now(UTC)
    # On the session's connection: a Core statement, which the session's execute only
    # hands on to it (0.02 ms CPU more, every file).
    if len(ids) == 1:
        session.connection().execute(_MARK_ONE_SENT, {"message": ids[0], "now": now})
    else:
        session.connection().execute(_MARK_SENT, {"ids": ids, "now": now})


# On the table, not the ORM class: an ORM update first looks for the rows in the session
# to keep them in step, which cost more than the statement itself. Built once, for any
# number of ids: run after every file.
_OUTGOING = table_of(OutgoingMessage)
_UNSENT = _OUTGOING.c.sent_at.is_(None)
_MARK_SENT = (
    update(_OUTGOING)
    .where(_OUTGOING.c.id.in_(bindparam("ids", expanding=True)), _UNSENT)
    .values(sent_at=bindparam("now"))
)
# A file's one reply (the usual mark): an expanding IN is rewritten at every execution,
# which cost as much as the rest of the statement (0.08 against 0.05 ms CPU).
_MARK_ONE_SENT = (
    update(_OUTGOING)
    .where(_OUTGOING.c.id == bindparam("message"), _UNSENT)
    .values(sent_at=bindparam("now"))
)


def held_marks(ws: Workspace) -> list[int] | None:
    """This thread's replies written and not yet marked sent; None outside
    :func:`marking_later` (each file's replies are then marked at once)."""
    held: list[int] | None = getattr(ws.replies_to_mark, "ids", None)
    writer = writer_of(ws)
    if held is not None and writer is not None:
        held += writer.take_written()
    return held


class Writer(Protocol):
    """What the outbox and the marking ask of :class:`~gateway.replies.writer.ReplyWriter`
    (named here by what it does: the writer is built on this module)."""

    def hand(self, messages: list[OutgoingMessage]) -> None: ...
    def take_written(self) -> list[int]: ...
    def drain(self) -> None: ...


def writer_of(ws: Workspace) -> Writer | None:
    """This thread's reply writer (:func:`~gateway.replies.writer.writing_behind`), or None:
    each commit's replies are then written at once, by the thread that committed them."""
    writer: Writer | None = getattr(ws.replies_to_mark, "writer", None)
    return writer


@contextmanager
def marking_later(ws: Workspace) -> Iterator[None]:
    """Within it, the replies written after each commit are marked sent by this thread's
    next :func:`~gateway.replies.outbox.outbox_transaction` (one commit a file, not two);
    the rest when it ends, or sooner by :func:`mark_written`. Nested: the outer one ends it.

    A crash before the mark leaves the replies written and unsent in the store: the
    start-up sweep finds each file whole and only marks it.
    """
    if held_marks(ws) is not None:
        yield
        return
    ws.replies_to_mark.ids = []
    try:
        yield
    finally:
        mark_written(ws)
        del ws.replies_to_mark.ids


def mark_written(ws: Workspace) -> None:
    """Mark sent, in a transaction of their own, the replies :func:`marking_later` holds
    (before the gateway waits for work: a reply is not left unmarked while idle). A store
    that fails keeps them for the next transaction, or the sweep after a restart (which
    finds each file whole and only marks it)."""
    if (writer := writer_of(ws)) is not None:
        writer.drain()  # what it has in hand is marked too, not left unmarked while idle
    held = held_marks(ws)
    if not held:
        return
    try:
        with ws.sessions.begin() as s:
            mark_sent(s, held)
    except SQLAlchemyError as exc:  # down or broken: never hide why the gateway stops
        log.warning("marking %d written replies sent failed, retried later: %s", len(held), exc)
        return
    del held[:]


def dispatch_committed(
    sessions: sessionmaker[Session],
    messages: list[OutgoingMessage],
    *,
    mark_later: list[int] | None = None,
) -> list[Path]:
    """Write messages this worker has just committed, then mark them sent in one statement
    (or add their ids to ``mark_later``, for the next transaction: :func:`marking_later`).

    The fast path after each file: the messages are still in memory, and no other worker
    touches them yet (the periodic resend waits until they are some seconds old), so there
    is nothing to re-read or lock.
    """
    if not messages:
        return []
    written = deliver_all(messages)
    if mark_later is not None:
        mark_later += [m.id for m in messages]
    else:
        with sessions.begin() as s:
            mark_sent(s, [m.id for m in messages])
    for m, path in zip(messages, written, strict=True):
        log_written(m, path)
    return written


def log_written(message: Message, path: Path) -> None:
    """The log's line for a reply written (DEBUG: the file's own line, at INFO, already
    counts what it was answered)."""
    log.debug(
        "reply written partner=%s file=%s kind=%s to=%s",
        message.partner, message.filename, message.kind, path,
    )  # fmt: skip


def mark_delivered(sessions: sessionmaker[Session]) -> int:
    """Mark sent every unsent message whose file is already there whole, writing nothing.

    Such a file is one written before a crash (or by a live loop that marks in its next
    transaction, :func:`marking_later`): whatever its age, it is delivered. A message not
    yet written is left alone, to the worker that committed it or to the resend of old ones.
    """
    with sessions.begin() as s:
        unsent = s.scalars(select(OutgoingMessage).where(OutgoingMessage.sent_at.is_(None)))
        there = [m.id for m in unsent if _target(m)[1]]
        mark_sent(s, there)
    return len(there)


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
                log_written(msg, path)
                written.append(path)
    return written
