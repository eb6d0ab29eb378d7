"""Replay: a received file again, from its archived bytes, against today's catalog,
grants, configuration and mapping.

* A file that produced orders: each order still waiting for validation (or rejected
  by the gateway itself at intake, nothing usable) is revised in place — same order id,
  new line outcomes, an event ``replayed`` by the admin, and ONE updated business reply
  to the partner. An order already validated or further on is refused, with what the
  admin can do instead.
* A file that failed (nothing stored): processed as a new attempt, linked to the first.

A dry run says, per order and line, before → after, and changes nothing. Every replay
is recorded (who, when, what changed); a replay that changes nothing says so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select

from gateway.config.mapping import load_mapping
from gateway.errors import NotFound, Refused, Unreadable
from gateway.intake.evaluate import EvaluatedOrder, evaluate_document
from gateway.intake.guard import process_copy
from gateway.intake.pipeline import FileOutcome
from gateway.intake.read import ReadOutcome, read_file
from gateway.intake.record import find_live_orders
from gateway.intake.revision import (
    LineChange,
    LineChangeKind,
    LineState,
    Revision,
    RevisionKind,
    apply_revision,
    line_table,
    revise,
)
from gateway.replies.outbox import outbox_transaction
from gateway.replies.responses import line_rows
from gateway.replies.revisions import queue_revision_reply
from gateway.rules.lifecycle import REVISABLE, ActorKind, OrderStatus
from gateway.rules.senders import SenderRefused
from gateway.store.ledger import FileResult, known_file
from gateway.store.models import InboundFile, Order, Replay
from gateway.workspace import Workspace
from parsers.errors import ParseError


class UnknownFile(NotFound):
    """No received file has that id (see ``files list``)."""


class OriginalMissing(Unreadable):
    """The archived original of the file is gone."""


class ReplayRefused(Refused):
    """This file cannot be replayed."""


class ReplayResult(StrEnum):
    CHANGED = "changed"  # orders revised, the partner told
    UNCHANGED = "unchanged"  # today's data says the same as before
    NEW_ATTEMPT = "new_attempt"  # a failed file processed again
    REFUSED = "refused"  # nothing could be replayed (see each order's reason)


@dataclass
class OrderReplay:
    """One order of the file: what a replay does (or did) to it."""

    order_id: int | None
    order_number: str | None
    status_before: str | None
    status_after: str | None
    lines: list[LineChange] = field(default_factory=list)
    customer_before: str | None = None
    customer_after: str | None = None
    site_before: str | None = None
    site_after: str | None = None
    #: Why this order is left as it is
    refused: str | None = None

    @property
    def changed(self) -> bool:
        return self.refused is None and (
            any(c.kind is not LineChangeKind.UNCHANGED for c in self.lines)
            or self.status_before != self.status_after
            or (self.customer_before, self.site_before) != (self.customer_after, self.site_after)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "order_number": self.order_number,
            "status_before": self.status_before,
            "status_after": self.status_after,
            "customer_before": self.customer_before,
            "customer_after": self.customer_after,
            "site_before": self.site_before,
            "site_after": self.site_after,
            "changed": self.changed,
            "refused": self.refused,
            "lines": [c.as_dict() for c in self.lines],
        }


@dataclass
class ReplayReport:
    file_id: int
    file_name: str
    partner: str
    dry_run: bool
    result: ReplayResult
    message: str
    orders: list[OrderReplay] = field(default_factory=list)
    replay_id: int | None = None
    attempt: FileOutcome | None = None
    replies: list[Path] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file": self.file_name,
            "partner": self.partner,
            "dry_run": self.dry_run,
            "result": self.result.value,
            "message": self.message,
            "replay_id": self.replay_id,
            "orders": [o.as_dict() for o in self.orders],
            "attempt": (
                {
                    "file_id": self.attempt.inbound_id,
                    "outcome": self.attempt.outcome,
                    "reason": self.attempt.reason,
                    "orders": [o.id for o in self.attempt.orders],
                }
                if self.attempt
                else None
            ),
            "replies": [str(p) for p in self.replies],
        }


def _now() -> datetime:
    return datetime.now(UTC)


def original_bytes(ws: Workspace, inbound: InboundFile) -> bytes:
    """The bytes received: from where the original was archived (or quarantined), else —
    cluster mode, where the ledger and the blob store are the archive — from the blob
    store."""
    where = Path(inbound.archived_to) if inbound.archived_to else None
    if where is not None and where.is_file():
        data = where.read_bytes()
        if hashlib.sha256(data).hexdigest() == inbound.sha256:
            return data
    with ws.read_sessions() as s:
        kept = ws.blobs.get(s, inbound.sha256)
    if kept is not None:
        return kept
    if where is not None and where.is_file():
        raise OriginalMissing(
            f"the archived copy of file #{inbound.id} at {where} is not the file received "
            "(its sha256 differs); it cannot be replayed"
        )
    raise OriginalMissing(
        f"the original of file #{inbound.id} ({inbound.name}) is no longer at "
        f"{where or 'its archive'} nor in the blob store; it cannot be replayed"
    )


def original_data(ws: Workspace, file_id: int) -> bytes:
    """The bytes of received file ``file_id`` (:func:`original_bytes`)."""
    with ws.read_sessions() as s:
        inbound = s.get(InboundFile, file_id)
        if inbound is None:
            raise UnknownFile(f"no received file #{file_id} (see `order-gateway files list`)")
        s.expunge(inbound)
    return original_bytes(ws, inbound)


def _rejected_at_intake(order: Order) -> bool:
    """Rejected by the gateway itself when the file came (nothing usable), not by a person."""
    if order.status != OrderStatus.REJECTED.value:
        return False
    changes = [e for e in order.events if e.kind is None]
    return bool(changes) and changes[-1].actor == ActorKind.SYSTEM.value


def _why_not(order: Order) -> str:
    """What the admin can do about an order a replay may no longer change."""
    status, oid = order.status, order.id
    head = f"order #{oid} is {status}: a replay no longer changes it"
    if status in (OrderStatus.VALIDATED.value, OrderStatus.IN_PREPARATION.value):
        return (
            f"{head}; cancel it (`order-gateway orders cancel {oid} --reason …`) and ask "
            "the customer for a new order, or ship what was confirmed"
        )
    if status == OrderStatus.REJECTED.value:
        return f"{head} (rejected by a person); ask the customer to send it again"
    return f"{head}; nothing left to replay"


def _document_orders(
    s: Any, inbound: InboundFile, evaluated: list[EvaluatedOrder]
) -> list[tuple[EvaluatedOrder, Order | None]]:
    orders = list(
        s.scalars(select(Order).where(Order.inbound_file_id == inbound.id).order_by(Order.id))
    )
    by_index = {o.source_index: o for o in orders if o.source_index is not None}
    unindexed = [o for o in orders if o.source_index is None]
    out: list[tuple[EvaluatedOrder, Order | None]] = []
    for i, ev in enumerate(evaluated):
        order = by_index.get(i)
        if order is None and unindexed:
            same = [o for o in unindexed if o.order_number == ev.doc.order_number]
            order = (same or unindexed)[0]
            unindexed.remove(order)
        out.append((ev, order))
    return out


def _plan(
    s: Any, ws: Workspace, order: Order, ev: EvaluatedOrder
) -> tuple[OrderReplay, Revision | None]:
    who = ev.who
    plan = OrderReplay(
        order_id=order.id,
        order_number=order.order_number,
        status_before=order.status,
        status_after=order.status,
        customer_before=order.customer_code,
        customer_after=who.customer.code if who.customer else None,
        site_before=order.site_code,
        site_after=who.site.code if who.site else None,
    )
    if order.status not in REVISABLE and not _rejected_at_intake(order):
        plan.refused = _why_not(order)
        return plan, None
    partner = ws.partner(order.partner)
    usable = OrderStatus.VALIDATED if partner.auto_validate else OrderStatus.PENDING_VALIDATION
    revision = revise(
        RevisionKind.REPLAYED, order, line_rows(s, order.id), ev, usable_status=usable
    )
    if ev.reason is not None and ev.who.customer is None:
        # Still no customer: nothing the lines say can be taken.
        revision.status_after = OrderStatus.REJECTED.value
    plan.lines, plan.status_after = revision.lines, revision.status_after
    if order.status == OrderStatus.REJECTED.value and revision.status_after != order.status:
        number, customer = order.order_number, plan.customer_after
        live = find_live_orders(s, customer, number, order.partner) if customer and number else []
        if live:
            plan.refused = (
                f"order {number!r} of customer {customer} is live as order #{live[0].id}: "
                f"order #{order.id} stays rejected as its duplicate"
            )
            return plan, None
    return plan, revision


def _read(ws: Workspace, inbound: InboundFile, data: bytes) -> ReadOutcome:
    partner = ws.partner(inbound.partner)
    profile = load_mapping(ws.mappings_dir, partner.mapping)
    return read_file(data, inbound.name, inbound.partner, ws.config, profile)


def _evaluate(ws: Workspace, inbound: InboundFile, read: ReadOutcome) -> list[EvaluatedOrder]:
    partner = ws.partner(inbound.partner)
    profile = load_mapping(ws.mappings_dir, partner.mapping)
    with ws.read_sessions() as r:
        return [
            evaluate_document(r, doc, inbound.partner, partner, profile) for doc in read.documents
        ]


def replay_order(
    ws: Workspace, order_id: int, *, actor: str, dry_run: bool = False
) -> ReplayReport:
    """Replay the file ``order_id`` came from."""
    with ws.read_sessions() as s:
        order = s.get(Order, order_id)
        if order is None:
            raise NotFound(f"no order #{order_id}")
        if order.inbound_file_id is None:
            raise ReplayRefused(f"order #{order_id} did not come from a file; nothing to replay")
        file_id = order.inbound_file_id
    return replay_file(ws, file_id, actor=actor, dry_run=dry_run)


def replay_file(ws: Workspace, file_id: int, *, actor: str, dry_run: bool = False) -> ReplayReport:
    """Replay received file ``file_id`` (a dry run changes nothing)."""
    with ws.read_sessions() as r:
        inbound = r.get(InboundFile, file_id)
        if inbound is None:
            raise UnknownFile(f"no received file #{file_id} (see `order-gateway files list`)")
        if inbound.outcome == FileResult.DUPLICATE and inbound.duplicate_of is not None:
            inbound = r.get(InboundFile, inbound.duplicate_of)
            assert inbound is not None
        processed = known_file(r, inbound.partner, inbound.sha256)
        r.expunge_all()
    if inbound.outcome == FileResult.RECEIVED:
        raise ReplayRefused(
            f"file #{inbound.id} is waiting for a worker to process it; replay it once processed"
        )
    if inbound.outcome == FileResult.FAILED:
        if processed is not None:
            raise ReplayRefused(
                f"file #{inbound.id} failed, but the same bytes were processed since as file "
                f"#{processed.id} ({processed.name}); replay that one"
            )
        return _replay_failed(ws, inbound, actor=actor, dry_run=dry_run)
    data = original_bytes(ws, inbound)
    try:
        read = _read(ws, inbound, data)
    except (ParseError, SenderRefused) as exc:
        raise ReplayRefused(
            f"file #{inbound.id} ({inbound.name}) can no longer be read: {exc}; its orders are "
            "left as they are"
        ) from None
    evaluated = _evaluate(ws, inbound, read)
    report = ReplayReport(
        inbound.id, inbound.name, inbound.partner, dry_run, ReplayResult.UNCHANGED, ""
    )
    plans: list[tuple[OrderReplay, Revision | None, EvaluatedOrder]] = []
    with ws.read_sessions() as r:
        for ev, order in _document_orders(r, inbound, evaluated):
            if order is None:
                continue  # not stored at intake (a refused interchange): nothing to revise
            plan, revision = _plan(r, ws, order, ev)
            plans.append((plan, revision, ev))
            report.orders.append(plan)
    changing = [(p, r, ev) for p, r, ev in plans if r is not None and p.changed]
    if not changing:
        report.result = (
            ReplayResult.REFUSED
            if report.orders and all(o.refused for o in report.orders)
            else ReplayResult.UNCHANGED
        )
        report.message = _message(report)
        if not dry_run:
            report.replay_id = _record(ws, inbound, actor, report, None)
        return report
    report.result = ReplayResult.CHANGED
    report.message = _message(report)
    if dry_run:
        return report
    now = _now()
    with outbox_transaction(ws, now) as box:
        s = box.session
        replay = Replay(
            inbound_file_id=inbound.id, at=now, actor=actor, result=report.result.value,
            changes=[o.as_dict() for o in report.orders],
        )  # fmt: skip
        s.add(replay)
        s.flush()
        for plan, revision, ev in changing:
            assert revision is not None and plan.order_id is not None
            order = s.get(Order, plan.order_id, with_for_update=True)
            if order is None or order.status != plan.status_before:
                raise ReplayRefused(
                    f"order #{plan.order_id} changed while the replay was prepared; replay again"
                )
            _apply_who(order, ev)
            if revision.status_after == OrderStatus.PENDING_VALIDATION.value and (
                deadline := ws.partner(order.partner).response_deadline
            ):
                order.due_at, order.overdue_logged_at = now + deadline, None
            apply_revision(
                s,
                order,
                revision,
                actor=actor,
                now=now,
                reason=f"replayed: {len(revision.changed)} line(s) changed",
                details={"replay_id": replay.id, "inbound_file_id": inbound.id},
            )
            queue_revision_reply(
                box,
                order,
                inbound,
                line_rows(s, order.id),
                tag=f"R{replay.id}",
                parties=(ev.who.customer, ev.who.site),
                read_result=read.result,
            )
        report.replay_id = replay.id
    report.replies = box.written
    return report


def _apply_who(order: Order, ev: EvaluatedOrder) -> None:
    who = ev.who
    if who.customer is not None:
        order.customer_id, order.customer_code = who.customer.id, who.customer.code
    if who.site is not None:
        order.site_id, order.site_code = who.site.id, who.site.code


def _replay_failed(
    ws: Workspace, inbound: InboundFile, *, actor: str, dry_run: bool
) -> ReplayReport:
    data = original_bytes(ws, inbound)
    report = ReplayReport(
        inbound.id, inbound.name, inbound.partner, dry_run, ReplayResult.NEW_ATTEMPT, ""
    )
    if dry_run:
        try:
            read = _read(ws, inbound, data)
        except (ParseError, SenderRefused) as exc:
            report.result = ReplayResult.REFUSED
            report.message = f"file #{inbound.id} would fail again: {exc}"
            return report
        for ev in _evaluate(ws, inbound, read):
            rows = line_table(ev.lines).rows()
            report.orders.append(
                OrderReplay(
                    order_id=None,
                    order_number=ev.doc.order_number,
                    status_before=None,
                    status_after=(
                        OrderStatus.PENDING_VALIDATION.value
                        if ev.usable
                        else OrderStatus.REJECTED.value
                    ),
                    customer_after=ev.who.customer.code if ev.who.customer else None,
                    site_after=ev.who.site.code if ev.who.site else None,
                    lines=[
                        LineChange(
                            r["line_no"],
                            LineChangeKind.ADDED,
                            LineState.of(r),
                            message=r["message"],
                        )
                        for r in rows
                    ],
                )
            )
        report.message = (
            f"file #{inbound.id} failed ({inbound.reason}); replayed now it would give "
            f"{len(report.orders)} order(s)"
        )
        return report
    outcome = process_copy(ws, inbound.partner, inbound.name, data)
    report.attempt = outcome
    report.replies = outcome.replies
    report.message = (
        f"file #{inbound.id} processed again as file #{outcome.inbound_id}: {outcome.outcome}"
        + (f" ({outcome.reason})" if outcome.reason else "")
    )
    report.replay_id = _record(ws, inbound, actor, report, outcome.inbound_id)
    return report


def _record(
    ws: Workspace, inbound: InboundFile, actor: str, report: ReplayReport, attempt: int | None
) -> int:
    with ws.sessions.begin() as s:
        replay = Replay(
            inbound_file_id=inbound.id, at=_now(), actor=actor, result=report.result.value,
            changes=[o.as_dict() for o in report.orders], attempt_id=attempt,
        )  # fmt: skip
        s.add(replay)
        s.flush()
        return replay.id


def _message(report: ReplayReport) -> str:
    changed = [o for o in report.orders if o.changed]
    refused = [o for o in report.orders if o.refused]
    if report.result is ReplayResult.UNCHANGED:
        return f"file #{report.file_id}: today's data gives the same result; nothing changed"
    if report.result is ReplayResult.REFUSED:
        return "; ".join(o.refused or "" for o in refused)
    lines = sum(
        len([c for c in o.lines if c.kind is not LineChangeKind.UNCHANGED]) for o in changed
    )
    text = f"file #{report.file_id}: {len(changed)} order(s), {lines} line(s) changed"
    if refused:
        text += "; " + "; ".join(o.refused or "" for o in refused)
    return text


__all__ = [
    "OrderReplay",
    "OriginalMissing",
    "ReplayRefused",
    "ReplayReport",
    "ReplayResult",
    "UnknownFile",
    "original_bytes",
    "original_data",
    "replay_file",
    "replay_order",
]
