"""``db upgrade | current | check``: the database's schema against this code."""

import typer

from gateway.cli.app import JsonOpt, app, console, err, open_workspace, print_json

db_app = typer.Typer(help="The database schema: upgrade, show, check.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(as_json: JsonOpt = False) -> None:
    """Bring the database to this gateway's schema (back it up first).

    A database made before migrations is checked against the baseline and stamped.
    On PostgreSQL, two machines upgrading at once take turns.

    Example:
    order-gateway db upgrade
    """
    from gateway.store.migrate import upgrade

    engine = open_workspace().unchecked_engine()
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    if as_json:
        print_json({"before": before.as_dict(), "after": after.as_dict()})
        return
    if before.revision == after.revision:
        console.print(f"schema already at revision {after.revision}: nothing to do")
    else:
        console.print(f"schema {before.state.value} ({before.revision or '-'}) → {after.revision}")


@db_app.command("current")
def db_current(as_json: JsonOpt = False) -> None:
    """The database's schema revision and this gateway's.

    Example:
    order-gateway db current --json
    """
    from gateway.store.migrate import schema

    engine = open_workspace().unchecked_engine()
    try:
        with engine.connect() as conn:
            found = schema(conn)
    finally:
        engine.dispose()
    if as_json:
        print_json(found.as_dict())
        return
    console.print(
        f"database: {found.revision or '-'} ({found.state.value}); this gateway: {found.head}"
    )


@db_app.command("check")
def db_check(as_json: JsonOpt = False) -> None:
    """Whether the database is at this gateway's revision and its tables match the code.

    Example:
    order-gateway db check
    """
    from gateway.store.jobs import queue_schema_present
    from gateway.store.migrate import SchemaState, differences, schema

    engine = open_workspace().unchecked_engine()
    try:
        with engine.connect() as conn:
            found = schema(conn)
            diffs = differences(conn) if found.state is SchemaState.CURRENT else []
            # procrastinate's tables: PostgreSQL only (SQLite has no cluster mode)
            queue = queue_schema_present(conn) if conn.dialect.name == "postgresql" else None
    finally:
        engine.dispose()
    ok = found.state is SchemaState.CURRENT and not diffs and queue is not False
    if as_json:
        print_json(found.as_dict() | {"ok": ok, "differences": diffs, "job_queue": queue})
    elif ok:
        jobs = ", the job queue's tables there" if queue else ""
        console.print(f"schema at revision {found.revision}, tables as the code has them{jobs}")
    else:
        if queue is False:
            err.print(
                "[red]the job queue's tables are missing: run `order-gateway db upgrade`[/red]"
            )
        err.print(
            f"[red]schema {found.state.value} ({found.revision or '-'}, code {found.head})[/red]"
        )
        for d in diffs:
            err.print(f"  • {d}")
    raise typer.Exit(0 if ok else 1)
