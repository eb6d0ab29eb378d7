"""``process``, ``run`` and ``inspect``: files through the pipeline, for real or dry."""

from pathlib import Path
from typing import Annotated

import typer

from gateway.cli.app import JsonOpt, app, console, err, open_workspace, print_json
from gateway.cli.tables import outcome_dict, print_lines, print_outcomes


@app.command()
def process(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", exists=True, dir_okay=False, help="The order file.")
    ],
    partner: Annotated[
        str,
        typer.Option("--partner", "-p", metavar="PARTNER", help="Partner id the file comes from."),
    ],
    as_json: JsonOpt = False,
) -> None:
    """Process one file now (a copy goes through the pipeline; the original stays).

    Example:
    order-gateway process ~/Downloads/commande-123.csv --partner epicerie
    """
    from gateway.daemon.passes import process_external

    ws = open_workspace()
    outcome = process_external(ws, partner, file)
    if as_json:
        print_json(outcome_dict(outcome))
        return
    print_outcomes([outcome])
    for s in outcome.orders:
        console.print(
            f"order #{s.id} {s.order_number or ''} → {s.status} "
            f"({s.accepted} accepted, {s.rejected} rejected)"
        )
    for p in outcome.replies:
        console.print(f"  reply: {p}")


@app.command()
def run(
    once: Annotated[
        bool, typer.Option("--once", help="Process every ready file, then exit.")
    ] = False,
    interval: Annotated[
        float,
        typer.Option(
            min=0.05,
            metavar="SECONDS",
            help="Seconds between full scans of every inbox (at least 0.05).",
        ),
    ] = 5.0,
    settle: Annotated[
        float,
        typer.Option(
            min=0,
            metavar="SECONDS",
            help="Seconds a file's size and mtime must stay still before "
            "it is read (a partner's settle_seconds wins).",
        ),
    ] = 1.0,
    as_json: JsonOpt = False,
) -> None:
    """Process the files in every partner inbox until SIGTERM (with --once: then exit).

    The workspace is checked first (as `check` does): on an error it does not start.

    Examples:
    order-gateway run
    order-gateway run --once --json
    """
    from gateway.cli.check import refuse_to_start_on_errors
    from gateway.daemon.passes import run_once

    ws = open_workspace()
    refuse_to_start_on_errors(ws)
    if not once:
        from gateway.daemon.service import serve

        raise typer.Exit(serve(ws, interval=interval, settle=settle))
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=as_json,
    ) as progress:
        task = progress.add_task("scanning inboxes")
        outcomes = run_once(
            ws, settle=settle, on_file=lambda p, f: progress.update(task, description=f"{p}: {f}")
        )
    if as_json:
        print_json([outcome_dict(o) for o in outcomes])
    elif outcomes:
        print_outcomes(outcomes)
    else:
        console.print("no files waiting")


@app.command()
def inspect(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", exists=True, dir_okay=False, help="The order file.")
    ],
    partner: Annotated[
        str | None,
        typer.Option(
            "--partner", "-p", metavar="PARTNER", help="Partner id (default: the only one)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Dry run: parse, resolve and check a file; print what would happen to every line.

    Example:
    order-gateway inspect commande-123.xlsx --partner epicerie
    """
    from gateway.intake.dry_run import InspectFailed, inspect_file

    ws = open_workspace()
    try:
        report = inspect_file(ws, file, partner)
    except InspectFailed as exc:
        if as_json:
            print_json({"file": file.name, "error": str(exc)})
        else:
            err.print(f"[red]{file.name}: {exc}[/red]")
        raise typer.Exit(1) from None
    if as_json:
        print_json(report)
        return
    console.print(
        f"{file.name}: {report['format']}, partner {report['partner']}, "
        f"{len(report['orders'])} order(s)"
    )
    for o in report["orders"]:
        console.print(
            f"\n[bold]order {o['order_number'] or '(no number)'}[/bold] customer "
            f"{o['customer']} site {o['site']} → would be [bold]{o['status']}[/bold]"
            + (f": {o['reason']}" if o["reason"] else "")
        )
        print_lines(o["lines"])
