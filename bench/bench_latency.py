"""Drop-to-reply latency and throughput of the running gateway (``order-gateway run``).

Starts real gateway processes on a fresh SQLite workspace (the test catalog), then:

1. latency, renamed in: small CSV orders written under a dot-name and renamed into the
   inbox one at a time; time from the rename to the acknowledgement appearing in the
   partner's outbox (median, p99);
2. latency, written in place: the same, written straight under their final name (the
   gateway reads them once closed and untouched for the 0.2 s grace);
3. throughput: 2,000 small files renamed in at once; files per second from the first
   drop to the last acknowledgement.

Run from the repository root: ``python bench/bench_latency.py [--files 200] [--bulk 2000]
[--workers 2]``. ``--workers`` is how many ``run`` processes share the workspace.
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gateway.channels.folder.inotify import Kind, open_inotify  # noqa: E402
from tests.gateway.conftest import COFFEE, build_workspace  # noqa: E402


def order(number: str) -> bytes:
    return f"N° commande;Code-barre;Quantité\n{number};{COFFEE};2\n".encode()


def start(root: Path, n: int, log: Path) -> list[subprocess.Popen[bytes]]:
    procs = []
    for i in range(n):
        err = open(log.with_suffix(f".{i}.log"), "wb")  # noqa: SIM115
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "gateway", "-w", str(root), "--log-level", "info", "run"],
                stderr=err,
                cwd=REPO,
            )
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        logs = [log.with_suffix(f".{i}.log").read_text() for i in range(n)]
        if all("gateway started" in text for text in logs):
            return procs
        time.sleep(0.05)
    raise SystemExit("the gateway did not start")


def latency(inbox: Path, outbox: Path, count: int, prefix: str, *, renamed: bool) -> list[float]:
    watcher = open_inotify()
    assert watcher is not None, "this benchmark needs inotify"
    watcher.watch(outbox)
    out: list[float] = []
    for i in range(count):
        stem = f"{prefix}{i}"
        data = order(f"{prefix.upper()}-{i}")
        if renamed:
            tmp = inbox / f".{stem}.tmp"
            tmp.write_bytes(data)
            t0 = time.perf_counter()
            tmp.rename(inbox / f"{stem}.csv")
        else:
            with open(inbox / f"{stem}.csv", "wb") as fh:
                fh.write(data)
            t0 = time.perf_counter()
        want = f"ACK_{stem}_"
        while True:
            select.select([watcher.fileno()], [], [], 5)
            events = watcher.read()
            if any(e.kind is Kind.MOVED_IN and e.name.startswith(want) for e in events):
                break
            if time.perf_counter() - t0 > 10:
                raise SystemExit(f"no reply for {stem} after 10 s")
        out.append(time.perf_counter() - t0)
    watcher.close()
    return out


def throughput(inbox: Path, outbox: Path, count: int) -> float:
    before = len(os.listdir(outbox))
    staged = inbox.parent / "staging"
    staged.mkdir()
    for i in range(count):
        (staged / f"bulk{i}.csv").write_bytes(order(f"BULK-{i}"))
    t0 = time.perf_counter()
    for i in range(count):
        os.rename(staged / f"bulk{i}.csv", inbox / f"bulk{i}.csv")
    while len(os.listdir(outbox)) - before < count:
        time.sleep(0.05)
        if time.perf_counter() - t0 > 600:
            raise SystemExit("throughput run did not finish in 10 minutes")
    return count / (time.perf_counter() - t0)


def describe(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * len(ordered))) - 1)]
    return (
        f"{name}: n={len(values)} median={statistics.median(values) * 1000:.1f} ms "
        f"p99={p99 * 1000:.1f} ms max={ordered[-1] * 1000:.1f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200, help="files per latency run")
    ap.add_argument("--bulk", type=int, default=2000, help="files for the throughput run")
    ap.add_argument("--workers", type=int, default=1, help="gateway processes")
    ap.add_argument(
        "--database",
        help="SQLAlchemy URL of an empty database (default: the workspace's SQLite file), "
        "e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ogw-bench-") as tmp:
        root = Path(tmp) / "ws"
        build_workspace(root, database=args.database).close()
        inbox, outbox = root / "inbox" / "shop", root / "outbox" / "shop"
        procs = start(root, args.workers, Path(tmp) / "gateway")
        try:
            if args.files:
                print(
                    describe("renamed in", latency(inbox, outbox, args.files, "mv", renamed=True))
                )
                print(
                    describe(
                        "written in place", latency(inbox, outbox, args.files, "wr", renamed=False)
                    )
                )
            if args.bulk:
                rate = throughput(inbox, outbox, args.bulk)
                print(
                    f"throughput: {args.bulk} files, {rate:.0f} files/s "
                    f"with {args.workers} gateway process(es) on "
                    f"{'PostgreSQL' if args.database else 'SQLite'}"
                )
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(30)


if __name__ == "__main__":
    main()
