"""Cluster mode, the ``process`` job's step: a recorded file, read from the blob store,
through the same pipeline as a claimed file (:func:`gateway.intake.pipeline.take_file`).

The file's record (outcome ``received``) is locked in the file's one transaction and
taken only while still ``received``: a retried job — its worker killed after the
commit — finds the file done and does nothing; one killed before the commit left
nothing, and does it all. The same bytes already processed from the partner make this
file a duplicate, answered as one. Nothing is moved: the ledger and the blob store are
the archive.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.errors import NotFound
from gateway.intake.pipeline import (
    Entry,
    FileOutcome,
    FileResult,
    duplicate_reason,
    log_file_done,
    take_file,
)
from gateway.replies.fan_out import queue_duplicate_notice, queue_file_error
from gateway.replies.outbox import ReplyContext, outbox_transaction
from gateway.store.ledger import FAILED, AlreadyKnown, known_file
from gateway.store.models import InboundFile
from gateway.workspace import Workspace


class AlreadyTaken(Exception):
    """The record is no longer ``received``: an earlier run of the job finished it."""


def _admit(s: Session, inbound: InboundFile) -> None:
    """Take the recorded file for this transaction, or say why not (another run did it:
    :class:`AlreadyTaken`; the same bytes were processed: :class:`AlreadyKnown`)."""
    outcome = s.scalar(
        select(InboundFile.outcome).where(InboundFile.id == inbound.id).with_for_update()
    )
    if outcome != FileResult.RECEIVED:
        raise AlreadyTaken(inbound.id)
    s.add(inbound)  # the record is this transaction's from here on
    processed = known_file(s, inbound.partner, inbound.sha256)
    if processed is not None and processed.id != inbound.id:
        s.expunge(processed)
        raise AlreadyKnown(processed)
    last = s.execute(
        select(InboundFile.outcome, InboundFile.id)
        .where(
            InboundFile.partner == inbound.partner,
            InboundFile.sha256 == inbound.sha256,
            InboundFile.id < inbound.id,
        )
        .order_by(InboundFile.id.desc())
        .limit(1)
    ).first()
    if last is not None and last.outcome == FAILED and inbound.attempt_of is None:
        inbound.attempt_of = last.id


def _load(ws: Workspace, inbound_id: int) -> InboundFile:
    with ws.read_sessions() as s:
        inbound = s.get(InboundFile, inbound_id)
        if inbound is None:
            raise NotFound(f"no received file #{inbound_id}")
        s.expunge(inbound)
    return inbound


def process_recorded(ws: Workspace, inbound_id: int, *, attempt: int = 1) -> FileOutcome:
    """Process recorded file ``inbound_id`` from its blob; ``attempt``: this job's run
    (from 2 on, the file is read isolated: an earlier run may have died reading it)."""
    started = time.perf_counter()
    out = _process(ws, inbound_id, attempt)
    out.seconds = time.perf_counter() - started
    if out.outcome is not FileResult.RECOVERED:
        log_file_done(out)
    return out


def _process(ws: Workspace, inbound_id: int, attempt: int) -> FileOutcome:
    for round_ in range(2):
        inbound = _load(ws, inbound_id)
        if inbound.outcome != FileResult.RECEIVED:
            return _done(inbound)
        with ws.read_sessions() as s:
            data = ws.blobs.get(s, inbound.sha256)
        if data is None:
            return _bytes_missing(ws, inbound)
        entry = Entry(
            inbound.name, data, lambda: nullcontext(attempt), _admit, lambda _o, _now: None
        )
        try:
            return take_file(ws, inbound.partner, inbound, entry)
        except AlreadyTaken:
            return _done(_load(ws, inbound_id))
        except AlreadyKnown as seen:
            return _duplicate(ws, inbound_id, seen.known)
        except IntegrityError:
            # Another worker stored the same bytes or order number in between: again,
            # and this time find it.
            if round_:
                raise
    raise AssertionError("unreachable")


def _done(inbound: InboundFile) -> FileOutcome:
    """Finished by an earlier run of the job: nothing to do again."""
    return FileOutcome(
        inbound.partner,
        inbound.name,
        FileResult.RECOVERED,
        inbound_id=inbound.id,
        format=inbound.format,
        reason=inbound.reason,
    )


def _duplicate(ws: Workspace, inbound_id: int, known: InboundFile) -> FileOutcome:
    """The same bytes as a processed file: recorded as its duplicate, answered, not read."""
    with outbox_transaction(ws, datetime.now(UTC)) as box:
        row = box.session.get(InboundFile, inbound_id, with_for_update=True)
        assert row is not None
        if row.outcome != FileResult.RECEIVED:
            return _done(row)
        row.outcome, row.duplicate_of = FileResult.DUPLICATE.value, known.id
        row.reason, row.format = duplicate_reason(row.partner, known), known.format
        queue_duplicate_notice(ReplyContext(box, row.partner, ws.partner(row.partner), row), known)
    return FileOutcome(
        row.partner,
        row.name,
        FileResult.DUPLICATE,
        inbound_id=row.id,
        format=row.format,
        reason=row.reason,
    )


def _bytes_missing(ws: Workspace, inbound: InboundFile) -> FileOutcome:
    """Its bytes are not in the blob store (a bucket emptied by hand): failed, said."""
    reason = "the file's bytes are not in the blob store; it cannot be read"
    with outbox_transaction(ws, datetime.now(UTC)) as box:
        row = box.session.get(InboundFile, inbound.id, with_for_update=True)
        assert row is not None
        if row.outcome != FileResult.RECEIVED:
            return _done(row)
        row.outcome, row.reason = FileResult.FAILED.value, reason
        ctx = ReplyContext(box, row.partner, ws.partner(row.partner), row)
        queue_file_error(ctx, "the file could not be read", None, None, admin_reason=reason)
    return FileOutcome(row.partner, row.name, FileResult.FAILED, inbound_id=row.id, reason=reason)


def fail_recorded(ws: Workspace, inbound_id: int, exc: BaseException) -> FileOutcome:
    """The pipeline raised on a recorded file (a bug): it ends failed with the error,
    for the admin, unless an earlier run finished it (as the guard quarantines a claimed
    file, :mod:`gateway.intake.guard`)."""
    reason = (
        f"the gateway failed while processing this file ({type(exc).__name__}: {exc}); "
        "nothing was stored"
    )
    with ws.sessions.begin() as s:
        row = s.get(InboundFile, inbound_id, with_for_update=True)
        if row is None or row.outcome != FileResult.RECEIVED:
            return _done(row) if row is not None else FileOutcome("", "", FileResult.FAILED)
        row.outcome, row.reason = FileResult.FAILED.value, reason
    out = FileOutcome(row.partner, row.name, FileResult.FAILED, inbound_id=row.id, reason=reason)
    log_file_done(out)
    return out


__all__ = ["fail_recorded", "process_recorded"]
