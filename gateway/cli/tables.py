"""Tables the commands print: files processed, orders, lines — and how any table fits the
terminal (:func:`print_records`)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from gateway.cli.app import console
from gateway.rules.quantity import plain

if TYPE_CHECKING:  # the intake is imported by the commands that process files
    from gateway.intake.pipeline import FileOutcome

#: Below this many columns every table is printed one record per block
WIDE = 100
#: The least a column of messages is given beside the others in a table
_MESSAGE_ROOM = 20


@dataclass(frozen=True)
class Column:
    name: str
    #: An identifier, a number, a barcode, a status, a time: shown whole, never wrapped
    #: (False: a message, wrapped at its spaces)
    whole: bool = True
    justify: Literal["left", "right"] = "left"


def print_records(
    columns: Sequence[Column], rows: Iterable[Sequence[str]], title: str | None = None
) -> None:
    """Rows (rich markup) as a table when it fits; else — below :data:`WIDE` columns, or
    when its whole columns alone are wider than the terminal — one record per block: its
    fields ``name value`` side by side, a line broken only between two fields, each
    message on a line of its own, wrapped. An identifier is never cut."""
    from rich.table import Table
    from rich.text import Text

    rows = [list(r) for r in rows]
    # what the whole columns need on one line (the widest cell or the heading, padding,
    # border), with room for messages
    needed = 1 + sum(
        3 + (max([len(c.name), *(Text.from_markup(r[i], emoji=False).cell_len for r in rows)])
             if c.whole else _MESSAGE_ROOM)
        for i, c in enumerate(columns)
    )  # fmt: skip
    if console.width >= WIDE and needed <= console.width:
        table = Table(title=title)
        for c in columns:
            table.add_column(c.name, justify=c.justify, no_wrap=c.whole, overflow="fold")
        for r in rows:
            table.add_row(*r)
        console.print(table)
        return
    if title:
        console.print(Text(title, style="bold"))
    for r in rows:
        packed: list[Text] = []
        messages: list[Text] = []
        for c, value in zip(columns, r, strict=True):
            if not value:
                continue
            field = Text.assemble((c.name, "dim"), " ", Text.from_markup(value, emoji=False))
            if not c.whole:
                messages.append(field)
            elif packed and packed[-1].cell_len + 2 + field.cell_len <= console.width:
                packed[-1].append_text(Text("  ") + field)
            else:
                packed.append(field)
        for line in (*packed, *messages):
            console.print(line)
        console.print()


def outcome_dict(o: "FileOutcome") -> dict[str, Any]:
    """A processed file as ``--json`` prints it."""
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


#: Past this many files a pass prints a summary by outcome and, of the files, only those
#: that need someone (failed, put back, with rejected lines…): thousands of rows would
#: scroll away what matters, and a table that long takes rich seconds to lay out
OUTCOME_ROWS = 50


def outcome_markup(outcome: str) -> str:
    """A file's outcome coloured: green when done, red when failed, yellow otherwise."""
    from gateway.store.ledger import FileResult

    # A StrEnum member is its text: the stored outcome finds it.
    done: dict[str, str] = {
        FileResult.PROCESSED: "green", FileResult.RECOVERED: "green", FileResult.FAILED: "red"
    }  # fmt: skip
    c = done.get(outcome, "yellow")
    return f"[{c}]{outcome}[/{c}]"


def _needs_attention(o: "FileOutcome") -> bool:
    from gateway.store.ledger import FileResult

    clean = (FileResult.PROCESSED, FileResult.RECOVERED, FileResult.RECEIVED)
    return o.outcome not in clean or o.lines_rejected > 0


def _print_totals(outcomes: list["FileOutcome"]) -> None:
    totals: dict[str, list[int]] = {}
    for o in outcomes:
        t = totals.setdefault(o.outcome, [0, 0, 0, 0])
        t[0] += 1
        t[1] += len(o.orders)
        t[2] += o.lines_accepted
        t[3] += o.lines_rejected
    print_records(
        [Column("outcome"),
         *(Column(n, justify="right") for n in ("files", "orders", "accepted", "rejected"))],
        [[outcome_markup(k), *map(str, t)] for k, t in totals.items()],
        title=f"{len(outcomes)} files",
    )  # fmt: skip


def print_outcomes(outcomes: list["FileOutcome"]) -> None:
    """The files of one pass, one row each; past :data:`OUTCOME_ROWS` files, a summary by
    outcome, then only the files that need attention (at most :data:`OUTCOME_ROWS` of
    them) and the commands that list the rest."""
    from rich.markup import escape

    columns = [Column("partner"), Column("file"), Column("outcome"),
               *(Column(n, justify="right") for n in ("orders", "accepted", "rejected")),
               Column("note", whole=False)]  # fmt: skip

    def rows(shown: list["FileOutcome"]) -> list[list[str]]:
        return [
            [escape(o.partner), escape(o.name), outcome_markup(o.outcome), str(len(o.orders)),
             str(o.lines_accepted), str(o.lines_rejected), escape(o.reason or "")]
            for o in shown
        ]  # fmt: skip

    if len(outcomes) <= OUTCOME_ROWS:
        print_records(columns, rows(outcomes), title="files")
        return
    _print_totals(outcomes)
    attention = [o for o in outcomes if _needs_attention(o)]
    if not attention:
        console.print("no file needs attention")
        return
    print_records(columns, rows(attention[:OUTCOME_ROWS]), title="files that need attention")
    if len(attention) > OUTCOME_ROWS:
        console.print(f"… and {len(attention) - OUTCOME_ROWS} more.")
    console.print(
        escape(f"Every file of this pass: order-gateway files list --limit {len(outcomes)}; "
               "the failed ones: files list --failed; rejected lines: rejections list")
    )  # fmt: skip


def print_lines(lines: list[dict[str, Any]], *, quantities: bool = False) -> None:
    """Lines with outcome and message; ``quantities``: ordered / confirmed / shipped too."""
    qty_cols = ("ordered", "confirmed", "shipped") if quantities else ("qty",)
    columns = [Column("line", justify="right"), Column("barcode / ref / name"), Column("sku"),
               *(Column(n, justify="right") for n in qty_cols), Column("matched by"),
               Column("outcome"), Column("message", whole=False)]  # fmt: skip
    from rich.markup import escape

    rows = []
    for ln in lines:
        ident = (
            ln.get("barcode")
            or ln.get("supplier_ref")
            or ln.get("customer_ref")
            or ln.get("name")
            or ""
        )
        colour = {"accepted": "green", "adjusted": "yellow", "rejected": "red"}[ln["outcome"]]
        matched = ln.get("matched_by") or ""
        if matched == "name" and ln.get("confidence") is not None:
            matched = f"name ({ln['confidence']:.0%})"
        numbers = (
            (plain(ln.get("ordered_quantity")), plain(ln.get("confirmed_quantity")),
             plain(ln.get("shipped_quantity")))
            if quantities
            else (plain(ln.get("quantity")),)
        )  # fmt: skip
        rows.append([
            str(ln["line_no"]), escape(str(ident)), escape(ln.get("sku") or ""), *numbers,
            matched, f"[{colour}]{ln['outcome']}[/{colour}]", escape(ln.get("message") or ""),
        ])  # fmt: skip
    print_records(columns, rows)


def print_orders(orders: list[dict[str, Any]], title: str) -> None:
    columns = [Column("id", justify="right"), Column("partner"), Column("customer"),
               Column("site"), Column("number"), Column("status"),
               *(Column(n, justify="right") for n in ("lines", "accepted", "rejected")),
               Column("received")]  # fmt: skip
    from rich.markup import escape

    rows = []
    for o in orders:
        rejected = sum(ln["outcome"] == "rejected" for ln in o["lines"])
        rows.append([
            str(o["id"]), escape(o["partner"]), escape(o["customer"] or ""),
            escape(o["site"] or ""), escape(o["order_number"] or ""), o["status"],
            str(len(o["lines"])), str(len(o["lines"]) - rejected), str(rejected),
            o["created_at"][:16].replace("T", " "),
        ])  # fmt: skip
    print_records(columns, rows, title=title)


__all__ = [
    "OUTCOME_ROWS",
    "WIDE",
    "Column",
    "outcome_dict",
    "outcome_markup",
    "print_lines",
    "print_orders",
    "print_outcomes",
    "print_records",
]
