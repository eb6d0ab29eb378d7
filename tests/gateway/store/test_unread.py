"""Statements marked unread behave as if each had been waited for: the next statement sees
them, the COMMIT stores them, a ROLLBACK drops them, and an error in one is raised as the
same error (at the next statement read, or at the COMMIT). On PostgreSQL they go to the
server with the next statement, in one round trip; on SQLite the mark changes nothing."""

from __future__ import annotations

import tempfile

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select
from sqlalchemy.exc import IntegrityError

from gateway.store.bulk import FEW_ROWS, bulk_insert
from gateway.store.unread import UNREAD
from gateway.workspace import Workspace

_META = MetaData()
SCRATCH = Table("scratch", _META, Column("n", Integer, primary_key=True))
ADD = insert(SCRATCH).execution_options(**{UNREAD: True})
COUNT = select(func.count()).select_from(SCRATCH)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    _META.create_all(workspace.engine)
    return workspace


def stored(ws: Workspace) -> list[int]:
    with ws.sessions() as s:
        return list(s.scalars(select(SCRATCH.c.n).order_by(SCRATCH.c.n)))


def test_the_next_statement_sees_what_unread_ones_did(ws: Workspace) -> None:
    with ws.sessions.begin() as s:
        s.execute(ADD, {"n": 1})
        s.execute(ADD, [{"n": 2}, {"n": 3}])
        assert s.scalar(COUNT) == 3


def test_unread_statements_ending_a_transaction_are_stored_by_its_commit(ws: Workspace) -> None:
    with ws.sessions.begin() as s:
        s.execute(ADD, {"n": 1})
    assert stored(ws) == [1]


def test_an_error_in_an_unread_statement_is_raised_by_the_next_one_read(ws: Workspace) -> None:
    with pytest.raises(IntegrityError), ws.sessions.begin() as s:
        s.execute(ADD, {"n": 1})
        s.execute(ADD, {"n": 1})
        s.scalar(COUNT)
    assert stored(ws) == []


def test_an_error_in_the_last_unread_statements_is_raised_by_the_commit(ws: Workspace) -> None:
    with pytest.raises(IntegrityError), ws.sessions.begin() as s:
        s.execute(ADD, {"n": 1})
        s.execute(ADD, {"n": 1})
    assert stored(ws) == []


def test_a_rollback_drops_unread_statements_and_the_next_transaction_runs_as_usual(
    ws: Workspace,
) -> None:
    with pytest.raises(RuntimeError), ws.sessions.begin() as s:
        s.execute(ADD, {"n": 1})
        raise RuntimeError("the caller's own failure")
    with ws.sessions.begin() as s:
        s.execute(ADD, {"n": 2})
        assert s.scalar(COUNT) == 1
    assert stored(ws) == [2]


def test_rows_copied_after_unread_statements_are_stored_with_them(ws: Workspace) -> None:
    # PostgreSQL copies more than a few rows (COPY), which the driver's pipeline refuses
    many = [(n,) for n in range(10, 11 + FEW_ROWS)]
    with ws.sessions.begin() as s:
        s.execute(ADD, {"n": 1})
        bulk_insert(s.connection(), SCRATCH, ["n"], [(2,)])  # a few: with the unread one
        bulk_insert(s.connection(), SCRATCH, ["n"], many)
    assert stored(ws) == [1, 2, *(n for (n,) in many)]


def test_on_postgresql_unread_statements_and_the_next_read_are_one_round_trip(
    ws: Workspace,
) -> None:
    if ws.engine.dialect.name != "postgresql":
        pytest.skip("SQLite, in the process, has no round trips")
    with tempfile.TemporaryFile("w+") as trace, ws.engine.connect() as conn:
        pgconn = conn.connection.driver_connection.pgconn  # type: ignore[union-attr]
        pgconn.trace(trace.fileno())  # libpq's log of every protocol message
        try:
            with conn.begin():
                conn.execute(ADD, {"n": 1})
                conn.execute(ADD, [{"n": 2}, {"n": 3}])
                assert conn.scalar(COUNT) == 3
        finally:
            pgconn.untrace()
        trace.seek(0)
        # The server says it is ready once per round trip waited for
        ready = sum("ReadyForQuery" in line for line in trace)
    # The BEGIN (the driver waits for it); the three INSERTs and the SELECT; the COMMIT
    assert ready == 3
