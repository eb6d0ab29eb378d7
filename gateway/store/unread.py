"""Statements whose result nobody reads, sent with the next one: one round trip for both.

A small file's transaction on PostgreSQL was 14 statements, each waiting for its answer
before the next was sent. On loopback such a wait costs far more than the statement's own
work: the other process has gone to sleep and must be woken, 0.2–1 ms on a 2-core machine
with other work on it, against about 0.1 ms of the server's CPU for such a statement
(``bench/bench_latency.py``; issue 18). A statement marked :data:`UNREAD` is not waited
for: the driver's pipeline mode sends it, and its answer comes with that of the next
statement that is read. SQLite, in the process, has no round trip to save: there the mark
changes nothing.
"""

from __future__ import annotations

from contextlib import ExitStack

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DBAPIError

#: Execution option of a statement whose result nobody reads (an INSERT or an UPDATE that
#: returns nothing, whose row count is not looked at): on PostgreSQL it is not waited for
#: but sent with the transaction's next statement, in one round trip (below).
UNREAD = "gateway_unread"

#: Where a connection keeps its open pipeline (``Connection.info``: its driver connection's)
_PIPELINE = "gateway_pipeline"


def send_unread_with_next(engine: Engine) -> None:
    """On PostgreSQL, statements marked :data:`UNREAD` go to the server with the next
    statement of their transaction (the driver's pipeline mode): one round trip for all,
    where each waited for its own answer. (The driver still waits for a BEGIN.)

    On loopback a round trip costs far more than its statement's work: the other process
    has gone to sleep and must be woken, 0.2–1 ms on a 2-core machine with other work on
    it, against 0.1 ms of the server's CPU for such a statement; a small file's
    transaction had 14 of them, one after the other. What the transaction reads (a SELECT,
    a RETURNING, an ORM update whose row count is checked, or anything not marked) is
    still answered before the code goes on: the pipeline is closed right after it, its
    answer arriving with those of the statements sent before. An error in an unread
    statement is raised there, as it would have been at the statement itself (the same
    error; the transaction rolls back), or at the COMMIT when nothing is read after it.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def _open(conn, _cursor, _statement, _params, context, _many) -> None:  # noqa: ANN001
        if context.execution_options.get(UNREAD) and _PIPELINE not in conn.info:
            driver = conn.connection.driver_connection
            stack = ExitStack()
            stack.enter_context(driver.pipeline())
            conn.info[_PIPELINE] = (driver, stack)

    @event.listens_for(engine, "after_cursor_execute")
    def _close(conn, _cursor, _statement, _params, context, _many) -> None:  # noqa: ANN001
        if not context.execution_options.get(UNREAD):
            # Inside SQLAlchemy's handling of the statement: an error of one sent before
            # is raised as the statement's own would be (the same class, the same rollback).
            settle(conn)

    @event.listens_for(engine, "commit")
    def _commit(conn) -> None:  # noqa: ANN001
        try:
            settle(conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            # Raised before SQLAlchemy's own handling of the COMMIT: made its error here
            raise DBAPIError.instance(
                None, None, exc, engine.dialect.loaded_dbapi.Error, dialect=engine.dialect
            ) from exc

    @event.listens_for(engine, "rollback")
    def _rollback(conn) -> None:  # noqa: ANN001
        try:
            settle(conn)
        except engine.dialect.loaded_dbapi.Error:
            pass  # the error of a statement rolled back: the caller has seen one already


def settle(conn: Connection) -> None:
    """Wait for the answers to the statements sent unread (:data:`UNREAD`), and raise the
    first error among them; then the driver's connection is used as usual again (COPY,
    a script, another library's statements: none of them works in pipeline mode)."""
    held: tuple[object, ExitStack] | None = conn.info.pop(_PIPELINE, None)
    if held is None:
        return
    driver, stack = held
    if driver is conn.connection.driver_connection:
        stack.close()
    # else: that driver connection was dropped (invalidated) with what it had in hand


__all__ = ["UNREAD", "send_unread_with_next", "settle"]
