"""Readers run in a child process: whatever kills them, the caller gets a typed error.

The readers below are real functions run in a real child process under real limits;
the last test feeds calamine the workbook that aborts it.
"""

from __future__ import annotations

import os
import time

import pytest

from gateway.intake.sandbox import ReaderCrashed, read_isolated
from parsers import xlsx
from parsers.errors import HeaderNotFound
from tests.parsers.workbook_xml import number, order_rows, workbook


def doubled(value: int) -> int:
    return value * 2


def refuses(_data: bytes) -> None:
    raise HeaderNotFound("no header", expected="a header row")


def aborts() -> None:
    os.abort()


def grabs_memory() -> bytes:
    return b"x" * (8 * 1024**3)


class Panic(BaseException):
    """Like pyo3's PanicException: not an Exception."""


def panics() -> None:
    raise Panic("capacity overflow")


def hangs() -> None:
    time.sleep(60)


def test_the_result_comes_back():
    assert read_isolated(doubled, 21) == 42


def test_a_parse_error_comes_back_typed_with_its_details():
    with pytest.raises(HeaderNotFound) as caught:
        read_isolated(refuses, b"")
    assert caught.value.expected == "a header row"


def test_an_abort_is_a_reader_crash_naming_the_signal():
    with pytest.raises(ReaderCrashed, match="SIGABRT"):
        read_isolated(aborts)


def test_memory_past_the_limit_is_a_reader_crash():
    with pytest.raises(ReaderCrashed, match="more memory"):
        read_isolated(grabs_memory, memory=512 * 1024**2)


def test_a_panic_that_is_no_exception_is_a_reader_crash():
    with pytest.raises(ReaderCrashed, match="Panic: capacity overflow"):
        read_isolated(panics)


def test_a_reader_past_its_time_is_stopped():
    with pytest.raises(ReaderCrashed, match="longer than 1 s"):
        read_isolated(hangs, seconds=1)


def test_calamine_aborting_on_the_last_excel_cell_is_a_reader_crash():
    bomb = workbook(
        order_rows([("4006381333931", "1")]) + f'<row r="1048576">{number("XFD1048576", "1")}</row>'
    )
    with pytest.raises(ReaderCrashed, match="the reader stopped|more memory|failed on it"):
        read_isolated(xlsx.read, bomb, None)
