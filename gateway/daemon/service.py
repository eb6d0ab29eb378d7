"""The gateway as a daemon: folder intake that never loses a file and never does one twice.

The source of truth is a scan of every partner inbox: at start-up (after finishing what a
crash left in ``.processing/``) and on a timer, so files that arrived while the gateway
was down, were moved in, or were missed by an overflowing event queue are all found.
inotify only makes the service look sooner: a renamed-in file is read at once, a file
closed by its writer after a short grace, any other after the settle time.

Each loop turn: read events, do the timer's work when due (recovery sweep of files no
live worker holds, unsent messages, re-watching inboxes), scan the partners that need it,
then process queued files round-robin, a few per partner per turn so one partner's
backlog does not starve the others. SIGTERM / SIGINT set a flag that is looked at between
files: the file in hand is finished, then the service returns 0.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType

from gateway.channels.folder.inbox import DEFAULT_GRACE, DEFAULT_SETTLE, InboxTracker
from gateway.channels.folder.inotify import Inotify, Kind, open_inotify
from gateway.daemon.passes import (
    dispatch_unsent,
    process_inbox_file,
    quarantine_odd,
    readiness,
    recover_partner,
)
from gateway.daemon.sftp_partners import SftpWorker, sftp_partners
from gateway.intake.guard import DEFERRED
from gateway.orders.deadlines import log_newly_overdue
from gateway.orders.digest import due_digests, send_digest
from gateway.orders.erp_feed import scan_feed
from gateway.replies.dispatch import mark_written
from gateway.replies.writer import writing_behind
from gateway.store.database import shown_url
from gateway.workspace import Workspace

log = logging.getLogger("gateway.daemon.service")

DEFAULT_INTERVAL = 5.0
#: Files taken from one partner's queue before the next partner's turn
BATCH = 16
#: Seconds an unsent message is left to the worker that committed it before the timer sends it
UNSENT_AGE = 10.0
#: Longest wait after the store failed, before files are tried again
MAX_BACKOFF = 60.0


@dataclass(frozen=True)
class ServiceOptions:
    #: Seconds between full scans (and recovery sweeps, and unsent-message retries)
    interval: float = DEFAULT_INTERVAL
    #: Seconds a file's size and mtime must stay still (a partner's settle_seconds wins)
    settle: float = DEFAULT_SETTLE
    #: Seconds a file closed by its writer must stay untouched
    grace: float = DEFAULT_GRACE


class Service:
    """One gateway process watching every folder partner of a workspace."""

    def __init__(self, ws: Workspace, options: ServiceOptions | None = None) -> None:
        self.ws = ws
        self.options = options or ServiceOptions()
        self.partners = [pid for pid, p in ws.config.partners.items() if p.channel == "folder"]
        self.trackers = {
            pid: InboxTracker(
                ws.inbox(pid),
                readiness(ws, pid, settle=self.options.settle, grace=self.options.grace),
            )
            for pid in self.partners
        }
        self.queues: dict[str, deque[Path]] = {pid: deque() for pid in self.partners}
        self._by_folder = {ws.inbox(pid): pid for pid in self.partners}
        self._dirty: set[str] = set(self.partners)
        self._next_check: dict[str, float | None] = dict.fromkeys(self.partners)
        self._stopping = False
        self._stop_reason = ""
        self._wake_r, self._wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self._inotify: Inotify | None = None
        self._backoff = 0.0
        self.processed = 0
        self.sftp_workers = [SftpWorker(ws, pid) for pid in sftp_partners(ws)]

    # --- stopping ----------------------------------------------------------------------
    def stop(self, why: str = "stop requested") -> None:
        """Ask the loop to stop after the file in hand (safe from a signal handler)."""
        self._stop_reason = why
        self._stopping = True
        try:
            os.write(self._wake_w, b"x")
        except OSError:
            pass

    @property
    def stopping(self) -> bool:
        return self._stopping

    # --- the loop ----------------------------------------------------------------------
    def run(self) -> int:
        self._inotify = open_inotify()
        self._watch_inboxes()
        self._banner()
        for worker in self.sftp_workers:
            worker.start()
        next_tick = time.monotonic()
        try:
            # Each file's replies are written by a writer thread while the next files are
            # read, marked sent in a later file's transaction, and whatever is left
            # written and marked before the loop waits.
            with writing_behind(self.ws):
                while not self._stopping:
                    self._read_events()
                    now = time.monotonic()
                    if now >= next_tick:
                        # Before the resend of old unsent messages: none still in hand.
                        mark_written(self.ws)
                        self._tick()
                        next_tick = time.monotonic() + self.options.interval
                    self._scan_due()
                    if self._work_queues():
                        continue
                    mark_written(self.ws)
                    self._wait(self._next_wake(next_tick))
        finally:
            self.close()
        log.info("gateway stopped reason=%s files=%d", self._stop_reason or "-", self.processed)
        return 0

    def _banner(self) -> None:
        """The start banner: what this process serves, and how it notices new files."""
        config = self.ws.config.partners
        channels = {kind: sorted(p for p, c in config.items() if c.channel == kind)
                    for kind in ("folder", "sftp")}  # fmt: skip
        shown = " ".join(f"{k}={','.join(v)}" for k, v in channels.items() if v) or "none"
        watching = "inotify" if self._inotify else "polling"
        database = shown_url(self.ws.database_url)
        log.info(
            "gateway started workspace=%s database=%s partners=%d %s watching=%s "
            "interval=%ss settle=%ss grace=%ss",
            self.ws.root,
            database,
            len(config),
            shown,
            watching,
            self.options.interval,
            self.options.settle,
            self.options.grace,
            extra={
                "workspace": str(self.ws.root),
                "database": database,
                "partners": sorted(config),
                "channels": {k: v for k, v in channels.items() if v},
                "watching": watching,
            },
        )

    def _tick(self) -> None:
        """The timer's work: recover abandoned claims, send unsent messages, rescan all."""
        self._watch_inboxes()
        for pid in self.partners:
            if self._stopping:
                return
            for out in recover_partner(self.ws, pid):
                self._count(out.outcome)
        dispatch_unsent(self.ws, older_than=UNSENT_AGE)
        self._dirty.update(self.partners)
        if self._stopping:
            return
        for out in scan_feed(self.ws, settle=self.options.settle):
            self._count(out.outcome)
        now = datetime.now()
        for pid in due_digests(self.ws, now):
            send_digest(self.ws, pid, now)
        log_newly_overdue(self.ws)

    def _scan_due(self) -> None:
        now = time.monotonic()
        for pid in self.partners:
            due = self._next_check[pid]
            if self.queues[pid] or not (pid in self._dirty or (due is not None and due <= now)):
                continue
            self._dirty.discard(pid)
            poll = self.trackers[pid].poll(now)
            self._next_check[pid] = poll.next_check
            for entry in poll.odd:
                if self._stopping:
                    return
                quarantine_odd(self.ws, pid, entry)
            self.queues[pid].extend(poll.ready)

    def _work_queues(self) -> bool:
        """Process up to BATCH files per partner; True if any queue still has work."""
        for pid in self.partners:
            queue = self.queues[pid]
            for _ in range(min(BATCH, len(queue))):
                if self._stopping:
                    return False
                path = queue.popleft()
                out = process_inbox_file(self.ws, pid, path)
                self.trackers[pid].forget(path.name)
                if out is None:
                    continue  # another worker claimed it
                self._count(out.outcome)
                if out.outcome == DEFERRED:
                    self._defer()
                    return False
        return any(self.queues.values())

    def _count(self, outcome: str) -> None:
        if outcome == DEFERRED:
            return
        self.processed += 1
        self._backoff = 0.0

    def _defer(self) -> None:
        """The store is down: drop the queues (rescanned later) and wait, doubling each time."""
        for q in self.queues.values():
            q.clear()
        mark_written(self.ws)  # kept if the store is still down
        self._backoff = min(MAX_BACKOFF, max(1.0, self._backoff * 2))
        log.warning("store unavailable; retrying in %.0fs", self._backoff)
        self._wait(self._backoff)
        self._dirty.update(self.partners)

    def _next_wake(self, next_tick: float) -> float:
        wake = [next_tick, *(t for t in self._next_check.values() if t is not None)]
        return max(0.0, min(wake) - time.monotonic())

    def _wait(self, timeout: float) -> None:
        fds = [self._wake_r] + ([self._inotify.fileno()] if self._inotify else [])
        try:
            readable, _, _ = select.select(fds, [], [], timeout)
        except InterruptedError:
            return
        if self._wake_r in readable:
            try:
                os.read(self._wake_r, 4096)
            except BlockingIOError:
                pass

    # --- events --------------------------------------------------------------------------
    def _watch_inboxes(self) -> None:
        if self._inotify is None:
            return
        watched = self._inotify.watched()
        for folder in self._by_folder:
            if folder not in watched and folder.is_dir():
                self._inotify.watch(folder)

    def _read_events(self) -> None:
        if self._inotify is None:
            return
        while events := self._inotify.read():
            for ev in events:
                if ev.kind is Kind.OVERFLOW:
                    log.warning("inotify queue overflowed; scanning every inbox")
                    self._dirty.update(self.partners)
                    continue
                pid = self._by_folder.get(ev.folder) if ev.folder else None
                if pid is None:
                    continue
                self.trackers[pid].hint(ev.kind, ev.name)
                self._dirty.add(pid)

    def close(self) -> None:
        for worker in self.sftp_workers:
            worker.stop()
        for worker in self.sftp_workers:
            worker.join(timeout=5)
        if self._inotify is not None:
            self._inotify.close()
            self._inotify = None
        for fd in (self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass
        self._wake_r = self._wake_w = -1


def serve(
    ws: Workspace,
    *,
    interval: float = DEFAULT_INTERVAL,
    settle: float = DEFAULT_SETTLE,
    grace: float = DEFAULT_GRACE,
) -> int:
    """Run the gateway until SIGTERM or SIGINT; returns the exit status (0)."""
    service = Service(ws, ServiceOptions(interval=interval, settle=settle, grace=grace))
    return until_signalled(ws, service.run, service.stop)


def until_signalled(ws: Workspace, run: Callable[[], int], stop: Callable[[str], None]) -> int:
    """``run()`` with SIGTERM and SIGINT turned into ``stop(signal name)``: the file in
    hand is finished, never cut; the handlers are put back and ``ws`` closed after."""

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        stop(signal.Signals(signum).name)

    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        return run()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        ws.close()
