"""Server time of each page of the web console with 100,000 orders and 1,000,000 lines.

Fills a fresh workspace in bulk (the store's bulk path, not the intake): N orders of
10 lines each (3 % of lines refused, a third of the orders waiting for validation), one
received file per order, an acknowledgement and a status report per order, two events
per order. Then, through the real application in-process (Starlette's test client: no
network), signed in as an admin (and as a partner for the portal, with a token for the
API), each page is asked in turn, round after round, and timed from request to full
response.

The indexes this issue added are compared side by side: each round times every page
without them, then with them (dropped and made again between the two), so the two sets
of figures come from the same minutes of the same machine.

Run from the repository root: ``python bench/bench_web.py [--orders 100000]
[--rounds 3] [--repeat 10]``. Figures: min, median and p95 per page, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import time
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import text  # noqa: E402

from gateway.store.bulk import bulk_insert  # noqa: E402
from gateway.store.models import (  # noqa: E402
    Base,
    InboundFile,
    Order,
    OrderEvent,
    OrderLine,
    OrderSource,
    OutgoingMessage,
    table_of,
)
from gateway.web import create_app  # noqa: E402
from gateway.web.tokens import add_token  # noqa: E402
from gateway.workspace import Workspace  # noqa: E402
from tests.gateway.conftest import COFFEE, ean  # noqa: E402
from tests.gateway.web.support import sign_in, web_workspace  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

#: The indexes this issue added for the pages (made from the models' own definitions)
NEW_INDEXES = [
    "ix_order_lines_rejected",
    "ix_outgoing_messages_order_id",
    "ix_outgoing_messages_inbound_file_id",
    "ix_inbound_files_received_at",
    "ix_inbound_files_attempt_of",
    "ix_inbound_files_duplicate_of",
    "ix_orders_updated_at",
    "ix_orders_inbound_file_id",
    "ix_orders_status_due_partner",
    "ix_order_sources_inbound_file_id",
]
PARTNERS = ["shop", "hotel", "multi", "strict", "rounder"]
CHUNK = 20_000


def fill(ws: Workspace, n_orders: int, lines_per_order: int = 10) -> None:
    rnd = random.Random(17)
    # A year of orders, one every five minutes, up to now; the supplier answers within a
    # day or two, so only the newest 3 % still wait for validation (the queue).
    start = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=5 * n_orders)
    waiting_from = int(n_orders * 0.97)
    unknown = ean("301234599990")
    with ws.engine.begin() as conn:
        line_id = msg_id = event_id = 0
        for first in range(1, n_orders + 1, CHUNK):
            ids = range(first, min(first + CHUNK, n_orders + 1))
            files, orders, lines, sources, messages, events = [], [], [], [], [], []
            for oid in ids:
                partner = PARTNERS[oid % len(PARTNERS)]
                at = start + timedelta(minutes=5 * oid)
                status = "pending_validation" if oid > waiting_from else "delivered"
                rejected = 0
                for n in range(1, lines_per_order + 1):
                    line_id += 1
                    refused = rnd.random() < 0.03
                    rejected += refused
                    lines.append((
                        line_id, oid, n, n + 1, unknown if refused else COFFEE,
                        None if refused else "COF-250", None if refused else 1, 2, 2,
                        "rejected" if refused else "accepted",
                        "unknown_barcode" if refused else None,
                        f"line {n + 1}: barcode {unknown!r} is not in the catalog"
                        if refused else None,
                        None if refused else "barcode", "[]",
                    ))  # fmt: skip
                files.append((oid, partner, f"order_{oid}.csv", f"{oid:064x}", 400, "csv",
                              "processed", None, at, 1, lines_per_order - rejected, rejected,
                              f"/nowhere/{oid}.csv"))  # fmt: skip
                orders.append((oid, partner, oid, 1, 1, "C1", "S1", f"PO-{oid}", status, "csv",
                               "{}", at, at, 0, at + timedelta(days=1)))  # fmt: skip
                sources.append((oid, oid, "original"))
                for kind in ("ack", "status"):
                    msg_id += 1
                    messages.append((msg_id, partner, oid if kind == "status" else None, oid,
                                     kind, "partner", f"/nowhere/outbox/{partner}",
                                     f"{kind.upper()}_{oid}.csv", b"x;y\n", at, at))  # fmt: skip
                for before, after in ((None, "received"), ("received", status)):
                    event_id += 1
                    events.append((event_id, oid, at, before, after, "system", "{}"))
            bulk_insert(conn, table_of(InboundFile), ["id", "partner", "name", "sha256", "size",
                        "format", "outcome", "reason", "received_at", "orders_count",
                        "lines_accepted", "lines_rejected", "archived_to"], files)  # fmt: skip
            bulk_insert(conn, table_of(Order), ["id", "partner", "inbound_file_id", "customer_id",
                        "site_id", "customer_code", "site_code", "order_number", "status",
                        "format", "envelope", "created_at", "updated_at", "source_index",
                        "due_at"], orders)  # fmt: skip
            bulk_insert(conn, table_of(OrderLine), ["id", "order_id", "line_no", "source_line",
                        "barcode", "sku", "product_id", "ordered_quantity", "quantity",
                        "outcome", "reason_code", "message", "matched_by",
                        "suggestions"], lines)  # fmt: skip
            bulk_insert(conn, table_of(OrderSource), ["order_id", "inbound_file_id", "role"],
                        sources)  # fmt: skip
            bulk_insert(conn, table_of(OutgoingMessage), ["id", "partner", "order_id",
                        "inbound_file_id", "kind", "audience", "destination", "filename",
                        "content", "created_at", "sent_at"], messages)  # fmt: skip
            bulk_insert(conn, table_of(OrderEvent), ["id", "order_id", "at", "from_status",
                        "to_status", "actor", "details"], events)  # fmt: skip
            print(f"  {ids[-1]:,} orders, {line_id:,} lines", flush=True)


def set_indexes(ws: Workspace, present: bool) -> None:
    indexes = {i.name: i for t in Base.metadata.tables.values() for i in t.indexes}
    with ws.engine.begin() as conn:
        for name in NEW_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
            if present:
                indexes[name].create(conn)
    # No ANALYZE: the gateway never runs one, so the planner works here as it does there.


def pages(n_orders: int) -> dict[str, tuple[str, str]]:
    """Page name → (who asks, URL)."""
    middle = n_orders - 100  # an order waiting for validation
    return {
        "dashboard": ("admin", "/dashboard"),
        "orders": ("admin", "/orders"),
        "orders, one status": ("admin", "/orders?status=pending_validation"),
        "orders, one partner": ("admin", "/orders?partner=hotel"),
        "orders, older page": ("admin", f"/orders?before={n_orders // 2}"),
        "orders, overdue": ("admin", "/orders?overdue=1"),
        "order": ("admin", f"/orders/{middle}"),
        "rejections": ("admin", "/rejections"),
        "rejections, one partner": ("admin", "/rejections?partner=hotel"),
        "files": ("admin", "/files"),
        "files, since": (
            "admin",
            f"/files?since={datetime.now(UTC) - timedelta(days=30):%Y-%m-%d}",
        ),
        "file": ("admin", f"/files/{middle}"),
        "messages": ("admin", "/messages"),
        "messages, one partner": ("admin", "/messages?partner=shop"),
        "partners": ("admin", "/partners"),
        "portal": ("partner", "/portal"),
        "portal order": ("partner", f"/portal/orders/{middle - middle % 5}"),
        "api orders since": (
            "api",
            f"/api/v1/orders?since={datetime.now(UTC) - timedelta(days=7):%Y-%m-%dT%H:%M:%SZ}",
        ),
        "api file": ("api", f"/api/v1/files/{middle - middle % 5}"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=10, help="Requests per page per round.")
    ap.add_argument("--keep", action="store_true", help="Reuse bench/out/web if filled.")
    args = ap.parse_args()
    root = REPO / "bench" / "out" / "web"
    filled = root / "filled.json"
    if not (args.keep and filled.exists()):
        shutil.rmtree(root, ignore_errors=True)
        print(f"filling {args.orders:,} orders, {args.orders * 10:,} lines …", flush=True)
        t0 = time.perf_counter()
        ws = web_workspace(root)
        fill(ws, args.orders)
        filled.write_text(json.dumps({"orders": args.orders}))
        print(f"filled in {time.perf_counter() - t0:.0f} s", flush=True)
    else:
        ws = Workspace.open(root)
        args.orders = json.loads(filled.read_text())["orders"]
    app = create_app(ws)
    clients = {"admin": TestClient(app), "partner": TestClient(app)}
    assert sign_in(clients["admin"], "marie").status_code == 303
    assert sign_in(clients["partner"], "shop-buyer").status_code == 303
    token = add_token(ws, "shop", actor="admin:bench")[1]
    api = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    clients["api"] = api
    wanted = pages(args.orders)
    times: dict[tuple[str, bool], list[float]] = {(p, i): [] for p in wanted for i in (0, 1)}
    for r in range(args.rounds):
        for present in (False, True):
            set_indexes(ws, present)
            for _ in range(args.repeat):
                for name, (who, url) in wanted.items():
                    t0 = time.perf_counter()
                    resp = clients[who].get(url)
                    times[(name, present)].append((time.perf_counter() - t0) * 1000)
                    if resp.status_code != 200:
                        raise SystemExit(f"{url}: {resp.status_code} {resp.text[:300]}")
        print(f"round {r + 1}/{args.rounds} done", flush=True)

    def figures(xs: list[float]) -> str:
        xs = sorted(xs)
        p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
        return f"{xs[0]:7.1f} {statistics.median(xs):7.1f} {p95:7.1f}"

    print(f"\n{args.orders:,} orders, {args.orders * 10:,} lines; ms per request "
          f"({args.rounds} rounds × {args.repeat}), without → with the new indexes")  # fmt: skip
    print(f"{'page':26} {'without: min  median    p95':>29}   {'with: min  median    p95':>26}")
    for name in wanted:
        print(f"{name:26} {figures(times[(name, False)]):>29}   {figures(times[(name, True)]):>26}")
    set_indexes(ws, True)


if __name__ == "__main__":
    main()
