"""Time our X12 reader against pyx12's raw reader on one large 850.

Builds an 850 with N lines (PO1 + PID each), then, on the same bytes:

* ``bare split``  – ``str.split`` on the terminator and the element separator (a floor);
* ``pyx12``       – ``pyx12.rawx12file.RawX12File`` (segment strings only) and
  ``pyx12.x12file.X12Reader`` iterating every segment (tokenising and
  envelope checks only, no mapping);
* ``ours``        – ``parsers.x12.read`` all the way to OrderDocuments, plus its peak
  memory (tracemalloc).

Run by hand:  python bench/bench_x12_read.py --lines 100000
"""

from __future__ import annotations

import argparse
import gc
import io
import time
import tracemalloc

from parsers.x12 import read


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


def time_bare_split(data: bytes) -> float:
    started = time.perf_counter()
    count = sum(1 for s in data.decode("ascii").split("~") if s.strip() and s.split("*"))
    elapsed = time.perf_counter() - started
    assert count > 0
    return elapsed


def time_pyx12(data: bytes) -> tuple[float, int]:
    from pyx12.x12file import X12Reader

    started = time.perf_counter()
    reader = X12Reader(io.StringIO(data.decode("ascii")))
    count = sum(1 for _ in reader)
    return time.perf_counter() - started, count


def time_pyx12_raw(data: bytes) -> tuple[float, int]:
    from pyx12.rawx12file import RawX12File

    started = time.perf_counter()
    count = sum(1 for _ in RawX12File(io.StringIO(data.decode("ascii"))))
    return time.perf_counter() - started, count


def time_ours(data: bytes) -> tuple[float, int, int]:
    started = time.perf_counter()
    result = read(data)
    elapsed = time.perf_counter() - started
    lines = sum(len(d.lines) for d in result.documents)
    assert not result.problems(), result.problems()[:3]
    return elapsed, lines, len(result.documents)


def peak_memory(data: bytes) -> int:
    tracemalloc.start()
    read(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000, help="PO1 lines (default 100000)")
    args = parser.parse_args()
    data = build_850(args.lines)
    print(f"850 with {args.lines:,} lines: {len(data) / 1e6:.1f} MB")
    split_s = time_bare_split(data)
    print(f"bare split : {split_s:6.2f} s")
    raw_s, raw_count = time_pyx12_raw(data)
    print(f"pyx12 raw  : {raw_s:6.2f} s  ({raw_count:,} segment strings, RawX12File)")
    gc.collect()
    pyx12_s, segments = time_pyx12(data)
    print(f"pyx12      : {pyx12_s:6.2f} s  ({segments:,} segments, X12Reader)")
    gc.collect()
    ours_s, lines, documents = time_ours(data)
    print(f"ours       : {ours_s:6.2f} s  ({documents} order, {lines:,} lines)")
    print(f"speed-up   : {pyx12_s / ours_s:6.1f}x faster than pyx12 X12Reader")
    print(f"peak memory: {peak_memory(data) / 1e6:6.1f} MB (tracemalloc, ours)")


if __name__ == "__main__":
    main()
