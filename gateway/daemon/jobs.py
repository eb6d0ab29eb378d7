"""Cluster mode: the jobs every worker runs, and the housekeeping done once cluster-wide.

The tasks are thin: each calls the function the in-process gateway calls.

=============  ==========================  ==============================================
task           queue                       body
=============  ==========================  ==============================================
``poll``       ``poll`` / ``node.NAME``    :meth:`gateway.daemon.pollers.Pollers.poll`
``process``    ``process``                 :func:`gateway.intake.recorded.process_recorded`
``dispatch``   ``dispatch`` / ``node.…``   :meth:`gateway.daemon.pollers.Pollers.dispatch`
``tick``       (periodic, once a second)   defers the SFTP accounts' polls
``tick_node``  (periodic, per node)        defers the polls of the node's folders and feed
``sweep``      (periodic, every 10 s)      stalled jobs retried; digests; overdue replies;
                                           finished jobs deleted after ``keep_finished_hours``
=============  ==========================  ==============================================

Periodic jobs are deferred once cluster-wide per tick (procrastinate's periodic defers
are unique per task, id and second), whichever workers are alive. A job whose worker
stopped beating (killed, cut off) is *stalled*: the sweep puts it back in its queue,
and another worker runs it — each step is idempotent through the ledgers, so a retried
job never applies twice.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gateway.daemon.pollers import Pollers, folder_partners, source_name
from gateway.intake.recorded import fail_recorded, process_recorded
from gateway.orders.deadlines import log_newly_overdue
from gateway.orders.digest import due_digests, send_digest
from gateway.store.database import STORE_ERRORS
from gateway.store.jobs import (
    DISPATCH,
    DISPATCH_QUEUE,
    POLL,
    POLL_QUEUE,
    PROCESS,
    PROCESS_QUEUE,
    defer,
    job_app,
    node_queue,
    poll_lock,
)
from gateway.workspace import Workspace

if TYPE_CHECKING:
    from procrastinate import App, JobContext

log = logging.getLogger("gateway.daemon.jobs")

#: A store that cannot be reached is waited for: retried with a growing wait, long enough
#: to ride out a database restart or fail-over
STORE_RETRIES = 12


def _defer_poll(ws: Workspace, source: str, queue: str) -> None:
    with ws.sessions.begin() as s:
        defer(
            s,
            ws.jobs,
            POLL,
            queue=queue,
            lock=poll_lock(source),
            queueing_lock=poll_lock(source),
            args={"source": source},
        )


def defer_polls(ws: Workspace, node: str | None = None) -> list[str]:
    """Defer a poll of every source (``node``: of that node's folders and feed; None:
    of the SFTP accounts). A source whose poll is waiting already is not queued twice."""
    sources: list[tuple[str, str]]
    if node is None:
        sources = [
            (source_name("sftp", pid), POLL_QUEUE)
            for pid, p in ws.config.partners.items()
            if p.channel == "sftp"
        ]
    else:
        sources = [
            (source_name("folder", node, pid), node_queue(node))
            for pid in folder_partners(ws, node)
        ]
        sources.append((source_name("feed", node), node_queue(node)))
    for source, queue in sources:
        _defer_poll(ws, source, queue)
    return [s for s, _ in sources]


def build_app(ws: Workspace, pollers: Pollers) -> App:
    """The worker's procrastinate application: every task bound to ``ws`` (``pollers``:
    what the process keeps between jobs), and the periodic housekeeping of the cluster
    and of this node (``ws.node``)."""
    from procrastinate import RetryStrategy

    app = job_app(ws.database_url, min_size=1, max_size=4)
    every = ws.config.cluster.poll_interval
    store_retry = RetryStrategy(
        max_attempts=STORE_RETRIES, exponential_wait=2, retry_exceptions=set(STORE_ERRORS)
    )

    @app.task(name=POLL, queue=POLL_QUEUE)
    def poll(source: str) -> int:
        return pollers.poll(source)

    @app.task(name=PROCESS, queue=PROCESS_QUEUE, pass_context=True, retry=store_retry)
    def process(context: JobContext, file: int) -> str:
        attempt = context.job.attempts + 1
        try:
            return process_recorded(ws, file, attempt=attempt).outcome.value
        except STORE_ERRORS:
            raise  # the store's fault: retried (store_retry)
        except Exception as exc:  # noqa: BLE001 — a bug met on this file ends it failed
            log.exception("processing failed file=%s", file)
            return fail_recorded(ws, file, exc).outcome.value

    @app.task(
        name=DISPATCH,
        queue=DISPATCH_QUEUE,
        retry=RetryStrategy(max_attempts=50, exponential_wait=2),
    )
    def dispatch(partner: str, ids: list[int]) -> int:
        return pollers.dispatch(partner, ids)

    @app.periodic(cron=f"* * * * * */{every}")
    @app.task(name="tick", queue=POLL_QUEUE)
    def tick(timestamp: int) -> int:
        return len(defer_polls(ws))

    @app.periodic(cron=f"* * * * * */{every}", periodic_id=ws.node)
    @app.task(name="tick_node", queue=node_queue(ws.node))
    def tick_node(timestamp: int) -> int:
        return len(defer_polls(ws, ws.node))

    @app.periodic(cron="* * * * * */10")
    @app.task(name="sweep", queue=POLL_QUEUE)
    async def sweep(timestamp: int) -> dict[str, Any]:
        return await housekeeping(app, ws)

    return app


async def housekeeping(app: App, ws: Workspace) -> dict[str, Any]:
    """Once cluster-wide every 10 s: stalled jobs back in their queues; due digests;
    overdue orders logged once; finished jobs past their keeping time deleted."""
    import procrastinate.exceptions
    import procrastinate.jobs

    cluster = ws.config.cluster
    stalled = list(
        await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=cluster.stalled_after)
    )
    for job in stalled:
        log.warning(
            "job stalled task=%s id=%s worker=%s; retried elsewhere",
            job.task_name,
            job.id,
            job.worker_id,
            extra={"job": job.id, "task": job.task_name},
        )
        try:
            await app.job_manager.retry_job(job)
        except procrastinate.exceptions.UniqueViolation:
            assert job.id is not None  # a job read from the queue has its id
            # Its queueing lock is held by a twin already waiting (the next poll of the
            # same source): that twin does this job's work, so this one is closed, not
            # retried — and housekeeping goes on with the rest.
            log.info(
                "stalled job closed task=%s id=%s: the same job is queued already",
                job.task_name,
                job.id,
                extra={"job": job.id, "task": job.task_name},
            )
            await app.job_manager.finish_job_by_id_async(
                job.id, status=procrastinate.jobs.Status.FAILED, delete_job=False
            )
    now = datetime.now()
    digests = await asyncio.to_thread(
        lambda: [send_digest(ws, p, now) for p in due_digests(ws, now)]
    )
    overdue = await asyncio.to_thread(log_newly_overdue, ws)
    await app.job_manager.delete_old_jobs(
        nb_hours=cluster.keep_finished_hours, include_failed=False
    )
    return {"stalled": len(stalled), "digests": len(digests), "overdue": len(overdue)}


__all__ = ["build_app", "defer_polls", "housekeeping"]
