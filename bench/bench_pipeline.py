"""Catalog import and end-to-end order processing, measured side by side.

    python bench/bench_pipeline.py                      # 1,000,000 products, 100,000-line order
    python bench/bench_pipeline.py --products 100000 --lines 10000   # quicker

Reports: master-data import time (products + barcodes), pandas' own read time of
the order CSV, the gateway's end-to-end time for the same file (read, resolve, check,
store, reply, archive) and the ratio between the two, and peak memory of each phase
(each phase runs in a fresh process so the peaks do not mix).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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
    frame = pd.read_csv(order_csv, sep=";", encoding="cp1252", dtype=str)
    return {"seconds": time.perf_counter() - t0, "rows": len(frame), "peak_mb": peak_mb()}


def phase_pipeline(ws_root: str, order_csv: str) -> dict:
    from gateway.daemon.passes import process_external
    from gateway.workspace import Workspace

    ws = Workspace.open(Path(ws_root))
    ws.engine  # noqa: B018 — connect before timing
    t0 = time.perf_counter()
    out = process_external(ws, "bench", Path(order_csv))
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "outcome": out.outcome,
        "reason": out.reason,
        "accepted": out.lines_accepted,
        "rejected": out.lines_rejected,
        "peak_mb": peak_mb(),
    }


def run_phase(name: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, *args], capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"phase {name} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--products", type=int, default=1_000_000)
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        fn = {"import": phase_import, "pandas": phase_pandas, "pipeline": phase_pipeline}[a.phase]
        print(json.dumps(fn(*a.args)))
        return

    with tempfile.TemporaryDirectory(prefix="ogw-bench-") as tmp:
        root = Path(tmp)
        ws = root / "ws"
        ws.mkdir()
        (ws / "gateway.toml").write_text(CONFIG)
        t = time.perf_counter()
        p, b = write_catalog(root, a.products)
        order = root / "order.csv"
        write_order(order, a.lines, a.products)
        print(
            f"generated {a.products:,} products, {2 * a.products:,} barcodes and a "
            f"{a.lines:,}-line order in {time.perf_counter() - t:.1f} s"
        )
        imp = run_phase("import", str(ws), str(p), str(b))
        pd_ = run_phase("pandas", str(order))
        pipe = run_phase("pipeline", str(ws), str(order))
    total_import = imp["products_s"] + imp["barcodes_s"]
    print(
        f"\nimport: {a.products:,} products {imp['products_s']:.1f} s, "
        f"{2 * a.products:,} barcodes {imp['barcodes_s']:.1f} s "
        f"(total {total_import:.1f} s, peak {imp['peak_mb']:.0f} MB)"
    )
    print(f"        re-import unchanged: {imp['reimport_products_s']:.1f} s -> {imp['reimport']}")
    print(f"order:  pandas read_csv alone {pd_['seconds']:.3f} s (peak {pd_['peak_mb']:.0f} MB)")
    print(
        f"        gateway end to end   {pipe['seconds']:.3f} s (peak {pipe['peak_mb']:.0f} MB), "
        f"{pipe['accepted']:,} accepted / {pipe['rejected']:,} rejected, outcome {pipe['outcome']}"
    )
    print(f"        ratio gateway / pandas: {pipe['seconds'] / pd_['seconds']:.1f}x (aim: < 10x)")


if __name__ == "__main__":
    main()
