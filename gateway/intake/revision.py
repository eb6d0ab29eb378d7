"""Revising an order that is still waiting for validation: a replay, or a follow-up file.

Both give the order new line outcomes without giving it a new id:

* a **replay** re-evaluates the very file the order came from (the admin fixed the
  catalog, a grant, the mapping): each line is compared with itself, by line number;
* a **follow-up** from the customer (duplicate policy ``amend``: the same order number
  again) amends the order product by product: a product already in the order has its
  line replaced (its quantity), a new one is added, a line refused before and now
  readable is revived; lines the follow-up does not mention stay as they are.

:func:`revise` computes the change (plain data, nothing stored); :func:`apply_revision`
writes it inside the caller's transaction and records the event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from gateway.intake.evaluate import EvaluatedOrder, LineResult
from gateway.rules.check import MAX_AMOUNT
from gateway.rules.lifecycle import OrderStatus
from gateway.rules.products import name_key
from gateway.rules.quantity import plain
from gateway.store.bulk import bulk_insert
from gateway.store.models import Order, OrderEvent, OrderLine, table_of
from parsers.document import LineStatus

_REJECTED = str(LineStatus.REJECTED)


class RevisionKind(StrEnum):
    """How an order is revised (``OrderEvent.kind``)."""

    REPLAYED = "replayed"  # by an admin, from the same file
    AMENDED = "amended"  # by the customer, with a follow-up file


class LineChangeKind(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REVIVED = "revived"  # refused before, accepted now
    UNCHANGED = "unchanged"


def _storable(value: Decimal | None) -> Decimal | None:
    return value if value is None or abs(value) < MAX_AMOUNT else None


def line_row(r: LineResult) -> dict[str, Any]:
    """A line as stored (``order_lines`` columns but its order's id, the same on every
    row and added at the insert), from its evaluation."""
    return {
        "line_no": r.line.line_no,
        "source_line": r.line.location.line,
        "external_id": r.line.external_id,
        "barcode": r.line.barcode,
        "supplier_ref": r.line.supplier_ref,
        "customer_ref": r.line.customer_ref,
        "description": r.line.name or r.product_name,
        "product_id": r.product_id,
        "sku": r.sku,
        "ordered_quantity": _storable(r.line.quantity),
        # No unit given: the product's, unless a case barcode made it a pack of them
        "ordered_unit": r.line.unit or (r.unit if r.quantity == r.line.quantity else None),
        "quantity": r.quantity,
        "confirmed_quantity": r.confirmed if r.outcome is not LineStatus.REJECTED else None,
        "unit_price": _storable(r.line.unit_price),
        # str(member), not member.value: enum's value property is slow in a 100k loop
        "outcome": str(r.outcome),
        "reason_code": str(r.reason) if r.reason else None,
        "message": r.message,
        "hint": r.hint,
        "matched_by": str(r.matched_by) if r.matched_by else None,
        "confidence": r.confidence,
        "suggestions": r.suggestions,
        "item_ids": r.line.item_ids or None,
    }


def insert_lines(session: Session, order_id: int, rows: list[dict[str, Any]]) -> None:
    """Insert line rows through the driver's bulk path (a 100,000-line order in well
    under a second: no ORM objects, no per-row parameter processing)."""
    if not rows:
        return
    cols = list(rows[0])
    at, at_ids = cols.index("suggestions"), cols.index("item_ids")
    tuples = []
    for r in rows:
        values = [r[c] for c in cols]
        found = values[at]
        values[at] = json.dumps(found, ensure_ascii=False) if found else "[]"
        ids = values[at_ids]
        values[at_ids] = json.dumps(ids, ensure_ascii=False) if ids else None
        tuples.append((order_id, *values))
    bulk_insert(session.connection(), table_of(OrderLine), ["order_id", *cols], tuples)


@dataclass(frozen=True, slots=True)
class LineState:
    """What the partner is told of a line: outcome, product, quantities, reason."""

    outcome: str
    sku: str | None
    ordered: str
    confirmed: str
    reason_code: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> LineState:
        return cls(
            outcome=row["outcome"],
            sku=row["sku"],
            ordered=plain(row["ordered_quantity"]),
            confirmed=plain(row["confirmed_quantity"]),
            reason_code=row["reason_code"],
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "sku": self.sku,
            "quantity": self.ordered,
            "confirmed": self.confirmed,
            "reason_code": self.reason_code,
        }


@dataclass(slots=True)
class LineChange:
    line_no: int
    kind: LineChangeKind
    after: LineState
    before: LineState | None = None
    #: The line's message after the change (its reason, when refused)
    message: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "line_no": self.line_no,
            "change": self.kind.value,
            "before": self.before.as_dict() if self.before else None,
            "after": self.after.as_dict(),
            "message": self.message,
        }


@dataclass
class Revision:
    """What a replay or a follow-up changes in one order (nothing stored yet)."""

    kind: RevisionKind
    order_id: int
    #: Every line the revision touches, in line order (unchanged ones too, for a replay)
    lines: list[LineChange] = field(default_factory=list)
    #: The rows to write: replacing the rows of the same line number, or new
    rows: list[dict[str, Any]] = field(default_factory=list)
    status_before: str = ""
    status_after: str = ""

    @property
    def changed(self) -> list[LineChange]:
        return [c for c in self.lines if c.kind is not LineChangeKind.UNCHANGED]

    @property
    def is_empty(self) -> bool:
        return not self.changed and self.status_before == self.status_after

    def as_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "status_before": self.status_before,
            "status_after": self.status_after,
            "lines": [c.as_dict() for c in self.lines],
        }


def identifier_key(row: dict[str, Any]) -> str:
    """How a line names its product when nothing resolved it: its first identifier."""
    for col in ("barcode", "supplier_ref", "customer_ref"):
        if row.get(col):
            return f"{col}:{str(row[col]).strip().upper()}"
    return f"name:{name_key(row.get('description') or '')}"


def _product_key(row: dict[str, Any]) -> str:
    return f"product:{row['product_id']}" if row.get("product_id") else identifier_key(row)


def _change(before: dict[str, Any] | None, after: dict[str, Any]) -> LineChangeKind:
    if before is None:
        return LineChangeKind.ADDED
    if LineState.of(before) == LineState.of(after):
        return LineChangeKind.UNCHANGED
    if before["outcome"] == _REJECTED and after["outcome"] != _REJECTED:
        return LineChangeKind.REVIVED
    return LineChangeKind.CHANGED


def revise(
    kind: RevisionKind,
    order: Order,
    current: list[dict[str, Any]],
    ev: EvaluatedOrder,
    *,
    usable_status: OrderStatus = OrderStatus.PENDING_VALIDATION,
) -> Revision:
    """The lines ``ev`` gives ``order`` (whose stored rows are ``current``); a revised order
    with a usable line takes ``usable_status`` (validated for auto-validate partners)."""
    revision = Revision(kind=kind, order_id=order.id, status_before=order.status)
    by_no = {r["line_no"]: r for r in current}
    if kind is RevisionKind.REPLAYED:
        for result in ev.lines:
            row = line_row(result)
            before = by_no.get(row["line_no"])
            revision.rows.append(row)
            revision.lines.append(_line_change(before, row))
    else:
        by_key: dict[str, dict[str, Any]] = {}
        for r in current:
            by_key.setdefault(_product_key(r), r)
            by_key.setdefault(identifier_key(r), r)
        next_no = max(by_no, default=0) + 1
        for result in ev.lines:
            row = line_row(result)
            before = by_key.get(_product_key(row)) or by_key.get(identifier_key(row))
            if before is None:
                row["line_no"], next_no = next_no, next_no + 1
            else:
                row["line_no"] = before["line_no"]
            revision.rows.append(row)
            revision.lines.append(_line_change(before, row))
    usable = any(
        r["outcome"] != _REJECTED
        for r in {**by_no, **{r["line_no"]: r for r in revision.rows}}.values()
    )
    revision.status_after = _status_after(order.status, usable, usable_status)
    revision.lines.sort(key=lambda c: c.line_no)
    return revision


def _line_change(before: dict[str, Any] | None, after: dict[str, Any]) -> LineChange:
    return LineChange(
        line_no=after["line_no"],
        kind=_change(before, after),
        before=LineState.of(before) if before is not None else None,
        after=LineState.of(after),
        message=after["message"],
    )


def _status_after(status: str, usable: bool, usable_status: OrderStatus) -> str:
    # A revised order waits for validation when it has a usable line; an order the
    # gateway rejected at intake (nothing usable) comes back to life when it has one,
    # and one left with nothing usable is rejected, as it would have been at intake.
    if usable:
        return status if status == usable_status.value else usable_status.value
    return OrderStatus.REJECTED.value


def apply_revision(
    session: Session,
    order: Order,
    revision: Revision,
    *,
    actor: str,
    now: datetime,
    reason: str,
    details: dict[str, Any] | None = None,
) -> OrderEvent:
    """Write ``revision`` inside the caller's transaction; the event recording it."""
    t = table_of(OrderLine)
    existing = set(session.scalars(select(OrderLine.line_no).where(OrderLine.order_id == order.id)))
    new = [r for r in revision.rows if r["line_no"] not in existing]
    for row in revision.rows:
        if row["line_no"] not in existing:
            continue
        values = {k: v for k, v in row.items() if k not in ("order_id", "line_no")}
        session.execute(
            update(t)
            .where(and_(t.c.order_id == order.id, t.c.line_no == row["line_no"]))
            .values(**values)
        )
    insert_lines(session, order.id, new)
    session.expire(order, ["lines"])
    order.status = revision.status_after
    order.updated_at = now
    if revision.status_after != OrderStatus.REJECTED.value:
        order.reason_code, order.reason = None, None
    event = OrderEvent(
        order_id=order.id,
        at=now,
        from_status=revision.status_before,
        to_status=revision.status_after,
        kind=revision.kind.value,
        actor=actor,
        reason=reason,
        details={**(details or {}), "changes": [c.as_dict() for c in revision.changed]},
    )
    session.add(event)
    session.flush()
    return event


__all__ = [
    "LineChange",
    "LineChangeKind",
    "LineState",
    "Revision",
    "RevisionKind",
    "apply_revision",
    "identifier_key",
    "insert_lines",
    "line_row",
    "revise",
]
