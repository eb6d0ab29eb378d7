"""Cluster mode, the poller's step: record these bytes, and queue their processing.

One transaction stores the file's bytes in the blob store (once per sha256), records the
inbound file (outcome ``received``, the node that took it) and defers its ``process``
job — so a file is recorded exactly when its bytes are kept and its processing is
queued. Only after the commit does the poller remove (or archive) the source; a crash in
between leaves a source that :func:`~gateway.store.ledger.taken_before` recognises on
the next poll: it is removed, not recorded twice.

A bucket (S3) is not part of the transaction: the bytes go there first, create-if-absent
— a crash before the commit leaves an object that the same bytes, taken again, find.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from gateway.logs import log_fields
from gateway.replies.names import shown
from gateway.store.blobs import digest
from gateway.store.jobs import PROCESS, PROCESS_QUEUE, defer
from gateway.store.ledger import FileResult, taken_before
from gateway.store.models import InboundFile
from gateway.workspace import Workspace

log = logging.getLogger("gateway.intake.receive")


@dataclass(frozen=True)
class Received:
    """A file taken by a poller: its record, and whether this call made it (False: it
    was recorded before a crash, and only its source is left to remove)."""

    inbound_id: int
    sha256: str
    fresh: bool


def receive_bytes(
    ws: Workspace,
    partner_id: str,
    name: str,
    data: bytes,
    *,
    written_at: float,
    inode: str | None = None,
) -> Received:
    """Record ``data`` as file ``name`` of the partner's, with its bytes, and queue its
    processing; ``written_at``: when its source was last written (POSIX time)."""
    ws.partner(partner_id)  # an unknown partner is an error naming the configured ones
    sha, shown_name = digest(data), shown(name)
    if not ws.blobs.transactional:
        ws.blobs.put(None, sha, data)  # a bucket: before, and outside, the transaction
    with ws.sessions.begin() as s:
        known = taken_before(s, partner_id, shown_name, sha, written_at)
        if known is not None and (inode is None or known.source_inode in (None, inode)):
            return Received(known.id, sha, fresh=False)
        if ws.blobs.transactional:
            ws.blobs.put(s, sha, data)
        inbound = InboundFile(
            partner=partner_id,
            name=shown_name,
            sha256=sha,
            size=len(data),
            outcome=FileResult.RECEIVED.value,
            received_at=datetime.now(UTC),
            source_inode=inode,
            node=ws.node,
        )
        s.add(inbound)
        s.flush()
        defer(s, ws.jobs, PROCESS, queue=PROCESS_QUEUE, args={"file": inbound.id})
    log.info(
        "file received partner=%s file=%s inbound=%d sha256=%s",
        partner_id,
        shown_name,
        inbound.id,
        sha[:12],
        extra=log_fields(partner_id, shown_name, FileResult.RECEIVED, inbound=inbound.id),
    )
    return Received(inbound.id, sha, fresh=True)


__all__ = ["Received", "receive_bytes"]
