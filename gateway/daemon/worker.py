"""``order-gateway worker``: one process taking cluster jobs until SIGTERM.

A worker takes jobs from the queues it is given — by default every shared queue (polls
of SFTP accounts, processing, sending) and its own node's (``node.NAME``: its folders'
polls, sending into its folders) — and beats every two seconds, so that a worker
killed mid-job is found stalled and its job retried elsewhere
(:func:`gateway.daemon.jobs.housekeeping`).

A database that goes away (restarted, failed over) stops the procrastinate worker; this
loop starts it again after a growing wait, until the database answers. SIGTERM or
SIGINT lets the jobs in hand finish, then returns 0.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Iterable

from gateway.daemon.jobs import build_app
from gateway.daemon.pollers import Pollers
from gateway.daemon.service import until_signalled
from gateway.store.database import shown_url
from gateway.store.jobs import DISPATCH_QUEUE, POLL_QUEUE, PROCESS_QUEUE, node_queue
from gateway.workspace import Workspace

log = logging.getLogger("gateway.daemon.worker")

#: Seconds between a worker's heartbeats
HEARTBEAT = 2.0
#: Longest wait before trying a database that went away again
MAX_BACKOFF = 30.0


def default_queues(ws: Workspace) -> list[str]:
    """Every shared queue, and this node's own."""
    return [POLL_QUEUE, PROCESS_QUEUE, DISPATCH_QUEUE, node_queue(ws.node)]


class ClusterWorker:
    """The worker of one process; :meth:`stop` is safe from a signal handler."""

    def __init__(
        self, ws: Workspace, *, queues: Iterable[str] | None = None, concurrency: int = 1
    ) -> None:
        self.ws = ws
        self.queues = list(queues or default_queues(ws))
        self.concurrency = concurrency
        self._stopping = False
        self._worker: object | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def stop(self) -> None:
        self._stopping = True
        worker, loop = self._worker, self._loop
        if worker is not None and loop is not None:
            loop.call_soon_threadsafe(worker.stop)  # type: ignore[attr-defined]

    def run(self) -> int:
        backoff = 0.0
        pollers = Pollers(self.ws)
        try:
            while not self._stopping:
                try:
                    asyncio.run(self._run_once(pollers))
                    backoff = 0.0
                except Exception as exc:  # noqa: BLE001 — the database went away: wait, again
                    backoff = min(MAX_BACKOFF, max(1.0, backoff * 2))
                    log.warning(
                        "worker lost the database %s (%s: %s); starting again in %.0fs",
                        shown_url(self.ws.database_url),
                        type(exc).__name__,
                        exc,
                        backoff,
                    )
                if not self._stopping and backoff:
                    self._sleep(backoff)
                elif not self._stopping:
                    # The worker stopped by itself: a side task (heartbeat, listener)
                    # lost its connection.
                    log.warning(
                        "worker lost the database %s (a connection was closed); "
                        "starting again in 1s",
                        shown_url(self.ws.database_url),
                    )
                    self._sleep(1.0)
        finally:
            pollers.close()
        log.info("worker stopped node=%s", self.ws.node)
        return 0

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self._stopping:
            time.sleep(0.2)

    async def _run_once(self, pollers: Pollers) -> None:
        from procrastinate.worker import Worker

        app = build_app(self.ws, pollers)
        async with app.open_async():
            worker = Worker(
                app,
                queues=self.queues,
                name=f"{self.ws.node}-{os.getpid()}",
                concurrency=self.concurrency,
                install_signal_handlers=False,
                update_heartbeat_interval=HEARTBEAT,
                stalled_worker_timeout=self.ws.config.cluster.stalled_after,
                fetch_job_polling_interval=1.0,
                abort_job_polling_interval=5.0,
            )
            self._worker, self._loop = worker, asyncio.get_running_loop()
            log.info(
                "worker started node=%s queues=%s concurrency=%d database=%s",
                self.ws.node,
                ",".join(self.queues),
                self.concurrency,
                shown_url(self.ws.database_url),
                extra={"node": self.ws.node, "queues": self.queues},
            )
            try:
                if self._stopping:
                    return
                await worker.run()
            finally:
                self._worker = self._loop = None


def run_worker(ws: Workspace, *, queues: Iterable[str] | None = None, concurrency: int = 1) -> int:
    """Run a worker until SIGTERM or SIGINT; the exit status (0)."""
    worker = ClusterWorker(ws, queues=queues, concurrency=concurrency)
    return until_signalled(ws, worker.run, lambda _signal: worker.stop())


__all__ = ["ClusterWorker", "default_queues", "run_worker"]
