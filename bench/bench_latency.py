"""Drop-to-reply latency and throughput of the running gateway (``order-gateway run``).

Starts real gateway processes on a fresh workspace (the test catalog; SQLite, or a fresh
PostgreSQL database per run), then:

1. latency, renamed in: small CSV orders written under a dot-name and renamed into the
   inbox one at a time; time from the rename to the acknowledgement appearing in the
   partner's outbox (median, p99);
2. latency, written in place: the same, written straight under their final name (the
   gateway reads them once closed and untouched for the 0.2 s grace);
3. throughput: 2,000 small files renamed in at once; files per second from the first
   drop to the last acknowledgement, the gateway's CPU time a file, and the peak resident
   memory (VmHWM) of its largest process. Where the rest of a file's time goes, from the
   kernel's scheduler statistics of each gateway process's main thread: waiting for a CPU
   (other work on the machine) and blocked (waiting for the server, the disk, a lock);
   on PostgreSQL also the CPU of the server's backends a file (a local server only).

Run from the repository root::

    python bench/bench_latency.py [--files 200] [--bulk 2000] [--workers 1,2] [--rounds 3]
    python bench/bench_latency.py --files 0 --bulk 1000 --workers 1,2 --against /tmp/before
    python bench/bench_latency.py --files 0 --postgres --workers 1,2 --against /tmp/before

``--workers`` is how many ``run`` processes share the workspace (a list: each count is a
case). ``--against DIR`` runs every case with another checkout's code too (e.g. ``git
archive`` of the commit before a change, unpacked), interleaved round by round with this
one, so that before and after meet the same machine load; min and median per case.
``--postgres`` starts a loopback server (``tests/pg.py``: fsync off); ``--database URL``
names a server of yours (a new database is made on it for every run).
"""

from __future__ import annotations

import argparse
import itertools
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy.engine import make_url  # noqa: E402

from gateway.channels.folder.inotify import Kind, open_inotify  # noqa: E402
from tests.gateway.conftest import COFFEE, build_workspace  # noqa: E402

if TYPE_CHECKING:
    import psycopg
from tests.pg import PostgresServer, _bindir  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system time of a live process (and its reaped children), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / TICK


def schedstat(pid: int) -> tuple[float, float]:
    """Seconds on a CPU and seconds runnable but waiting for one, of a live process's main
    thread, from /proc (the rest of its life it was blocked: sleeping on I/O, a lock…)."""
    run, wait, _ = Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()
    return int(run) / 1e9, int(wait) / 1e9


def server_connection(url: str) -> psycopg.Connection:
    """An autocommit connection to the ``postgres`` database of the server of ``url``."""
    import psycopg

    base = make_url(url)
    return psycopg.connect(
        host=base.host, port=base.port, user=base.username, password=base.password,
        dbname="postgres", autocommit=True,
    )  # fmt: skip


def server_cpu(url: str) -> dict[int, float]:
    """CPU seconds of each backend serving the database of ``url``, by pid: empty when the
    server is not on this machine (its processes are not in /proc)."""
    with server_connection(url) as conn:
        pids = [pid for (pid,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [make_url(url).database]
        )]  # fmt: skip
    got = {}
    for pid in pids:
        try:
            got[pid] = cpu_seconds(pid)
        except OSError:
            pass
    return got


def peak_rss_mb(pid: int) -> float:
    """The most resident memory a live process has held (VmHWM), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def order(number: str) -> bytes:
    return f"N° commande;Code-barre;Quantité\n{number};{COFFEE};2\n".encode()


def start(root: Path, n: int, log: Path, tree: Path = REPO) -> list[subprocess.Popen[bytes]]:
    """``n`` gateway processes running ``tree``'s code on the workspace ``root``."""
    procs = []
    env = {**os.environ, "PYTHONPATH": str(tree)}
    for i in range(n):
        err = open(log.with_suffix(f".{i}.log"), "wb")  # noqa: SIM115
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "gateway", "-w", str(root), "--log-level", "info", "run"],
                stderr=err,
                cwd=tree,
                env=env,
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


_RUNS = itertools.count(1)


def new_database(url: str) -> str:
    """A new, empty database on the PostgreSQL server of ``url``; its URL."""
    name = f"bench_latency_{os.getpid()}_{next(_RUNS)}"
    with server_connection(url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def one_run(tree: Path, workers: int, args: argparse.Namespace, server: str | None) -> dict:
    """One fresh workspace served by ``workers`` processes of ``tree``'s code."""
    got: dict = {}
    with tempfile.TemporaryDirectory(prefix="ogw-bench-") as tmp:
        root = Path(tmp) / "ws"
        database = new_database(server) if server else None
        build_workspace(root, database=database).close()
        inbox, outbox = root / "inbox" / "shop", root / "outbox" / "shop"
        procs = start(root, workers, Path(tmp) / "gateway", tree)
        try:
            if args.files:
                got["renamed"] = latency(inbox, outbox, args.files, "mv", renamed=True)
                got["in place"] = latency(inbox, outbox, args.files, "wr", renamed=False)
            if args.bulk:
                cpu0 = sum(cpu_seconds(p.pid) for p in procs)
                sched0 = [schedstat(p.pid) for p in procs]
                served0 = server_cpu(database) if database else {}
                t0 = time.perf_counter()
                got["rate"] = throughput(inbox, outbox, args.bulk)
                wall = time.perf_counter() - t0
                cpu = sum(cpu_seconds(p.pid) for p in procs) - cpu0
                got["cpu_ms"] = cpu / args.bulk * 1000
                ran = waited = 0.0
                for p, (run0, wait0) in zip(procs, sched0, strict=True):
                    run1, wait1 = schedstat(p.pid)
                    ran, waited = ran + run1 - run0, waited + wait1 - wait0
                got["runq_ms"] = waited / args.bulk * 1000
                got["blocked_ms"] = (wall * len(procs) - ran - waited) / args.bulk * 1000
                served = server_cpu(database) if database else {}
                if served:
                    used = sum(c - served0.get(pid, 0.0) for pid, c in served.items())
                    got["server_ms"] = used / args.bulk * 1000
            got["peak_mb"] = max(peak_rss_mb(p.pid) for p in procs)
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(30)
    return got


def show(values: list[float], unit: str, scale: float = 1.0) -> str:
    return f"min {min(values) * scale:.1f} median {statistics.median(values) * scale:.1f} {unit}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200, help="files per latency run")
    ap.add_argument("--bulk", type=int, default=2000, help="files for the throughput run")
    ap.add_argument("--workers", default="1", help="gateway processes, e.g. 1 or 1,2")
    ap.add_argument("--rounds", type=int, default=1, help="repetitions of every case")
    ap.add_argument("--against", type=Path, help="another checkout to compare with")
    ap.add_argument(
        "--database",
        help="SQLAlchemy URL of a PostgreSQL server (a database is made on it per run; "
        "default: the workspace's SQLite file), "
        "e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    )
    ap.add_argument("--postgres", action="store_true", help="start a loopback PostgreSQL")
    args = ap.parse_args()
    trees = {"this": REPO} if args.against is None else {"this": REPO, "other": args.against}
    counts = [int(n) for n in args.workers.split(",")]
    cases = [(name, tree, n) for n in counts for name, tree in trees.items()]
    pg: PostgresServer | None = None
    server = args.database
    if args.postgres:
        bindir = _bindir()
        if bindir is None:
            raise SystemExit("PostgreSQL is not installed")
        folder = Path(tempfile.mkdtemp(prefix="ogw-bench-pg-"))
        os.chmod(folder, 0o755)
        pg = PostgresServer(bindir, folder)
        pg.start()
        server = pg.url()
    engine = "PostgreSQL" if server else "SQLite"
    results: dict[tuple[str, int], list[dict]] = {(name, n): [] for name, _, n in cases}
    try:
        for r in range(args.rounds):
            for name, tree, n in cases:  # interleaved: every case once per round
                got = one_run(tree, n, args, server)
                results[(name, n)].append(got)
                rate = f"{got['rate']:.0f} files/s" if "rate" in got else ""
                print(f"round {r + 1}: {name} ×{n}: {rate}", file=sys.stderr, flush=True)
    finally:
        if pg is not None:
            pg.stop()
            shutil.rmtree(pg.root, ignore_errors=True)
    print(
        f"{engine}; {args.rounds} round(s) interleaved, {os.cpu_count()} CPU(s); "
        + (f"other = {args.against}" if args.against else "")
    )
    for (name, n), runs in results.items():
        who = f"{name} ×{n}" if args.against else f"×{n}"
        if args.files:
            for kind in ("renamed", "in place"):
                medians = [statistics.median(r[kind]) for r in runs]
                print(f"{who:10} latency {kind}: median of runs {show(medians, 'ms', 1000)}")
            if args.rounds == 1:
                print(describe(f"{who} renamed in", runs[0]["renamed"]))
        if args.bulk:
            print(
                f"{who:10} throughput, {args.bulk} files: "
                f"{show([r['rate'] for r in runs], 'files/s')}; gateway CPU "
                f"{show([r['cpu_ms'] for r in runs], 'ms/file')}; peak RSS of a process "
                f"{show([r['peak_mb'] for r in runs], 'MB')}"
            )
            # A file's time in the main threads besides their CPU: waiting for a CPU taken
            # by other work, or blocked (the server's answers, the disk, a lock)
            print(
                f"{'':10} main threads waiting for a CPU "
                f"{show([r['runq_ms'] for r in runs], 'ms/file')}, blocked "
                f"{show([r['blocked_ms'] for r in runs], 'ms/file')}"
                + (
                    f"; server backends' CPU {show([r['server_ms'] for r in runs], 'ms/file')}"
                    if all("server_ms" in r for r in runs)
                    else ""
                )
            )


if __name__ == "__main__":
    main()
