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

from collections.abc import Sequence
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
from gateway.rules.reasons import ReasonCode
from gateway.rules.resolve import MatchedBy
from gateway.store.line_table import LineTable
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


def line_table(results: Sequence[LineResult]) -> LineTable:
    """Lines as stored (``order_lines`` columns but its order's id, added at the insert),
    from their evaluation: one list per column."""
    lines = [r.line for r in results]
    rejected = LineStatus.REJECTED
    return LineTable(
        {
            "line_no": [ln.line_no for ln in lines],
            "source_line": [ln.location.line for ln in lines],
            "external_id": [ln.external_id for ln in lines],
            "barcode": [ln.barcode for ln in lines],
            "supplier_ref": [ln.supplier_ref for ln in lines],
            "customer_ref": [ln.customer_ref for ln in lines],
            "description": [
                ln.name or r.product_name for ln, r in zip(lines, results, strict=True)
            ],
            "product_id": [r.product_id for r in results],
            "sku": [r.sku for r in results],
            "ordered_quantity": [_storable(ln.quantity) for ln in lines],
            # No unit given: the product's, unless a case barcode made it a pack of them
            "ordered_unit": [
                ln.unit or (r.unit if r.quantity == ln.quantity else None)
                for ln, r in zip(lines, results, strict=True)
            ],
            "quantity": [r.quantity for r in results],
            "confirmed_quantity": [
                r.confirmed if r.outcome is not rejected else None for r in results
            ],
            "unit_price": [_storable(ln.unit_price) for ln in lines],
            # As text, looked up: str() of an enum member is slow in a 100k loop
            "outcome": [_TEXT[r.outcome] for r in results],
            "reason_code": [_TEXT[r.reason] if r.reason else None for r in results],
            "message": [r.message for r in results],
            "hint": [r.hint for r in results],
            "matched_by": [_TEXT[r.matched_by] if r.matched_by else None for r in results],
            "confidence": [r.confidence for r in results],
            "suggestions": [r.suggestions for r in results],
            "item_ids": [ln.item_ids or None for ln in lines],
        }
    )


_TEXT: dict[StrEnum, str] = {m: str(m) for e in (LineStatus, ReasonCode, MatchedBy) for m in e}


def insert_lines(session: Session, order_id: int, rows: list[dict[str, Any]]) -> None:
    """Insert line rows through the driver's bulk path (:class:`LineTable`)."""
    LineTable.of_rows(rows).insert(session, order_id)


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
        for row in line_table(ev.lines).rows():
            before = by_no.get(row["line_no"])
            revision.rows.append(row)
            revision.lines.append(_line_change(before, row))
    else:
        by_key: dict[str, dict[str, Any]] = {}
        for r in current:
            by_key.setdefault(_product_key(r), r)
            by_key.setdefault(identifier_key(r), r)
        next_no = max(by_no, default=0) + 1
        for row in line_table(ev.lines).rows():
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
    "line_table",
    "revise",
]
