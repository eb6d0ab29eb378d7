"""Schema migrations: one revision tree for SQLite and PostgreSQL, existing databases
recognised and upgraded with their data, and commands refusing a schema not theirs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, create_engine, inspect, text
from typer.testing import CliRunner

from gateway.cli.app import app
from gateway.config.settings import CONFIG_NAME
from gateway.store import migrate
from gateway.store.database import make_engine, sqlite_url
from gateway.store.migrate import NotTheBaseline, SchemaOutOfDate, SchemaState
from gateway.workspace import Workspace
from tests.gateway.conftest import CONFIG, build_workspace

runner = CliRunner()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url")
    return sqlite_url(tmp_path / "gateway.sqlite")


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    yield engine
    engine.dispose()


def at_baseline_with_data(engine: Engine, *, versioned: bool) -> None:
    """A database as the previous release left it: baseline tables, one order in them."""
    with engine.begin() as conn:
        command.upgrade(migrate.config(conn), migrate.BASELINE)
        now = datetime.now(UTC)
        conn.execute(
            text(
                "INSERT INTO inbound_files (partner, name, sha256, size, outcome, received_at, "
                "orders_count, lines_accepted, lines_rejected) "
                "VALUES ('shop', 'old.csv', 'ab12', 10, 'processed', :now, 1, 1, 0)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO orders (partner, inbound_file_id, customer_code, order_number, "
                "status, format, envelope, created_at, updated_at) "
                "VALUES ('shop', 1, 'C1', 'OLD-1', 'pending_validation', 'csv', '{}', :now, :now)"
            ),
            {"now": now},
        )
        if not versioned:  # made by create_all, before migrations
            conn.execute(text("DROP TABLE alembic_version"))


def workspace_on(tmp_path: Path, url: str) -> Path:
    root = tmp_path / "ws"
    root.mkdir(exist_ok=True)
    (root / CONFIG_NAME).write_text(f'[gateway]\ndatabase = "{url}"\n' + CONFIG, encoding="utf-8")
    return root


def test_the_code_needs_the_newest_revision_file() -> None:
    assert migrate.HEAD == migrate.script_head()


def test_the_revisions_build_exactly_the_tables_the_code_defines(engine: Engine) -> None:
    with engine.begin() as conn:
        command.upgrade(migrate.config(conn), "head")
    with engine.connect() as conn:
        assert migrate.differences(conn) == []
        assert migrate.schema(conn).state is SchemaState.CURRENT


def test_a_new_database_is_made_at_the_current_revision(engine: Engine) -> None:
    migrate.ensure_current(engine)
    with engine.connect() as conn:
        assert migrate.schema(conn).revision == migrate.HEAD
        assert migrate.differences(conn) == []


#: The partial indexes, each with a word of its condition
PARTIAL_INDEXES = {
    "uq_inbound_files_processed": "'processed'",
    "uq_orders_live_number": "'cancelled'",
    "ix_order_lines_rejected": "'rejected'",
}


def index_definitions(conn: Connection) -> dict[str, str]:
    """Each index of the database by name, as the engine itself writes its definition."""
    if conn.dialect.name == "sqlite":
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    else:
        query = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
    return {name: definition for name, definition in conn.execute(text(query)).all()}


def test_a_new_database_indexes_only_the_rows_its_partial_indexes_name(engine: Engine) -> None:
    migrate.ensure_current(engine)
    with engine.connect() as conn:
        made = index_definitions(conn)
    for name, condition in PARTIAL_INDEXES.items():
        assert " WHERE " in made[name].upper() and condition in made[name], made[name]


def test_a_baseline_database_is_upgraded_with_its_data(engine: Engine) -> None:
    at_baseline_with_data(engine, versioned=True)
    before, after = migrate.upgrade(engine)
    assert (before.state, after.state) == (SchemaState.OLDER, SchemaState.CURRENT)
    with engine.connect() as conn:
        assert migrate.differences(conn) == []
        number = conn.execute(text("SELECT order_number FROM orders")).scalar_one()
        assert number == "OLD-1"


def test_a_database_from_before_migrations_is_refused_until_upgraded(
    tmp_path: Path, url: str, engine: Engine
) -> None:
    at_baseline_with_data(engine, versioned=False)
    root = workspace_on(tmp_path, url)
    listed = runner.invoke(app, ["-w", str(root), "orders", "list"])
    assert listed.exit_code == 2
    said = " ".join(listed.stderr.split())
    assert "was made before migrations: run `order-gateway db upgrade`" in said
    current = runner.invoke(app, ["-w", str(root), "db", "current"])
    assert "unversioned" in current.stdout
    upgraded = runner.invoke(app, ["-w", str(root), "db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"→ {migrate.HEAD}" in upgraded.stdout
    assert runner.invoke(app, ["-w", str(root), "db", "check"]).exit_code == 0
    shown = runner.invoke(app, ["-w", str(root), "orders", "list", "--json"])
    assert '"order_number": "OLD-1"' in shown.stdout


def test_a_database_of_an_earlier_landing_gets_the_tables_it_lacked(engine: Engine) -> None:
    at_baseline_with_data(engine, versioned=False)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE received_interchanges"))  # came late in the baseline
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert "received_interchanges" in inspect(conn).get_table_names()
        assert migrate.differences(conn) == []


def test_a_database_that_is_not_the_gateways_is_left_alone(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    with pytest.raises(NotTheBaseline, match="tables not ours: \\['invoices'\\]"):
        migrate.upgrade(engine)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == ["invoices"]


def test_a_database_newer_than_the_code_is_refused(engine: Engine) -> None:
    migrate.ensure_current(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaOutOfDate, match="newer than this gateway's"):
        migrate.ensure_current(engine)


def test_an_older_database_is_refused_naming_the_command(engine: Engine) -> None:
    at_baseline_with_data(engine, versioned=True)
    with pytest.raises(SchemaOutOfDate, match="older than this gateway's .*db upgrade"):
        migrate.ensure_current(engine)


@pytest.mark.postgres
def test_two_machines_upgrading_at_once_take_turns(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    at_baseline_with_data(engine, versioned=True)
    results: list[object] = []

    def upgrade() -> None:
        other = create_engine(postgres_url)
        try:
            results.append(migrate.upgrade(other)[1].state)
        except Exception as exc:  # noqa: BLE001 — collected for the assertion
            results.append(exc)
        finally:
            other.dispose()

    threads = [threading.Thread(target=upgrade) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results == [SchemaState.CURRENT, SchemaState.CURRENT]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    engine.dispose()


def test_a_workspace_opens_its_new_database_at_the_current_revision(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path / "ws")
    try:
        with ws.engine.connect() as conn:
            assert migrate.schema(conn).state is SchemaState.CURRENT
    finally:
        ws.close()
    assert isinstance(Workspace.open(tmp_path / "ws"), Workspace)
