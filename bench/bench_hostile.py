"""Peak memory and time of the large and hostile files of issue 15 (items 3 and 4),
before and after, side by side in one run.

Each case is one file processed by ``order-gateway process FILE --partner P --json`` in a
fresh copy of the test workspace, as a process of its own; its peak memory is the
largest proportional resident size (Pss: shared pages split between their sharers) the
process tree reached, sampled from /proc every 10 ms, the workbook reader's child
included. "before" is the code of ``--before REV`` (default:
the commit this work started from), unpacked with ``git archive`` into a temporary
folder; "after" is this checkout. Runs are interleaved (before, after, before, after…),
``--repeat`` times each (at least 3); min and median are shown. A run past ``--timeout``
seconds is stopped and shown as ``>T``.

Run from the repository root: ``python bench/bench_hostile.py [--repeat 3] [--timeout 60]
[--cases NAME,…] [--before REV]``.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.gateway.conftest import COFFEE, build_workspace  # noqa: E402
from tests.gateway.lifecycle_support import EDI_CONFIG, edifact_order  # noqa: E402
from tests.parsers.workbook_xml import number, one_huge_string, order_rows, workbook  # noqa: E402

BASE = "c406a95"


def sheet_of_rows(rows: int) -> bytes:
    """An honest workbook of ``rows`` order lines (about 14.8 bytes a row zipped)."""
    body = order_rows((COFFEE, str(1 + n % 9)) for n in range(rows))
    return workbook(body)


def csv_orders(orders: int) -> bytes:
    rows = "".join(f"PO-{n};{COFFEE};1\n" for n in range(orders))
    return ("N° commande;Code-barre;Quantité\n" + rows).encode()


#: One cell at Z2000000: a 2 KB file whose used range is 52 million cells
FAR_ROW = f'<row r="2000000">{number("Z2000000", "1")}</row>'


def long_lines(lines: int) -> bytes:
    """A CSV near ``max_file_size`` and ``max_lines`` at once: 50 orders, long comments."""
    rows = "".join(f"PO-{n % 50};{COFFEE};1;{'x' * 200}\n" for n in range(lines))
    return ("N° commande;Code-barre;Quantité;Commentaire\n" + rows).encode()


CASES: dict[str, tuple[str, str, Callable[[], bytes]]] = {
    # name: (partner, file name, bytes)
    "xlsx-cell-Z2000000": (
        "shop",
        "z.xlsx",
        lambda: workbook(
            order_rows([(COFFEE, "1")]) + f'<row r="2000000">{number("Z2000000", "1")}</row>'
        ),
    ),
    "xlsx-250MB-shared-string": (
        "shop",
        "s.xlsx",
        lambda: workbook(order_rows([(COFFEE, "1")]), shared_strings=one_huge_string(250_000_000)),
    ),
    "xlsx-1M-rows": ("shop", "m.xlsx", lambda: sheet_of_rows(1_000_000)),
    "xlsx-99k-rows": ("shop", "k.xlsx", lambda: sheet_of_rows(99_000)),
    "xlsx-49k-rows": ("shop", "h.xlsx", lambda: sheet_of_rows(49_000)),
    "csv-5MB-empty-lines": ("shop", "e.csv", lambda: csv_orders(1) + b"\r\n" * 2_500_000),
    "edifact-5000-interchanges": (
        "edi",
        "i.edi",
        lambda: b"".join(edifact_order(f"PO-{n}", COFFEE, 1, ref=f"R{n}") for n in range(5_000)),
    ),
    "csv-10000-orders": ("shop", "o10k.csv", lambda: csv_orders(10_000)),
    "csv-44MB-at-the-line-bound": ("shop", "big.csv", lambda: long_lines(199_000)),
    "csv-100000-orders": ("shop", "o100k.csv", lambda: csv_orders(100_000)),
}


def tree_rss(root: int) -> int:
    """Proportional resident bytes (Pss) of ``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            # Pss: a page shared by the fork server and its reader child counts once
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                for line in fh:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, IndexError, ValueError):
            continue
    return total


def run_once(code: Path, template: Path, partner: str, file: Path, timeout: float):  # noqa: ANN201
    """(seconds or None if stopped, peak bytes, outcome) of one run in a fresh workspace."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        shutil.copytree(template, ws)
        env = {**os.environ, "PYTHONPATH": str(code)}
        cmd = [sys.executable, "-m", "gateway", "-w", str(ws), "process", str(file)]
        printed = open(Path(tmp) / "out.json", "w+b")  # noqa: SIM115 — a pipe would fill up
        started = time.perf_counter()
        proc = subprocess.Popen(
            [*cmd, "--partner", partner, "--json"],
            cwd=code,
            env=env,
            stdout=printed,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopped whole, readers included
        )
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc.pid))
            if time.perf_counter() - started > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                printed.close()
                return None, peak, "stopped"
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        printed.seek(0)
        out = printed.read().decode(errors="replace")
        printed.close()
        outcome = "failed" if '"failed"' in out else ("processed" if "processed" in out else "?")
        return seconds, peak, outcome


def unpack(rev: str, into: Path) -> Path:
    data = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", rev], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def shown(values: list[float | None], timeout: float, fmt: str) -> str:
    done = [v for v in values if v is not None]
    if len(done) < len(values):
        return f">{timeout:.0f}s" if not done else f"{fmt.format(min(done))} (+stops)"
    return f"{fmt.format(min(done))} / {fmt.format(statistics.median(done))}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--before", default=BASE, help="git revision of the 'before' code")
    args = ap.parse_args()
    if args.repeat < 3:
        ap.error("--repeat must be at least 3")
    work = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    try:
        codes = {"before": unpack(args.before, work / "before"), "after": REPO}
        template = work / "template"
        build_workspace(template, config=EDI_CONFIG).close()
        head = f"{'case':28} {'code':7} {'time min / median':>22} {'peak MB min / median':>22}"
        print(head + "  outcome")
        for name in args.cases.split(","):
            partner, file_name, make = CASES[name]
            file = work / file_name
            file.write_bytes(make())
            results: dict[str, list[tuple[float | None, int, str]]] = {k: [] for k in codes}
            for _ in range(args.repeat):
                for label, code in codes.items():  # interleaved
                    results[label].append(run_once(code, template, partner, file, args.timeout))
            for label, runs in results.items():
                times = [r[0] for r in runs]
                peaks: list[float | None] = [r[1] / 1e6 for r in runs]
                outcome = ",".join(sorted({r[2] for r in runs}))
                print(
                    f"{name:28} {label:7} {shown(times, args.timeout, '{:.2f}s'):>22} "
                    f"{shown(peaks, args.timeout, '{:.0f}'):>22}  {outcome}  "
                    f"({file.stat().st_size:,} bytes)"
                )
            file.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
