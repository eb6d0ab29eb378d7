"""Cluster mode with real worker processes: each "machine" a workspace folder of its own
(no shared file system) and ``order-gateway worker`` processes on one PostgreSQL."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from gateway.store.models import InboundFile, Order, OutgoingMessage
from tests.gateway.cluster_support import cluster_workspace, start_worker, wait_until
from tests.gateway.conftest import COFFEE
from tests.gateway.running import drop_renamed, files_in

pytestmark = pytest.mark.postgres


def order(number: str) -> bytes:
    return f"N° commande;Code-barre;Quantité\n{number};{COFFEE};2\n".encode()


def done(ws, count: int) -> bool:  # noqa: ANN001
    with ws.sessions() as s:
        processed = s.scalar(
            select(func.count()).select_from(InboundFile).where(InboundFile.outcome == "processed")
        )
        unsent = s.scalar(
            select(func.count())
            .select_from(OutgoingMessage)
            .where(OutgoingMessage.sent_at.is_(None))
        )
    return processed == count and unsent == 0


def test_workers_of_two_nodes_share_the_work_and_each_node_answers_into_its_own_folder(
    postgres_url: str, tmp_path: Path
) -> None:
    a = cluster_workspace(tmp_path / "node-a", postgres_url, "node-a")
    b = cluster_workspace(tmp_path / "node-b", postgres_url, "node-b")
    log = tmp_path / "workers.log"
    workers = [start_worker(a.root, "node-a", log), start_worker(b.root, "node-b", log)]
    try:
        for n in range(10):
            drop_renamed(a.inbox("shop"), f"a-{n}.csv", order(f"A-{n}"))
            drop_renamed(b.inbox("shop"), f"b-{n}.csv", order(f"B-{n}"))
        assert wait_until(lambda: done(a, 20), 60), log.read_text()[-3000:]
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            assert w.wait(30) == 0
    with a.sessions() as s:
        nodes = dict(
            s.execute(select(InboundFile.node, func.count()).group_by(InboundFile.node)).all()
        )
        assert nodes == {"node-a": 10, "node-b": 10}
        assert s.scalar(select(func.count(func.distinct(Order.order_number)))) == 20
    # Each node's partner reads its replies in its own outbox
    assert sorted(p.name[:7] for p in files_in(a.outbox("shop"))) == sorted(
        f"ACK_a-{n}" for n in range(10)
    )
    assert len(files_in(b.outbox("shop"))) == 10
    assert not files_in(a.inbox("shop")) and not files_in(b.inbox("shop"))
    a.close()
    b.close()


def test_two_pollers_started_for_one_source_never_run_at_once(
    postgres_url: str, tmp_path: Path
) -> None:
    """Two workers of one node, each ready to poll the node's folders every second: every
    poll of a source runs alone (its lock), and at most one waits (its queueing lock)."""
    a = cluster_workspace(tmp_path / "node-a", postgres_url, "node-a")
    log = tmp_path / "workers.log"
    workers = [start_worker(a.root, "node-a", log) for _ in range(2)]
    source = "folder:node-a:shop"
    try:
        for n in range(30):
            drop_renamed(a.inbox("shop"), f"a-{n}.csv", order(f"A-{n}"))
        assert wait_until(lambda: done(a, 30) and _polls(a, source) >= 6, 60), log.read_text()
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            w.wait(30)
    with a.sessions() as s:
        runs = s.execute(
            text(
                "SELECT j.id, j.worker_id, "
                "min(e.at) FILTER (WHERE e.type = 'started') AS began, "
                "max(e.at) FILTER (WHERE e.type IN ('succeeded', 'failed')) AS ended "
                "FROM procrastinate_jobs j JOIN procrastinate_events e ON e.job_id = j.id "
                "WHERE j.task_name = 'poll' AND j.args->>'source' = :source "
                "GROUP BY j.id, j.worker_id ORDER BY began"
            ),
            {"source": source},
        ).all()
    a.close()
    runs = [r for r in runs if r.began is not None]
    assert len(runs) >= 6  # polled again and again, by whichever worker was free
    for before, after in zip(runs, runs[1:], strict=False):
        assert before.ended is not None and before.ended <= after.began, (before, after)


def _polls(ws, source: str) -> int:  # noqa: ANN001
    with ws.sessions() as s:
        return int(
            s.scalar(
                text(
                    "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'poll' "
                    "AND status = 'succeeded' AND args->>'source' = :source"
                ),
                {"source": source},
            )
        )
