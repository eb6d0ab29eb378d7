"""Readers pause the cyclic collector while they build, and leave it as they found it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from parsers.edifact import read
from parsers.gc_pause import paused_gc

from .edifact.builders import interchange, orders_message


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


@pytest.mark.usefixtures("collector_enabled")
def test_the_edifact_reader_leaves_its_lines_for_no_young_pass() -> None:
    line = ["LIN+{n}++4000862141404:EN", "PIA+1+SKU-{n}:SA", "IMD+F++:::Mug", "QTY+21:5"]
    lines = [segment.format(n=n) for n in range(1, 2_001) for segment in line]
    message = orders_message(body=["BGM+220+PO-1+9", *lines, "UNS+S"])
    gc.collect()
    (document,) = read(interchange(message).encode()).documents
    oldest = {id(obj) for obj in gc.get_objects(generation=2)}
    assert id(document.lines[0]) in oldest and id(document.lines[-1]) in oldest
