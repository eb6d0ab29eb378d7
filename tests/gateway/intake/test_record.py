"""Finding an order's live namesakes: a rejected or cancelled order with the same customer
and number is not one, and on SQLite the number is sought in the partial unique index
of live numbers (not read off every order the customer ever sent)."""

from __future__ import annotations

from datetime import UTC, datetime

from gateway.intake.record import _LIVE_ORDERS_OF_PARTNER, find_live_orders
from gateway.rules.lifecycle import LIVE, OrderStatus
from gateway.store.models import Order
from gateway.workspace import Workspace

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _order(partner: str, number: str, status: OrderStatus) -> Order:
    return Order(
        partner=partner,
        customer_code="C1",
        order_number=number,
        status=status.value,
        format="csv",
        created_at=NOW,
        updated_at=NOW,
    )


def test_every_live_status_and_only_those_is_found(workspace: Workspace) -> None:
    with workspace.sessions.begin() as s:
        for i, status in enumerate(OrderStatus):
            s.add(_order("shop", f"PO-{i}", status))
    with workspace.sessions() as s:
        found = {
            OrderStatus(o.status)
            for i in range(len(OrderStatus))
            for o in find_live_orders(s, "C1", f"PO-{i}", "shop")
        }
    assert found == LIVE


def test_a_live_order_of_another_partner_is_found_only_when_no_partner_is_named(
    workspace: Workspace,
) -> None:
    with workspace.sessions.begin() as s:
        s.add(_order("other", "PO-1", OrderStatus.VALIDATED))
        s.add(_order("shop", "PO-1", OrderStatus.CANCELLED))
    with workspace.sessions() as s:
        assert find_live_orders(s, "C1", "PO-1", "shop") == []
        assert [o.partner for o in find_live_orders(s, "C1", "PO-1")] == ["other"]


def test_sqlite_seeks_the_number_in_the_index_of_live_numbers(
    sqlite_workspace: Workspace,
) -> None:
    with sqlite_workspace.sessions() as s:
        conn = s.connection()
        compiled = _LIVE_ORDERS_OF_PARTNER.compile(conn)
        wanted = {"customer": "C1", "number": "PO-1", "partner": "shop"}
        args = tuple(wanted[name] for name in compiled.positiontup or ())
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", args)
        plan = " ".join(row[-1] for row in rows)
    assert "USING INDEX uq_orders_live_number" in plan, plan
