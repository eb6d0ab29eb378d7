"""Cluster mode on a real PostgreSQL: polls record a file's bytes and queue its
processing in one transaction; processing and sending are jobs, each idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from gateway.daemon.jobs import defer_polls
from gateway.daemon.pollers import Pollers, source_name
from gateway.store.models import Blob, InboundFile, Order, OutgoingMessage
from tests.gateway.cluster_support import cluster_workspace, jobs, run_jobs
from tests.gateway.conftest import COFFEE

pytestmark = pytest.mark.postgres


def order(number: str) -> bytes:
    return f"N° commande;Code-barre;Quantité\n{number};{COFFEE};2\n".encode()


@pytest.fixture
def ws(postgres_url: str, tmp_path: Path):  # noqa: ANN201
    workspace = cluster_workspace(tmp_path / "node-a", postgres_url, "node-a")
    yield workspace
    workspace.close()


def test_a_poll_records_the_bytes_and_queues_processing_then_removes_the_source(ws, drop):
    source = drop(ws, "shop", "po-1.csv", order("PO-1"))
    assert Pollers(ws).poll(source_name("folder", "node-a", "shop")) == 1
    with ws.sessions() as s:
        [inbound] = s.scalars(select(InboundFile)).all()
        assert inbound.outcome == "received" and inbound.node == "node-a"
        assert s.scalar(select(Blob.content).where(Blob.sha256 == inbound.sha256)) == order("PO-1")
    assert jobs(ws, "process") == [("process", "process", "todo")]
    assert not source.exists()
    assert not list(ws.processing("shop").iterdir())


def test_a_processed_file_gets_its_orders_and_its_reply_from_its_node(ws, drop):
    drop(ws, "shop", "po-2.csv", order("PO-2"))
    Pollers(ws).poll(source_name("folder", "node-a", "shop"))
    run_jobs(ws)
    with ws.sessions() as s:
        assert s.scalars(select(Order.order_number)).all() == ["PO-2"]
        assert s.scalar(select(InboundFile.outcome)) == "processed"
        [msg] = s.scalars(select(OutgoingMessage)).all()
        assert msg.sent_at is not None
    [reply] = list(ws.outbox("shop").iterdir())
    assert reply.name.startswith("ACK_po-2")
    assert [j[1] for j in jobs(ws, "dispatch")] == ["node.node-a"]


def test_a_process_job_run_again_applies_nothing_twice(ws, drop):
    drop(ws, "shop", "po-3.csv", order("PO-3"))
    Pollers(ws).poll(source_name("folder", "node-a", "shop"))
    run_jobs(ws)
    from gateway.intake.recorded import process_recorded

    with ws.sessions() as s:
        file_id = s.scalar(select(InboundFile.id))
    again = process_recorded(ws, file_id, attempt=2)
    assert again.outcome == "recovered"
    with ws.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Order)) == 1
        assert s.scalar(select(func.count()).select_from(OutgoingMessage)) == 1


def test_the_same_bytes_dropped_again_are_a_duplicate_answered_once(ws, drop):
    drop(ws, "shop", "po-4.csv", order("PO-4"))
    Pollers(ws).poll(source_name("folder", "node-a", "shop"))
    run_jobs(ws)
    drop(ws, "shop", "po-4-again.csv", order("PO-4"))
    Pollers(ws).poll(source_name("folder", "node-a", "shop"))
    run_jobs(ws)
    with ws.sessions() as s:
        outcomes = s.scalars(select(InboundFile.outcome).order_by(InboundFile.id)).all()
        assert outcomes == ["processed", "duplicate"]
        assert s.scalar(select(func.count()).select_from(Blob)) == 1
        assert s.scalar(select(func.count()).select_from(Order)) == 1


def test_a_second_poll_of_one_source_is_not_queued_while_one_waits(ws):
    first = defer_polls(ws, "node-a")
    defer_polls(ws, "node-a")
    polls = jobs(ws, "poll")
    assert len(polls) == len(first)  # one waiting per source, however often deferred
    assert {q for _, q, _ in polls} == {"node.node-a"}


def test_a_poll_killed_after_its_commit_finishes_the_source_without_a_second_record(ws, drop):
    source = drop(ws, "shop", "po-5.csv", order("PO-5"))
    claimed = ws.processing("shop") / "po-5.csv"
    source.rename(claimed)  # claimed, recorded, then killed before removing it:
    from gateway.intake.receive import receive_bytes

    st = claimed.stat()
    receive_bytes(ws, "shop", "po-5.csv", claimed.read_bytes(), written_at=st.st_mtime,
                  inode=f"{st.st_dev}:{st.st_ino}")  # fmt: skip
    assert Pollers(ws).poll(source_name("folder", "node-a", "shop")) == 0
    assert not claimed.exists()
    with ws.sessions() as s:
        assert s.scalar(select(func.count()).select_from(InboundFile)) == 1


def test_with_a_bucket_the_bytes_are_in_the_bucket_and_replay_reads_them_there(
    postgres_url: str,
    tmp_path: Path,
    s3_server,
    s3_bucket: str,
    drop,  # noqa: ANN001
) -> None:
    extra = (
        f'blob_store = "s3"\n[cluster.s3]\nbucket = "{s3_bucket}"\n'
        f'endpoint_url = "{s3_server.endpoint}"\n'
    )
    ws = cluster_workspace(tmp_path / "node-a", postgres_url, "node-a", extra=extra)
    try:
        drop(ws, "shop", "po-6.csv", order("PO-6"))
        Pollers(ws).poll(source_name("folder", "node-a", "shop"))
        run_jobs(ws)
        with ws.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Blob)) == 0
            inbound = s.scalars(select(InboundFile)).one()
        assert inbound.outcome == "processed" and inbound.archived_to is None
        keys = [o["Key"] for o in s3_server.client().list_objects_v2(Bucket=s3_bucket)["Contents"]]
        assert keys == [f"originals/{inbound.sha256}"]
        from gateway.admin.replay import original_data
        from gateway.admin.sources import source_view

        assert original_data(ws, inbound.id) == order("PO-6")
        assert [r.cells[0] for r in source_view(ws, inbound.id).rows][-1] == "PO-6"
    finally:
        ws.close()


def test_an_upload_in_cluster_mode_is_received_and_processed_by_a_worker(ws) -> None:
    from gateway.intake.guard import process_copy

    out = process_copy(ws, "shop", "upload.csv", order("PO-7"))
    assert out.outcome == "received" and out.inbound_id is not None
    run_jobs(ws)
    with ws.sessions() as s:
        assert s.get(InboundFile, out.inbound_id).outcome == "processed"
