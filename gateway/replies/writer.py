"""Writing committed replies behind the intake loop: many files' replies per flush to disk.

Writing a file's replies durably costs two waits on the disk (the files' fsync, then
their folder's), more than the rest of a small file's work. Within :func:`writing_behind`
the loop hands each commit's messages to one writer thread and goes on to the next file;
the writer takes everything handed meanwhile as one batch (:func:`deliver_all`: one
fsync a file, or one ``syncfs``, then one sync per folder), so under load the waits are
shared by several files and overlap with the next files' work.

Crash safety is that of :func:`~gateway.replies.dispatch.marking_later`, which this runs
inside: a message is marked sent only in a transaction after its batch is on disk (the
writer hands back the ids it wrote; the loop's next transaction marks them). A crash
before that leaves messages committed and unsent — the start-up sweep writes those not
there yet and only marks those found whole — never one marked and missing.

Replies are written in the order their commits handed them. A batch that fails (the disk
full, a folder gone) is logged and left unsent in the store: the timer's resend retries it.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from gateway.replies.dispatch import deliver_all, log_written, marking_later
from gateway.store.models import OutgoingMessage
from gateway.workspace import Workspace

log = logging.getLogger("gateway.replies.writer")

#: Messages handed and not yet written past which the loop waits for the writer: the
#: replies of a backlog are not all held in memory, nor left waiting long enough (seconds)
#: for another process's resend of old messages to write them too.
MAX_PENDING = 512


@dataclass(frozen=True)
class Letter:
    """What writing a message needs, copied out of its row: the writer thread never
    touches the session that committed it."""

    id: int
    partner: str
    kind: str
    destination: str
    filename: str
    content: bytes

    @classmethod
    def of(cls, m: OutgoingMessage) -> Letter:
        return cls(m.id, m.partner, m.kind, m.destination, m.filename, m.content)


class ReplyWriter:
    """One thread writing the letters handed to it, a batch at a time, in order."""

    def __init__(self, limit: int = MAX_PENDING) -> None:
        self._limit = limit
        self._cond = threading.Condition()
        self._pending: deque[Letter] = deque()
        self._writing = False
        self._written: list[int] = []
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="reply-writer", daemon=True)
        self._thread.start()

    def hand(self, messages: list[OutgoingMessage]) -> None:
        """Queue committed messages for writing; waits while too many are waiting."""
        letters = [Letter.of(m) for m in messages]
        with self._cond:
            while len(self._pending) >= self._limit and not self._closed:
                self._cond.wait()
            if self._closed:
                raise RuntimeError("the reply writer is closed")
            self._pending.extend(letters)
            self._cond.notify_all()

    def take_written(self) -> list[int]:
        """The ids written since the last call (each once), for the caller to mark sent."""
        with self._cond:
            ids, self._written = self._written, []
        return ids

    def drain(self) -> None:
        """Wait until everything handed so far is written (or has failed)."""
        with self._cond:
            while self._pending or self._writing:
                self._cond.wait()

    def close(self) -> None:
        """Write what is left, then stop the thread."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                if not self._pending:
                    return
                batch = list(self._pending)
                self._pending.clear()
                self._writing = True
                self._cond.notify_all()
            written: list[int] = []
            try:
                paths = deliver_all(batch)
            except Exception as exc:  # noqa: BLE001 — unsent in the store, the resend retries
                log.warning("writing %d replies failed, retried later: %s", len(batch), exc)
            else:
                written = [m.id for m in batch]
                for m, path in zip(batch, paths, strict=True):
                    log_written(m, path)
            with self._cond:
                self._written += written
                self._writing = False
                self._cond.notify_all()


@contextmanager
def writing_behind(ws: Workspace) -> Iterator[None]:
    """Within it, this thread's committed replies are written by a writer thread and
    marked sent by its later transactions (:func:`marking_later`); on the way out every
    reply handed is written and marked before the thread stops. Nested: the outer one."""
    if getattr(ws.replies_to_mark, "writer", None) is not None:
        yield
        return
    writer = ReplyWriter()
    ws.replies_to_mark.writer = writer
    try:
        with marking_later(ws):  # its end drains the writer, then marks what it wrote
            yield
    finally:
        del ws.replies_to_mark.writer
        writer.close()


__all__ = ["Letter", "ReplyWriter", "writing_behind"]
