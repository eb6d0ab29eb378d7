"""The queue of rejected lines still waiting, each with its fix; and fixing one.

A line waits while its order can still be revised: the order waits for validation, or
the gateway itself rejected it at intake. Each rejection reason has a fix an admin can
run: map an unknown identifier to a product once (a learned cross-reference), import
the missing assortment row or grant, then replay the file — or, when the line is the
customer's to correct, say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select

from gateway.catalog.xrefs import LearnedReference, save_xref
from gateway.errors import NotFound, Refused
from gateway.rules.lifecycle import REVISABLE, OrderStatus
from gateway.rules.reasons import ReasonCode
from gateway.rules.xrefs import FIXES, XrefKind, XrefScope
from gateway.store.models import Order, OrderLine
from gateway.workspace import Workspace

if TYPE_CHECKING:  # replay_file is imported by the fix that replays: a listing never does
    from gateway.admin.replay import ReplayReport

R = ReasonCode
#: Reasons that are the customer's to correct, with a follow-up file
CUSTOMERS_TO_CORRECT = frozenset({
    R.INVALID_QUANTITY, R.MISSING_QUANTITY, R.INVALID_DATE, R.INVALID_VALUE,
    R.MISSING_PRODUCT_ID, R.NON_POSITIVE_QUANTITY, R.FRACTIONAL_QUANTITY, R.NOT_A_MULTIPLE,
    R.IDENTIFIER_CONFLICT,
})  # fmt: skip


class NotFixable(Refused):
    """A learned cross-reference does not fix this rejection."""


def identifier(line: OrderLine, kind: XrefKind) -> str | None:
    """The identifier of ``line`` that a learned reference of ``kind`` maps."""
    if kind is XrefKind.BARCODE:
        return line.barcode
    if kind is XrefKind.REFERENCE:
        if line.reason_code == R.UNKNOWN_CUSTOMER_REF.value:
            return line.customer_ref or line.supplier_ref
        return line.supplier_ref or line.customer_ref
    return line.description


def _suggested_sku(line: OrderLine) -> str:
    for label in line.suggestions or []:
        if isinstance(label, str) and label.split():
            return label.split()[0]
    return "SKU"


def fix_for(line: OrderLine, order: Order) -> dict[str, Any]:
    """What an admin does about this rejected line: in words, and the commands to run."""
    code = ReasonCode(line.reason_code) if line.reason_code else None
    file = order.inbound_file_id
    replay = [f"order-gateway replay {file}"] if file else []
    if code in FIXES:
        kind = FIXES[code]
        return {
            "text": (
                f"map {kind.value} {identifier(line, kind)!r} to the product meant, once: the "
                "next lines carrying it match by themselves"
            ),
            "commands": [
                f"order-gateway rejections fix {line.id} --sku {_suggested_sku(line)} --replay"
            ],
        }
    if code is R.NOT_IN_ASSORTMENT:
        return {
            "text": (
                f"add {line.sku} to the assortment of customer {order.customer_code} "
                f"(a row `customer;sku` = `{order.customer_code};{line.sku}`), then replay"
            ),
            "commands": ["order-gateway import assortments FILE", *replay],
        }
    if code is R.PRODUCT_INACTIVE:
        return {
            "text": (
                f"{line.sku} is no longer sold: reactivate it (`import products` with active = 1) "
                "and replay, or ask the customer for a replacement product"
            ),
            "commands": ["order-gateway import products FILE", *replay],
        }
    if code in (R.NOT_GRANTED, R.NO_SITE, R.NO_CUSTOMER, R.UNKNOWN_CUSTOMER, R.UNKNOWN_SITE):
        return {
            "text": (
                f"grant partner {order.partner} customer {order.customer_code or '?'} at site "
                f"{order.site_code or '?'} (a row `partner;customer;site`), or give the partner "
                "a default customer / site, or map the id in its mapping profile; then replay"
            ),
            "commands": ["order-gateway import grants FILE", *replay],
        }
    if code in CUSTOMERS_TO_CORRECT:
        return {
            "text": (
                "the customer's to correct: a follow-up file with the same order number "
                "amends the order (duplicate_policy amend)"
            ),
            "commands": [],
        }
    if code is R.DUPLICATE_ORDER:
        return {
            "text": "the customer reused an order number already received; ask which was meant",
            "commands": [],
        }
    return {"text": "see the line's message", "commands": replay}


def _waiting(order: Order) -> bool:
    if order.status in REVISABLE:
        return True
    # Rejected by the gateway at intake keeps its reason code; by a person, it has none.
    return order.status == OrderStatus.REJECTED.value and order.reason_code is not None


def _waiting_sql():  # noqa: ANN202 — a SQL condition, the same as _waiting
    # The waiting orders first, found by the status index, then their rejected lines by
    # the partial index: joined the other way, every line ever rejected is read.
    waiting = select(Order.id).where(
        Order.status.in_([*REVISABLE, OrderStatus.REJECTED.value]),
        or_(Order.status != OrderStatus.REJECTED.value, Order.reason_code.is_not(None)),
    )
    return OrderLine.order_id.in_(waiting)


def waiting_counts(
    ws: Workspace, *, partner: str | None = None, by: str = "partner"
) -> dict[str, int]:
    """How many rejected lines wait, per partner (``by="partner"``) or per reason code
    (``by="reason"``, optionally of one partner)."""
    key = Order.partner if by == "partner" else OrderLine.reason_code
    q = (
        select(key, func.count())
        .select_from(OrderLine)
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderLine.outcome == "rejected", _waiting_sql())
        .group_by(key)
    )
    if partner is not None:
        q = q.where(Order.partner == partner)
    with ws.read_sessions() as s:
        return {str(k or "?"): int(n) for k, n in s.execute(q)}


def list_rejections(
    ws: Workspace,
    *,
    partner: str | None = None,
    reason: str | None = None,
    since: datetime | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Rejected lines still waiting, grouped by reason (most lines first)."""
    if partner is not None:
        ws.partner(partner)
    if reason is not None and reason not in {r.value for r in ReasonCode}:
        known = ", ".join(sorted(r.value for r in ReasonCode))
        raise NotFound(f"unknown reason {reason!r} (reasons: {known})")
    q = (
        select(OrderLine, Order)
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderLine.outcome == "rejected")
        .where(_waiting_sql())
        .order_by(Order.id, OrderLine.line_no)
        .limit(limit)
    )
    if partner is not None:
        q = q.where(Order.partner == partner)
    if reason is not None:
        q = q.where(OrderLine.reason_code == reason)
    if since is not None:
        q = q.where(Order.created_at >= since)
    groups: dict[str, list[dict[str, Any]]] = {}
    with ws.read_sessions() as s:
        for line, order in s.execute(q):
            if not _waiting(order):
                continue
            groups.setdefault(line.reason_code or "?", []).append({
                "line_id": line.id,
                "order_id": order.id,
                "order_number": order.order_number,
                "partner": order.partner,
                "customer": order.customer_code,
                "site": order.site_code,
                "sku": line.sku,
                "file_id": order.inbound_file_id,
                "line_no": line.line_no,
                "barcode": line.barcode,
                "supplier_ref": line.supplier_ref,
                "customer_ref": line.customer_ref,
                "name": line.description,
                "quantity": line.ordered_quantity,
                "message": line.message,
                "suggestions": line.suggestions or [],
                "fix": fix_for(line, order),
            })  # fmt: skip
    return [
        {"reason_code": code, "count": len(lines), "lines": lines}
        for code, lines in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]


@dataclass
class FixReport:
    xref: LearnedReference
    replay: ReplayReport | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "xref": self.xref.as_dict(),
            "replay": self.replay.as_dict() if self.replay else None,
        }


def fix_rejection(
    ws: Workspace,
    line_id: int,
    *,
    sku: str,
    actor: str,
    scope: XrefScope = XrefScope.CUSTOMER,
    replay: bool = False,
) -> FixReport:
    """Map the identifier of rejected line ``line_id`` to product ``sku`` (a learned
    cross-reference for its customer, partner or everyone); replay its file if asked."""
    with ws.sessions.begin() as s:
        line = s.get(OrderLine, line_id)
        if line is None or line.outcome != "rejected":
            raise NotFound(f"no rejected line #{line_id} (see `order-gateway rejections list`)")
        order = s.get(Order, line.order_id)
        assert order is not None
        code = ReasonCode(line.reason_code) if line.reason_code else None
        if code not in FIXES:
            raise NotFixable(
                f"line #{line_id} was refused for {line.reason_code}: a cross-reference does "
                f"not fix that; {fix_for(line, order)['text']}"
            )
        kind = FIXES[code]
        written = identifier(line, kind)
        if not written:
            raise NotFixable(f"line #{line_id} has no {kind.value} to map")
        if scope is XrefScope.CUSTOMER and not order.customer_code:
            raise NotFixable(
                f"the order of line #{line_id} has no customer: fix its customer first "
                "(grants, defaults), or map for the partner (--scope partner)"
            )
        owner = {
            XrefScope.CUSTOMER: order.customer_code or "",
            XrefScope.PARTNER: order.partner,
            XrefScope.EVERYONE: "",
        }[scope]
        xref = save_xref(
            s, kind=kind, written=written, sku=sku, scope=scope, owner=owner,
            actor=actor, now=datetime.now(UTC),
        )  # fmt: skip
        file_id = order.inbound_file_id
    report = FixReport(xref)
    if replay and file_id is not None:
        from gateway.admin.replay import replay_file

        report.replay = replay_file(ws, file_id, actor=actor)
    return report


__all__ = [
    "FixReport",
    "NotFixable",
    "fix_for",
    "fix_rejection",
    "list_rejections",
    "waiting_counts",
]
