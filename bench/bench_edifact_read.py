"""Time pydifact's ``Interchange.from_str`` against ``parsers.edifact.read`` on one big ORDERS.

Builds an interchange of N lines (LIN/PIA/IMD/QTY/PRI each) and times each reader on the
same text, ``--repeat`` rounds (default 3) interleaved so that the machine's load falls
on all alike.  Each reader runs in a process of its own that builds the text once and
then reads it once per round when told to (so no reader inherits another's heap);
``--against DIR`` adds the ``parsers`` of another checkout (e.g. ``git archive`` of an
earlier commit, unpacked) as one more reader.  Prints each one's minimum and median,
the ratios to pydifact (minimum to minimum, median to median), and each checkout's
peak memory in a fresh process (tracemalloc peak and ru_maxrss).

    python bench/bench_edifact_read.py --lines 100000
    python bench/bench_edifact_read.py --against /tmp/before
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

REPO = Path(__file__).resolve().parents[1]
# The checkout whose parsers are read: this one, or the one a reader process is given
if "--code" in sys.argv:
    sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1])
else:
    sys.path.insert(0, str(REPO))


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


def _serve(reader: str, lines: int) -> None:
    """Build the text, then time one read of it for every line on stdin."""
    text = build_orders(lines)
    if reader == "pydifact":
        from pydifact.segmentcollection import Interchange

        def run() -> int:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return len(Interchange.from_str(text).segments)
    else:
        from parsers.edifact import read

        data = text.encode("latin-1")

        def run() -> int:
            result = read(data)
            got = sum(len(d.lines) for d in result.documents)
            assert got == lines, f"read {got} lines, expected {lines}"
            assert result.interchanges[0].accepted and result.interchanges[0].messages[0].accepted
            return got

    import parsers

    print("ready", Path(parsers.__file__).resolve(), flush=True)
    for _ in sys.stdin:
        gc.collect()
        started = time.perf_counter()
        count = run()
        seconds = time.perf_counter() - started
        print(json.dumps({"seconds": seconds, "count": count}), flush=True)


class _Reader:
    """One reader's process (see :func:`_serve`)."""

    def __init__(self, reader: str, code: Path, lines: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", reader, "--code", str(code), "--lines",
             str(lines)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        self.times: list[float] = []
        self.count = 0

    def ready(self, code: Path) -> None:
        answer = self.stdout.readline().split()
        if not answer or answer[0] != "ready":
            raise SystemExit("a reader process failed to start")
        if not Path(answer[1]).is_relative_to(code):
            raise SystemExit(f"a reader process read {answer[1]}, not the code in {code}")

    def run(self) -> None:
        self.stdin.write("run\n")
        self.stdin.flush()
        answer = json.loads(self.stdout.readline())
        self.times.append(answer["seconds"])
        self.count = answer["count"]

    def close(self) -> None:
        self.stdin.close()
        self.proc.wait()


def _peak(code: Path, lines: int) -> dict:
    child = subprocess.run(
        [sys.executable, __file__, "--child", "--code", str(code), "--lines", str(lines)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(child.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--skip-pydifact", action="store_true")
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, default=REPO, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _measure_child(args.lines)
        return
    if args.serve:
        _serve(args.serve, args.lines)
        return

    #: label → (reader, checkout)
    contenders = {"parsers.edifact.read": ("ours", REPO)}
    if args.against:
        contenders["before (--against)"] = ("ours", args.against.resolve())
    if not args.skip_pydifact:
        contenders["pydifact Interchange.from_str"] = ("pydifact", REPO)
    size = len(build_orders(args.lines).encode("latin-1"))
    print(
        f"{args.lines:,} lines, {size / 2**20:.1f} MiB, {args.repeat} rounds interleaved, "
        "min and median"
    )
    readers = {name: _Reader(kind, code, args.lines) for name, (kind, code) in contenders.items()}
    for name, reader in readers.items():
        reader.ready(contenders[name][1])
    for _ in range(args.repeat):  # interleaved: machine load hits all alike
        for reader in readers.values():
            reader.run()
    for reader in readers.values():
        reader.close()
    for name, reader in readers.items():
        unit = "segments" if contenders[name][0] == "pydifact" else "order lines"
        runs = reader.times
        print(
            f"{name:30}: min {min(runs):.3f} s, median {statistics.median(runs):.3f} s "
            f"({reader.count:,} {unit})"
        )
    if not args.skip_pydifact:
        other = readers["pydifact Interchange.from_str"].times
        for name, reader in readers.items():
            if contenders[name][0] == "ours":
                print(
                    f"ratio, {name}: {min(other) / min(reader.times):.1f}x faster (min), "
                    f"{statistics.median(other) / statistics.median(reader.times):.1f}x (median)"
                )
    for name, (reader_kind, code) in contenders.items():
        if reader_kind != "ours":
            continue
        memory = _peak(code, args.lines)
        print(
            f"peak memory, {name}: tracemalloc {memory['peak_mb']:.0f} MB during read(); "
            f"process maxrss {memory['maxrss_mb']:.0f} MB ({memory['maxrss_before_mb']:.0f} MB "
            "before read(), building the input)"
        )


if __name__ == "__main__":
    main()
