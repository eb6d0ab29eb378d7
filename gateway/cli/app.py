"""The ``order-gateway`` command line (typer). Thin: it parses options and calls services."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from gateway.config.settings import ConfigError
from gateway.orders.queries import json_number
from gateway.workspace import Workspace, resolve_root

app = typer.Typer(
    help="A supplier's order-intake gateway: order files in, acknowledgements out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
orders_app = typer.Typer(help="List, inspect and move orders.", no_args_is_help=True)
app.add_typer(orders_app, name="orders")

console = Console()
err = Console(stderr=True)

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: $ORDER_GATEWAY_HOME, else the current folder).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


class _State:
    workspace: Path | None = None


state = _State()


@app.callback()
def main(
    workspace: WorkspaceOpt = None,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "warning",
    log_format: Annotated[str, typer.Option(help="text or json.")] = "text",
) -> None:
    state.workspace = workspace
    from gateway.logs import setup_logging

    setup_logging(log_level, log_format)


def open_workspace() -> Workspace:
    root = resolve_root(state.workspace)
    try:
        ws = Workspace.open(root)
    except ConfigError as exc:
        err.print(f"[red]configuration error[/red] in {exc.path}:")
        for p in exc.problems:
            err.print(f"  • {p}")
        raise typer.Exit(2) from None
    ws.ensure_folders()
    return ws


def _json_default(v: Any) -> Any:
    if isinstance(v, Decimal):
        return json_number(v)
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, Path):
        return str(v)
    raise TypeError(type(v))


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, default=_json_default, ensure_ascii=False, indent=2) + "\n")


# --- workspace -------------------------------------------------------------------------
@app.command()
def init(
    demo: Annotated[
        bool, typer.Option("--demo", help="Add a sample catalog, partners and order files.")
    ] = False,
    force: Annotated[bool, typer.Option(help="Overwrite an existing gateway.toml.")] = False,
) -> None:
    """Create a workspace: gateway.toml, inbox/, outbox/, archive/, failed/ and the database."""
    from gateway.demo import create_workspace

    root = resolve_root(state.workspace)
    try:
        ws = create_workspace(root, demo=demo, force=force)
    except FileExistsError as exc:
        err.print(f"[red]{exc}[/red] (use --force to overwrite)")
        raise typer.Exit(1) from None
    console.print(f"workspace ready in [bold]{ws.root}[/bold]")
    if demo:
        console.print(
            "sample order files are in the partners' inboxes; run `order-gateway run --once`"
        )


# --- master data -------------------------------------------------------------------------
@app.command("import")
def import_(
    kind: Annotated[
        str,
        typer.Argument(
            help="products, barcodes, customers, sites, grants, assortments or customer-refs."
        ),
    ],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX file.")],
    as_json: JsonOpt = False,
) -> None:
    """Import master data (idempotent: re-importing updates and reports what changed)."""
    from gateway.catalog.importer import ImportFailed, Kind, import_file

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
        try:
            with ws.sessions.begin() as s:
                report = import_file(
                    s, k, file, progress=lambda m: progress.update(task, description=m)
                )
        except ImportFailed as exc:
            err.print(f"[red]import failed:[/red] {exc}")
            raise typer.Exit(1) from None
    if as_json:
        print_json(report.as_dict())
        return
    table = Table(title=f"{k.value}: {report.rows:,} rows read from {file.name}")
    for col in ("table", "created", "updated", "unchanged"):
        table.add_column(col, justify="right" if col != "table" else "left")
    for name, ch in report.changes.items():
        table.add_row(name, f"{ch.created:,}", f"{ch.updated:,}", f"{ch.unchanged:,}")
    console.print(table)
    if report.error_count:
        err.print(f"[yellow]{report.error_count} row(s) skipped:[/yellow]")
        for e in report.errors:
            err.print(f"  • {e}")
        if report.error_count > len(report.errors):
            err.print(f"  … and {report.error_count - len(report.errors)} more")


# --- processing ------------------------------------------------------------------------------
def _outcome_dict(o: Any) -> dict[str, Any]:
    return {
        "partner": o.partner,
        "file": o.name,
        "outcome": o.outcome,
        "format": o.format,
        "reason": o.reason,
        "inbound_id": o.inbound_id,
        "orders": [vars(s) for s in o.orders],
        "replies": [str(p) for p in o.replies],
        "moved_to": str(o.moved_to) if o.moved_to else None,
        "seconds": round(o.seconds, 3),
    }


def _print_outcomes(outcomes: list[Any]) -> None:
    table = Table(title="files")
    for col in ("partner", "file", "outcome", "orders", "accepted", "rejected", "note"):
        table.add_column(col)
    for o in outcomes:
        colour = {"processed": "green", "recovered": "green", "failed": "red"}.get(
            o.outcome, "yellow"
        )
        table.add_row(
            o.partner,
            o.name,
            f"[{colour}]{o.outcome}[/{colour}]",
            str(len(o.orders)),
            str(o.lines_accepted),
            str(o.lines_rejected),
            o.reason or "",
        )
    console.print(table)


@app.command()
def process(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The order file.")],
    partner: Annotated[
        str, typer.Option("--partner", "-p", help="Partner id the file comes from.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Process one file now (a copy goes through the pipeline; the original stays)."""
    from gateway.daemon.passes import process_external

    ws = open_workspace()
    try:
        outcome = process_external(ws, partner, file)
    except KeyError as exc:
        err.print(f"[red]{exc.args[0]}[/red]")
        raise typer.Exit(2) from None
    if as_json:
        print_json(_outcome_dict(outcome))
    else:
        _print_outcomes([outcome])
        _print_orders_of(ws, outcome)


def _print_orders_of(ws: Workspace, outcome: Any) -> None:
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
        float, typer.Option(min=0.05, help="Seconds between full scans of every inbox.")
    ] = 5.0,
    settle: Annotated[
        float,
        typer.Option(
            min=0,
            help="Seconds a file's size and mtime must stay still before "
            "it is read (a partner's settle_seconds wins).",
        ),
    ] = 1.0,
    as_json: JsonOpt = False,
) -> None:
    """Process the files in every partner inbox until SIGTERM (with --once: then exit)."""
    from gateway.daemon.passes import run_once

    ws = open_workspace()
    if not once:
        from gateway.daemon.service import serve

        raise typer.Exit(serve(ws, interval=interval, settle=settle))
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
        print_json([_outcome_dict(o) for o in outcomes])
    elif outcomes:
        _print_outcomes(outcomes)
    else:
        console.print("no files waiting")


@app.command()
def inspect(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The order file.")],
    partner: Annotated[
        str | None, typer.Option("--partner", "-p", help="Partner id (default: the only one).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Dry run: parse, resolve and check a file; print what would happen to every line."""
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
        _lines_table(o["lines"])


def _lines_table(lines: list[dict[str, Any]]) -> None:
    table = Table()
    for col in ("line", "barcode / ref / name", "sku", "qty", "matched by", "outcome", "message"):
        table.add_column(col)
    for ln in lines:
        ident = (
            ln.get("barcode")
            or ln.get("supplier_ref")
            or ln.get("customer_ref")
            or ln.get("name")
            or ""
        )
        colour = {"accepted": "green", "adjusted": "yellow", "rejected": "red"}[ln["outcome"]]
        table.add_row(
            str(ln["line_no"]),
            str(ident),
            ln.get("sku") or "",
            _fmt_qty(ln.get("quantity")),
            ln.get("matched_by") or "",
            f"[{colour}]{ln['outcome']}[/{colour}]",
            ln.get("message") or "",
        )
    console.print(table)


def _fmt_qty(v: Any) -> str:
    if v is None:
        return ""
    d = Decimal(str(v))
    return format(d.normalize(), "f")


# --- orders ------------------------------------------------------------------------------------
def _orders_table(orders: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title)
    for col in ("id", "partner", "customer", "site", "number", "status", "lines", "accepted",
                "rejected", "received"):  # fmt: skip
        table.add_column(col)
    for o in orders:
        rejected = sum(ln["outcome"] == "rejected" for ln in o["lines"])
        table.add_row(
            str(o["id"]),
            o["partner"],
            o["customer"] or "",
            o["site"] or "",
            o["order_number"] or "",
            o["status"],
            str(len(o["lines"])),
            str(len(o["lines"]) - rejected),
            str(rejected),
            o["created_at"][:16].replace("T", " "),
        )
    return table


@orders_app.command("list")
def orders_list(
    status: Annotated[str | None, typer.Option(help="Only orders in this status.")] = None,
    partner: Annotated[str | None, typer.Option(help="Only this partner's orders.")] = None,
    customer: Annotated[
        str | None, typer.Option(help="Only this customer's orders (code).")
    ] = None,
    since: Annotated[
        datetime | None, typer.Option(help="Received at or after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[datetime | None, typer.Option(help="Received before (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 200,
    as_json: JsonOpt = False,
) -> None:
    """List orders, newest first."""
    from gateway.orders.queries import list_orders

    ws = open_workspace()
    orders = list_orders(
        ws, status=status, partner=partner, customer=customer, since=since, until=until, limit=limit
    )
    if as_json:
        print_json(orders)
        return
    console.print(_orders_table(orders, f"{len(orders)} order(s)"))


@orders_app.command("show")
def orders_show(
    order_id: Annotated[int, typer.Argument(help="Order id.")],
    as_json: JsonOpt = False,
) -> None:
    """Show one order: lines with outcomes, its status history, and the replies sent."""
    from gateway.orders.queries import get_order

    ws = open_workspace()
    order = get_order(ws, order_id)
    if order is None:
        err.print(f"[red]no order #{order_id}[/red]")
        raise typer.Exit(1)
    if as_json:
        print_json(order)
        return
    console.print(
        f"[bold]order #{order['id']}[/bold] {order['order_number'] or ''} — "
        f"partner {order['partner']}, customer {order['customer']}, site {order['site']}, "
        f"status [bold]{order['status']}[/bold]"
    )
    if order["reason"]:
        console.print(f"reason: {order['reason']}")
    _lines_table(order["lines"])
    hist = Table(title="history")
    for col in ("at", "from", "to", "actor", "reason"):
        hist.add_column(col)
    for e in order["events"]:
        hist.add_row(
            e["at"][:19].replace("T", " "),
            e["from_status"] or "",
            e["to_status"],
            e["actor"],
            e["reason"] or "",
        )
    console.print(hist)
    if order["replies"]:
        replies = Table(title="replies")
        for col in ("file", "sent", "partner's acknowledgment"):
            replies.add_column(col)
        for r in order["replies"]:
            said = r["acknowledgment"] or ""
            if r["acknowledgment_detail"]:
                said = f"{said}: {r['acknowledgment_detail']}"
            sent = (r["sent_at"] or "not yet")[:19].replace("T", " ")
            replies.add_row(r["filename"], sent, said)
        console.print(replies)


@app.command()
def demo(
    directory: Annotated[Path, typer.Argument(help="Where to create the demo workspace.")] = Path(
        "demo-workspace"
    ),
) -> None:
    """Create a demo workspace, drop the sample files, process them and show the orders."""
    from gateway.demo import create_workspace
    from gateway.orders.queries import list_orders
    from gateway.daemon.passes import run_once

    if directory.exists():
        shutil.rmtree(directory)
    ws = create_workspace(directory.resolve(), demo=True, force=True)
    console.print(f"demo workspace: [bold]{ws.root}[/bold]")
    outcomes = run_once(ws)
    _print_outcomes(outcomes)
    orders = list_orders(ws, limit=100)
    console.print(_orders_table(list(reversed(orders)), "orders"))
    console.print("replies:")
    for o in outcomes:
        for p in o.replies:
            console.print(f"  {p.relative_to(ws.root)}")
    console.print(
        f"\nnext: order-gateway -w {directory} orders show {orders[-1]['id'] if orders else 1}"
    )


# Command groups living in their own modules register themselves on import.
from gateway.cli import orders, sftp  # noqa: E402,F401,I001


@app.command()
def status(as_json: JsonOpt = False) -> None:
    """Per partner: files waiting, in progress, processed and failed today, unsent replies."""
    from gateway.daemon.status import gateway_status

    ws = open_workspace()
    rows = gateway_status(ws)
    if as_json:
        print_json([r.as_dict() for r in rows])
        return
    table = Table(title="gateway status (today = since local midnight)")
    counted = ("waiting", "in progress", "abandoned", "processed", "failed", "unsent")
    table.add_column("partner")
    for col in counted:
        table.add_column(col, justify="right")
    table.add_column("last error")
    for r in rows:
        last = ""
        if r.last_error is not None:
            when = r.last_error.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            last = f"{when} {r.last_error.file}: {r.last_error.reason}"
        numbers = (r.waiting, r.in_progress, r.abandoned, r.processed_today, r.failed_today)
        table.add_row(r.partner, *map(str, numbers), str(r.unsent_messages), last)
    console.print(table)


if __name__ == "__main__":  # pragma: no cover
    app()
