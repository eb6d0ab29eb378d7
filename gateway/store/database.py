"""Engine and sessions. SQLite (WAL) is the embedded default; PostgreSQL for many workers."""

from __future__ import annotations

import atexit
import select
import time
import weakref
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DataError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
)
from sqlalchemy.orm import Session, sessionmaker

from gateway.errors import GatewayError
from gateway.store.migrate import ensure_current


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def shown_url(url: str) -> str:
    """The database URL as a log line or a message may show it: never its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split(":", 1)[0] + ":…"


#: Errors of the store itself (server down, database locked past the timeout, schema not
#: reachable): not the file's fault, so the file is kept to be retried, not quarantined.
STORE_ERRORS = (OperationalError, InterfaceError)

#: Errors about one statement's data, not about the store: the file's own fault
_DATA_ERRORS = (IntegrityError, DataError, ProgrammingError)


class StoreBroken(GatewayError):
    """The database answers, but is broken: the gateway stops until a person mends it."""

    exit_code = 3


def is_broken_store(exc: BaseException) -> bool:
    return (
        isinstance(exc, DatabaseError)
        and not isinstance(exc, STORE_ERRORS)
        and not isinstance(exc, _DATA_ERRORS)
    )


#: Execution option marking a connection as read-only work (SQLite: deferred BEGIN)
READ_ONLY = "gateway_read_only"


#: Every engine the process made and still holds, closed when it exits (below)
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


@atexit.register
def _close_engines() -> None:
    """When the process exits, every engine's connections are closed: on SQLite the last
    one to close folds the write-ahead log back into the database file (no ``-wal`` left
    beside it, a copy of ``gateway.sqlite`` alone holds everything). Not left to the
    garbage collector: the command line leaves a finished process's objects to the system
    (:mod:`gateway.cli.app`)."""
    for engine in list(_ENGINES):
        engine.dispose()


def make_engine(url: str) -> Engine:
    engine = _make_engine(url)
    _ENGINES.add(engine)
    return engine


def _make_engine(url: str) -> Engine:
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
            # On the driver's connection: twice a file, and SQLAlchemy's statement
            # machinery (events, result set-up) cost several times the BEGIN itself.
            conn.connection.driver_connection.execute("BEGIN" if deferred else "BEGIN IMMEDIATE")

        return engine
    engine = create_engine(url)
    _ping_when_idle(engine)
    return engine


#: A connection back in the pool longer than this is pinged before it is used again
IDLE_BEFORE_PING = 2.0


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection at checkout only when it sat idle, or when the server
    said something to it while it sat in the pool; a connection found dead is replaced
    by a fresh one, as ``pool_pre_ping`` did.

    ``pool_pre_ping`` pings at every checkout: a round trip, twice a file, for a
    connection used a few milliseconds before. A server that stops or restarts, or ends
    a backend, first sends that connection its last message and closes it: its socket
    turns readable, which a zero-timeout ``poll`` sees without a round trip. Nothing
    is ever due on an idle connection of ours otherwise (the job queue listens on its
    own), so a readable one is pinged. One that dies while in use fails there, as it
    would between a ping and the statement: the engine invalidates the pool, and the
    caller sees a store error (:data:`STORE_ERRORS`), the file kept.
    """
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _stamp(_dbapi_conn, record) -> None:  # noqa: ANN001
        record.info["gateway_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn, record, _proxy) -> None:  # noqa: ANN001
        since = record.info.get("gateway_idle_since")  # none on a new connection
        if since is None:
            return
        if time.monotonic() - since < IDLE_BEFORE_PING and not _told_something(
            dbapi_conn, dialect.loaded_dbapi.Error
        ):
            return
        try:
            dialect.do_ping(dbapi_conn)
        except dialect.loaded_dbapi.Error as exc:
            # The pool drops this connection and checks out another (three tries).
            raise DisconnectionError(str(exc)) from exc


def _told_something(dbapi_conn: Any, driver_error: type[Exception]) -> bool:  # noqa: ANN401
    """Whether the server sent this idle connection anything (its last words, or EOF)."""
    try:
        fd = dbapi_conn.fileno()
    except driver_error:
        return True  # closed already: the ping fails, and a fresh one is taken
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


def reads_share_writes(engine: Engine) -> bool:
    """Whether reading inside a write transaction keeps no other worker waiting.

    PostgreSQL (MVCC): a transaction takes no lock until it writes. SQLite: a write
    transaction holds the database's one write lock from its BEGIN IMMEDIATE, so long
    reads go before it, in a read session of their own.
    """
    return engine.dialect.name != "sqlite"


def create_schema(engine: Engine) -> None:
    """Make a new database at the code's schema revision; refuse an older or newer one
    (see :mod:`gateway.store.migrate`).

    Looked at through a read-only connection: on SQLite a write transaction takes the
    lock, and a listing opened while a big file is being stored would wait for it.
    """
    ensure_current(engine, read_only=engine.execution_options(**{READ_ONLY: True}))


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


class ReadSession(Session):
    """A session for reading only, ended by COMMIT rather than ROLLBACK when its block
    completes.

    psycopg forgets every statement it prepared on a ROLLBACK (``DEALLOCATE ALL``: one
    more round trip), so a read ended so before every file's transaction made the
    statements asked for every file parsed and planned again each time. Its transaction
    is READ ONLY on PostgreSQL, so committing it can never store anything.
    """

    def __exit__(
        self,
        type_: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if type_ is None and self.in_transaction():
            self.commit()
        super().__exit__(type_, value, traceback)


def read_session_factory(engine: Engine) -> sessionmaker[ReadSession]:
    """Sessions for reading only: on SQLite they do not take the write lock; on
    PostgreSQL their transactions are READ ONLY."""
    options: dict[str, Any] = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    return sessionmaker(
        engine.execution_options(**options), class_=ReadSession, expire_on_commit=False
    )
