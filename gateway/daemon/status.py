"""``order-gateway status``: what the gateway has waiting, in hand, done and failed.

Read from the same places the service works in, so it is true whether or not a gateway
is running: the inbox and ``.processing/`` folders, the database (files processed today,
unsent messages) and ``failed/`` (every quarantined file has a ``.reason.txt`` beside it,
written by whichever step refused it — a reader error, a duplicate, a symlink, an
oversized file or a pipeline crash).
"""

from __future__ import annotations

import fcntl
import os
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from gateway.channels.folder.inbox import in_processing, is_marker, listing
from gateway.intake.files import REASON_SUFFIX
from gateway.orders.deadlines import overdue_counts
from gateway.store.ledger import FileResult
from gateway.store.models import InboundFile, OutgoingMessage
from gateway.workspace import Workspace


@dataclass
class LastError:
    at: datetime
    file: str
    reason: str


@dataclass
class PartnerStatus:
    partner: str
    #: Files in the inbox not claimed yet (ready or still being written)
    waiting: int
    #: Files claimed into .processing/ that a live gateway has in hand
    in_progress: int
    #: Files in .processing/ that no process holds: left by a crash, finished at next sweep
    abandoned: int
    processed_today: int
    #: Files quarantined into failed/ today, whatever the reason
    failed_today: int
    unsent_messages: int
    #: Orders awaiting the supplier's answer past the partner's response_deadline
    overdue_orders: int
    last_error: LastError | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _start_of_today() -> datetime:
    """Local midnight, as an aware UTC time (``received_at`` is stored in UTC)."""
    local = datetime.now().astimezone()
    return datetime.combine(local.date(), time(0), local.tzinfo).astimezone(UTC)


def _flocked_inodes() -> set[int] | None:
    """Inodes under a ``flock`` right now, from ``/proc/locks``; None where unreadable.

    Looking there takes no lock, so asking for the status never delays a claim.
    """
    try:
        text = Path("/proc/locks").read_text()
    except OSError:
        return None
    inodes = set()
    for line in text.splitlines():
        parts = line.split()
        # "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF" ("->" marks a waiter)
        if "FLOCK" in parts and "->" not in parts and len(parts) >= 6:
            try:
                inodes.add(int(parts[5].rsplit(":", 1)[1]))
            except (IndexError, ValueError):
                continue
    return inodes


def _is_held(path: Path, flocked: set[int] | None) -> bool:
    """Whether a live process holds the claim lock on ``path``."""
    if flocked is not None:
        try:
            return os.stat(path, follow_symlinks=False).st_ino in flocked
        except FileNotFoundError:
            return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also drops the shared lock, if we got it
    return False


def _failed_today(folder: Path, since: float) -> tuple[int, LastError | None]:
    count, newest, last = 0, -1.0, None
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return 0, None
    for e in entries:
        if not e.name.endswith(REASON_SUFFIX):
            continue
        try:
            mtime = e.stat().st_mtime
        except FileNotFoundError:
            continue
        if mtime >= since:
            count += 1
        if mtime > newest:
            newest, last = mtime, e
    if last is None:
        return count, None
    return count, _read_reason(Path(last.path), newest)


def _read_reason(path: Path, mtime: float) -> LastError:
    fields: dict[str, str] = {}
    try:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            key, sep, value = line.partition(": ")
            if sep and key in ("file", "reason"):
                fields[key] = value
    except FileNotFoundError:
        pass
    name = fields.get("file") or path.name.removesuffix(REASON_SUFFIX)
    return LastError(datetime.fromtimestamp(mtime, UTC), name, fields.get("reason", ""))


def gateway_status(ws: Workspace) -> list[PartnerStatus]:
    """One :class:`PartnerStatus` per configured partner, in configuration order."""
    since = _start_of_today()
    with ws.read_sessions() as s:
        # Counted here, not by GROUP BY: grouped, SQLite walks every file ever received
        # through the partner index instead of today's through received_at's.
        processed = Counter(
            s.scalars(
                select(InboundFile.partner).where(
                    InboundFile.outcome == FileResult.PROCESSED.value,
                    InboundFile.received_at >= since,
                )
            )
        )
        unsent = dict(
            s.execute(
                select(OutgoingMessage.partner, func.count())
                .where(OutgoingMessage.sent_at.is_(None))
                .group_by(OutgoingMessage.partner)
            ).all()
        )
    overdue = overdue_counts(ws)
    flocked = _flocked_inodes()
    out: list[PartnerStatus] = []
    for pid, partner in ws.config.partners.items():
        inbox = ws.inbox(pid)
        waiting = [
            n
            for n in listing(inbox, partner.temp_patterns)
            if not (partner.done_marker and is_marker(n))
        ]
        claimed = in_processing(inbox)
        held = sum(_is_held(p, flocked) for p in claimed)
        failed, last = _failed_today(ws.failed_dir(pid), since.timestamp())
        out.append(
            PartnerStatus(
                partner=pid,
                waiting=len(waiting),
                in_progress=held,
                abandoned=len(claimed) - held,
                processed_today=int(processed.get(pid, 0)),
                failed_today=failed,
                unsent_messages=int(unsent.get(pid, 0)),
                overdue_orders=overdue.get(pid, 0),
                last_error=last,
            )
        )
    return out


@dataclass
class ClusterStatus:
    """Cluster mode: the workers alive and the jobs, from procrastinate's tables."""

    #: Workers whose heartbeat is fresher than ``[cluster] stalled_after``
    workers_alive: int
    #: Jobs per task and state: waiting (todo), running (doing), failed, succeeded
    jobs: dict[str, dict[str, int]]
    #: Jobs running on a worker that stopped beating (retried by the next sweep)
    stalled: int
    #: Received files not processed yet
    files_received: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_STATES = {"todo": "waiting", "doing": "running", "failed": "failed", "succeeded": "succeeded"}


def cluster_status(ws: Workspace) -> ClusterStatus | None:
    """What the cluster is doing; None outside cluster mode."""
    if not ws.cluster:
        return None
    from sqlalchemy import text

    stale = ws.config.cluster.stalled_after
    with ws.read_sessions() as s:
        alive = s.scalar(
            text(
                "SELECT count(*) FROM procrastinate_workers "
                "WHERE last_heartbeat >= now() - make_interval(secs => :stale)"
            ),
            {"stale": stale},
        )
        jobs: dict[str, dict[str, int]] = {}
        for task, state, count in s.execute(
            text(
                "SELECT task_name, status, count(*) FROM procrastinate_jobs "
                "GROUP BY task_name, status"
            )
        ):
            shown = _STATES.get(state, state)
            jobs.setdefault(task, {})[shown] = int(count)
        stalled = s.scalar(
            text(
                "SELECT count(*) FROM procrastinate_jobs j "
                "LEFT JOIN procrastinate_workers w ON w.id = j.worker_id "
                "WHERE j.status = 'doing' AND (w.id IS NULL "
                "OR w.last_heartbeat < now() - make_interval(secs => :stale))"
            ),
            {"stale": stale},
        )
        received = s.scalar(
            select(func.count())
            .select_from(InboundFile)
            .where(InboundFile.outcome == FileResult.RECEIVED.value)
        )
    return ClusterStatus(int(alive or 0), jobs, int(stalled or 0), int(received or 0))
