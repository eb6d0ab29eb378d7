"""Time our X12 reader against pyx12's X12Reader on one large 850, side by side.

Builds an 850 with N lines (PO1 + PID each), then, on the same bytes:

* ``bare split``      – ``str.split`` on the terminator, then on the element separator,
  keeping the lists (a floor; the cyclic GC runs, as it would in a caller's code);
* ``pyx12 raw``       – ``pyx12.rawx12file.RawX12File``: segment strings only, no checks;
* ``pyx12 X12Reader``, three ways – ``pyx12.x12file.X12Reader`` tokenising every
  segment into a ``Segment`` and checking the ISA/GS/ST loops and trailer counts, then
  ``cleanup()`` and ``pop_errors()``:

  - ``discarded``: each segment dropped as soon as it is read (a count);
  - ``kept``: the segments kept in a list, as a caller that goes on to use them does,
    with the cyclic collector running as it does by default – the "about 5 s" the
    issue names for pyx12 on these bytes.  The headline ratio is against this one:
    both sides end holding the whole file in memory;
  - ``kept, collector paused``: the same inside ``parsers.gc_pause.paused_gc``, the
    way ``parsers.x12.read`` pauses it for itself – what pyx12 costs a caller who
    knows that trick;
* ``ours segments``   – ``parsers.x12.segments``: our tokeniser alone, for context;
* ``ours read``       – ``parsers.x12.read`` all the way to OrderDocuments, with its
  envelope reports and every check (it pauses the cyclic GC while it builds them).

Every reader runs once per round, ``--repeat`` rounds (default 3), interleaved so that
the shared machine's load falls on all alike; each gets its minimum and median, and the
ratios compare minimum with minimum and median with median.
Peak memory is tracemalloc's peak during one ``read()`` – and during one "kept" pyx12
run – each in a fresh process, so nothing measured before it is counted.

``--against DIR`` (e.g. ``git archive`` of an earlier commit, unpacked) times that
checkout's ``read`` too, as ``before read``: a child process running DIR's code reads
the same bytes once per round, interleaved with the others, and its peak memory is
measured the same way.

Run by hand:  python bench/bench_x12_read.py --lines 100000
              python bench/bench_x12_read.py --against /tmp/before
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# This checkout's parsers, wherever it is run from (the script's folder comes first), or
# the code a child is given (--against's checkout)
if "--code" in sys.argv:
    sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1])
else:
    sys.path.insert(0, str(REPO))

from parsers.gc_pause import paused_gc  # noqa: E402
from parsers.x12 import X12ReadResult, read, segments  # noqa: E402


def build_850(lines: int) -> bytes:
    segments = [
        "ISA*00*          *00*          *ZZ*BUYER          *ZZ*SUPPLIER       "
        "*240101*1200*U*00401*000000001*0*P*>",
        "GS*PO*BUYER*SUPPLIER*20240101*1200*1*X*004010",
        "ST*850*0001",
        "BEG*00*SA*PO-BENCH**20240101",
        "N1*BY*BENCH BUYER*UL*5412345000013",
        "N1*ST*BENCH SITE*UL*5412345000020",
    ]
    for n in range(1, lines + 1):
        segments.append(f"PO1*{n}*{n % 50 + 1}*EA*{n % 997}.25**UP*{n:012d}*VN*SKU-{n}")
        segments.append(f"PID*F****PRODUCT NUMBER {n}")
    hash_total = sum(n % 50 + 1 for n in range(1, lines + 1))
    segments.append(f"CTT*{lines}*{hash_total}")
    body = len(segments) - 2 + 1  # ST..CTT plus SE
    segments += [f"SE*{body}*0001", "GE*1*1", "IEA*1*000000001"]
    return ("~\n".join(segments) + "~\n").encode("ascii")


# Each runner returns what it built; the timer stops before that is counted and freed
# (freeing 100,000 order lines is the caller's cost, not the reader's).


def bare_split(data: bytes) -> list[list[str]]:
    return [s.split("*") for s in data.decode("ascii").split("~") if s.strip()]


def pyx12_raw(data: bytes) -> int:
    from pyx12.rawx12file import RawX12File

    return sum(1 for _ in RawX12File(io.StringIO(data.decode("ascii"))))


def pyx12_discarded(data: bytes) -> int:
    from pyx12.x12file import X12Reader

    reader = X12Reader(io.StringIO(data.decode("ascii")))
    count = sum(1 for _ in reader)
    reader.cleanup()  # the end-of-file loop checks belong to its validation
    errors = reader.pop_errors()
    assert not errors, errors[:3]
    return count


def pyx12_kept(data: bytes) -> list[object]:
    from pyx12.x12file import X12Reader

    reader = X12Reader(io.StringIO(data.decode("ascii")))
    kept = list(reader)
    reader.cleanup()
    errors = reader.pop_errors()
    assert not errors, errors[:3]
    return kept


def pyx12_kept_paused(data: bytes) -> list[object]:
    with paused_gc():
        return pyx12_kept(data)


def interleaved(
    runners: dict[str, tuple[Callable[[bytes], object], Callable[[object], int]]],
    data: bytes,
    repeat: int,
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Every runner once per round, ``repeat`` rounds: machine load hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in runners}
    counts: dict[str, int] = {}
    for _ in range(repeat):
        for name, (run, count) in runners.items():
            gc.collect()  # start each run from the same heap, not the previous run's garbage
            started = time.perf_counter()
            built = run(data)
            times[name].append(time.perf_counter() - started)
            counts[name] = count(built)
            del built
    return times, counts


def _order_lines(result: object) -> int:
    assert isinstance(result, X12ReadResult)
    assert not result.problems(), result.problems()[:3]
    return sum(len(d.lines) for d in result.documents)


def _measure_child(lines: int, what: str) -> None:
    import tracemalloc

    data = build_850(lines)
    gc.collect()
    tracemalloc.start()
    result = read(data) if what == "ours" else pyx12_kept(data)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    print(json.dumps({"peak": peak, "retained": current}))


def _serve_reads(lines: int) -> None:
    """Read the bench's bytes once per line on stdin; answer each with the time taken."""
    data = build_850(lines)
    print("ready", flush=True)
    for _ in sys.stdin:
        gc.collect()
        started = time.perf_counter()
        built = read(data)
        seconds = time.perf_counter() - started
        print(json.dumps({"seconds": seconds, "lines": _order_lines(built)}), flush=True)
        del built


class _OtherCheckout:
    """``read`` of another checkout, in a child process that reads when asked."""

    def __init__(self, code: Path, lines: int) -> None:
        self.child = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--lines", str(lines), "--code", str(code)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.child.stdout is not None and self.child.stdin is not None
        self.stdin, self.stdout = self.child.stdin, self.child.stdout
        assert self.stdout.readline().strip() == "ready"
        self.seconds: list[float] = []

    def run(self, _data: bytes) -> int:
        self.stdin.write("go\n")
        self.stdin.flush()
        answer = json.loads(self.stdout.readline())
        self.seconds.append(answer["seconds"])
        return int(answer["lines"])

    def close(self) -> None:
        self.stdin.close()
        self.child.wait()


def _peak_memory(lines: int, what: str, code: Path = REPO) -> dict[str, int]:
    child = subprocess.run(
        [sys.executable, __file__, "--child", what, "--lines", str(lines), "--code", str(code)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(child.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000, help="PO1 lines (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--child", choices=("ours", "pyx12"), help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, default=REPO, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _measure_child(args.lines, args.child)
        return
    if args.serve:
        _serve_reads(args.lines)
        return
    data = build_850(args.lines)
    print(
        f"850 with {args.lines:,} lines: {len(data) / 1e6:.1f} MB, {args.repeat} rounds "
        "interleaved, min and median"
    )
    runners: dict[str, tuple[Callable[[bytes], object], Callable[[object], int]]] = {
        "bare split": (bare_split, len),
        "pyx12 RawX12File": (pyx12_raw, int),
        "pyx12 X12Reader, discarded": (pyx12_discarded, int),
        "pyx12 X12Reader, kept": (pyx12_kept, len),
        "pyx12 X12Reader, kept, gc paused": (pyx12_kept_paused, len),
        "ours segments": (segments, len),
        "ours read": (read, _order_lines),
    }
    other = None if args.against is None else _OtherCheckout(args.against.resolve(), args.lines)
    if other is not None:
        runners["before read"] = (other.run, int)
    times, counts = interleaved(runners, data, args.repeat)
    if other is not None:
        # the child's own clock: what its read took, without the round trip
        times["before read"] = other.seconds
        other.close()
    units = {
        "ours read": "order lines",
        "before read": "order lines",
        "pyx12 RawX12File": "segment strings",
    }
    for name, runs in times.items():
        print(
            f"{name:33}: min {min(runs):6.3f} s, median {statistics.median(runs):6.3f} s "
            f"({counts[name]:,} {units.get(name, 'segments')})"
        )
    ours = times["ours read"]

    def ratio(name: str, reader: str = "ours read") -> str:
        mine = times[reader]
        by_min = min(times[name]) / min(mine)
        by_median = statistics.median(times[name]) / statistics.median(mine)
        return f"{by_min:5.1f}x (min) {by_median:5.1f}x (median)"

    for reader in ("ours read", "before read") if other is not None else ("ours read",):
        who = "" if other is None else f"{reader.split()[0]}: "
        for label, name in (
            ("pyx12 X12Reader, kept", "pyx12 X12Reader, kept"),
            ("  the same, collector paused", "pyx12 X12Reader, kept, gc paused"),
            ("  X12Reader, discarded (streaming)", "pyx12 X12Reader, discarded"),
        ):
            print(f"{who}speed-up vs {label:34}: {ratio(name, reader)}")
    if other is not None:
        print(f"ours vs before                   : {ratio('before read')}")
    print(
        f"read takes {min(ours) / min(times['pyx12 RawX12File']):.1f}x RawX12File's time "
        f"and {min(ours) / min(times['bare split']):.1f}x a bare split's (min)"
    )
    ours = _peak_memory(args.lines, "ours")
    theirs = _peak_memory(args.lines, "pyx12")
    print(
        f"peak memory                      : {ours['peak'] / 1e6:6.1f} MB during read() "
        f"({ours['retained'] / 1e6:.1f} MB retained); pyx12 kept: "
        f"{theirs['peak'] / 1e6:.1f} MB (tracemalloc, a fresh process each)"
    )
    if args.against is not None:
        before = _peak_memory(args.lines, "ours", args.against.resolve())
        print(
            f"peak memory before               : {before['peak'] / 1e6:6.1f} MB during read() "
            f"({before['retained'] / 1e6:.1f} MB retained)"
        )


if __name__ == "__main__":
    main()
