"""Engine and sessions. SQLite (WAL) is the embedded default; PostgreSQL for many workers."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.models import Base


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


#: Execution option marking a connection as read-only work (SQLite: deferred BEGIN)
READ_ONLY = "gateway_read_only"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            # WAL lets readers (status, orders list) work while a file is being stored;
            # NORMAL sync is durable across process crashes, which is what we guard.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        # pysqlite's own transaction handling defers BEGIN; take the write lock at BEGIN so
        # two processes never both read-then-write into a deadlock.
        @event.listens_for(engine, "connect")
        def _no_pysqlite_begin(dbapi_conn, _record) -> None:  # noqa: ANN001
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn) -> None:  # noqa: ANN001
            # Read-only work (resolving an order against the catalog) asks for a deferred
            # BEGIN so that several workers can do it while one of them writes.
            deferred = conn.get_execution_options().get(READ_ONLY, False)
            conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


def create_schema(engine: Engine) -> None:
    """Create the tables that are missing.

    Looked at first through a read-only connection: on SQLite ``create_all`` begins with
    the write lock, and a listing opened while a big file is being stored would wait for
    it (and give up after the busy timeout) although it has nothing to create.
    """
    with engine.execution_options(**{READ_ONLY: True}).connect() as conn:
        present = set(inspect(conn).get_table_names())
    if set(Base.metadata.tables) <= present:
        return
    Base.metadata.create_all(engine)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def read_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for reading only: on SQLite they do not take the write lock."""
    return sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)
