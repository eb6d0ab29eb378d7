"""Store evaluated orders: the order, its lines with outcomes, its first status events.

An order whose customer and number are already live for the partner is a duplicate,
and the partner's duplicate policy decides: ``refuse`` it, ``replace`` the first (a new
order; the first cancelled) or ``amend`` the first (the same order, its lines revised:
:mod:`gateway.intake.revision`). A first order that is no longer waiting for validation
cannot be replaced or amended: the duplicate is refused, in the customer's words.

Called inside the file's one transaction (see ``gateway.intake.pipeline``); it never commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.orm import Session

from gateway.config.settings import DuplicatePolicy, PartnerConfig
from gateway.intake.evaluate import EvaluatedOrder
from gateway.intake.replacement import LineChanges, line_changes, replaceable
from gateway.intake.revision import (
    LineChangeKind,
    Revision,
    RevisionKind,
    apply_revision,
    line_table,
    revise,
)
from gateway.replies.responses import StoredOrder, line_rows
from gateway.rules.lifecycle import REVISABLE, ActorKind, OrderStatus, check_transition
from gateway.rules.lifecycle import actor as make_actor
from gateway.rules.reasons import ReasonCode, reason_message, sentence
from gateway.store.line_table import LineTable
from gateway.store.models import LIVE_ORDER_SQL, Order, OrderEvent, OrderSource, table_of
from gateway.store.rows import insert_now
from parsers.document import LineStatus, Party, SourceFormat
from parsers.sheets import status_label

# Built once: asked for every order stored, and building the statement (and its cache
# key) cost more than running it. Live in the words of the partial unique index, so that
# SQLite seeks the number in it (LIVE_ORDER_SQL). The ids, on the table: most numbers are
# new, and an ORM query that finds nothing cost twice the Core one (0.18 against 0.08 ms).
_ORDERS = table_of(Order).c
_LIVE_ORDERS = select(_ORDERS.id).where(
    _ORDERS.customer_code == bindparam("customer"),
    _ORDERS.order_number == bindparam("number"),
    text(LIVE_ORDER_SQL),
)
_LIVE_ORDERS_ANY_PARTNER = _LIVE_ORDERS.order_by(_ORDERS.id)
_LIVE_ORDERS_OF_PARTNER = _LIVE_ORDERS.where(_ORDERS.partner == bindparam("partner")).order_by(
    _ORDERS.id
)


_ORIGINAL_SOURCE = insert(table_of(OrderSource)).values(role="original")
# Built once too: building it and its cache key cost 14 µs CPU an order.
_EVENTS = insert(table_of(OrderEvent))


def find_live_orders(
    session: Session, customer_code: str, order_number: str, partner_id: str | None = None
) -> list[Order]:
    """The live orders with this customer and number (one per partner at most)."""
    wanted = {"customer": customer_code, "number": order_number}
    # Core statements, on the session's connection: its execute only hands them on.
    conn = session.connection()
    if partner_id is None:
        ids = conn.scalars(_LIVE_ORDERS_ANY_PARTNER, wanted).all()
    else:
        ids = conn.scalars(_LIVE_ORDERS_OF_PARTNER, wanted | {"partner": partner_id}).all()
    return [order for i in ids if (order := session.get(Order, i)) is not None]


def duplicate_text(other: Order, number: str | None, language: str, note: str) -> str:
    """Why a second order with ``other``'s number is refused, as the customer reads it."""
    return reason_message(
        ReasonCode.DUPLICATE_ORDER,
        language,
        value=number,
        date=f"{other.created_at.astimezone():%Y-%m-%d}",
        status=_in_a_sentence(status_label(other.status, language)),
        note=sentence(note, language),
    )


def _in_a_sentence(label: str) -> str:
    return label[:1].lower() + label[1:]


def _mark_duplicate(ev: EvaluatedOrder, text: str) -> None:
    ev.reason, ev.message = ReasonCode.DUPLICATE_ORDER, text
    for r in ev.lines:
        r.outcome, r.reason, r.message = LineStatus.REJECTED, ReasonCode.DUPLICATE_ORDER, text
        r.confirmed, r.hint = None, None


def store_order(
    session: Session,
    ev: EvaluatedOrder,
    *,
    partner_id: str,
    partner: PartnerConfig,
    inbound_file_id: int | None,
    now: datetime,
    actor: str | None = None,
    source_index: int | None = None,
    file_name: str = "",
) -> StoredOrder:
    doc, who = ev.doc, ev.who
    customer_code = who.customer.code if who.customer else None
    who_acted = actor or actor_of_partner(partner_id)
    replaced: LineChanges | None = None
    if ev.reason is None and customer_code and doc.order_number:
        live = find_live_orders(session, customer_code, doc.order_number, partner_id)
        other = live[0] if live else None
        policy = partner.duplicates(doc.format in (SourceFormat.CSV, SourceFormat.XLSX))
        if other is not None and policy is DuplicatePolicy.AMEND and other.status in REVISABLE:
            return _amend(session, other, ev, partner, who_acted, now, inbound_file_id, file_name)
        if other is not None and replaceable(other, ev, policy):
            replaced = line_changes(other, ev.lines)
            _cancel_replaced(session, other, now)
        elif other is not None:
            late = policy is not DuplicatePolicy.REFUSE and other.status not in REVISABLE
            note = "duplicate_too_late" if late else "duplicate_refused"
            _mark_duplicate(ev, duplicate_text(other, doc.order_number, partner.language, note))

    if ev.usable:
        final = OrderStatus.VALIDATED if partner.auto_validate else OrderStatus.PENDING_VALIDATION
    else:
        final = OrderStatus.REJECTED
    env = doc.envelope
    deadline = partner.response_deadline
    order = Order(
        partner=partner_id,
        inbound_file_id=inbound_file_id,
        customer_id=who.customer.id if who.customer else None,
        site_id=who.site.id if who.site else None,
        customer_code=customer_code,
        site_code=who.site.code if who.site else None,
        order_number=doc.order_number,
        status=final.value,
        format=doc.format.value,
        order_date=doc.order_date,
        delivery_date=doc.delivery_date,
        currency=doc.currency,
        reason_code=ev.reason.value if ev.reason else None,
        reason=ev.message or (replaced.summary(partner.language) if replaced else None),
        comment="\n".join(doc.notes) or None,
        buyer_reference=(doc.references.get("buyer_reference") or "")[:64] or None,
        envelope={k: getattr(env, k) for k in env.__slots__ if getattr(env, k) is not None}
        | {"parties": [_party(p) for p in doc.parties]},
        created_at=now,
        updated_at=now,
        source_index=source_index,
        due_at=now + deadline if deadline and final is OrderStatus.PENDING_VALIDATION else None,
    )
    insert_now(session, order)  # its id, for its lines, events and replies
    # Its source and events: Core statements, on the session's connection (the session's
    # execute only hands them on)
    conn = session.connection()
    if inbound_file_id is not None:
        # A statement, not an ORM object: nothing reads the row back in this session, and
        # the unit of work's flush of one object cost about 0.2 ms CPU more (every file).
        conn.execute(_ORIGINAL_SOURCE, {"order_id": order.id, "inbound_file_id": inbound_file_id})

    # The order id, the same on every row, is added at the insert: a key fewer in each of
    # a big order's row dicts.
    table = line_table(ev.lines)
    if replaced is not None:
        rows = table.rows()
        replaced.annotate(rows, partner.language)
        table = LineTable.of_rows(rows)
    table.insert(session, order.id)

    events = [
        {
            "order_id": order.id,
            "at": now,
            "from_status": None,
            "to_status": OrderStatus.RECEIVED.value,
            "actor": who_acted,
            "reason": None,
            "details": {"inbound_file_id": inbound_file_id},
        },
        {
            "order_id": order.id,
            "at": now,
            "from_status": OrderStatus.RECEIVED.value,
            "to_status": final.value,
            "actor": ActorKind.SYSTEM.value,
            "reason": ev.message or _summary(ev),
            "details": {"accepted": ev.accepted, "rejected": ev.rejected},
        },
    ]
    if replaced is not None:
        _record_replacement(events, replaced, order, who_acted, now)
    conn.execute(_EVENTS, events)
    return StoredOrder(order, table, who.customer, who.site)


def _amend(
    session: Session,
    order: Order,
    ev: EvaluatedOrder,
    partner: PartnerConfig,
    actor: str,
    now: datetime,
    inbound_file_id: int | None,
    file_name: str,
) -> StoredOrder:
    """The customer's follow-up file amends its order still waiting for validation."""
    usable = OrderStatus.VALIDATED if partner.auto_validate else OrderStatus.PENDING_VALIDATION
    revision = revise(
        RevisionKind.AMENDED, order, line_rows(session, order.id), ev, usable_status=usable
    )
    say_what_changed(revision, partner.language, file_name)
    apply_revision(
        session,
        order,
        revision,
        actor=actor,
        now=now,
        reason=revision_summary(revision, partner.language, file_name),
        details={"inbound_file_id": inbound_file_id},
    )
    if inbound_file_id is not None:
        session.merge(
            OrderSource(order_id=order.id, inbound_file_id=inbound_file_id, role="amendment")
        )
    table = LineTable.of_rows(line_rows(session, order.id))
    return StoredOrder(order, table, ev.who.customer, ev.who.site)


def say_what_changed(revision: Revision, language: str, file_name: str) -> None:
    """On each changed line that has no message of its own, say what changed."""
    by_no = {r["line_no"]: r for r in revision.rows}
    for change in revision.changed:
        row = by_no[change.line_no]
        if row.get("message"):
            continue
        if change.kind is LineChangeKind.ADDED:
            row["message"] = sentence("line_amended_added", language, file=file_name)
        elif change.kind is LineChangeKind.REVIVED:
            row["message"] = sentence("line_amended_revived", language, file=file_name)
        else:
            before = change.before.ordered if change.before else "?"
            row["message"] = sentence(
                "line_amended_changed",
                language,
                before=before,
                after=change.after.ordered,
                file=file_name,
            )
        change.message = row["message"]


def revision_summary(revision: Revision, language: str, file_name: str) -> str:
    parts = [f"{c.line_no}: {c.kind.value}" for c in revision.changed] or [
        sentence("replaced_unchanged", language)
    ]
    return sentence("amended", language, file=file_name, changes=", ".join(parts))


def _cancel_replaced(session: Session, other: Order, now: datetime) -> None:
    """Cancel the order being replaced first: the live order number is unique."""
    check_transition(other.id, other.status, OrderStatus.CANCELLED.value)
    other.status = OrderStatus.CANCELLED.value
    other.updated_at = now
    session.flush()


def _record_replacement(
    events: list[dict[str, Any]], changes: LineChanges, order: Order, actor: str, now: datetime
) -> None:
    first = events[0]
    first["reason"] = f"replaces #{changes.replaced_id}"
    first["details"] = first["details"] | {
        "replaces": changes.replaced_id,
        "changes": changes.as_list(),
    }
    events.append({
        "order_id": changes.replaced_id, "at": now,
        "from_status": OrderStatus.PENDING_VALIDATION.value,
        "to_status": OrderStatus.CANCELLED.value, "actor": actor,
        "reason": f"replaced by #{order.id}", "details": {"replaced_by": order.id},
    })  # fmt: skip


def _summary(ev: EvaluatedOrder) -> str:
    # The event's reason, read by the supplier's people: in English, like the log.
    return sentence("lines_summary", "en", accepted=ev.accepted, rejected=ev.rejected)


def actor_of_partner(partner_id: str) -> str:
    return make_actor(ActorKind.PARTNER, partner_id)


def _party(p: Party) -> dict[str, str | None]:
    return {"role": p.role.value, "id": p.id, "qualifier": p.qualifier, "name": p.name}


__all__ = [
    "actor_of_partner",
    "duplicate_text",
    "find_live_orders",
    "revision_summary",
    "say_what_changed",
    "store_order",
]
