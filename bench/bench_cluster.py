"""Cluster mode on PostgreSQL: files/s with 1, 2 and 4 worker processes, CPU time per file,
and drop-to-reply latency, beside the single process (``order-gateway run``) on the same
server — side by side in one run, interleaved, each configuration on a fresh database.

Starts its own PostgreSQL on loopback (``tests/pg.py``: fsync off) and, per configuration
and repetition, a fresh workspace with the test catalog, then:

1. latency (one worker, or the single process, idle): small CSV orders renamed into the
   inbox one at a time; time from the rename to the acknowledgement in the outbox;
2. throughput: ``--bulk`` small files renamed in at once; files per second from the first
   drop to the last acknowledgement; CPU time (user + system) of the gateway's processes
   divided by the files.

Run from the repository root: ``python bench/bench_cluster.py [--bulk 300] [--files 10]
[--reps 3]``. Prints min and median of each figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from bench_latency import cpu_seconds, latency, throughput  # noqa: E402

from tests.gateway.cluster_support import cluster_config  # noqa: E402
from tests.gateway.conftest import CONFIG, build_workspace  # noqa: E402
from tests.pg import PostgresServer, _bindir  # noqa: E402


def start(root: Path, mode: str, n: int, log: Path) -> list[subprocess.Popen[bytes]]:
    command = ["run"] if mode == "single" else ["worker", "--node", "bench"]
    procs = []
    for i in range(n):
        err = open(log.with_suffix(f".{i}.log"), "wb")  # noqa: SIM115 — the child holds it
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "gateway", "-w", str(root), "--log-level", "info", *command],
                stderr=err,
                cwd=REPO,
            )  # fmt: skip
        )
    banner = "gateway started" if mode == "single" else "worker started"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        logs = [log.with_suffix(f".{i}.log").read_text() for i in range(n)]
        if all(banner in text for text in logs):
            return procs
        time.sleep(0.05)
    raise SystemExit("the gateway did not start:\n" + "\n".join(logs))


def one_run(
    server: PostgresServer, mode: str, n: int, bulk: int, files: int, tmp: Path
) -> dict[str, float | list[float]]:
    root = tmp / f"{mode}-{n}-{time.monotonic_ns()}"
    config = CONFIG if mode == "single" else cluster_config()
    ws = build_workspace(root, database=server.new_database(), config=config)
    ws.node = "bench"
    ws.close()
    procs = start(root, mode, n, root / "gateway")
    try:
        inbox, outbox = root / "inbox" / "shop", root / "outbox" / "shop"
        lat = latency(inbox, outbox, files, "lat", renamed=True) if n == 1 and files else []
        cpu0 = sum(cpu_seconds(p.pid) for p in procs)
        rate = throughput(inbox, outbox, bulk)
        cpu = sum(cpu_seconds(p.pid) for p in procs) - cpu0
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(60)
    shutil.rmtree(root, ignore_errors=True)
    return {"rate": rate, "cpu_ms": cpu / bulk * 1000, "latency": lat}


def show(values: list[float], unit: str) -> str:
    return f"min {min(values):.1f} median {statistics.median(values):.1f} {unit}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bulk", type=int, default=300)
    ap.add_argument("--files", type=int, default=10, help="files for the latency figure")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    bindir = _bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL is not installed")
    tmp = Path(tempfile.mkdtemp(prefix="ogw-bench-cluster-"))
    os.chmod(tmp, 0o755)
    (tmp / "pg").mkdir()
    os.chmod(tmp / "pg", 0o755)
    server = PostgresServer(bindir, tmp / "pg")
    server.start()
    configs = [("single", 1), ("cluster", 1), ("cluster", 2), ("cluster", 4)]
    results: dict[tuple[str, int], list[dict]] = {c: [] for c in configs}
    try:
        for rep in range(args.reps):
            for mode, n in configs:  # interleaved: every configuration once per round
                got = one_run(server, mode, n, args.bulk, args.files, tmp)
                results[(mode, n)].append(got)
                print(f"round {rep + 1}: {mode} ×{n}: {got}", file=sys.stderr, flush=True)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.bulk} files per run, {args.reps} runs each, interleaved; min / median")
    for (mode, n), runs in results.items():
        name = "run (single process)" if mode == "single" else f"worker ×{n}"
        line = (
            f"{name:22} throughput {show([r['rate'] for r in runs], 'files/s')}; "
            f"CPU {show([r['cpu_ms'] for r in runs], 'ms/file')}"
        )
        lat = [x * 1000 for r in runs for x in r["latency"]]
        if lat:
            line += f"; drop-to-reply {show(lat, 'ms')}"
        print(line)


if __name__ == "__main__":
    main()
