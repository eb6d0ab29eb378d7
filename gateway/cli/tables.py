"""Tables the commands print: files processed, orders, lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from gateway.cli.app import console
from gateway.rules.quantity import plain

if TYPE_CHECKING:  # the intake is imported by the commands that process files
    from gateway.intake.pipeline import FileOutcome


def outcome_dict(o: FileOutcome) -> dict[str, Any]:
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


def print_outcomes(outcomes: list[FileOutcome]) -> None:
    from gateway.store.ledger import FileResult

    table = Table(title="files")
    for col in ("partner", "file", "outcome", "orders", "accepted", "rejected", "note"):
        table.add_column(col)
    for o in outcomes:
        colour = {
            FileResult.PROCESSED: "green",
            FileResult.RECOVERED: "green",
            FileResult.FAILED: "red",
        }.get(o.outcome, "yellow")
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


def print_lines(lines: list[dict[str, Any]], *, quantities: bool = False) -> None:
    """Lines with outcome and message; ``quantities``: ordered / confirmed / shipped too."""
    table = Table()
    qty_cols = ("ordered", "confirmed", "shipped") if quantities else ("qty",)
    for col in ("line", "barcode / ref / name", "sku", *qty_cols, "matched by", "outcome",
                "message"):  # fmt: skip
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
        matched = ln.get("matched_by") or ""
        if matched == "name" and ln.get("confidence") is not None:
            matched = f"name ({ln['confidence']:.0%})"
        numbers = (
            (plain(ln.get("ordered_quantity")), plain(ln.get("confirmed_quantity")),
             plain(ln.get("shipped_quantity")))
            if quantities
            else (plain(ln.get("quantity")),)
        )  # fmt: skip
        table.add_row(
            str(ln["line_no"]),
            str(ident),
            ln.get("sku") or "",
            *numbers,
            matched,
            f"[{colour}]{ln['outcome']}[/{colour}]",
            ln.get("message") or "",
        )
    console.print(table)


def orders_table(orders: list[dict[str, Any]], title: str) -> Table:
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


__all__ = ["orders_table", "outcome_dict", "print_lines", "print_outcomes"]
