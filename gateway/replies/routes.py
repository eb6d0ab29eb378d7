"""Cluster mode: from which node, in which order, each outgoing message is sent.

A message is committed with the work it answers (the transactional outbox); in cluster
mode that transaction also defers the ``dispatch`` job that will send it:

* to an SFTP partner: on the ``dispatch`` queue, any node (the partner's server is
  reached from everywhere);
* into a folder — a folder partner's outbox, the admins' reports: on the queue of the
  node holding that folder (the partner's ``node``; else the node that took the file
  the message answers; else the node committing it).

Every dispatch job of a partner carries the partner's lock, so its replies go in the
order they were committed, one connection at a time. The node that sends a message
into a folder writes it into *its own* folder (:func:`deliver_here`): a message records
where it was written, not where the committing node would have put it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.replies.dispatch import deliver
from gateway.store.jobs import (
    DISPATCH,
    DISPATCH_QUEUE,
    defer,
    dispatch_lock,
    node_queue,
)
from gateway.store.models import InboundFile, Order, OutgoingMessage
from gateway.workspace import Workspace

_PARTNER = "partner"


def _file_node(session: Session, msg: OutgoingMessage) -> str | None:
    """The node that took the file this message answers (directly, or through its order)."""
    file_id = msg.inbound_file_id
    if file_id is None and msg.order_id is not None:
        file_id = session.scalar(select(Order.inbound_file_id).where(Order.id == msg.order_id))
    if file_id is None:
        return None
    return session.scalar(select(InboundFile.node).where(InboundFile.id == file_id))


def queue_of(ws: Workspace, session: Session, msg: OutgoingMessage) -> str:
    """The queue of the job that sends ``msg``."""
    partner = ws.config.partners.get(msg.partner)
    if partner is not None and partner.channel == "sftp" and msg.audience == _PARTNER:
        return DISPATCH_QUEUE
    node = (partner.node if partner else None) or _file_node(session, msg) or ws.node
    return node_queue(node)


def defer_dispatch(ws: Workspace, session: Session, messages: Iterable[OutgoingMessage]) -> None:
    """Defer, in ``session``'s transaction, one dispatch job per partner and queue."""
    session.flush()  # the messages' ids
    jobs: dict[tuple[str, str], list[int]] = defaultdict(list)
    for msg in messages:
        jobs[(msg.partner, queue_of(ws, session, msg))].append(msg.id)
    for (partner_id, queue), ids in sorted(jobs.items()):
        defer(
            session,
            ws.jobs,
            DISPATCH,
            queue=queue,
            lock=dispatch_lock(partner_id),
            args={"partner": partner_id, "ids": sorted(ids)},
        )


def local_folder(ws: Workspace, msg: OutgoingMessage) -> Path:
    """Where ``msg`` goes on this node: the partner's outbox, or the admins' reports."""
    if msg.audience == _PARTNER:
        return ws.outbox(msg.partner)
    return ws.reports_dir(msg.partner)


def deliver_here(ws: Workspace, ids: Iterable[int]) -> list[Path]:
    """Write these messages into this node's folders, in order, each once: a message
    already sent is left alone, one whose file is there with its bytes is only marked."""
    written: list[Path] = []
    for mid in sorted(ids):
        with ws.sessions.begin() as s:
            msg = s.scalar(
                select(OutgoingMessage)
                .where(OutgoingMessage.id == mid, OutgoingMessage.sent_at.is_(None))
                .with_for_update()
            )
            if msg is None:
                continue
            msg.destination = str(local_folder(ws, msg))
            written.append(deliver(msg))
            msg.sent_at = datetime.now(UTC)
    return written


__all__ = ["defer_dispatch", "deliver_here", "local_folder", "queue_of"]
