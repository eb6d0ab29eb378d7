"""Order statuses and the moves allowed between them."""

from __future__ import annotations

import pytest

from gateway.errors import GatewayError, Refused
from gateway.rules.lifecycle import (
    ALLOWED,
    LIVE,
    VERBS,
    ActorKind,
    OrderStatus,
    TransitionRefused,
    actor,
    check_transition,
)

S = OrderStatus


def test_the_happy_path_is_allowed_step_by_step() -> None:
    path = [S.RECEIVED, S.PENDING_VALIDATION, S.VALIDATED, S.IN_PREPARATION, S.SHIPPED, S.DELIVERED]
    for current, wanted in zip(path, path[1:], strict=False):
        check_transition(1, current, wanted)


@pytest.mark.parametrize("end", [S.DELIVERED, S.REJECTED, S.CANCELLED])
def test_an_end_status_allows_nothing(end: OrderStatus) -> None:
    assert ALLOWED[end] == frozenset()
    with pytest.raises(TransitionRefused, match="final status"):
        check_transition(1, end, S.VALIDATED)


def test_a_shipped_order_can_no_longer_be_cancelled() -> None:
    with pytest.raises(TransitionRefused) as refused:
        check_transition(7, S.SHIPPED, S.CANCELLED)
    assert str(refused.value) == (
        "order #7 is shipped: it cannot become cancelled (allowed from shipped: delivered)"
    )


def test_a_refusal_is_one_of_the_gateways_refusals() -> None:
    with pytest.raises(Refused):
        check_transition(None, S.VALIDATED, S.PENDING_VALIDATION)
    assert issubclass(TransitionRefused, GatewayError)


def test_rejected_and_cancelled_orders_free_their_order_number() -> None:
    assert S.REJECTED not in LIVE and S.CANCELLED not in LIVE
    assert S.SHIPPED in LIVE


def test_every_verb_aims_at_a_status_some_status_can_reach() -> None:
    reachable = set().union(*ALLOWED.values())
    assert set(VERBS.values()) <= reachable


def test_an_actor_is_its_kind_and_name() -> None:
    assert actor(ActorKind.ADMIN, "marie") == "admin:marie"
    assert actor(ActorKind.SYSTEM) == "system"
