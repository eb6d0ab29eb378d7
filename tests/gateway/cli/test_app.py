"""Start-up of the command line: a command imports what it runs, nothing more.

Each test starts a fresh ``python -X importtime -m gateway …`` (the interpreter reports
every module it imports on stderr) and names the libraries that command must not load:
help never loads the database, the readers or the web console; a listing loads the
database, not Alembic's migrations, the spreadsheet libraries, the name matcher, nor the
parts of its libraries it never runs (the PostgreSQL dialect on SQLite). What this costs
in CPU seconds is measured by ``bench/bench_startup.py``, not here. The commands'
signatures, which typer reads at every start, hold objects, not strings to evaluate; a
command that exits leaves its SQLite database whole, its write-ahead log folded back.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from gateway.workspace import Workspace

REPO = Path(__file__).resolve().parents[3]

#: What only the commands that read, process or serve need
READERS = {"pandas", "pyarrow", "openpyxl", "python_calamine", "xlsxwriter", "numpy", "rapidfuzz"}
SERVICES = {"fastapi", "uvicorn", "jinja2", "paramiko", "procrastinate", "boto3"}
DATABASE = {"sqlalchemy", "alembic"}
#: Modules of the libraries a listing uses that it never runs: the PostgreSQL dialect on
#: SQLite, rich's live progress display (only ``import`` shows one)
NOT_LISTING = {"sqlalchemy.dialects.postgresql", "rich.progress", "rich.live"}


def imported(*args: str) -> set[str]:
    """The top-level packages a fresh ``order-gateway ARGS…`` imports (it must succeed)."""
    return {name.split(".")[0] for name in imported_modules(*args)}


def imported_modules(*args: str) -> set[str]:
    """Every module a fresh ``order-gateway ARGS…`` imports, by its full name."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gateway", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return {
        line.rpartition("|")[2].strip()
        for line in run.stderr.splitlines()
        if line.startswith("import time:") and "imported package" not in line
    }


def test_help_loads_no_database_reader_service_or_settings() -> None:
    found = imported("--help")
    assert "typer" in found and "gateway" in found  # the probe sees what is imported
    assert not found & (READERS | SERVICES | DATABASE | {"pydantic"})


@pytest.mark.parametrize(
    "command", [["orders", "list"], ["run"], ["serve"], ["import"], ["users", "add"]]
)
def test_help_of_a_command_loads_no_database_reader_or_service(command: list[str]) -> None:
    # pydantic is not in the list: typer itself imports it to parse a command's options
    assert not imported(*command, "--help") & (READERS | SERVICES | DATABASE)


@pytest.mark.parametrize(
    "command", [["orders", "list"], ["files", "list"], ["rejections", "list"], ["status"]]
)
def test_a_listing_opens_the_database_without_migrations_readers_or_services(
    sqlite_workspace: Workspace, command: list[str]
) -> None:
    modules = imported_modules("--workspace", str(sqlite_workspace.root), *command)
    found = {name.split(".")[0] for name in modules}
    assert "sqlalchemy" in found and "sqlalchemy.dialects.sqlite" in modules
    # the schema revision is checked by one query; Alembic only when it is not current
    assert not found & (READERS | SERVICES | {"alembic"})
    unused = modules & NOT_LISTING
    assert not unused


def test_a_command_leaves_the_sqlite_database_whole_when_it_exits(
    sqlite_workspace: Workspace,
) -> None:
    # its own objects are left to the system at exit, its database connections are not:
    # the last one closed folds the write-ahead log back into gateway.sqlite
    sqlite_workspace.close()  # the command's connection is the last one
    imported("--workspace", str(sqlite_workspace.root), "orders", "list")
    assert (sqlite_workspace.root / "gateway.sqlite").exists()
    assert not list(sqlite_workspace.root.glob("gateway.sqlite-*"))


def _callbacks(group: typer.Typer) -> Iterator[Callable[..., Any]]:
    for command in group.registered_commands:
        assert command.callback is not None
        yield command.callback
    if group.registered_callback and group.registered_callback.callback:
        yield group.registered_callback.callback
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        yield from _callbacks(sub.typer_instance)


def test_every_command_signature_is_evaluated_where_it_is_defined() -> None:
    # typer reads every command's parameters at each start; an annotation left as a string
    # (``from __future__ import annotations``) would be compiled and evaluated each time
    from gateway.cli import app

    callbacks = list(_callbacks(app))
    assert len(callbacks) > 30  # the walk sees the commands of every group
    strings = {f.__qualname__ for f in callbacks for a in f.__annotations__.values()
               if isinstance(a, str)}  # fmt: skip
    assert not strings
