"""Catalog import and end-to-end order processing, measured side by side.

    python bench/bench_pipeline.py                      # 1,000,000 products, 100,000-line order
    python bench/bench_pipeline.py --products 100000 --lines 10000   # quicker
    python bench/bench_pipeline.py --against /tmp/before   # and the code of another checkout
    python bench/bench_pipeline.py --format xlsx           # the same order as a workbook

Reports the master-data import (products + barcodes) once, then, interleaved round by
round (at least 3), ``pandas.read_csv`` of the order CSV (``read_excel`` with calamine
of the workbook, with ``--format xlsx``) and the gateway's end-to-end
processing of the same file (read, resolve, check, store, reply, archive) by each path:
``rows`` (``column_path_lines`` above the file's size: line by line), ``columns`` (the
default threshold: the column path) and, with ``--against DIR`` (e.g. ``git archive`` of
an earlier commit, unpacked), that checkout's code with its defaults. Each run is a fresh
process on a fresh copy of the imported workspace, so peaks do not mix; the table gives
min and median of wall and CPU seconds, of each phase, and the peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if "--code" in sys.argv:  # a phase runs the code it is given (this checkout, or --against's)
    sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1])
else:
    sys.path.insert(0, str(REPO))

CONFIG = """
[partners.bench]
name = "Bench partner"
grants = [{ customer = "C1", site = "S1" }]
"""


def barcode(n: int, prefix: str = "30") -> str:
    from parsers.gtin import calc_check_digit

    body = f"{prefix}{n:010d}"
    return body + calc_check_digit(body)


def write_catalog(folder: Path, products: int) -> tuple[Path, Path]:
    """products.csv (sku,name,unit,sell_multiple,active) and barcodes.csv (2 per product)."""
    from parsers.gtin import calc_check_digit

    p = folder / "products.csv"
    b = folder / "barcodes.csv"
    words = ["coffee", "tea", "sugar", "flour", "jam", "rice", "pasta", "oil", "salt", "honey"]
    with open(p, "w", encoding="utf-8") as fp, open(b, "w", encoding="utf-8") as fb:
        fp.write("sku,name,unit,sell_multiple,active\n")
        fb.write("barcode,sku,pack_qty\n")
        for i in range(products):
            sku = f"SKU{i:07d}"
            fp.write(f"{sku},{words[i % 10]} {i} {words[(i // 10) % 10]},EA,1,1\n")
            unit = f"30{i:010d}"
            case = f"130{i:010d}"
            fb.write(f"{unit}{calc_check_digit(unit)},{sku},1\n")
            fb.write(f"{case}{calc_check_digit(case)},{sku},12\n")
    return p, b


def write_order(path: Path, lines: int, products: int) -> None:
    from parsers.gtin import calc_check_digit

    rng = random.Random(7)
    with open(path, "w", encoding="cp1252", newline="") as f:
        f.write("N° commande;Code-barre;Référence;Désignation;Quantité commandée\r\n")
        for n in range(lines):
            i = rng.randrange(products)
            if n % 10 == 9:
                f.write(f"BENCH-1;;SKU{i:07d};;{rng.randint(1, 50)}\r\n")
            else:
                body = f"30{i:010d}"
                f.write(
                    f"BENCH-1;{body}{calc_check_digit(body)};;Article {i};{rng.randint(1, 50)}\r\n"
                )


def write_workbook(order_csv: Path, path: Path) -> None:
    """The order CSV as a one-sheet workbook, typed as Excel users type it: the
    quantities as numbers, the rest as text."""
    import csv

    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Commande")
    with open(order_csv, encoding="cp1252", newline="") as f:
        for r, row in enumerate(csv.reader(f, delimiter=";")):
            for c, value in enumerate(row):
                if r and c == 4:
                    sheet.write_number(r, c, int(value))
                elif value:
                    sheet.write_string(r, c, value)
    book.close()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_import(ws_root: str, products_csv: str, barcodes_csv: str) -> dict:
    from gateway.catalog.importer import Kind, import_file
    from gateway.workspace import Workspace

    ws = Workspace.open(Path(ws_root))
    ws.ensure_folders()
    md = Path(ws_root) / "md"
    md.mkdir(exist_ok=True)
    (md / "customers.csv").write_text("code,name\nC1,Customer one\n")
    (md / "sites.csv").write_text("code,name\nS1,Site one\n")
    t0 = time.perf_counter()
    with ws.sessions.begin() as s:
        import_file(s, Kind.CUSTOMERS, md / "customers.csv")
        import_file(s, Kind.SITES, md / "sites.csv")
        rp = import_file(s, Kind.PRODUCTS, Path(products_csv))
    t1 = time.perf_counter()
    with ws.sessions.begin() as s:
        rb = import_file(s, Kind.BARCODES, Path(barcodes_csv))
    t2 = time.perf_counter()
    with ws.sessions.begin() as s:  # idempotent re-import: nothing changes
        again = import_file(s, Kind.PRODUCTS, Path(products_csv))
    t3 = time.perf_counter()
    return {
        "products_s": t1 - t0,
        "barcodes_s": t2 - t1,
        "reimport_products_s": t3 - t2,
        "products": vars(rp.changes["products"]),
        "barcodes": vars(rb.changes["barcodes"]),
        "reimport": vars(again.changes["products"]),
        "peak_mb": peak_mb(),
    }


def phase_pandas(order_csv: str) -> dict:
    import pandas as pd

    t0 = time.perf_counter()
    if order_csv.endswith(".xlsx"):
        frame = pd.read_excel(order_csv, engine="calamine", dtype=str)
    else:
        frame = pd.read_csv(order_csv, sep=";", encoding="cp1252", dtype=str)
    return {"seconds": time.perf_counter() - t0, "rows": len(frame), "peak_mb": peak_mb()}


#: The pipeline's steps, timed where the pipeline calls them (the same names before and after)
PHASES = {
    "read": "read_file",
    "evaluate": "evaluate_document",
    "store": "store_order",
    "replies": "queue_file_replies",
    "archive": "_finish",
}


def phase_pipeline(ws_root: str, order_csv: str) -> dict:
    import gateway.intake.pipeline as pipeline
    from gateway.daemon.passes import process_external
    from gateway.workspace import Workspace

    spent = dict.fromkeys(PHASES, 0.0)

    def timed(phase: str, fn):  # noqa: ANN001, ANN202
        def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[phase] += time.perf_counter() - t

        return run

    for phase, name in PHASES.items():
        setattr(pipeline, name, timed(phase, getattr(pipeline, name)))
    ws = Workspace.open(Path(ws_root))
    ws.engine  # noqa: B018 — connect before timing
    cpu, t0 = time.process_time(), time.perf_counter()
    out = process_external(ws, "bench", Path(order_csv))
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "phases": spent,
        "outcome": out.outcome,
        "accepted": out.lines_accepted,
        "rejected": out.lines_rejected,
        "peak_mb": peak_mb(),
    }


def run_phase(name: str, *args: str, code: Path = REPO) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code)}
    # Bytecode written and read as an installed gateway's is: a shell that sets this
    # would have every phase compile the modules it imports while it is timed
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--code", str(code), *args],
        capture_output=True,
        text=True,
        env=env,
    )
    if out.returncode:
        raise SystemExit(f"phase {name} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh_copy(ws: Path, into: Path, column_path_lines: int | None, lines: int) -> Path:
    """A copy of the imported workspace for one run (its own database, inbox, outbox),
    whose partner takes a sheet of the order's size (a workbook's default bound is less)."""
    if into.exists():
        shutil.rmtree(into)
    shutil.copytree(ws, into)
    settings = [f"max_sheet_rows = {lines + 1}"]
    if column_path_lines is not None:
        settings.append(f"column_path_lines = {column_path_lines}")
    named = 'name = "Bench partner"'
    config = CONFIG.replace(named, "\n".join([named, *settings]))
    (into / "gateway.toml").write_text(config)
    return into


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--products", type=int, default=1_000_000)
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds (at least 3)")
    ap.add_argument("--against", type=Path, help="another checkout to compare with")
    ap.add_argument("--format", choices=["csv", "xlsx"], default="csv", help="the order's format")
    ap.add_argument(
        "--workdir", type=Path, help="keep the generated files and imported workspace here, "
        "and reuse them when they are there for the same --products and --lines"
    )  # fmt: skip
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--code", type=Path, default=REPO, help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        fn = {"import": phase_import, "pandas": phase_pandas, "pipeline": phase_pipeline}[a.phase]
        print(json.dumps(fn(*a.args)))
        return

    #: run name → (code, column_path_lines written to its copy's configuration)
    runs: dict[str, tuple[Path, int | None]] = {
        "rows": (REPO, 10**9),
        "columns": (REPO, None),
    }
    if a.against:
        runs["before"] = (a.against.resolve(), None)
    with tempfile.TemporaryDirectory(prefix="ogw-bench-") as tmp:
        root = a.workdir / f"{a.products}-{a.lines}" if a.workdir else Path(tmp)
        ws, order = root / "ws", root / "order.csv"
        if not (ws / "imported").exists():
            prepare(root, a.products, a.lines)
        if a.format == "xlsx":
            if not (root / "order.xlsx").exists():
                write_workbook(order, root / "order.xlsx")
            order = root / "order.xlsx"
        pandas: list[dict] = []
        results: dict[str, list[dict]] = {name: [] for name in runs}
        for _ in range(max(3, a.rounds)):
            pandas.append(run_phase("pandas", str(order)))
            for name, (code, threshold) in runs.items():
                copy = fresh_copy(ws, Path(tmp) / f"ws-{name}", threshold, a.lines)
                results[name].append(run_phase("pipeline", str(copy), str(order), code=code))
    report(pandas, results)


def prepare(root: Path, products: int, lines: int) -> None:
    """The catalog and order files, and a workspace with the catalog imported."""
    ws = root / "ws"
    if root.exists():
        shutil.rmtree(root)
    ws.mkdir(parents=True)
    (ws / "gateway.toml").write_text(CONFIG)
    t = time.perf_counter()
    p, b = write_catalog(root, products)
    write_order(root / "order.csv", lines, products)
    print(
        f"generated {products:,} products, {2 * products:,} barcodes and a "
        f"{lines:,}-line order in {time.perf_counter() - t:.1f} s"
    )
    imp = run_phase("import", str(ws), str(p), str(b))
    total_import = imp["products_s"] + imp["barcodes_s"]
    print(
        f"import: {products:,} products {imp['products_s']:.1f} s, "
        f"{2 * products:,} barcodes {imp['barcodes_s']:.1f} s "
        f"(total {total_import:.1f} s, peak {imp['peak_mb']:.0f} MB); "
        f"re-import unchanged {imp['reimport_products_s']:.1f} s -> {imp['reimport']}"
    )
    (ws / "imported").write_text(json.dumps(imp))


def _mm(values: list[float]) -> str:
    return f"{min(values):6.2f} {statistics.median(values):6.2f}"


def report(pandas: list[dict], results: dict[str, list[dict]]) -> None:
    rounds = len(pandas)
    read = [r["seconds"] for r in pandas]
    print(f"\n{rounds} rounds interleaved, seconds as min median; {os.cpu_count()} CPU(s)")
    print(
        f"pandas alone: {min(read):.3f} {statistics.median(read):.3f} s, "
        f"peak {max(r['peak_mb'] for r in pandas):.0f} MB"
    )
    heads = ["wall", "cpu", *PHASES]
    print(f"\n{'':8}" + "".join(f"{h:>14}" for h in heads) + f"{'peak MB':>9}{'x pandas':>10}")
    for name, runs in results.items():
        cells = [_mm([r["seconds"] for r in runs]), _mm([r["cpu"] for r in runs])]
        cells += [_mm([r["phases"][p] for r in runs]) for p in PHASES]
        ratio = statistics.median(r["seconds"] for r in runs) / statistics.median(read)
        peak = max(r["peak_mb"] for r in runs)
        print(f"{name:8}" + "".join(f"{c:>14}" for c in cells) + f"{peak:9.0f}{ratio:9.0f}x")
        first = runs[0]
        print(
            f"{'':8}{first['accepted']:,} accepted / {first['rejected']:,} rejected, "
            f"outcome {first['outcome']}"
        )


if __name__ == "__main__":
    main()
