"""``init``, ``import`` and ``demo``: make a workspace and fill it."""

import shutil
from pathlib import Path
from typing import Annotated

import typer

from gateway.cli.app import JsonOpt, app, console, err, open_workspace, print_json, state


@app.command()
def init(
    demo: Annotated[
        bool, typer.Option("--demo", help="Add a sample catalog, partners and order files.")
    ] = False,
    force: Annotated[bool, typer.Option(help="Overwrite an existing gateway.toml.")] = False,
) -> None:
    """Create a workspace: gateway.toml, inbox/, outbox/, archive/, failed/ and the database.

    Examples:
    order-gateway init
    order-gateway init --demo --force
    """
    from gateway.demo import create_demo
    from gateway.workspace import create_workspace, resolve_root

    root = resolve_root(state.workspace)
    try:
        ws = create_demo(root, force=force) if demo else create_workspace(root, force=force)
    except FileExistsError as exc:
        err.print(f"[red]{exc}[/red] (use --force to overwrite)")
        raise typer.Exit(1) from None
    console.print(f"workspace ready in [bold]{ws.root}[/bold]")
    if demo:
        console.print(
            "sample order files are in the partners' inboxes; run `order-gateway run --once`"
        )


@app.command("import")
def import_(
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help="products, barcodes, customers, sites, grants, assortments or customer-refs.",
        ),
    ],
    file: Annotated[
        Path, typer.Argument(metavar="FILE", exists=True, dir_okay=False, help="CSV or XLSX file.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Import master data (idempotent: re-importing updates and reports what changed).

    Examples:
    order-gateway import products catalogue.xlsx
    order-gateway import grants grants.csv --json
    """
    # rich's progress display (live rendering, spinners) only for the command that shows it
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from gateway.catalog.importer import Kind, import_file

    try:
        k = Kind(kind)
    except ValueError:
        err.print(
            f"[red]unknown kind {kind!r}[/red]; expected one of: {', '.join(k.value for k in Kind)}"
        )
        raise typer.Exit(2) from None
    ws = open_workspace()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=as_json,
    ) as progress:
        task = progress.add_task(f"importing {k.value} from {file.name}")
        with ws.sessions.begin() as s:
            report = import_file(
                s,
                k,
                file,
                progress=lambda m: progress.update(task, description=m),
                partners=ws.config.partners,
            )
    if as_json:
        print_json(report.as_dict())
        return
    from gateway.cli.tables import Column, print_records

    counted = ("created", "updated", "unchanged")
    print_records(
        [Column("table"), *(Column(c, justify="right") for c in counted)],
        ([name, f"{ch.created:,}", f"{ch.updated:,}", f"{ch.unchanged:,}"]
         for name, ch in report.changes.items()),
        title=f"{k.value}: {report.rows:,} rows read from {file.name}",
    )  # fmt: skip
    if report.error_count:
        err.print(f"[yellow]{report.error_count} row(s) skipped:[/yellow]")
        for e in report.errors:
            err.print(f"  • {e}")
        if report.error_count > len(report.errors):
            err.print(f"  … and {report.error_count - len(report.errors)} more")


@app.command()
def demo(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Where to create the demo workspace.")
    ] = Path("demo-workspace"),
) -> None:
    """Create a demo workspace, drop the sample files, process them and show the orders.

    Example:
    order-gateway demo /tmp/demo-workspace
    """
    from gateway.cli.tables import print_orders, print_outcomes
    from gateway.daemon.passes import run_once
    from gateway.demo import create_demo
    from gateway.orders.queries import list_orders

    if directory.exists():
        shutil.rmtree(directory)
    ws = create_demo(directory.resolve(), force=True)
    console.print(f"demo workspace: [bold]{ws.root}[/bold]")
    outcomes = run_once(ws)
    print_outcomes(outcomes)
    orders = list_orders(ws, limit=100)
    print_orders(list(reversed(orders)), "orders")
    console.print("replies:")
    for o in outcomes:
        for p in o.replies:
            console.print(f"  {p.relative_to(ws.root)}")
    console.print(
        f"\nnext: order-gateway -w {directory} orders show {orders[-1]['id'] if orders else 1}"
    )
