"""Cluster mode under faults (slow): workers killed at random while 2,000 files arrive
over an SFTP account and a local folder, and PostgreSQL restarted under load. Each
"machine" is a workspace folder of its own; nothing is shared but the database."""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from gateway.store.models import Blob, InboundFile, Order, OutgoingMessage, SentInterchange
from gateway.workspace import Workspace
from tests.gateway.admin.support import x12_order
from tests.gateway.cluster_support import cluster_workspace, start_worker, wait_until
from tests.gateway.conftest import COFFEE
from tests.gateway.running import files_in

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

FOLDER_FILES = SFTP_FILES = 1000
BATCHES = 20
SFTP_USER = "ogw-sftp-a"


def partners(server) -> str:  # noqa: ANN001
    return f"""
[supplier]
name = "Test Supplier"
edi_id = "3012345000000"
edi_qualifier = "14"

[partners.shop]
name = "Corner Shop"
node = "node-a"
grants = [{{ customer = "C1", site = "S1" }}]

[partners.remote]
name = "Remote ERP over SFTP"
channel = "sftp"
edi_ids = ["ZZ:NORTHWIND"]
grants = [{{ customer = "C2", site = "S1" }}]

[partners.remote.sftp]
host = "{server.host}"
port = {server.port}
user = "{SFTP_USER}"
key_file = "{server.accounts[SFTP_USER].key_file}"
known_hosts = "{server.known_hosts}"
settle_seconds = 0
timeout = 5
retry_attempts = 3
retry_backoff = 0.2
"""


def csv_order(number: str) -> bytes:
    return f"N° commande;Code-barre;Quantité\n{number};{COFFEE};2\n".encode()


def put_in(folder: Path, name: str, data: bytes) -> None:
    """Renamed in, as a careful uploader does (the SFTP server's own disk, or an inbox)."""
    tmp = folder / f".{name}.part"
    tmp.write_bytes(data)
    tmp.rename(folder / name)


def settled(ws: Workspace, count: int) -> bool:
    with ws.sessions() as s:
        left = s.scalar(
            select(func.count()).select_from(InboundFile).where(InboundFile.outcome == "received")
        )
        files = s.scalar(select(func.count()).select_from(InboundFile))
        unsent = s.scalar(
            select(func.count())
            .select_from(OutgoingMessage)
            .where(
                (OutgoingMessage.sent_at.is_(None))
                | ((OutgoingMessage.partner == "remote") & OutgoingMessage.uploaded_at.is_(None)
                   & (OutgoingMessage.audience == "partner"))
            )
        )  # fmt: skip
    return files >= count and not left and not unsent


class Machine:
    """A worker process of a node, restarted after each kill."""

    def __init__(self, ws: Workspace, node: str, log: Path) -> None:
        self.ws, self.node, self.log = ws, node, log
        self.proc = start_worker(ws.root, node, log)

    def kill_and_restart(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self.proc = start_worker(self.ws.root, self.node, self.log)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return -9


def test_workers_killed_at_random_lose_nothing_and_do_nothing_twice(
    postgres_url: str,
    tmp_path: Path,
    sshd,  # noqa: ANN001
) -> None:
    a = cluster_workspace(tmp_path / "node-a", postgres_url, "node-a", partners=partners(sshd))
    b = cluster_workspace(tmp_path / "node-b", postgres_url, "node-b", partners=partners(sshd))
    log = tmp_path / "workers.log"
    steady = Machine(a, "node-a", log)
    victims = [Machine(a, "node-a", log), Machine(b, "node-b", log)]
    remote_in = sshd.accounts[SFTP_USER].folder("in")
    rng = random.Random(19)
    numbers = itertools.count(1)
    kills = 0
    try:
        per = FOLDER_FILES // BATCHES
        for _ in range(BATCHES):
            for _ in range(per):
                n = next(numbers)
                put_in(a.inbox("shop"), f"po-{n}.csv", csv_order(f"CSV-{n}"))
                put_in(remote_in, f"po-{n}.x12", x12_order(f"X12-{n}", [(COFFEE, 2)]))
            wait_until(lambda: False, rng.uniform(0.3, 1.5))
            rng.choice(victims).kill_and_restart()
            kills += 1
        assert kills >= 15
        assert wait_until(lambda: settled(a, FOLDER_FILES + SFTP_FILES), 420, 1.0), log.read_text()[
            -4000:
        ]
    finally:
        codes = [m.stop() for m in [steady, *victims]]
    assert codes == [0, 0, 0]
    with a.sessions() as s:
        # Each file has one inbound record, processed
        per_name = s.execute(
            select(InboundFile.partner, InboundFile.name, func.count())
            .group_by(InboundFile.partner, InboundFile.name)
            .having(func.count() > 1)
        ).all()
        assert per_name == []
        assert s.scalar(select(func.count()).select_from(InboundFile)) == 2000
        assert set(s.scalars(select(InboundFile.outcome))) == {"processed"}
        # Each order exists once
        assert s.scalar(select(func.count()).select_from(Order)) == 2000
        assert s.scalar(select(func.count(func.distinct(Order.order_number)))) == 2000
        # Every original is in the blob store
        missing = s.scalar(
            select(func.count())
            .select_from(InboundFile)
            .outerjoin(Blob, Blob.sha256 == InboundFile.sha256)
            .where(Blob.sha256.is_(None))
        )
        assert missing == 0
        # Every control number is unique per partner
        dupes = s.execute(
            select(SentInterchange.partner, SentInterchange.interchange_ref, func.count())
            .group_by(SentInterchange.partner, SentInterchange.interchange_ref)
            .having(func.count() > 1)
        ).all()
        assert dupes == []
        assert s.scalar(select(func.count()).select_from(SentInterchange)) == SFTP_FILES
        shop_msgs = s.scalar(
            select(func.count())
            .select_from(OutgoingMessage)
            .where(OutgoingMessage.partner == "shop")
        )
        remote_msgs = s.scalar(
            select(func.count())
            .select_from(OutgoingMessage)
            .where(OutgoingMessage.partner == "remote", OutgoingMessage.audience == "partner")
        )
        stalled_retried = s.scalar(
            text("SELECT count(*) FROM procrastinate_jobs WHERE attempts > 0")
        )
    # Each reply was sent exactly once: one file per message, none renamed aside
    written = files_in(a.outbox("shop"))
    assert len(written) == shop_msgs == FOLDER_FILES
    assert not files_in(b.outbox("shop"))
    uploaded = sorted(p.name for p in sshd.accounts[SFTP_USER].folder("out").iterdir())
    assert len(uploaded) == remote_msgs == SFTP_FILES
    assert not [n for n in uploaded if n.startswith(".")]
    assert len(os.listdir(remote_in)) == 0
    assert stalled_retried >= 1  # a killed worker's job was found stalled and run again
    a.close()
    b.close()


def test_postgresql_restarted_under_load_loses_nothing(
    postgres_server,
    postgres_url: str,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    ws = cluster_workspace(tmp_path / "node-a", postgres_url, "node-a")
    log = tmp_path / "workers.log"
    workers = [start_worker(ws.root, "node-a", log) for _ in range(2)]
    try:
        for n in range(300):
            put_in(ws.inbox("shop"), f"po-{n}.csv", csv_order(f"PO-{n}"))
        wait_until(lambda: _processed(ws) >= 60, 120)
        postgres_server.restart()
        assert wait_until(lambda: settled(ws, 300), 240, 1.0), log.read_text()[-4000:]
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        codes = [w.wait(60) for w in workers]
    assert codes == [0, 0]
    assert "worker lost the database" in log.read_text()  # they saw it go, and came back
    with ws.sessions() as s:
        assert s.scalar(select(func.count()).select_from(InboundFile)) == 300
        assert s.scalar(select(func.count(func.distinct(Order.order_number)))) == 300
        assert s.scalar(select(func.count()).select_from(Order)) == 300
    assert len(files_in(ws.outbox("shop"))) == 300
    ws.close()


def _processed(ws: Workspace) -> int:
    try:
        with ws.sessions() as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(InboundFile)
                    .where(InboundFile.outcome == "processed")
                )
                or 0
            )
    except Exception:  # noqa: BLE001 — the server is restarting
        return 0
