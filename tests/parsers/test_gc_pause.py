"""Readers pause the cyclic collector while they build, and leave it as they found it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from parsers.gc_pause import paused_gc


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


@pytest.fixture
def collector_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.usefixtures("collector_enabled")
def test_the_collector_is_off_inside_and_on_again_after() -> None:
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_the_caller_switched_off_stays_off() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


@pytest.mark.usefixtures("collector_enabled")
def test_what_was_built_inside_is_not_left_for_the_next_young_pass() -> None:
    gc.collect()
    with paused_gc():
        built = [[n] for n in range(20_000)]
    # Left young, the lists would be walked by the next young pass and end one
    # generation up, not in the oldest.
    oldest = {id(obj) for obj in gc.get_objects(generation=2)}
    assert id(built[0]) in oldest and id(built[-1]) in oldest


@pytest.mark.usefixtures("collector_enabled")
def test_a_cycle_made_inside_is_still_collected() -> None:
    with paused_gc():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        alive = weakref.ref(a)
    del a, b
    gc.collect()
    assert alive() is None
