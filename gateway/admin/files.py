"""Received files as the admin's daily queue sees them: ``files list`` and ``files show``.

One received file is its ledger record, the orders it made or changed, every reply
sent for it (acknowledgements, ERROR and DUPLICATE notices, CONTRL/997/TA1,
ORDRSP/855, with the partner's acknowledgment of each), where its original is, the
chain of attempts and duplicates it belongs to, and its replays.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import defer

from gateway.errors import NotFound
from gateway.orders.queries import reply_dict
from gateway.store.ledger import FileResult, attempts
from gateway.store.models import (
    InboundFile,
    Order,
    OrderSource,
    OutgoingMessage,
    Replay,
    SentInterchange,
)
from gateway.workspace import Workspace


def file_dict(f: InboundFile) -> dict[str, Any]:
    return {
        "id": f.id,
        "partner": f.partner,
        "name": f.name,
        "received_at": f.received_at.isoformat(),
        "format": f.format,
        "outcome": f.outcome,
        "reason": f.reason,
        "orders": f.orders_count,
        "lines_accepted": f.lines_accepted,
        "lines_rejected": f.lines_rejected,
        "attempt_of": f.attempt_of,
        "duplicate_of": f.duplicate_of,
        "original": f.archived_to,
    }


def list_files(
    ws: Workspace,
    *,
    failed: bool = False,
    duplicates: bool = False,
    partner: str | None = None,
    since: datetime | None = None,
    limit: int = 200,
    before: int | None = None,
) -> list[dict[str, Any]]:
    """Received files, newest first; ``failed`` / ``duplicates`` keep only those;
    ``before``: only files older than that id (the next page)."""
    if partner is not None:
        ws.partner(partner)  # an unknown partner is an error naming the known ones
    q = select(InboundFile).order_by(InboundFile.id.desc()).limit(limit)
    outcomes = [
        o
        for o, wanted in ((FileResult.FAILED, failed), (FileResult.DUPLICATE, duplicates))
        if wanted
    ]
    if outcomes:
        q = q.where(InboundFile.outcome.in_([o.value for o in outcomes]))
    if partner is not None:
        q = q.where(InboundFile.partner == partner)
    if since is not None:
        q = q.where(InboundFile.received_at >= since)
    if before is not None:
        q = q.where(InboundFile.id < before)
    with ws.read_sessions() as s:
        return [file_dict(f) for f in s.scalars(q)]


def show_file(ws: Workspace, file_id: int) -> dict[str, Any]:
    """One received file with its orders, replies, original, attempts and replays."""
    with ws.read_sessions() as s:
        f = s.get(InboundFile, file_id)
        if f is None:
            raise NotFound(f"no received file #{file_id} (see `order-gateway files list`)")
        d = file_dict(f)
        d["original_present"] = bool(f.archived_to and Path(f.archived_to).is_file()) or (
            ws.blobs.get(s, f.sha256) is not None if ws.cluster else False
        )
        sources = dict(
            s.execute(
                select(OrderSource.order_id, OrderSource.role).where(
                    OrderSource.inbound_file_id == file_id
                )
            ).all()
        )
        orders = s.scalars(
            select(Order)
            .where(or_(Order.inbound_file_id == file_id, Order.id.in_(list(sources))))
            .order_by(Order.id)
        )
        d["orders_made"] = [
            {
                "id": o.id,
                "order_number": o.order_number,
                "customer": o.customer_code,
                "status": o.status,
                "role": sources.get(o.id, "original"),
            }
            for o in orders
        ]
        rows = s.execute(
            select(OutgoingMessage, SentInterchange)
            .outerjoin(SentInterchange, SentInterchange.outgoing_message_id == OutgoingMessage.id)
            .options(defer(OutgoingMessage.content))
            .where(OutgoingMessage.inbound_file_id == file_id)
            .order_by(OutgoingMessage.id)
        )
        d["replies"] = [
            reply_dict(m, sent)
            | {"audience": m.audience, "to": str(Path(m.destination) / m.filename)}
            for m, sent in rows
        ]
        d["chain"] = [
            {
                "id": a.id,
                "name": a.name,
                "outcome": a.outcome,
                "received_at": a.received_at.isoformat(),
            }
            for a in attempts(s, file_id)
        ]
        d["replays"] = [
            {
                "id": r.id,
                "at": r.at.isoformat(),
                "actor": r.actor,
                "result": r.result,
                "attempt_id": r.attempt_id,
            }
            for r in s.scalars(
                select(Replay).where(Replay.inbound_file_id == file_id).order_by(Replay.id)
            )
        ]
        return d


__all__ = ["file_dict", "list_files", "show_file"]
