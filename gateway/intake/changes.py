"""The buyer's changes to an order it sent: ORDCHG, 860, and orders that replace or cancel.

A change names the order by its number (RFF+ON / BCH03, or the replacing order's own
BGM / BEG number); it applies to that order of this partner and customer while the
order can still change (:func:`gateway.rules.lifecycle.check_change`: until it ships),
and is refused with a reason after.  Line by line:

* **add** — the line is resolved and checked like any order line and added;
* **change** — the line (found by the buyer's line number, else by a product id it
  sent) takes the new quantity, date or price when the new quantity passes the checks,
  else it keeps what it had and the change is refused with the check's reason;
* **delete** — the line is kept, refused with ``line_deleted`` and nothing confirmed;
* a **replacing order** (BGM 1225 5 / BEG01 05) restates the whole order: lines are
  compared with the order's, and whatever differs is added, changed or deleted;
* a **cancelling** message (1225 1 / BEG01 01 / BCH01 01) cancels the order.

Each change is recorded in the ledger by its own reference (ORDCHG BGM 1004, 860
BCH05) or, without one, its content, in the file's transaction: the same change in
another file or interchange is applied once.  The buyer is answered with an ORDRSP
(EDIFACT) or an 865 (X12) listing each change and whether it was applied.

Plain decisions live in :mod:`gateway.rules`; this module applies them to stored rows
inside the file's one transaction (see :mod:`gateway.intake.pipeline`).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, selectinload

from gateway.intake.evaluate import EvaluatedOrder, LineResult
from gateway.intake.record import actor_of_partner
from gateway.replies.edifact import ordrsp_reply
from gateway.replies.outbox import MessageKind, ReplyContext
from gateway.replies.responses import order_response
from gateway.replies.x12 import x865_reply
from gateway.rules.lifecycle import ChangeRefused, OrderStatus, check_change
from gateway.rules.quantity import plain, trimmed
from gateway.rules.reasons import ReasonCode, reason_message, sentence, where
from gateway.store.ledger import known_change, record_change
from gateway.store.models import LIVE_ORDER_SQL, Order, OrderEvent, OrderLine
from parsers.document import (
    ItemId,
    LineChange,
    LineStatus,
    OrderDocument,
    OrderResponse,
    ResponseKind,
    ResponseLine,
    SourceFormat,
)
from parsers.document import OrderLine as DocumentLine

log = logging.getLogger("gateway.intake.changes")

#: Document functions that change an order already received
CHANGE_FUNCTIONS = frozenset({"change", "replace", "cancel"})


def is_change(doc: OrderDocument) -> bool:
    return doc.function in CHANGE_FUNCTIONS


@dataclass
class ChangeOutcome:
    """What a change did, for the file's summary and its log line."""

    order: Order | None
    applied: bool
    #: The same change was applied before: nothing was done again
    repeated: bool = False
    reason: str | None = None
    accepted: int = 0
    refused: int = 0
    details: list[dict[str, Any]] = field(default_factory=list)


def change_key(doc: OrderDocument) -> str:
    """How a change is told apart: its own reference, else what it says."""
    if doc.change_ref:
        return f"{doc.function}:{doc.change_ref}"[:100]
    content = repr(
        (
            doc.function,
            doc.order_number,
            doc.delivery_date,
            [(ln.external_id, ln.item_ids, ln.quantity, ln.change) for ln in doc.lines],
        )
    )
    return f"{doc.function}:sha256:{hashlib.sha256(content.encode()).hexdigest()}"


def _live_order(session: Session, ev: EvaluatedOrder, partner_id: str) -> Order | None:
    customer = ev.who.customer
    if customer is None or not ev.doc.order_number:
        return None
    return session.scalar(
        select(Order)
        .options(selectinload(Order.lines))
        .where(
            Order.partner == partner_id,
            Order.customer_code == customer.code,
            Order.order_number == ev.doc.order_number,
            text(LIVE_ORDER_SQL),  # the partial unique index's words: SQLite seeks in it
        )
        .with_for_update()
    )


def apply_change(ctx: ReplyContext, ev: EvaluatedOrder) -> ChangeOutcome | None:
    """Apply the buyer's change ``ev`` and queue its answer; None when it is a replacing
    order for an order never received (it is then a new order: the caller stores it)."""
    session, now, lang = ctx.session, ctx.now, ctx.partner.language
    doc = ev.doc
    order = _live_order(session, ev, ctx.partner_id)
    if order is None:
        if doc.function == "replace":
            return None
        text = reason_message(ReasonCode.UNKNOWN_ORDER, lang, value=doc.order_number)
        _answer_refusal(ctx, ev, text)
        return ChangeOutcome(None, applied=False, reason=text)
    key = change_key(doc)
    if known_change(session, ctx.partner_id, order.id, key) is not None:
        log.info(
            "change received again, not applied again partner=%s order=%d change=%s",
            ctx.partner_id, order.id, key,
        )  # fmt: skip
        return ChangeOutcome(order, applied=False, repeated=True, reason="already applied")
    try:
        check_change(order.id, order.status)
    except ChangeRefused:
        text = reason_message(
            ReasonCode.CHANGE_TOO_LATE, lang, value=doc.order_number, status=order.status
        )
        _answer_refusal(ctx, ev, text, order)
        return ChangeOutcome(order, applied=False, reason=text)
    record_change(session, ctx.partner_id, order.id, key, ctx.inbound.id, now)
    if doc.function == "cancel":
        return _cancel(ctx, order, doc)
    if ev.reason is not None and ev.reason is not ReasonCode.NO_USABLE_LINE:
        # not granted, unknown customer…: the whole change is refused for that reason
        _answer_refusal(ctx, ev, ev.message or "", order)
        return ChangeOutcome(order, applied=False, reason=ev.message)
    return _apply_lines(ctx, order, ev)


# --- whole order --------------------------------------------------------------------------
def _event(
    session: Session, order: Order, before: str, ctx: ReplyContext, reason: str, details: dict
) -> None:
    session.add(
        OrderEvent(
            order_id=order.id,
            at=ctx.now,
            from_status=before,
            to_status=order.status,
            actor=actor_of_partner(ctx.partner_id),
            reason=reason,
            details=details | {"inbound_file_id": ctx.inbound.id},
        )
    )
    order.updated_at = ctx.now
    session.flush()


def _cancel(ctx: ReplyContext, order: Order, doc: OrderDocument) -> ChangeOutcome:
    before = order.status
    order.status = OrderStatus.CANCELLED.value
    reason = sentence("changed_by_buyer", "en", change=doc.change_ref or "cancellation")
    _event(ctx.session, order, before, ctx, reason, {"change": "cancel", "ref": doc.change_ref})
    response = _response(ctx, order, doc)
    response.kind = ResponseKind.ACCEPTED  # the cancellation is: BGM 29 / BCA AT, no lines
    response.lines = []
    _queue_answer(ctx, order, response)
    return ChangeOutcome(order, applied=True, details=[{"change": "cancel"}])


# --- lines ---------------------------------------------------------------------------------
def _find_line(order: Order, result: LineResult) -> OrderLine | None:
    wanted = result.line
    if wanted.external_id:
        for line in order.lines:
            if line.external_id == wanted.external_id:
                return line
    ids = {i.value.strip() for i in wanted.item_ids} | {
        v for v in (wanted.barcode, wanted.supplier_ref, wanted.customer_ref) if v
    }
    for line in order.lines:
        theirs = {i[1].strip() for i in line.item_ids or []} | {
            v for v in (line.barcode, line.supplier_ref, line.customer_ref, line.sku) if v
        }
        if ids & theirs:
            return line
    return None


def _wanted_changes(order: Order, ev: EvaluatedOrder) -> list[tuple[LineChange, LineResult]]:
    """The change each line asks for; a replacing order's are found by comparing."""
    if ev.doc.function != "replace":
        return [(r.line.change or LineChange.CHANGE, r) for r in ev.lines]
    wanted: list[tuple[LineChange, LineResult]] = []
    matched: set[int] = set()
    for r in ev.lines:
        line = _find_line(order, r)
        if line is None:
            wanted.append((LineChange.ADD, r))
            continue
        matched.add(line.id)
        same = trimmed(line.ordered_quantity) == trimmed(r.line.quantity)
        wanted.append((LineChange.UNCHANGED if same else LineChange.CHANGE, r))
    for line in order.lines:
        if line.id not in matched and line.outcome != LineStatus.REJECTED.value:
            wanted.append((LineChange.DELETE, _as_result(line)))
    return wanted


def _as_result(line: OrderLine) -> LineResult:
    """An existing line as the result a deleting change would carry for it."""
    doc_line = DocumentLine(
        line_no=line.line_no,
        external_id=line.external_id,
        barcode=line.barcode,
        supplier_ref=line.supplier_ref,
        customer_ref=line.customer_ref,
        quantity=trimmed(line.ordered_quantity),
        unit=line.ordered_unit,
        item_ids=[ItemId(*i) for i in line.item_ids or []],
    )
    return LineResult(line=doc_line, outcome=LineStatus.ACCEPTED, sku=line.sku)


def _apply_lines(ctx: ReplyContext, order: Order, ev: EvaluatedOrder) -> ChangeOutcome:
    session, lang = ctx.session, ctx.partner.language
    outcome = ChangeOutcome(order, applied=True)
    answers: list[ResponseLine] = []
    next_no = (
        session.scalar(select(func.max(OrderLine.line_no)).where(OrderLine.order_id == order.id))
        or 0
    )
    if ev.doc.delivery_date and ev.doc.delivery_date != order.delivery_date:
        outcome.details.append({"change": "delivery_date", "to": ev.doc.delivery_date.isoformat()})
        order.delivery_date = ev.doc.delivery_date
    for change, r in _wanted_changes(order, ev):
        if change is LineChange.UNCHANGED:
            continue
        existing = None if change is LineChange.ADD else _find_line(order, r)
        refusal = None
        if change is not LineChange.ADD and existing is None:
            refusal = reason_message(
                ReasonCode.UNKNOWN_LINE,
                lang,
                where=where(r.line, lang),
                value=order.order_number,
                line=r.line.external_id or r.line.line_no,
            )
        elif change is not LineChange.DELETE and r.outcome is LineStatus.REJECTED:
            refusal = r.message
        if change is LineChange.ADD and refusal is not None:
            next_no += 1
            _insert(session, order, r, next_no)  # kept, refused: nothing is lost
        elif change is LineChange.ADD:
            next_no += 1
            existing = _insert(session, order, r, next_no)
            existing.message = existing.message or sentence("line_added_by_buyer", lang)
        elif refusal is None and change is LineChange.DELETE:
            assert existing is not None
            existing.outcome = LineStatus.REJECTED.value
            existing.reason_code = ReasonCode.LINE_DELETED.value
            existing.message = reason_message(ReasonCode.LINE_DELETED, lang)
            existing.confirmed_quantity = None
        elif refusal is None:
            assert existing is not None
            _update(existing, r, lang)
        answers.append(_answer_line(change, r, existing, refusal))
        outcome.details.append(
            {"change": change.value, "line": r.line.external_id, "applied": refusal is None}
        )
        if refusal is None:
            outcome.accepted += 1
        else:
            outcome.refused += 1
    session.flush()
    reason = sentence("changed_by_buyer", "en", change=ev.doc.change_ref or ev.doc.function)
    _event(session, order, order.status, ctx, reason, {"changes": outcome.details})
    response = _response(ctx, order, ev.doc)
    response.lines = answers
    refused = [a.status is LineStatus.REJECTED for a in answers]
    response.kind = (
        ResponseKind.REJECTED
        if answers and all(refused)
        else ResponseKind.CHANGED
        if any(refused)
        else ResponseKind.ACCEPTED
    )
    _queue_answer(ctx, order, response)
    return outcome


def _insert(session: Session, order: Order, r: LineResult, line_no: int) -> OrderLine:
    line = OrderLine(
        order_id=order.id,
        line_no=line_no,
        source_line=r.line.location.line,
        external_id=r.line.external_id,
        barcode=r.line.barcode,
        supplier_ref=r.line.supplier_ref,
        customer_ref=r.line.customer_ref,
        description=r.line.name or r.product_name,
        product_id=r.product_id,
        sku=r.sku,
        ordered_quantity=r.line.quantity,
        ordered_unit=r.line.unit or (r.unit if r.quantity == r.line.quantity else None),
        quantity=r.quantity,
        confirmed_quantity=r.confirmed if r.outcome is not LineStatus.REJECTED else None,
        unit_price=r.line.unit_price,
        outcome=r.outcome.value,
        reason_code=r.reason.value if r.reason else None,
        message=r.message,
        matched_by=r.matched_by.value if r.matched_by else None,
        confidence=r.confidence,
        suggestions=r.suggestions,
        item_ids=[list(i) for i in r.line.item_ids] or None,
    )
    session.add(line)
    order.lines.append(line)
    return line


def _update(line: OrderLine, r: LineResult, language: str) -> None:
    before = plain(line.ordered_quantity, missing="?")
    line.ordered_quantity = r.line.quantity
    line.quantity = r.quantity
    line.confirmed_quantity = r.confirmed
    if r.line.unit:
        line.ordered_unit = r.line.unit
    if r.line.unit_price is not None:
        line.unit_price = r.line.unit_price
    if r.product_id is not None:
        line.product_id, line.sku = r.product_id, r.sku
    line.outcome = r.outcome.value
    line.reason_code = r.reason.value if r.reason else None
    line.message = r.message or sentence(
        "line_changed", language, before=before, after=plain(r.line.quantity)
    )


def _answer_line(
    change: LineChange, r: LineResult, line: OrderLine | None, refusal: str | None
) -> ResponseLine:
    """One line of the answer: what the buyer asked, and what became of it."""
    ordered = r.line.quantity
    pack = (
        Decimal(r.quantity) / Decimal(ordered)
        if r.quantity is not None and ordered and r.quantity != ordered
        else None
    )
    confirmed = r.confirmed if refusal is None and change is not LineChange.DELETE else None
    if confirmed is not None and pack is not None:
        confirmed = trimmed(Decimal(confirmed) / pack)
    accepted = LineStatus.ADJUSTED if r.outcome is LineStatus.ADJUSTED else LineStatus.ACCEPTED
    return ResponseLine(
        line_no=line.line_no if line is not None else r.line.line_no,
        status=LineStatus.REJECTED if refusal is not None else accepted,
        external_id=r.line.external_id,
        barcode=r.line.barcode,
        sku=r.sku or (line.sku if line is not None else None),
        name=r.line.name,
        ordered_quantity=trimmed(ordered),
        confirmed_quantity=trimmed(confirmed),
        unit=r.line.unit,
        unit_price=r.line.unit_price,
        reason_code=(r.reason.value if r.reason else None) if refusal is not None else None,
        message=refusal,
        item_ids=list(r.line.item_ids),
        change=change,
    )


# --- the answer ----------------------------------------------------------------------------
def _response(ctx: ReplyContext, order: Order, doc: OrderDocument) -> OrderResponse:
    response = order_response(
        ctx.session,
        order,
        response_number=f"{order.id}-C{ctx.inbound.id}",
        issued_at=ctx.now,
        language=ctx.partner.language,
        supplier=ctx.ws.config.supplier,
    )
    response.change_ref = doc.change_ref
    response.reason = None
    # Answered in the envelope of the change (its delimiters, version, references)
    response.envelope = doc.envelope
    return response


def _answer_refusal(
    ctx: ReplyContext, ev: EvaluatedOrder, text: str, order: Order | None = None
) -> None:
    doc = ev.doc
    if order is not None:
        response = _response(ctx, order, doc)
    else:
        response = OrderResponse(
            kind=ResponseKind.REJECTED,
            order_number=doc.order_number,
            order_status=OrderStatus.REJECTED.value,
            response_number=f"C{ctx.inbound.id}",
            issued_at=ctx.now.date(),
            order_date=doc.order_date,
            envelope=doc.envelope,
            language=ctx.partner.language,
            change_ref=doc.change_ref,
        )
    response.kind = ResponseKind.REJECTED
    response.reason = text
    response.lines = []
    _queue_answer(ctx, order, response)


def _queue_answer(ctx: ReplyContext, order: Order | None, response: OrderResponse) -> None:
    """ORDRSP for an EDIFACT change, 865 for an X12 one, in the change's own envelope."""
    session, config, pid = ctx.session, ctx.ws.config, ctx.partner_id
    order_id = order.id if order is not None else None
    if ctx.source is SourceFormat.EDIFACT:
        reply = ordrsp_reply(session, config, pid, response, ctx.now)
        ctx.queue_edi(MessageKind.ORDRSP, SourceFormat.EDIFACT, reply, order_id=order_id)
    elif ctx.source is SourceFormat.X12 and response.order_number:
        reply = x865_reply(session, config, pid, response, ctx.now)
        ctx.queue_edi(MessageKind.PO_CHANGE_ACK_865, SourceFormat.X12, reply, order_id=order_id)


__all__ = ["CHANGE_FUNCTIONS", "ChangeOutcome", "apply_change", "change_key", "is_change"]
