"""The job queue of cluster mode: procrastinate on the gateway's own PostgreSQL.

Three kinds of job share the work of every machine (their bodies:
:mod:`gateway.daemon.jobs`):

* ``poll`` — one source (a folder partner on one node, an SFTP account, the ERP feed);
  its lock and queueing lock say *one poller per source in the whole cluster*: at most
  one running, at most one waiting;
* ``process`` — one recorded file, read from the blob store, anywhere;
* ``dispatch`` — a partner's messages, in order, one job at a time per partner (its
  lock), on the node holding the partner's outbox folder when it has one.

This module is the one place that names queues and locks, and defers jobs *on the
connection of a session's transaction*, so a job exists exactly when the work it
continues was committed (a rolled-back transaction leaves no job behind).

procrastinate's own tables are applied by ``db upgrade`` (:func:`apply_queue_schema`,
called by :mod:`gateway.store.migrate` under its advisory lock), never by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from procrastinate import App

# procrastinate is imported where it is used: every command reaches this module (through
# the migrations' check), and importing it costs a quarter of a second.

#: Task names (stable: they are stored in the jobs table)
POLL, PROCESS, DISPATCH = "poll", "process", "dispatch"
#: Queues: polls of sources any node can reach, processing, sending
POLL_QUEUE, PROCESS_QUEUE, DISPATCH_QUEUE = "poll", "process", "dispatch"
#: A queue of one node's own: its folders' polls and the sending into its folders
NODE_QUEUE_PREFIX = "node."
#: The table whose presence says procrastinate's schema is applied
QUEUE_TABLE = "procrastinate_jobs"


def node_queue(node: str) -> str:
    """The queue only the workers of ``node`` take jobs from.

    >>> node_queue("gw-a")
    'node.gw-a'
    """
    return f"{NODE_QUEUE_PREFIX}{node}"


def poll_lock(source: str) -> str:
    """Lock (and queueing lock) of a source's poll: one poller per source."""
    return f"poll:{source}"


def dispatch_lock(partner_id: str) -> str:
    """Lock of a partner's dispatch jobs: its replies go in order, one connection at a time."""
    return f"dispatch:{partner_id}"


def conninfo(database_url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL.

    >>> conninfo("postgresql+psycopg://gw:secret@db.example:5433/gateway")
    'postgresql://gw:secret@db.example:5433/gateway'
    """
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"cluster mode needs PostgreSQL, not {url.get_backend_name()}")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def job_app(database_url: str, **pool: Any) -> App:
    """A procrastinate application on the gateway's database, for a worker (tasks are
    added by :mod:`gateway.daemon.jobs`)."""
    from procrastinate import App, PsycopgConnector

    return App(connector=PsycopgConnector(conninfo=conninfo(database_url), **pool))


def deferring_app(database_url: str) -> App:
    """An application that only defers, on connections it is given (no pool of its own:
    a job is always deferred in the transaction of the work it continues)."""
    from procrastinate import App, SyncPsycopgConnector

    return App(connector=SyncPsycopgConnector(conninfo=conninfo(database_url)))


def defer(
    session: Session,
    app: App,
    task: str,
    *,
    queue: str,
    lock: str | None = None,
    queueing_lock: str | None = None,
    args: Mapping[str, Any] | None = None,
) -> int | None:
    """Defer a job in ``session``'s transaction; its id, or None when the queueing lock
    says one is waiting already (the waiting one does the same work)."""
    from procrastinate.exceptions import AlreadyEnqueued

    raw = session.connection().connection.dbapi_connection
    deferrer = app.configure_task(
        name=task,
        queue=queue,
        lock=lock,
        queueing_lock=queueing_lock,
        connection=raw,
        allow_unknown=True,
    )
    try:
        return deferrer.defer(**dict(args or {}))
    except AlreadyEnqueued:
        return None


def queue_schema_present(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql" and inspect(conn).has_table(QUEUE_TABLE)


def apply_queue_schema(conn: Connection) -> bool:
    """Create procrastinate's tables and functions when they are not there; True if made.

    Run inside the caller's transaction (which holds the migrations' advisory lock), so
    two machines upgrading at once do not both create them."""
    if conn.dialect.name != "postgresql" or queue_schema_present(conn):
        return False
    from procrastinate.schema import SchemaManager

    raw = conn.connection.dbapi_connection
    assert raw is not None
    # Without parameters the driver sends the script as it is (no placeholder to escape).
    raw.execute(SchemaManager.get_schema())
    return True


def is_queue_table(name: str) -> bool:
    """Whether a table is procrastinate's, not the gateway's (migrations leave it alone)."""
    return name.startswith("procrastinate_")


__all__ = [
    "DISPATCH",
    "DISPATCH_QUEUE",
    "NODE_QUEUE_PREFIX",
    "POLL",
    "POLL_QUEUE",
    "PROCESS",
    "PROCESS_QUEUE",
    "apply_queue_schema",
    "conninfo",
    "defer",
    "deferring_app",
    "dispatch_lock",
    "is_queue_table",
    "job_app",
    "node_queue",
    "poll_lock",
    "queue_schema_present",
]
