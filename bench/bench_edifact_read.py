"""Time pydifact's ``Interchange.from_str`` against ``parsers.edifact.read`` on one big ORDERS.

Builds an interchange of N lines (LIN/PIA/IMD/QTY/PRI each) in memory, times both
readers on the same text in this run – each once per round, ``--repeat`` rounds
(default 3), interleaved so that the machine's load falls on both alike – prints
each one's minimum and median and the ratios (minimum to minimum, median to median),
and measures our peak memory in a fresh subprocess (tracemalloc peak and ru_maxrss).

    python bench/bench_edifact_read.py --lines 100000
    python bench/bench_edifact_read.py --lines 2000 --skip-pydifact
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

# This checkout's parsers, wherever it is run from (the script's folder comes first)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build_orders(lines: int) -> str:
    head = [
        "UNA:+.? '",
        "UNB+UNOC:3+5412345000013:14+4012345000094:14+240101:1200+BENCH1",
        "UNH+1+ORDERS:D:96A:UN:EAN008",
        "BGM+220+PO-BENCH+9",
        "DTM+137:20240101:102",
        "DTM+2:20240115:102",
        "NAD+BY+5412345000013::9",
        "NAD+DP+5412345000020::9",
        "NAD+SU+4012345000094::9",
        "CUX+2:EUR:9",
    ]
    body = []
    for n in range(1, lines + 1):
        gtin = f"400{n:09d}"
        body.append(f"LIN+{n}++{gtin}0:EN")
        body.append(f"PIA+1+SKU-{n:06d}:SA")
        body.append(f"IMD+F++:::Article number {n} blue 500 ml")
        body.append(f"QTY+21:{n % 50 + 1}")
        body.append(f"PRI+AAA:{n % 997 + 1}.25")
    message_segments = len(head) - 2 + len(body) + 3  # UNH…UNT
    tail = ["UNS+S", f"CNT+2:{lines}", f"UNT+{message_segments}+1", "UNZ+1+BENCH1"]
    return head[0] + "\n" + "'\n".join(head[1:] + body + tail) + "'\n"


def _measure_child(lines: int) -> None:
    import resource
    import tracemalloc

    from parsers.edifact import read

    data = build_orders(lines).encode("latin-1")
    gc.collect()
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    result = read(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "peak_mb": peak / 2**20,
                "maxrss_mb": maxrss_kb / 1024,
                "maxrss_before_mb": before_kb / 1024,
                "lines": sum(len(d.lines) for d in result.documents),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--skip-pydifact", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _measure_child(args.lines)
        return

    from pydifact.segmentcollection import Interchange

    from parsers.edifact import read

    text = build_orders(args.lines)
    data = text.encode("latin-1")
    print(
        f"{args.lines:,} lines, {len(data) / 2**20:.1f} MiB, {args.repeat} rounds interleaved, "
        "min and median"
    )

    def ours() -> int:
        result = read(data)
        got = sum(len(d.lines) for d in result.documents)
        assert got == args.lines, f"read {got} lines, expected {args.lines}"
        assert result.interchanges[0].accepted and result.interchanges[0].messages[0].accepted
        return got

    def theirs() -> int:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return len(Interchange.from_str(text).segments)

    runners = {"parsers.edifact.read": (ours, "order lines")}
    if not args.skip_pydifact:
        runners["pydifact Interchange.from_str"] = (theirs, "segments")
    times: dict[str, list[float]] = {name: [] for name in runners}
    counts: dict[str, int] = {}
    for _ in range(args.repeat):  # interleaved: machine load hits both alike
        for name, (run, _unit) in runners.items():
            gc.collect()
            started = time.perf_counter()
            counts[name] = run()
            times[name].append(time.perf_counter() - started)
    for name, (_run, unit) in runners.items():
        runs = times[name]
        print(
            f"{name:30}: min {min(runs):.3f} s, median {statistics.median(runs):.3f} s "
            f"({counts[name]:,} {unit})"
        )
    if not args.skip_pydifact:
        mine, other = times["parsers.edifact.read"], times["pydifact Interchange.from_str"]
        print(
            f"ratio: ours is {min(other) / min(mine):.1f}x faster (min), "
            f"{statistics.median(other) / statistics.median(mine):.1f}x (median)"
        )

    child = subprocess.run(
        [sys.executable, __file__, "--child", "--lines", str(args.lines)],
        capture_output=True,
        text=True,
        check=True,
    )
    memory = json.loads(child.stdout)
    print(
        f"our peak memory: tracemalloc {memory['peak_mb']:.0f} MB during read(); process "
        f"maxrss {memory['maxrss_mb']:.0f} MB ({memory['maxrss_before_mb']:.0f} MB before "
        "read(), building the input)"
    )


if __name__ == "__main__":
    main()
