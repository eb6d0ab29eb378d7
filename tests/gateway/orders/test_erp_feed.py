"""The ERP status feed: files in inbox/_erp/ move orders, refusals are reported row by row."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import openpyxl

from gateway.orders.erp_feed import feed_inbox, scan_feed
from gateway.orders.queries import get_order
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE, JAM_STRAWBERRY
from tests.gateway.lifecycle_support import (  # noqa: F401 — fixtures
    csv_order,
    intake,
    lifecycle_ws_fixture,
    outbox_files,
    read_csv,
    sqlite_lifecycle_ws_fixture,
)


def _drop_feed(ws: Workspace, name: str, data: bytes) -> Path:
    folder = feed_inbox(ws)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    past = time.time() - 10
    os.utime(path, (past, past))
    return path


def _order(ws: Workspace, number: str) -> int:
    return intake(
        ws, "shop", f"{number}.csv", csv_order(number, [(COFFEE, 5), (JAM_STRAWBERRY, 2)])
    )


def _edi_order_in_preparation(ws: Workspace, number: str) -> int:
    """An EANCOM order of 5 coffees, validated and in preparation through the feed: ready
    to ship, with a ship notice (DESADV) to say what its packages hold."""
    from tests.gateway.lifecycle_support import edifact_order

    oid = intake(ws, "eancom", "po.edi", edifact_order(number, COFFEE, 5, sender="5412345000099"))
    for status in ("validated", "in_preparation"):
        _drop_feed(ws, f"{status}.csv", f"Id;Statut\n{oid};{status}\n".encode())
        scan_feed(ws, settle=0)
    return oid


def _status(ws: Workspace, oid: int) -> str:
    order = get_order(ws, oid)
    assert order is not None
    return order["status"]


def test_feed_walks_an_order_through_every_state(lifecycle_ws: Workspace) -> None:
    ws = lifecycle_ws
    oid = _order(ws, "PO-1")
    feeds = [
        f"Id;Statut\n{oid};validée\n",
        "Client;N° commande;Statut\nC1;PO-1;en préparation\n",
        f"Id;Statut;N° ligne;Quantité\n{oid};shipped;1;4\n{oid};shipped;2;1,5\n",
        f"Order id,Status,Reason\n{oid},delivered,signed by J. Martin\n",
    ]
    for n, text in enumerate(feeds):
        _drop_feed(ws, f"feed{n}.csv", text.encode("utf-8"))
        [outcome] = scan_feed(ws, settle=0)
        assert (outcome.outcome, outcome.applied, outcome.refused) == ("processed", 1, 0)
    order = get_order(ws, oid)
    assert order is not None and order["status"] == "delivered"
    assert [ln["shipped_quantity"] for ln in order["lines"]] == [4, 1.5]
    assert {e["actor"] for e in order["events"][2:]} == {"erp"}
    assert order["events"][-1]["reason"] == "signed by J. Martin"
    assert len(outbox_files(ws, "shop", "STATUS_")) == 4


def test_unknown_orders_and_forbidden_transitions_are_refused_row_by_row(
    lifecycle_ws: Workspace,
) -> None:
    ws = lifecycle_ws
    oid = _order(ws, "PO-1")
    text = f"Id;Statut\n{oid};delivered\n999;validated\n{oid};validated\n{oid};teleported\n"
    _drop_feed(ws, "mixed.csv", text.encode())
    [outcome] = scan_feed(ws, settle=0)
    assert (outcome.applied, outcome.refused) == (1, 3)
    assert _status(ws, oid) == "validated"
    [result] = list(ws.reports_dir("_erp").glob("RESULT_mixed_*.csv"))
    rows = {r["Rows"]: r for r in read_csv(result)}
    assert rows["2"]["Result"] == "refused" and "cannot become delivered" in rows["2"]["Message"]
    assert rows["3"]["Message"] == "no order #999"
    assert rows["4"]["Result"] == "applied"
    assert "status 'teleported' is not one the gateway knows" in rows["5"]["Message"]


def test_an_xlsx_feed_is_read_like_a_csv_one(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    oid = _order(ws, "PO-2")
    wb = openpyxl.Workbook()
    wb.active.append(["Customer", "Order number", "Status"])
    wb.active.append(["C1", "PO-2", "validate"])
    buf = io.BytesIO()
    wb.save(buf)
    _drop_feed(ws, "feed.xlsx", buf.getvalue())
    [outcome] = scan_feed(ws, settle=0)
    assert outcome.applied == 1 and _status(ws, oid) == "validated"
    assert outcome.moved_to is not None and "archive/_erp" in str(outcome.moved_to)


def test_the_same_feed_bytes_are_not_applied_twice(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    oid = _order(ws, "PO-3")
    data = f"Id;Statut\n{oid};cancelled\n".encode()
    _drop_feed(ws, "a.csv", data)
    scan_feed(ws, settle=0)
    _drop_feed(ws, "b.csv", data)
    [outcome] = scan_feed(ws, settle=0)
    assert outcome.outcome == "duplicate"
    assert (ws.failed_dir("_erp") / "b.csv.reason.txt").read_text().count("not applied again") == 1
    order = get_order(ws, oid)
    assert order is not None and len(order["events"]) == 3


def test_a_file_without_a_feed_header_is_quarantined_with_a_reason(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    _drop_feed(ws, "notes.csv", b"hello;world\n1;2\n")
    [outcome] = scan_feed(ws, settle=0)
    assert outcome.outcome == "failed"
    reason = (ws.failed_dir("_erp") / "notes.csv.reason.txt").read_text()
    assert "no feed header" in reason


def test_a_feed_file_left_claimed_by_a_crash_is_applied_at_the_next_scan(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    oid = _order(ws, "PO-4")
    processing = feed_inbox(ws) / ".processing"
    processing.mkdir(parents=True, exist_ok=True)
    (processing / "left.csv").write_text(f"Id;Statut\n{oid};validated\n")
    [outcome] = scan_feed(ws, settle=0)
    assert outcome.applied == 1 and _status(ws, oid) == "validated"
    assert not (processing / "left.csv").exists()


def test_run_once_applies_the_feed_after_the_orders_it_refers_to(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    from gateway.daemon.passes import run_once

    ws = sqlite_lifecycle_ws
    order_file = ws.inbox("shop") / "PO-RUN.csv"
    order_file.write_bytes(csv_order("PO-RUN", [(COFFEE, 1)]))
    past = time.time() - 10
    os.utime(order_file, (past, past))
    _drop_feed(ws, "validate.csv", b"Client;N\xc2\xb0 commande;Statut\nC1;PO-RUN;validated\n")
    outcomes = run_once(ws, settle=0)
    assert [o.outcome for o in outcomes] == ["processed", "processed"]
    [summary] = outcomes[0].orders
    assert _status(ws, summary.id) == "validated"


def test_a_partial_shipment_in_the_feed_names_its_packages(lifecycle_ws: Workspace) -> None:
    ws = lifecycle_ws
    oid = _edi_order_in_preparation(ws, "F-S1")
    feed = f"Id;Statut;Ligne;Quantité;SSCC\n{oid};expédiée en partie;1;3;340123451234567895\n"
    _drop_feed(ws, "ship.csv", feed.encode())
    [outcome] = scan_feed(ws, settle=0)
    assert outcome.applied == 1, [r.message for r in outcome.rows]
    order = get_order(ws, oid)
    assert order is not None and order["status"] == "partially_shipped"
    assert order["lines"][0]["shipped_quantity"] == 3
    [desadv] = outbox_files(ws, "eancom", "DESADV_")
    text = desadv.read_text("latin-1")
    assert "GIN+BJ+340123451234567895'" in text and "QTY+12:3:PCE'" in text


def test_a_line_split_over_two_packages_ships_their_sum(lifecycle_ws: Workspace) -> None:
    ws = lifecycle_ws
    oid = _edi_order_in_preparation(ws, "F-S3")
    feed = (f"Id;Statut;Ligne;Quantité;SSCC\n{oid};expédiée en partie;1;3;340123451234567895\n"
            f";;1;1;340123451234567888\n")  # fmt: skip
    _drop_feed(ws, "ship.csv", feed.encode())
    [outcome] = scan_feed(ws, settle=0)
    assert outcome.applied == 1, [r.message for r in outcome.rows]
    order = get_order(ws, oid)
    assert order is not None and order["lines"][0]["shipped_quantity"] == 4
    [desadv] = outbox_files(ws, "eancom", "DESADV_")
    text = desadv.read_text("latin-1")
    assert "GIN+BJ+340123451234567895'" in text and "GIN+BJ+340123451234567888'" in text


def test_a_package_with_a_wrong_check_digit_is_refused_in_the_feed(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    oid = _order(ws, "F-S2")
    for status in ("validated", "in_preparation"):
        _drop_feed(ws, f"{status}.csv", f"Id;Statut\n{oid};{status}\n".encode())
        scan_feed(ws, settle=0)
    feed = f"Id;Statut;Ligne;Quantité;SSCC\n{oid};shipped;1;5;340123451234567890\n"
    _drop_feed(ws, "ship.csv", feed.encode())
    [outcome] = scan_feed(ws, settle=0)
    [row] = outcome.rows
    assert row.result == "refused" and "check digit of SSCC" in row.message
    order = get_order(ws, oid)
    assert order is not None and order["status"] == "in_preparation"


def test_the_feed_is_read_from_the_folder_configured_outside_the_partners_tree(
    tmp_path: Path,
) -> None:
    from tests.gateway.conftest import build_workspace
    from tests.gateway.lifecycle_support import EDI_CONFIG

    feed = tmp_path / "erp-feed"
    ws = build_workspace(
        tmp_path / "ws", config=f'[gateway]\nerp_feed_dir = "{feed}"\n' + EDI_CONFIG
    )
    try:
        oid = _order(ws, "PO-OUT")
        assert feed_inbox(ws) == feed
        _drop_feed(ws, "s.csv", f"id;status\n{oid};validated\n".encode())
        old_place = ws.root / "inbox" / "_erp"
        old_place.mkdir(parents=True, exist_ok=True)
        (old_place / "c.csv").write_bytes(f"id;status\n{oid};cancelled\n".encode())
        scan_feed(ws, settle=0)
        assert _status(ws, oid) == "validated"  # the old place is no feed any more
    finally:
        ws.close()
