"""The admin's loop on the command line: ``replay``, ``files``, ``rejections``, ``xref``.

Thin: each command calls one service of :mod:`gateway.admin` (the web console calls
the same ones).
"""

import sys
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.markup import escape

from gateway.cli.app import (
    ActorOpt,
    JsonOpt,
    admin_actor,
    app,
    console,
    err,
    open_workspace,
    print_json,
)
from gateway.rules.xrefs import XrefKind, XrefScope

files_app = typer.Typer(help="Received files: what came, what became of it.", no_args_is_help=True)
rejections_app = typer.Typer(help="Rejected lines waiting for a fix.", no_args_is_help=True)
xref_app = typer.Typer(
    help="Learned cross-references: identifiers mapped to products once.", no_args_is_help=True
)
app.add_typer(files_app, name="files")
app.add_typer(rejections_app, name="rejections")
app.add_typer(xref_app, name="xref")

SinceOpt = Annotated[
    datetime | None, typer.Option(metavar="DATE", help="Received at or after (YYYY-MM-DD).")
]


# --- replay ------------------------------------------------------------------------------
def _state(s: dict[str, Any] | None) -> str:
    if not s:
        return "—"
    qty = s["quantity"] or "?"
    what = f"{s['outcome']} {s['sku'] or '-'} ×{qty}"
    return f"{what} ({s['reason_code']})" if s["reason_code"] else what


def _print_replay(report: dict[str, Any]) -> None:
    head = "dry run — nothing changed" if report["dry_run"] else f"replay #{report['replay_id']}"
    console.print(
        f"[bold]{report['file']}[/bold] (file #{report['file_id']}, {report['partner']}): {head}"
    )
    for o in report["orders"]:
        title = f"order #{o['order_id']}" if o["order_id"] else "new order"
        status = f"{o['status_before'] or '—'} → {o['status_after'] or '—'}"
        console.print(f"\n{title} {o['order_number'] or ''}: {status}")
        if o["customer_before"] != o["customer_after"] or o["site_before"] != o["site_after"]:
            console.print(
                f"  customer/site {o['customer_before']}/{o['site_before']} → "
                f"{o['customer_after']}/{o['site_after']}"
            )
        if o["refused"]:
            err.print(f"  [yellow]{o['refused']}[/yellow]")
            continue
        # One line per order line, never a table: nothing is cut at 80 columns.
        for c in o["lines"]:
            mark = "" if c["change"] == "unchanged" else "[bold]"
            console.print(
                f"  {mark}line {c['line_no']} {c['change']}:{'[/bold]' if mark else ''} "
                f"{escape(_state(c['before']))} → {escape(_state(c['after']))}",
                soft_wrap=True,
            )
            if c["message"] and c["change"] != "unchanged":
                console.print(f"      {escape(c['message'])}", soft_wrap=True)
    console.print(f"\n{report['message']}")
    for p in report["replies"]:
        console.print(f"  reply: {p}")


@app.command()
def replay(
    file_id: Annotated[
        int, typer.Argument(metavar="FILE_ID", help="The received file (`files list`).")
    ],
    order: Annotated[
        bool, typer.Option("--order", help="FILE_ID is an order id: replay the file it came from.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show before → after; change nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    actor_name: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Re-run a received file against today's catalog, grants, configuration and mapping.

    Orders still waiting for validation get the new line outcomes (same order id, one
    updated reply to the partner); a file that failed is processed as a new attempt.

    Examples:
    order-gateway replay 12 --dry-run
    order-gateway replay 12 --yes
    """
    from gateway.admin.replay import replay_file, replay_order

    ws = open_workspace()
    actor = admin_actor(actor_name)
    run = replay_order if order else replay_file
    if not dry_run and not yes and sys.stdin.isatty() and not as_json:
        preview = run(ws, file_id, actor=actor, dry_run=True)
        _print_replay(preview.as_dict())
        if preview.result.value in ("unchanged", "refused"):
            raise typer.Exit(0 if preview.result.value == "unchanged" else 1)
        typer.confirm("apply this replay?", abort=True)
    report = run(ws, file_id, actor=actor, dry_run=dry_run)
    if as_json:
        print_json(report.as_dict())
    else:
        _print_replay(report.as_dict())
    if report.result.value == "refused":
        raise typer.Exit(1)


# --- files ---------------------------------------------------------------------------------
@files_app.command("list")
def files_list(
    failed: Annotated[bool, typer.Option("--failed", help="Only files that failed.")] = False,
    duplicates: Annotated[bool, typer.Option("--duplicates", help="Only duplicates.")] = False,
    partner: Annotated[
        str | None, typer.Option(metavar="PARTNER", help="Only this partner's.")
    ] = None,
    since: SinceOpt = None,
    limit: Annotated[int, typer.Option(metavar="N", help="At most N, newest first.")] = 200,
    as_json: JsonOpt = False,
) -> None:
    """Received files, newest first: outcome, reason, orders.

    Example:
    order-gateway files list --failed --since 2026-12-01
    """
    from gateway.admin.files import list_files

    ws = open_workspace()
    rows = list_files(
        ws, failed=failed, duplicates=duplicates, partner=partner, since=since, limit=limit
    )
    if as_json:
        print_json(rows)
        return
    from gateway.cli.tables import Column, outcome_markup, print_records

    columns = [Column("id", justify="right"), *map(Column, ("partner", "file", "received")),
               Column("outcome"), Column("orders", justify="right"),
               Column("reason", whole=False)]  # fmt: skip
    shown = [
        [str(f["id"]), escape(f["partner"]), escape(f["name"]),
         f["received_at"][:16].replace("T", " "), outcome_markup(f["outcome"]),
         str(f["orders"]), escape(f["reason"] or "")]
        for f in rows
    ]  # fmt: skip
    print_records(columns, shown, title=f"{len(rows)} file(s)")


@files_app.command("show")
def files_show(
    file_id: Annotated[int, typer.Argument(metavar="FILE_ID", help="The received file.")],
    as_json: JsonOpt = False,
) -> None:
    """One received file: its orders, every reply sent for it, where its original is.

    Example:
    order-gateway files show 12
    """
    from gateway.admin.files import show_file

    ws = open_workspace()
    f = show_file(ws, file_id)
    if as_json:
        print_json(f)
        return
    console.print(
        f"[bold]file #{f['id']}[/bold] {f['name']} — partner {f['partner']}, "
        f"{f['format'] or 'unknown format'}, {f['outcome']}, received {f['received_at'][:19]}"
    )
    if f["reason"]:
        console.print(f"reason: {f['reason']}")
    present = "" if f["original_present"] else " [red](missing)[/red]"
    console.print(f"original: {f['original'] or '—'}{present}")
    if len(f["chain"]) > 1:
        console.print(
            "attempts and duplicates: "
            + ", ".join(f"#{a['id']} {a['outcome']}" for a in f["chain"])
        )
    for o in f["orders_made"]:
        console.print(f"order #{o['id']} {o['order_number'] or ''} ({o['role']}): {o['status']}")
    if f["replies"]:
        from gateway.cli.tables import Column, print_records

        rows = []
        for r in f["replies"]:
            said = r["acknowledgment"] or ""
            if r["acknowledgment_detail"]:
                said = f"{said}: {r['acknowledgment_detail']}"
            rows.append([r["kind"], escape(r["to"]), (r["sent_at"] or "not yet")[:19],
                         escape(said)])  # fmt: skip
        columns = [*map(Column, ("kind", "file", "sent")),
                   Column("partner's acknowledgment", whole=False)]  # fmt: skip
        print_records(columns, rows, title="replies")
    for r in f["replays"]:
        console.print(f"replay #{r['id']} by {r['actor']} at {r['at'][:19]}: {r['result']}")


# --- rejections ----------------------------------------------------------------------------
@rejections_app.command("list")
def rejections_list(
    partner: Annotated[
        str | None, typer.Option(metavar="PARTNER", help="Only this partner's.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option(metavar="CODE", help="Only this reason code.")
    ] = None,
    since: SinceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Rejected lines still waiting, grouped by reason, each with its fix.

    Example:
    order-gateway rejections list --reason not_in_assortment
    """
    from gateway.admin.rejections import list_rejections

    ws = open_workspace()
    groups = list_rejections(ws, partner=partner, reason=reason, since=since)
    if as_json:
        print_json(groups)
        return
    if not groups:
        console.print("no rejected line is waiting")
    for g in groups:
        console.print(f"\n[bold]{g['reason_code']}[/bold] — {g['count']} line(s)")
        for ln in g["lines"]:
            ident = ln["barcode"] or ln["supplier_ref"] or ln["customer_ref"] or ln["name"] or ""
            console.print(
                f"  line #{ln['line_id']} (order #{ln['order_id']} {ln['order_number'] or ''}, "
                f"{ln['partner']}, line {ln['line_no']}): {ident}"
            )
            console.print(f"    fix: {ln['fix']['text']}")
            for cmd in ln["fix"]["commands"]:
                console.print(f"      $ {cmd}")


@rejections_app.command("fix")
def rejections_fix(
    line_id: Annotated[
        int, typer.Argument(metavar="LINE_ID", help="The rejected line (`rejections list`).")
    ],
    sku: Annotated[str, typer.Option("--sku", metavar="SKU", help="The product the line meant.")],
    scope: Annotated[
        XrefScope,
        typer.Option(help="Whose lines it serves: this customer's, partner's, everyone's."),
    ] = XrefScope.CUSTOMER,
    then_replay: Annotated[
        bool, typer.Option("--replay", help="Then replay the line's file.")
    ] = False,
    actor_name: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Map a rejected line's barcode, reference or name to a product, once.

    Example:
    order-gateway rejections fix 42 --sku CAF-250 --replay
    """
    from gateway.admin.rejections import fix_rejection

    ws = open_workspace()
    report = fix_rejection(
        ws, line_id, sku=sku, actor=admin_actor(actor_name), scope=scope, replay=then_replay
    )
    if as_json:
        print_json(report.as_dict())
        return
    x = report.xref
    whose = f"{x.scope} {x.owner}" if x.owner else "everyone"
    console.print(f"learned: {x.kind} {x.written!r} → {x.sku} {x.product} (for {whose})")
    if report.replay is not None:
        _print_replay(report.replay.as_dict())


# --- cross-references ------------------------------------------------------------------------
@xref_app.command("add")
def xref_add(
    sku: Annotated[str, typer.Option("--sku", metavar="SKU", help="The product meant.")],
    customer: Annotated[
        str | None, typer.Option(metavar="CUSTOMER", help="For this customer's lines.")
    ] = None,
    partner: Annotated[
        str | None, typer.Option(metavar="PARTNER", help="For this partner's lines.")
    ] = None,
    everyone: Annotated[
        bool, typer.Option("--everyone", help="For every partner's lines.")
    ] = False,
    barcode: Annotated[
        str | None, typer.Option(metavar="BARCODE", help="A barcode as the customer writes it.")
    ] = None,
    code: Annotated[
        str | None,
        typer.Option("--code", metavar="REF", help="A reference (theirs or ours) as written."),
    ] = None,
    name: Annotated[
        str | None, typer.Option(metavar="NAME", help="A product name as written.")
    ] = None,
    actor_name: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Map an identifier to a product once; the next lines carrying it match `learned`.

    Example:
    order-gateway xref add --customer C002 --code HB-77 --sku CAF-250
    """
    from gateway.admin.xrefs import add_xref

    given = [
        (k, v)
        for k, v in ((XrefKind.BARCODE, barcode), (XrefKind.REFERENCE, code), (XrefKind.NAME, name))
        if v
    ]
    owners = [
        (s, v) for s, v in ((XrefScope.CUSTOMER, customer), (XrefScope.PARTNER, partner)) if v
    ]
    if everyone:
        owners.append((XrefScope.EVERYONE, ""))
    if len(given) != 1 or len(owners) != 1:
        err.print(
            "[red]give one of --barcode, --code, --name "
            "and one of --customer, --partner, --everyone[/red]"
        )
        raise typer.Exit(2)
    (kind, written), (scope, owner) = given[0], owners[0]
    x = add_xref(
        open_workspace(), kind=kind, written=written, sku=sku, scope=scope, owner=owner,
        actor=admin_actor(actor_name),
    )  # fmt: skip
    if as_json:
        print_json(x.as_dict())
        return
    console.print(
        f"learned #{x.id}: {x.kind} {x.written!r} → {x.sku} {x.product} ({x.scope} {x.owner})"
    )


@xref_app.command("list")
def xref_list(
    owner: Annotated[
        str | None, typer.Option(metavar="CODE", help="Only those of this customer or partner.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Learned cross-references, with who saved each and when.

    Example:
    order-gateway xref list --owner C002 --json
    """
    from gateway.admin.xrefs import learned_references

    rows = learned_references(open_workspace(), owner=owner)
    if as_json:
        print_json([x.as_dict() for x in rows])
        return
    from gateway.cli.tables import Column, print_records

    names = ("scope", "owner", "kind", "as written")
    columns = [Column("id", justify="right"), *map(Column, names),
               Column("product", whole=False), Column("by"), Column("at")]  # fmt: skip
    shown = []
    for x in rows:
        product = escape(f"{x.sku} {x.product}") + ("" if x.active else " [red](inactive)[/red]")
        shown.append([str(x.id), x.scope, escape(x.owner), x.kind, escape(x.written), product,
                      escape(x.created_by), x.created_at.isoformat()[:16]])  # fmt: skip
    print_records(columns, shown, title=f"{len(rows)} learned cross-reference(s)")


@xref_app.command("remove")
def xref_remove(
    xref_id: Annotated[
        int, typer.Argument(metavar="ID", help="The cross-reference (`xref list`).")
    ],
) -> None:
    """Forget a learned cross-reference.

    Example:
    order-gateway xref remove 3
    """
    from gateway.admin.xrefs import forget_xref

    x = forget_xref(open_workspace(), xref_id)
    console.print(f"forgotten #{x.id}: {x.kind} {x.written!r} → {x.sku}")
