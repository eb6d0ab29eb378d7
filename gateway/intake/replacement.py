"""Duplicate policy ``replace``: a second file with the same customer + order number
replaces the first while that one is still pending validation.

The first becomes cancelled with a "replaced by #N" event; the replacement records
"replaces #M" in its first event, and its reason (echoed in the ack summary, the ORDRSP
FTX) and its line messages say what changed: lines added, removed, quantity changed.
Plain functions over stored lines and evaluated lines; :mod:`gateway.intake.record` calls them
inside the file's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gateway.config.settings import DuplicatePolicy
from gateway.intake.evaluate import EvaluatedOrder, LineResult
from gateway.rules.lifecycle import OrderStatus
from gateway.rules.quantity import plain
from gateway.rules.reasons import sentence
from gateway.store.models import Order


def replaceable(other: Order, ev: EvaluatedOrder, policy: DuplicatePolicy) -> bool:
    """Whether ``ev`` replaces the live order ``other`` rather than being refused."""
    return (
        policy is DuplicatePolicy.REPLACE
        and ev.usable
        and other.status == OrderStatus.PENDING_VALIDATION.value
    )


def qty_text(q: object) -> str:
    return plain(q, missing="?")


def _key(sku: str | None, barcode: str | None, ref: str | None, name: str | None) -> str:
    return sku or barcode or ref or name or "?"


def _plus(a: Decimal | None, b: object) -> Decimal | None:
    if b is None:
        return a
    return Decimal(str(b)) + (a or Decimal(0))


@dataclass
class LineChanges:
    """What the replacement changes, by product: added, removed, quantity changed."""

    replaced_id: int
    added: list[tuple[str, Decimal | None]] = field(default_factory=list)
    removed: list[tuple[str, Decimal | None]] = field(default_factory=list)
    changed: list[tuple[str, Decimal | None, Decimal | None]] = field(default_factory=list)

    def as_list(self) -> list[dict[str, Any]]:
        return (
            [{"change": "added", "product": k, "quantity": qty_text(q)} for k, q in self.added]
            + [
                {"change": "removed", "product": k, "quantity": qty_text(q)}
                for k, q in self.removed
            ]
            + [
                {"change": "quantity", "product": k, "from": qty_text(a), "to": qty_text(b)}
                for k, a, b in self.changed
            ]
        )

    def summary(self, language: str) -> str:
        def say(key: str, **fields: object) -> str:
            return sentence(key, language, **fields)

        parts = (
            [say("replaced_added", product=k, quantity=qty_text(q)) for k, q in self.added]
            + [say("replaced_removed", product=k, quantity=qty_text(q)) for k, q in self.removed]
            + [
                say("replaced_quantity", product=k, before=qty_text(a), after=qty_text(b))
                for k, a, b in self.changed
            ]
        )
        if not parts:
            parts = [say("replaced_unchanged")]
        return say("replaces", order=self.replaced_id, changes="; ".join(parts))

    def annotate(self, rows: list[dict[str, Any]], language: str) -> None:
        """Say on each added or changed line (that has no message of its own) what changed."""
        added = {k for k, _ in self.added}
        changed = {k: (a, b) for k, a, b in self.changed}
        for row in rows:
            if row.get("message"):
                continue
            key = _key(row["sku"], row["barcode"], row["supplier_ref"], row["description"])
            if key in added:
                row["message"] = sentence("line_added", language, order=self.replaced_id)
            elif key in changed:
                a, b = changed[key]
                row["message"] = sentence(
                    "line_quantity_changed",
                    language,
                    order=self.replaced_id,
                    before=qty_text(a),
                    after=qty_text(b),
                )


def line_changes(old: Order, new_lines: list[LineResult]) -> LineChanges:
    """Compare what was ordered, product by product (quantities of repeated products add up)."""
    before: dict[str, Decimal | None] = {}
    for ln in old.lines:
        k = _key(ln.sku, ln.barcode, ln.supplier_ref, ln.description)
        before[k] = _plus(before.get(k), ln.ordered_quantity)
    after: dict[str, Decimal | None] = {}
    for r in new_lines:
        k = _key(r.sku, r.line.barcode, r.line.supplier_ref, r.line.name)
        after[k] = _plus(after.get(k), r.line.quantity)
    out = LineChanges(replaced_id=old.id)
    for k, q in after.items():
        if k not in before:
            out.added.append((k, q))
        elif qty_text(before[k]) != qty_text(q):
            out.changed.append((k, before[k], q))
    out.removed = [(k, q) for k, q in before.items() if k not in after]
    return out
