"""Schema migrations (Alembic, inside the package): one revision tree for SQLite and
PostgreSQL, and the check every command makes before it uses a database.

* A new, empty database is created at the current revision (``create_all`` and a
  stamp — the same schema the revisions build, which a test holds them to).
* A database made before migrations (tables, no ``alembic_version``) is recognised:
  ``db upgrade`` checks its tables and columns are the baseline's, stamps it as the
  baseline, then upgrades it.
* A database older or newer than the code is refused, naming the command to run.
* ``db upgrade`` on PostgreSQL holds an advisory lock: two machines upgrading at once
  take turns, and the second finds nothing left to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, inspect, text

from gateway.errors import Refused, Unreadable
from gateway.store.jobs import apply_queue_schema, is_queue_table
from gateway.store.models import Base

if TYPE_CHECKING:  # Alembic is imported where used: most commands find the database current
    # by one query (_at_head) and never need it
    from alembic.config import Config
    from alembic.script import ScriptDirectory

#: The revision this code needs (a test holds it to the newest file in versions/)
HEAD = "0006"
BASELINE = "0001"
#: Any number: the key of PostgreSQL's advisory lock held while upgrading
_LOCK_KEY = 0x6F67_6477  # "ogdw"
_MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaState(StrEnum):
    EMPTY = "empty"  # no table yet
    CURRENT = "current"
    OLDER = "older"  # db upgrade brings it to the code's revision
    NEWER = "newer"  # made by a newer gateway: upgrade the code
    UNVERSIONED = "unversioned"  # made before migrations: db upgrade stamps it


class SchemaOutOfDate(Refused):
    """The database's schema is not the one this code uses."""

    exit_code = 2


class NotTheBaseline(Unreadable):
    """The database has tables, but not those of any gateway schema."""


@dataclass(frozen=True)
class Schema:
    state: SchemaState
    revision: str | None
    head: str = HEAD

    def as_dict(self) -> dict[str, str | None]:
        return {"state": self.state.value, "revision": self.revision, "head": self.head}


def config(connection: Connection) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def _scripts() -> ScriptDirectory:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return ScriptDirectory.from_config(cfg)


def script_head() -> str:
    """The newest revision file (the code's HEAD must be it)."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def schema(connection: Connection) -> Schema:
    """Where the database stands against this code."""
    from alembic.migration import MigrationContext

    current = MigrationContext.configure(connection).get_current_revision()
    if current is None:
        tables = {
            t
            for t in inspect(connection).get_table_names()
            if t != "alembic_version" and not is_queue_table(t)
        }
        return Schema(SchemaState.UNVERSIONED if tables else SchemaState.EMPTY, None)
    if current == HEAD:
        return Schema(SchemaState.CURRENT, current)
    known = {r.revision for r in _scripts().walk_revisions()}
    return Schema(SchemaState.OLDER if current in known else SchemaState.NEWER, current)


def ensure_current(engine: Engine, *, read_only: Engine | None = None) -> None:
    """Create an empty database at the code's revision; refuse any other but the current.

    ``read_only`` looks without a write lock (SQLite: a deferred BEGIN), so that opening a
    workspace never waits for a worker storing a big file."""
    with (read_only or engine).connect() as conn:
        if _at_head(conn):
            return
        found = schema(conn)
    if found.state is SchemaState.CURRENT:
        return
    if found.state is SchemaState.EMPTY:
        create_current(engine)
        return
    url = engine.url.render_as_string(hide_password=True)
    if found.state is SchemaState.NEWER:
        raise SchemaOutOfDate(
            f"the database {url} is at schema revision {found.revision}, newer than this "
            f"gateway's {HEAD}: upgrade order-gateway on this machine"
        )
    what = (
        "was made before migrations"
        if found.state is SchemaState.UNVERSIONED
        else f"is at schema revision {found.revision}, older than this gateway's {HEAD}"
    )
    raise SchemaOutOfDate(
        f"the database {url} {what}: run `order-gateway db upgrade` (back it up first)"
    )


def _at_head(connection: Connection) -> bool:
    """Whether the database is stamped at the code's revision and nothing else: what
    :func:`schema` finds on nearly every command, read by one query without loading
    Alembic (a third of a listing's start-up). Any other answer goes to :func:`schema`."""
    if not inspect(connection).has_table("alembic_version"):
        return False
    stamped = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return list(stamped) == [HEAD]


def create_current(engine: Engine) -> None:
    """A new database, made at the code's revision."""
    from alembic import command

    with engine.begin() as conn:
        _lock(conn)
        if schema(conn).state is not SchemaState.EMPTY:
            return  # another process made it meanwhile
        Base.metadata.create_all(conn)
        command.stamp(config(conn), HEAD)
        apply_queue_schema(conn)


def upgrade(engine: Engine) -> tuple[Schema, Schema]:
    """Bring the database to the code's revision; (before, after)."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = None
        if sqlite:
            # SQLite alters a table by copying it, which foreign keys referring to it would
            # refuse; the pragma only takes effect outside a transaction, so it goes to
            # the driver before SQLAlchemy begins one. Integrity is checked at the end.
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                result = _upgrade(conn)
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise NotTheBaseline("the upgraded database has broken foreign keys")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")
        return result


def _upgrade(conn: Connection) -> tuple[Schema, Schema]:
    from alembic import command

    _lock(conn)
    before = schema(conn)
    if before.state is SchemaState.NEWER:
        raise SchemaOutOfDate(
            f"the database is at revision {before.revision}, newer than this gateway's "
            f"{HEAD}: nothing to upgrade here"
        )
    if before.state is SchemaState.EMPTY:
        Base.metadata.create_all(conn)
        command.stamp(config(conn), HEAD)
    else:
        if before.state is SchemaState.UNVERSIONED:
            for name in check_baseline(conn):
                Base.metadata.tables[name].create(conn)
            command.stamp(config(conn), BASELINE)
        command.upgrade(config(conn), HEAD)
    # procrastinate's tables (PostgreSQL): by its own script, once, under the same lock
    apply_queue_schema(conn)
    return before, schema(conn)


def differences(connection: Connection) -> list[str]:
    """What differs between the database and the code's tables (``db check``)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    ctx = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": _ours})
    return [str(d) for d in compare_metadata(ctx, Base.metadata)]


def _ours(name: str | None, type_: str, _parent: object) -> bool:
    """The gateway's tables only: procrastinate's are its own script's."""
    return not (type_ == "table" and name is not None and is_queue_table(name))


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})


def _columns(conn: Connection) -> dict[str, set[str]]:
    found = inspect(conn)
    return {
        t: {c["name"] for c in found.get_columns(t)}
        for t in found.get_table_names()
        if t != "alembic_version" and not is_queue_table(t)
    }


def check_baseline(conn: Connection) -> list[str]:
    """Refuse to stamp a database whose tables and columns are not the baseline's.

    A database from an earlier landing may lack tables the baseline has (the interchange
    ledger came late): those the revisions since never touched are listed, to be created
    as the code defines them; any other difference refuses.
    """
    from alembic import command

    baseline, current = create_engine("sqlite://"), create_engine("sqlite://")
    with baseline.begin() as s:
        command.upgrade(config(s), BASELINE)
        wanted = _columns(s)
    with current.begin() as s:
        Base.metadata.create_all(s)
        now = _columns(s)
    found = _columns(conn)
    missing = sorted(set(wanted) - set(found))
    late = [t for t in missing if now.get(t) == wanted[t]]
    odd = sorted(t for t in found if t in wanted and found[t] != wanted[t])
    extra = sorted(set(found) - set(wanted))
    if odd or extra or len(late) != len(missing):
        raise NotTheBaseline(
            "the database has tables, but not the gateway's schema from before migrations "
            f"(missing tables: {missing or 'none'}; other columns in: {odd or 'none'}; "
            f"tables not ours: {extra or 'none'}); it was not changed"
        )
    return late


__all__ = [
    "BASELINE",
    "HEAD",
    "NotTheBaseline",
    "Schema",
    "SchemaOutOfDate",
    "SchemaState",
    "create_current",
    "differences",
    "ensure_current",
    "schema",
    "script_head",
    "upgrade",
]
