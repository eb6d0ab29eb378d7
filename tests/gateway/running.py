"""Helpers for tests that run the real gateway: ``python -m gateway -w WS run`` as a process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from gateway.store.models import InboundFile, Order, OutgoingMessage
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE

REPO = Path(__file__).resolve().parents[2]


def order(number: str, lines: int = 1) -> bytes:
    rows = "".join(f"{number};{COFFEE};{n + 1}\n" for n in range(lines))
    return f"N° commande;Code-barre;Quantité\n{rows}".encode()


def drop_renamed(inbox: Path, name: str, data: bytes) -> Path:
    """Write under a dot-name, then rename in: what a careful uploader does."""
    tmp = inbox / f".{name}.tmp"
    tmp.write_bytes(data)
    target = inbox / name
    tmp.rename(target)
    return target


class Gateway:
    """One running ``order-gateway run``; its log is kept for assertions and failures."""

    def __init__(
        self,
        root: Path,
        *args: str,
        log: Path | None = None,
        options: tuple[str, ...] = ("--log-level", "info"),
    ) -> None:
        """``options``: the global options before ``run`` (``()``: the defaults)."""
        self.log = log or root.parent / f"gateway-{time.monotonic_ns()}.log"
        self._offset = self.log.stat().st_size if self.log.exists() else 0
        self._err = open(self.log, "ab")  # noqa: SIM115 — closed in wait()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gateway", "-w", str(root), *options, "run", *args],
            stdout=subprocess.DEVNULL,
            stderr=self._err,
            cwd=REPO,
        )

    def log_text(self) -> str:
        """What this process logged (a log file may be shared by successive processes)."""
        with open(self.log, "rb") as fh:
            fh.seek(self._offset)
            return fh.read().decode("utf-8", errors="replace")

    def wait_started(self, timeout: float = 30) -> Gateway:
        if not wait_for(
            lambda: "gateway started" in self.log_text() or self.proc.poll() is not None, timeout
        ):
            raise AssertionError(f"gateway did not start:\n{self.log_text()}")
        assert self.proc.poll() is None, self.log_text()
        return self

    def terminate(self, timeout: float = 30) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.wait(30)

    def wait(self, timeout: float = 30) -> int:
        try:
            return self.proc.wait(timeout)
        finally:
            self._err.close()

    def __enter__(self) -> Gateway:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.wait()


def wait_for(predicate: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def files_in(folder: Path) -> list[Path]:
    """Every visible file below ``folder`` (dot-names are writers' temporaries)."""
    if not folder.is_dir():
        return []
    return [Path(d) / f for d, _, names in os.walk(folder) for f in names if not f.startswith(".")]


def archived(ws: Workspace, partner: str) -> list[Path]:
    return files_in(ws.root / "archive" / partner)


def replies(ws: Workspace, partner: str) -> list[Path]:
    return files_in(ws.outbox(partner))


def counts(ws: Workspace) -> dict[str, int]:
    with ws.sessions() as s:
        return {
            "inbound": s.scalar(select(func.count()).select_from(InboundFile)),
            "inbound_names": s.scalar(select(func.count(func.distinct(InboundFile.name)))),
            "orders": s.scalar(select(func.count()).select_from(Order)),
            "order_numbers": s.scalar(select(func.count(func.distinct(Order.order_number)))),
            "messages": s.scalar(select(func.count()).select_from(OutgoingMessage)),
            "unsent": s.scalar(
                select(func.count())
                .select_from(OutgoingMessage)
                .where(OutgoingMessage.sent_at.is_(None))
            ),
        }
