"""Moving orders: allowed transitions only, one event each, shipped quantities per line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gateway.orders.queries import get_order
from gateway.orders.transitions import (
    LineQuantityRefused,
    OrderNotFound,
    apply_transition,
    move_orders,
)
from gateway.replies.outbox import outbox_transaction
from gateway.rules.lifecycle import ALLOWED, OrderStatus, TransitionRefused
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE, JAM_STRAWBERRY
from tests.gateway.lifecycle_support import (  # noqa: F401 — fixtures
    csv_order,
    intake,
    lifecycle_ws_fixture,
    sqlite_lifecycle_ws_fixture,
)

S = OrderStatus
PATH = [S.VALIDATED, S.IN_PREPARATION, S.SHIPPED, S.DELIVERED]


def _order(ws: Workspace, number: str = "PO-1") -> int:
    return intake(
        ws, "shop", f"{number}.csv", csv_order(number, [(COFFEE, 5), (JAM_STRAWBERRY, 2)])
    )


def test_an_order_walks_every_state_with_one_event_per_change(lifecycle_ws: Workspace) -> None:
    oid = _order(lifecycle_ws)
    for status in PATH:
        report = move_orders(
            lifecycle_ws, [oid], status, actor="admin:alice", reason=f"to {status}"
        )
        assert not report.refused
    order = get_order(lifecycle_ws, oid)
    assert order is not None and order["status"] == "delivered"
    moves = [(e["from_status"], e["to_status"], e["actor"]) for e in order["events"]][2:]
    assert moves == [
        ("pending_validation", "validated", "admin:alice"),
        ("validated", "in_preparation", "admin:alice"),
        ("in_preparation", "shipped", "admin:alice"),
        ("shipped", "delivered", "admin:alice"),
    ]
    assert order["events"][-1]["reason"] == "to delivered"


def test_shipped_quantities_may_differ_and_are_kept_on_lines_and_event(
    lifecycle_ws: Workspace,
) -> None:
    oid = _order(lifecycle_ws)
    move_orders(lifecycle_ws, [oid], S.VALIDATED, actor="admin:a")
    move_orders(lifecycle_ws, [oid], S.IN_PREPARATION, actor="admin:a")
    move_orders(lifecycle_ws, [oid], S.SHIPPED, actor="erp", lines={1: Decimal(3)})
    order = get_order(lifecycle_ws, oid)
    assert order is not None
    assert [ln["shipped_quantity"] for ln in order["lines"]] == [3, 2]
    assert order["events"][-1]["details"]["shipped"] == {"1": 3, "2": 2}


def test_validating_with_a_line_quantity_confirms_it_and_marks_the_line_adjusted(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    oid = _order(sqlite_lifecycle_ws)
    move_orders(sqlite_lifecycle_ws, [oid], S.VALIDATED, actor="admin:a", lines={2: Decimal(1)})
    order = get_order(sqlite_lifecycle_ws, oid)
    assert order is not None
    line = order["lines"][1]
    assert (line["confirmed_quantity"], line["outcome"]) == (1, "adjusted")
    assert "2 → 1" in line["message"]


@pytest.mark.parametrize(
    ("current", "wanted"),
    [(c, w) for c in S for w in S if w not in ALLOWED[c] and c is not S.RECEIVED],
)
def test_every_forbidden_transition_is_refused_with_a_clear_message(
    sqlite_lifecycle_ws: Workspace, current: OrderStatus, wanted: OrderStatus
) -> None:
    ws = sqlite_lifecycle_ws
    oid = _order(ws)
    route = {
        S.PENDING_VALIDATION: [],
        S.VALIDATED: [S.VALIDATED],
        S.IN_PREPARATION: PATH[:2],
        S.PARTIALLY_SHIPPED: [*PATH[:2], S.PARTIALLY_SHIPPED],
        S.SHIPPED: PATH[:3],
        S.DELIVERED: PATH,
        S.REJECTED: [S.REJECTED],
        S.CANCELLED: [S.CANCELLED],
    }[current]
    for step in route:
        assert not move_orders(ws, [oid], step, actor="admin:a").refused
    report = move_orders(ws, [oid], wanted, actor="admin:a")
    assert report.refused[oid].startswith(
        f"order #{oid} is {current.value}: it cannot become {wanted.value} (allowed from"
    )
    order = get_order(ws, oid)
    assert order is not None and order["status"] == current.value
    assert len(order["events"]) == 2 + len(route)


def test_an_unknown_order_is_refused(sqlite_lifecycle_ws: Workspace) -> None:
    with (
        outbox_transaction(sqlite_lifecycle_ws) as box,
        pytest.raises(OrderNotFound, match="#999"),
    ):
        apply_transition(box, 999, S.VALIDATED, actor="admin:a")


def test_a_quantity_for_a_line_the_order_does_not_have_is_refused(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    oid = _order(sqlite_lifecycle_ws)
    report = move_orders(sqlite_lifecycle_ws, [oid], S.VALIDATED, actor="a", lines={7: Decimal(1)})
    assert "has no line 7 (lines: 1, 2)" in report.refused[oid]


def test_line_quantities_on_a_transition_that_has_none_are_refused(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    oid = _order(sqlite_lifecycle_ws)
    with outbox_transaction(sqlite_lifecycle_ws) as box, pytest.raises(LineQuantityRefused):
        apply_transition(box, oid, S.CANCELLED, actor="a", lines={1: Decimal(1)})


def test_one_refused_order_does_not_hold_back_the_others(sqlite_lifecycle_ws: Workspace) -> None:
    first, second = _order(sqlite_lifecycle_ws, "PO-1"), _order(sqlite_lifecycle_ws, "PO-2")
    move_orders(sqlite_lifecycle_ws, [first], S.REJECTED, actor="a")
    report = move_orders(sqlite_lifecycle_ws, [first, second], S.VALIDATED, actor="a")
    assert [r.order_id for r in report.moved] == [second]
    assert set(report.refused) == {first}


def test_transition_refused_is_a_value_error_naming_both_statuses() -> None:
    exc = TransitionRefused(4, S.DELIVERED, S.CANCELLED)
    assert str(exc) == (
        "order #4 is delivered: it cannot become cancelled (allowed from delivered: none "
        "(final status))"
    )


def test_confirming_more_than_was_ordered_is_refused_naming_line_quantities_and_the_way_out(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    oid = _order(sqlite_lifecycle_ws)  # line 1: 5 ordered
    report = move_orders(sqlite_lifecycle_ws, [oid], S.VALIDATED, actor="a", lines={1: Decimal(20)})
    assert report.refused[oid] == (
        f"order #{oid}: line 1: 20 asked, 5 ordered; "
        "add --allow-more to confirm more than was ordered"
    )
    order = get_order(sqlite_lifecycle_ws, oid)
    assert order is not None and order["status"] == "pending_validation"


def test_allow_more_confirms_more_than_was_ordered(sqlite_lifecycle_ws: Workspace) -> None:
    oid = _order(sqlite_lifecycle_ws)
    report = move_orders(
        sqlite_lifecycle_ws, [oid], S.VALIDATED, actor="a", lines={1: Decimal(20)},
        allow_more=True,
    )  # fmt: skip
    assert not report.refused
    order = get_order(sqlite_lifecycle_ws, oid)
    assert order is not None and order["lines"][0]["confirmed_quantity"] == 20


def test_confirming_the_ordered_quantity_or_less_needs_no_allow_more(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    oid = _order(sqlite_lifecycle_ws)
    lines = {1: Decimal(5), 2: Decimal("1.5")}
    assert not move_orders(sqlite_lifecycle_ws, [oid], S.VALIDATED, actor="a", lines=lines).refused


def test_shipping_more_than_was_confirmed_is_refused_counting_what_shipped_before(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    oid = _order(ws)
    move_orders(ws, [oid], S.VALIDATED, actor="a", lines={1: Decimal(4)})
    move_orders(ws, [oid], S.IN_PREPARATION, actor="a")
    move_orders(ws, [oid], S.PARTIALLY_SHIPPED, actor="a", lines={1: Decimal(3)})
    report = move_orders(ws, [oid], S.SHIPPED, actor="a", lines={1: Decimal(2)})
    assert report.refused[oid] == (
        f"order #{oid}: line 1: 2 asked (5 with what was shipped before), 4 confirmed; "
        "add --allow-more to ship more than was confirmed"
    )
    assert not move_orders(
        ws, [oid], S.SHIPPED, actor="a", lines={1: Decimal(2)}, allow_more=True
    ).refused
