"""Duplicate policy "replace": a second file replaces an order still pending validation."""

from __future__ import annotations

from gateway.daemon.passes import process_external
from gateway.orders.queries import get_order
from gateway.orders.transitions import move_orders
from gateway.rules.lifecycle import OrderStatus
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE, JAM_STRAWBERRY, TEA_UPC
from tests.gateway.lifecycle_support import (  # noqa: F401 — fixtures
    csv_order,
    intake,
    lifecycle_ws_fixture,
    outbox_files,
    read_csv,
    sqlite_lifecycle_ws_fixture,
)

FIRST = csv_order("PO-1", [(COFFEE, 5), (JAM_STRAWBERRY, 2)])
SECOND = csv_order("PO-1", [(COFFEE, 8), (TEA_UPC, 1)])


def test_the_replacement_cancels_the_first_and_says_what_changed(lifecycle_ws: Workspace) -> None:
    ws = lifecycle_ws
    first = intake(ws, "replacer", "v1.csv", FIRST)
    second = intake(ws, "replacer", "v2.csv", SECOND)
    old, new = get_order(ws, first), get_order(ws, second)
    assert old is not None and new is not None
    assert old["status"] == "cancelled"
    assert old["events"][-1]["reason"] == f"replaced by #{second}"
    assert new["status"] == "pending_validation"
    assert new["events"][0]["reason"] == f"replaces #{first}"
    assert new["reason"] == (
        f"replaces order #{first}: added TEA-GRN (1); removed JAM-STR (2); COF-250: 5 → 8"
    )
    ack = read_csv(outbox_files(ws, "replacer", "ACK_v2")[0])
    assert [r["Message"] for r in ack if r["Line"]] == [
        f"quantity 5 → 8 (replaces order #{first})",
        f"line added (replaces order #{first})",
    ]


def test_a_validated_order_is_not_replaced(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    first = intake(ws, "replacer", "v1.csv", FIRST)
    move_orders(ws, [first], OrderStatus.VALIDATED, actor="admin:a")
    second = intake(ws, "replacer", "v2.csv", SECOND)
    new = get_order(ws, second)
    assert new is not None and new["status"] == "rejected"
    assert new["reason_code"] == "duplicate_order"
    assert "(validated): it can no longer be changed" in new["reason"]
    old = get_order(ws, first)
    assert old is not None and old["status"] == "validated"


def test_the_refuse_policy_refuses_the_second_file(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    first = intake(ws, "strict", "v1.csv", FIRST)
    src = ws.root / "v2.csv"
    src.write_bytes(SECOND)
    [summary] = process_external(ws, "strict", src).orders
    assert summary.status == "rejected"
    old = get_order(ws, first)
    assert old is not None and old["status"] == "pending_validation"
