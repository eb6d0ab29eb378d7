"""The engine and its sessions on PostgreSQL: a connection the server ended while it sat
in the pool is replaced unseen, and read-only sessions keep the statements the driver
prepared."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from gateway.store.database import make_engine, read_session_factory, session_factory

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


def _admin(postgres_url: str) -> psycopg.Connection:
    url = make_url(postgres_url)
    return psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database, autocommit=True
    )


def _end_backend(postgres_url: str, pid: int) -> None:
    """End one server backend, as a restart does to every one, and wait until it is gone."""
    with _admin(postgres_url) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            admin.execute("SELECT pg_sleep(0.01)")


def test_a_connection_the_server_ended_while_pooled_is_replaced_at_checkout(
    engine: Engine, postgres_url: str
) -> None:
    with engine.connect() as conn:
        first = conn.scalar(select(func.pg_backend_pid()))
    assert first is not None
    _end_backend(postgres_url, first)
    # Checked out again at once, long before it would be pinged for sitting idle.
    with engine.connect() as conn:
        assert conn.scalar(select(func.pg_backend_pid())) != first
        assert conn.scalar(text("SELECT 1")) == 1


def test_a_pooled_connection_is_used_again_while_the_server_keeps_it(engine: Engine) -> None:
    pids = set()
    for _ in range(3):
        with engine.connect() as conn:
            pids.add(conn.scalar(select(func.pg_backend_pid())))
    assert len(pids) == 1


def test_read_sessions_keep_what_the_driver_prepared(engine: Engine) -> None:
    # psycopg prepares a statement run five times on a connection, and forgets all it
    # prepared at a ROLLBACK: a read session ending so would prepare nothing, ever.
    reads = read_session_factory(engine)
    for n in range(8):
        with reads() as s:
            assert s.scalar(text("SELECT CAST(:n AS integer) + 1"), {"n": n}) == n + 1
    with reads() as s:
        prepared = s.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    assert prepared and prepared >= 1


def test_a_read_session_cannot_store_anything(engine: Engine) -> None:
    with session_factory(engine).begin() as s:
        s.execute(text("CREATE TABLE scratch (n integer)"))
    reads = read_session_factory(engine)
    with pytest.raises(DBAPIError, match="read-only transaction"), reads() as s:
        s.execute(text("INSERT INTO scratch VALUES (1)"))
    with session_factory(engine)() as s:
        assert s.scalar(text("SELECT count(*) FROM scratch")) == 0
