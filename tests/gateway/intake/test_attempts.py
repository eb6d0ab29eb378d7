"""The mark left while a file is read: only a death while reading leaves it behind."""

from __future__ import annotations

import pytest

from gateway.intake.attempts import attempts_before, mark_of, reading


def test_a_read_that_returns_leaves_no_mark(tmp_path):
    path = tmp_path / "o.csv"
    with reading(path) as attempt:
        assert attempt == 1 and mark_of(path).exists()
    assert not mark_of(path).exists() and attempts_before(path) == 0


def test_a_read_that_raises_leaves_no_mark(tmp_path):
    path = tmp_path / "o.csv"
    with pytest.raises(ValueError), reading(path):
        raise ValueError("bad bytes")
    assert attempts_before(path) == 0


def test_a_mark_left_by_a_dead_process_counts_as_an_attempt(tmp_path):
    path = tmp_path / "o.csv"
    mark_of(path).write_text("1 pid=4242\n", encoding="ascii")  # what a killed reader leaves
    with reading(path) as attempt:
        assert attempt == 2
    assert attempts_before(path) == 0


def test_a_death_during_an_isolated_read_is_not_counted_against_the_file(tmp_path):
    path = tmp_path / "o.csv"
    mark_of(path).write_text("1 pid=4242\n", encoding="ascii")
    with reading(path) as attempt:
        assert attempt == 2
        assert attempts_before(path) == 1  # what a kill now would leave: still one
    mark_of(path).write_text("5 pid=4242\n", encoding="ascii")
    with reading(path) as attempt:
        assert attempt == 2


def test_a_name_of_255_bytes_has_a_mark_of_its_own(tmp_path):
    path = tmp_path / ("x" * 251 + ".csv")
    with reading(path):
        assert len(mark_of(path).name) < 40
    assert mark_of(path) != mark_of(tmp_path / "y.csv")
