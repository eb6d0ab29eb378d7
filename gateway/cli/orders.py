"""Orders: ``orders list|show``, ``orders validate|reject|cancel|prepare|ship|deliver``,
``report orders``, ``template`` and ``erp-feed``. Thin: options in, services called."""

from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from gateway.cli.app import (
    ActorOpt,
    JsonOpt,
    admin_actor,
    app,
    console,
    err,
    open_workspace,
    orders_app,
    print_json,
)
from gateway.cli.tables import print_lines, print_orders
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
    status: Annotated[
        str | None, typer.Option(metavar="STATUS", help="Only orders in this status.")
    ] = None,
    partner: Annotated[
        str | None, typer.Option(metavar="PARTNER", help="Only this partner's orders.")
    ] = None,
    customer: Annotated[
        str | None, typer.Option(metavar="CUSTOMER", help="Only this customer's orders (code).")
    ] = None,
    number: Annotated[
        str | None, typer.Option(metavar="PO", help="Only orders with this customer's number.")
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only orders past their partner's response deadline.")
    ] = False,
    since: Annotated[
        datetime | None, typer.Option(metavar="DATE", help="Received at or after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option(metavar="DATE", help="Received before (YYYY-MM-DD).")
    ] = None,
    limit: Annotated[int, typer.Option(metavar="N", help="At most N, newest first.")] = 200,
    as_json: JsonOpt = False,
) -> None:
    """List orders, newest first.

    Examples:
    order-gateway orders list --status pending_validation
    order-gateway orders list --partner epicerie --since 2026-12-01 --json
    """
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
    print_orders(orders, f"{len(orders)} order(s)")


@orders_app.command("show")
def orders_show(
    order_id: Annotated[int, typer.Argument(metavar="ORDER_ID", help="Order id.")],
    as_json: JsonOpt = False,
) -> None:
    """Show one order: lines with outcomes, its status history, and the replies sent.

    Example:
    order-gateway orders show 15
    """
    from rich.markup import escape

    from gateway.cli.tables import Column, print_records
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
    print_records(
        [*map(Column, ("at", "what", "from", "to", "actor")), Column("reason", whole=False)],
        ([e["at"][:19].replace("T", " "), e["kind"], e["from_status"] or "", e["to_status"],
          escape(e["actor"]), escape(e["reason"] or "")] for e in order["events"]),
        title="history",
    )  # fmt: skip
    if order["replies"]:
        rows = []
        for r in order["replies"]:
            said = r["acknowledgment"] or ""
            if r["acknowledgment_detail"]:
                said = f"{said}: {r['acknowledgment_detail']}"
            sent = (r["sent_at"] or "not yet")[:19].replace("T", " ")
            rows.append([escape(r["filename"]), sent, escape(said)])
        columns = [Column("file"), Column("sent"), Column("partner's acknowledgment", whole=False)]
        print_records(columns, rows, title="replies")


_HELP = {
    "validate": """Validate orders pending validation; --line confirms another quantity.

    A quantity above the ordered one is refused unless --allow-more.

    Examples:
    order-gateway orders validate 15 16 17
    order-gateway orders validate 15 --line 1=20 --line 3=0 --reason "short on stock"
    """,
    "reject": """Reject orders pending validation.

    Example:
    order-gateway orders reject 15 --reason "customer closed" --tell-partner
    """,
    "cancel": """Cancel orders that are not shipped yet.

    Example:
    order-gateway orders cancel 15 --reason "the customer called"
    """,
    "prepare": """Mark validated orders as in preparation.

    Example:
    order-gateway orders prepare 15 16
    """,
    "ship": """Mark orders as shipped; --line when a line's shipped quantity differs.

    --partial ships a part, the rest to follow; --package names a package (SSCC) and,
    after a colon, what it holds. More than confirmed is refused unless --allow-more.

    Examples:
    order-gateway orders ship 15
    order-gateway orders ship 15 --partial --line 1=4 --package 340123451234567895:1=4
    """,
    "deliver": """Mark shipped orders as delivered.

    Example:
    order-gateway orders deliver 15 16
    """,
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


OrderIdsArg = Annotated[
    list[int], typer.Argument(metavar="ORDER_ID", help="One or more order ids.", show_default=False)
]
ReasonOpt = Annotated[
    str | None,
    typer.Option(
        metavar="REASON",
        help="Why (kept in the history; for the partner with --tell-partner).",
    ),
]
LineOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--line",
        metavar="LINE=QTY",
        help="A line's confirmed (validate) or shipped (ship) quantity, when it differs "
        "(repeat for several lines; one order only).",
        show_default=False,
    ),
]
AllowMoreOpt = Annotated[
    bool,
    typer.Option(
        "--allow-more", help="Accept more than was ordered (validate) or confirmed (ship)."
    ),
]
TellOpt = Annotated[
    bool, typer.Option("--tell-partner", help="Send the --reason to the partner too.")
]


def _move(
    verb: str,
    order_ids: list[int],
    *,
    reason: str | None,
    actor_name: str | None,
    tell_partner: bool,
    as_json: bool,
    line: list[str] | None = None,
    allow_more: bool = False,
    partial: bool = False,
    package: list[str] | None = None,
) -> None:
    """One verb's move of the orders given, printed; exit 1 when one was refused."""
    from gateway.orders.transitions import PackageSpec, move_orders

    if line and len(order_ids) > 1:
        # A line number is one order's line: line 1 of order 4 is not line 1 of order 5.
        err.print(
            f"[red]--line goes with one order ({len(order_ids)} given): a line number is "
            f"one order's line; run `order-gateway orders {verb}` once per order[/red]"
        )
        raise typer.Exit(2)
    try:
        lines = line_quantities(line or [])
        packages = [PackageSpec(sscc, held) for sscc, held in package_specs(package or [])]
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    ws = open_workspace()
    to = OrderStatus.PARTIALLY_SHIPPED if partial else VERBS[verb]
    report = move_orders(ws, order_ids, to, actor=admin_actor(actor_name), reason=reason,
                         lines=lines or None, packages=packages or None,
                         tell_partner=tell_partner, allow_more=allow_more)  # fmt: skip
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


def orders_validate(
    order_ids: OrderIdsArg,
    line: LineOpt = None,
    allow_more: AllowMoreOpt = False,
    reason: ReasonOpt = None,
    actor_name: ActorOpt = None,
    tell_partner: TellOpt = False,
    as_json: JsonOpt = False,
) -> None:
    _move("validate", order_ids, line=line, allow_more=allow_more, reason=reason,
          actor_name=actor_name, tell_partner=tell_partner, as_json=as_json)  # fmt: skip


def orders_ship(
    order_ids: OrderIdsArg,
    line: LineOpt = None,
    allow_more: AllowMoreOpt = False,
    partial: Annotated[
        bool, typer.Option("--partial", help="Only these lines now, the rest later.")
    ] = False,
    package: Annotated[
        list[str] | None,
        typer.Option(
            "--package",
            metavar="SSCC[:LINE=QTY,…]",
            help="A package and what it holds (its check digit verified; repeat per package).",
            show_default=False,
        ),
    ] = None,
    reason: ReasonOpt = None,
    actor_name: ActorOpt = None,
    tell_partner: TellOpt = False,
    as_json: JsonOpt = False,
) -> None:
    _move("ship", order_ids, line=line, allow_more=allow_more, partial=partial,
          package=package, reason=reason, actor_name=actor_name, tell_partner=tell_partner,
          as_json=as_json)  # fmt: skip


def _verb_command(verb: str) -> Callable[..., None]:
    """A verb without line quantities: order ids, a reason, who acts."""

    def command(
        order_ids: OrderIdsArg,
        reason: ReasonOpt = None,
        actor_name: ActorOpt = None,
        tell_partner: TellOpt = False,
        as_json: JsonOpt = False,
    ) -> None:
        _move(verb, order_ids, reason=reason, actor_name=actor_name,
              tell_partner=tell_partner, as_json=as_json)  # fmt: skip

    return command


# Each verb has only the options that mean something for it (--line: validate and ship)
_WITH_LINES: dict[str, Callable[..., None]] = {"validate": orders_validate, "ship": orders_ship}
for _verb in VERBS:
    orders_app.command(_verb, help=_HELP[_verb])(_WITH_LINES.get(_verb) or _verb_command(_verb))


@report_app.command("orders")
def report_orders(
    partner: Annotated[str, typer.Option("--partner", "-p", metavar="PARTNER", help="Partner id.")],
    since: Annotated[
        datetime | None,
        typer.Option(metavar="DATE", help="Only orders received at or after (YYYY-MM-DD)."),
    ] = None,
    include_closed: Annotated[
        bool, typer.Option("--all", help="Delivered, rejected and cancelled orders too.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="XLSX file (default: in exports/)."),
    ] = None,
) -> None:
    """An XLSX of a partner's open orders: status, date of each step, quantities per line.

    Written into the workspace's exports/ folder unless --output names a file.

    Examples:
    order-gateway report orders --partner epicerie
    order-gateway report orders -p epicerie --since 2026-11-01 --all -o epicerie.xlsx
    """
    from gateway.orders.digest import orders_report

    ws = open_workspace()
    data = orders_report(ws, partner, since=since, open_only=not include_closed)
    target = output or ws.exports_dir / orders_report_name(partner, datetime.now())
    target.write_bytes(data)
    console.print(f"report written to {target}", soft_wrap=True)


@app.command()
def template(
    customer: Annotated[str, typer.Argument(metavar="CUSTOMER", help="Customer code.")],
    site: Annotated[
        str | None, typer.Option(metavar="SITE", help="Delivery site code, filled in.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="XLSX file (default: in exports/)."),
    ] = None,
    language: Annotated[str, typer.Option(metavar="fr|en", help="The form's words.")] = "fr",
) -> None:
    """Write an order form: the customer's products with an empty quantity column.

    Written into the workspace's exports/ folder unless --output names a file.

    Examples:
    order-gateway template C001 --site LYON
    order-gateway template C002 --language en --output form-c002.xlsx
    """
    from gateway.catalog.order_form import order_form

    ws = open_workspace()
    with ws.read_sessions() as s:
        data = order_form(s, customer, site, language)
    target = output or ws.exports_dir / order_form_name(customer, site)
    target.write_bytes(data)
    console.print(f"order form written to {target}", soft_wrap=True)


@app.command("erp-feed")
def erp_feed(as_json: JsonOpt = False) -> None:
    """Apply the ERP status files waiting in inbox/_erp/ now.

    Example:
    order-gateway erp-feed --json
    """
    from gateway.orders.erp_feed import scan_feed

    ws = open_workspace()
    outcomes = scan_feed(ws, settle=0)
    if as_json:
        print_json([{"file": o.name, "outcome": o.outcome, "reason": o.reason,
                     "rows": [vars(r) for r in o.rows]} for o in outcomes])  # fmt: skip
        return
    from rich.markup import escape

    from gateway.cli.tables import Column, print_records

    if not outcomes:
        console.print("no feed files waiting")
    columns = [Column("file"), Column("outcome"), Column("applied", justify="right"),
               Column("refused", justify="right"), Column("note", whole=False)]  # fmt: skip
    rows = ([escape(o.name), o.outcome, str(o.applied), str(o.refused), escape(o.reason or "")]
            for o in outcomes)  # fmt: skip
    print_records(columns, rows, title="ERP feed")
    for o in outcomes:
        for r in o.rows:
            if r.result == "refused":
                err.print(f"[red]{o.name} row {', '.join(map(str, r.rows))}[/red] "
                          f"{r.order_ref}: {r.message}")  # fmt: skip
