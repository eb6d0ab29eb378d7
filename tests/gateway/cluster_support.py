"""Cluster-mode workspaces for tests: each "machine" a workspace folder of its own on one
real PostgreSQL, and the jobs run by a real procrastinate worker (in this process, until
the queues are empty, or as ``order-gateway worker`` processes)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from gateway.daemon.jobs import build_app
from gateway.daemon.pollers import Pollers
from gateway.workspace import Workspace
from tests.gateway.conftest import CONFIG, build_workspace

REPO = Path(__file__).resolve().parents[2]


def cluster_config(extra: str = "", partners: str = CONFIG) -> str:
    return f"""
[cluster]
enabled = true
stalled_after = 4
{extra}
{partners}
"""


def cluster_workspace(root: Path, database: str, node: str, **kw: str) -> Workspace:
    ws = build_workspace(root, database=database, config=cluster_config(**kw))
    ws.node = node
    return ws


def run_jobs(ws: Workspace, *queues: str) -> None:
    """Run every job waiting (and those they defer) in this process, then return."""
    pollers = Pollers(ws)
    app = build_app(ws, pollers)
    try:
        app.run_worker(
            queues=list(queues) or None,
            wait=False,
            install_signal_handlers=False,
            listen_notify=False,
        )
    finally:
        pollers.close()


def jobs(ws: Workspace, task: str | None = None) -> list[tuple[str, str, str]]:
    """(task, queue, status) of every job, oldest first."""
    with ws.sessions() as s:
        rows = s.execute(
            text("SELECT task_name, queue_name, status FROM procrastinate_jobs ORDER BY id")
        ).all()
    return [tuple(r) for r in rows if task is None or r[0] == task]  # type: ignore[misc]


def start_worker(root: Path, node: str, log: Path, *args: str) -> subprocess.Popen[bytes]:
    """``order-gateway worker`` as a process of its own (a machine's worker)."""
    out = open(log, "ab")  # noqa: SIM115 — the child holds it
    return subprocess.Popen(
        [sys.executable, "-m", "gateway", "-w", str(root), "--log-level", "info",
         "worker", "--node", node, *args],
        stdout=subprocess.DEVNULL, stderr=out, cwd=REPO,
    )  # fmt: skip


def wait_until(predicate, timeout: float, interval: float = 0.2) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
