"""Time pydifact's ``Interchange.from_str`` against ``parsers.edifact.read`` on one big ORDERS.

Builds an interchange of N lines (LIN/PIA/IMD/QTY/PRI each) in memory, times both
readers on the same text in this run, prints the ratio, and measures our peak memory
in a fresh subprocess (tracemalloc peak and ru_maxrss).

    python bench/bench_edifact_read.py --lines 100000
    python bench/bench_edifact_read.py --lines 2000 --skip-pydifact
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
import warnings


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
    parser.add_argument("--skip-pydifact", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _measure_child(args.lines)
        return

    from parsers.edifact import read

    text = build_orders(args.lines)
    data = text.encode("latin-1")
    print(f"{args.lines} lines, {len(data) / 2**20:.1f} MiB")

    gc.collect()
    start = time.perf_counter()
    result = read(data)
    ours = time.perf_counter() - start
    got = sum(len(d.lines) for d in result.documents)
    assert got == args.lines, f"read {got} lines, expected {args.lines}"
    assert result.interchanges[0].accepted and result.interchanges[0].messages[0].accepted
    print(f"parsers.edifact.read -> {got} order lines: {ours:.3f} s")

    if not args.skip_pydifact:
        from pydifact.segmentcollection import Interchange

        del result
        gc.collect()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            interchange = Interchange.from_str(text)
            theirs = time.perf_counter() - start
        print(
            f"pydifact Interchange.from_str -> {len(interchange.segments)} segments: {theirs:.3f} s"
        )
        print(f"ratio: ours is {theirs / ours:.1f}x faster")
        del interchange

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
