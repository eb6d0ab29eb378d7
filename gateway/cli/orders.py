"""Orders: ``orders list|show``, ``orders validate|reject|cancel|prepare|ship|deliver``,
``report orders``, ``template`` and ``erp-feed``. Thin: options in, services called."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gateway.cli.app import (
    JsonOpt,
    admin_actor,
    app,
    console,
    err,
    open_workspace,
    orders_app,
    print_json,
)
from gateway.cli.tables import orders_table, print_lines
from gateway.replies.names import order_form_name, orders_report_name
from gateway.rules.lifecycle import VERBS, OrderStatus

report_app = typer.Typer(help="Reports for admins and partners.", no_args_is_help=True)
app.add_typer(report_app, name="report")


def line_quantities(specs: Iterable[str]) -> dict[int, Decimal]:
    """``["2=5", "3=0,5"]`` → ``{2: 5, 3: 0.5}``; ValueError naming the bad spec.

    >>> line_quantities(["2=5", "3=0,5"])
    {2: Decimal('5'), 3: Decimal('0.5')}
    """
    out: dict[int, Decimal] = {}
    for spec in specs:
        line, sep, qty = spec.partition("=")
        try:
            if not sep:
                raise ValueError
            n = int(line.strip())
            q = Decimal(qty.strip().replace(",", "."))
            if not q.is_finite():
                raise ValueError
        except (ValueError, ArithmeticError):
            raise ValueError(
                f"--line {spec!r}: expected LINE=QUANTITY, e.g. --line 2=5 or --line 3=0.5"
            ) from None
        out[n] = q
    return out


@orders_app.command("list")
def orders_list(
    status: Annotated[str | None, typer.Option(help="Only orders in this status.")] = None,
    partner: Annotated[str | None, typer.Option(help="Only this partner's orders.")] = None,
    customer: Annotated[
        str | None, typer.Option(help="Only this customer's orders (code).")
    ] = None,
    number: Annotated[
        str | None, typer.Option(metavar="PO", help="Only orders with this customer's number.")
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only orders past their partner's response deadline.")
    ] = False,
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
        ws,
        status=status,
        partner=partner,
        customer=customer,
        number=number,
        overdue=overdue,
        since=since,
        until=until,
        limit=limit,
    )
    if as_json:
        print_json(orders)
        return
    console.print(orders_table(orders, f"{len(orders)} order(s)"))


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
    if order["due_at"]:
        late = " [red](overdue)[/red]" if order["overdue"] else ""
        console.print(f"answer due: {order['due_at'][:16].replace('T', ' ')}{late}")
    for f in order["files"]:
        console.print(f"file #{f['id']} {f['name']} ({f['role']}, {f['received_at'][:16]})")
    print_lines(order["lines"], quantities=True)
    hist = Table(title="history")
    for col in ("at", "what", "from", "to", "actor", "reason"):
        hist.add_column(col)
    for e in order["events"]:
        hist.add_row(
            e["at"][:19].replace("T", " "),
            e["kind"],
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


_HELP = {
    "validate": "Validate orders pending validation (--line N=QTY confirms another quantity).",
    "reject": "Reject orders pending validation.",
    "cancel": "Cancel orders that are not shipped yet.",
    "prepare": "Mark validated orders as in preparation.",
    "ship": "Mark orders as shipped (--line N=QTY when a line's shipped quantity differs; "
    "--partial for a part, the rest to follow; --package SSCC[:N=QTY,…] per package).",
    "deliver": "Mark shipped orders as delivered.",
}


def package_specs(specs: Iterable[str]) -> list[tuple[str, dict[int, Decimal]]]:
    """``["SSCC", "SSCC:1=3,2=5"]`` → SSCCs with what each holds (none: every line shipped).

    >>> package_specs(["340123451234567895:1=3,2=0,5"])
    [('340123451234567895', {1: Decimal('3'), 2: Decimal('0.5')})]
    """
    out: list[tuple[str, dict[int, Decimal]]] = []
    for spec in specs:
        sscc, _, held = spec.partition(":")
        parts = [p for p in held.replace(";", ",").split(",") if p.strip()]
        # "2=0,5" is a decimal comma, not a second line: glue pieces without "="
        glued: list[str] = []
        for part in parts:
            if "=" in part or not glued:
                glued.append(part)
            else:
                glued[-1] += "," + part
        try:
            out.append((sscc.strip(), line_quantities(glued)))
        except ValueError:
            raise ValueError(
                f"--package {spec!r}: expected SSCC or SSCC:LINE=QTY,LINE=QTY"
            ) from None
    return out


def _register(verb: str, target: OrderStatus) -> None:
    def command(
        order_ids: Annotated[list[int], typer.Argument(help="Order ids.")],
        reason: Annotated[
            str | None,
            typer.Option(help="Why (kept in the history; for the partner with --tell-partner)."),
        ] = None,
        line: Annotated[
            list[str] | None,
            typer.Option("--line", help="LINE=QTY: a line's confirmed / shipped quantity."),
        ] = None,
        actor_name: Annotated[
            str | None, typer.Option("--actor", help="Who acts (default: $USER).")
        ] = None,
        partial: Annotated[
            bool, typer.Option("--partial", help="ship: only these lines now, the rest later.")
        ] = False,
        package: Annotated[
            list[str] | None,
            typer.Option(
                "--package", help="ship: SSCC[:LINE=QTY,…] of a package (its check digit verified)."
            ),
        ] = None,
        tell_partner: Annotated[
            bool, typer.Option("--tell-partner", help="Send the --reason to the partner too.")
        ] = False,
        as_json: JsonOpt = False,
    ) -> None:
        from gateway.orders.transitions import PackageSpec, move_orders

        if verb != "ship" and (partial or package):
            err.print("[red]--partial and --package go with ship[/red]")
            raise typer.Exit(2)
        try:
            lines = line_quantities(line or [])
            packages = [PackageSpec(sscc, held) for sscc, held in package_specs(package or [])]
        except ValueError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from None
        ws = open_workspace()
        to = OrderStatus.PARTIALLY_SHIPPED if partial else target
        report = move_orders(ws, order_ids, to, actor=admin_actor(actor_name), reason=reason,
                             lines=lines or None, packages=packages or None,
                             tell_partner=tell_partner)  # fmt: skip
        if as_json:
            print_json({
                "moved": [vars(r) for r in report.moved],
                "refused": {str(k): v for k, v in report.refused.items()},
                "written": [str(p) for p in report.written],
            })  # fmt: skip
        else:
            for r in report.moved:
                console.print(f"order #{r.order_id} {r.order_number or ''}: "
                              f"{r.from_status} → [bold]{r.to_status}[/bold]")  # fmt: skip
            for p in report.written:
                console.print(f"  report: {p}")
            for oid, why in report.refused.items():
                err.print(f"[red]refused:[/red] {why}" if f"#{oid}" in why
                          else f"[red]refused:[/red] order #{oid}: {why}")  # fmt: skip
        if report.refused:
            raise typer.Exit(1)

    command.__doc__ = _HELP[verb]
    orders_app.command(verb)(command)


for _verb, _target in VERBS.items():
    _register(_verb, _target)


@report_app.command("orders")
def report_orders(
    partner: Annotated[str, typer.Option("--partner", "-p", help="Partner id.")],
    since: Annotated[
        datetime | None, typer.Option(help="Only orders received at or after (YYYY-MM-DD).")
    ] = None,
    include_closed: Annotated[
        bool, typer.Option("--all", help="Delivered, rejected and cancelled orders too.")
    ] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="XLSX file.")] = None,
) -> None:
    """An XLSX of a partner's open orders: status, date of each step, quantities per line."""
    from gateway.orders.digest import orders_report

    ws = open_workspace()
    data = orders_report(ws, partner, since=since, open_only=not include_closed)
    target = output or Path(orders_report_name(partner, datetime.now()))
    target.write_bytes(data)
    console.print(f"report written to {target}")


@app.command()
def template(
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    site: Annotated[str | None, typer.Option(help="Delivery site code, filled in.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="XLSX file.")] = None,
    language: Annotated[str, typer.Option(help="fr or en: the form's words.")] = "fr",
) -> None:
    """Write an order form: the customer's products with an empty quantity column."""
    from gateway.catalog.order_form import order_form

    ws = open_workspace()
    with ws.read_sessions() as s:
        data = order_form(s, customer, site, language)
    target = output or Path(order_form_name(customer, site))
    target.write_bytes(data)
    console.print(f"order form written to {target}")


@app.command("erp-feed")
def erp_feed(as_json: JsonOpt = False) -> None:
    """Apply the ERP status files waiting in inbox/_erp/ now."""
    from gateway.orders.erp_feed import scan_feed

    ws = open_workspace()
    outcomes = scan_feed(ws, settle=0)
    if as_json:
        print_json([{"file": o.name, "outcome": o.outcome, "reason": o.reason,
                     "rows": [vars(r) for r in o.rows]} for o in outcomes])  # fmt: skip
        return
    if not outcomes:
        console.print("no feed files waiting")
    table = Table(title="ERP feed")
    for col in ("file", "outcome", "applied", "refused", "note"):
        table.add_column(col)
    for o in outcomes:
        table.add_row(o.name, o.outcome, str(o.applied), str(o.refused), o.reason or "")
    console.print(table)
    for o in outcomes:
        for r in o.rows:
            if r.result == "refused":
                err.print(f"[red]{o.name} row {', '.join(map(str, r.rows))}[/red] "
                          f"{r.order_ref}: {r.message}")  # fmt: skip
