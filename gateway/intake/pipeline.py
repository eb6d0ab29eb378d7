"""The path of one claimed file, from record to archive.

record → detect → parse → resolve → check → store → reply → archive.

:func:`process_file` takes a file already claimed into the partner's ``.processing/``
folder and always ends with the file archived (processed) or quarantined in
``failed/`` with a reason file — whatever the bytes are. One database transaction
stores the inbound-file record, the orders, their lines and events, and the outgoing
messages; the replies are written after the commit (:mod:`gateway.replies.outbox`).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from gateway.config.mapping import load_mapping
from gateway.config.settings import ConfigError
from gateway.edi.acknowledgments import take_acknowledgments
from gateway.edi.admission import admit_interchanges
from gateway.intake.evaluate import evaluate_document
from gateway.intake.files import archive, planned_archive, quarantine
from gateway.intake.read import ReadOutcome, read_file
from gateway.intake.record import store_order
from gateway.logs import log_fields
from gateway.replies.dispatch import dispatch_pending
from gateway.replies.fan_out import queue_file_error, queue_file_replies
from gateway.replies.outbox import ReplyContext, outbox_transaction
from gateway.rules.reasons import file_problem
from gateway.rules.senders import SenderRefused
from gateway.store.ledger import AlreadyKnown, record_file
from gateway.store.models import InboundFile, OutgoingMessage
from gateway.workspace import Workspace
from parsers.errors import ParseError, ProfileError

log = logging.getLogger("gateway.intake")
#: Remarks logged per file; a file with thousands of bad values says so in one line
_LOGGED_WARNINGS = 20


class FileResult(StrEnum):
    """How a file ended (``FileOutcome.outcome``; stored as ``InboundFile.outcome``)."""

    PROCESSED = "processed"  # read; its orders (if any) stored and answered
    FAILED = "failed"  # quarantined with a reason
    DUPLICATE = "duplicate"  # the same bytes were received before
    RECOVERED = "recovered"  # committed before a crash; finished now
    DEFERRED = "deferred"  # the store could not be used; left claimed for later


@dataclass
class OrderSummary:
    id: int
    order_number: str | None
    customer: str | None
    site: str | None
    status: str
    accepted: int
    rejected: int


@dataclass
class FileOutcome:
    partner: str
    name: str
    outcome: FileResult
    inbound_id: int | None = None
    reason: str | None = None
    format: str | None = None
    orders: list[OrderSummary] = field(default_factory=list)
    replies: list[Path] = field(default_factory=list)
    moved_to: Path | None = None
    seconds: float = 0.0

    @property
    def lines_accepted(self) -> int:
        return sum(o.accepted for o in self.orders)

    @property
    def lines_rejected(self) -> int:
        return sum(o.rejected for o in self.orders)


def _now() -> datetime:
    return datetime.now(UTC)


def process_file(ws: Workspace, partner_id: str, path: Path) -> FileOutcome:
    started = time.perf_counter()
    out = _process(ws, partner_id, path)
    out.seconds = time.perf_counter() - started
    log.info(
        "file done partner=%s file=%s outcome=%s format=%s orders=%d accepted=%d "
        "rejected=%d duration=%.3fs%s",
        partner_id,
        out.name,
        out.outcome,
        out.format or "-",
        len(out.orders),
        out.lines_accepted,
        out.lines_rejected,
        out.seconds,
        f" reason={out.reason!r}" if out.reason else "",
    )
    return out


def _refuse(ws: Workspace, partner_id: str, path: Path, reason: str) -> FileOutcome:
    """Quarantine ``path`` unread (not a regular file, too large)."""
    moved = quarantine(ws, partner_id, path, reason)
    return FileOutcome(partner_id, path.name, FileResult.FAILED, reason=reason, moved_to=moved)


def _process(ws: Workspace, partner_id: str, path: Path) -> FileOutcome:
    partner = ws.partner(partner_id)
    name = path.name
    if path.is_symlink() or not path.is_file():
        kind = "a symbolic link" if path.is_symlink() else "not a regular file"
        return _refuse(ws, partner_id, path, f"{name} is {kind}; only regular files are read")
    size = path.stat().st_size
    if size > partner.max_file_size:
        return _refuse(
            ws,
            partner_id,
            path,
            f"{name} is {size:,} bytes, over the partner's limit of "
            f"{partner.max_file_size:,} bytes (max_file_size); it was not read",
        )
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()

    for attempt in range(2):
        try:
            return _first_time(ws, partner_id, path, data, sha)
        except AlreadyKnown as seen:
            return _already_known(ws, partner_id, path, seen.known)
        except IntegrityError:
            # Another worker recorded the same order number (or EDI interchange) in
            # between: look again, and this time find it.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _already_known(ws: Workspace, partner_id: str, path: Path, known: InboundFile) -> FileOutcome:
    if _unfinished(known, path):
        # Committed before a crash but not finished: send what is unsent, then archive.
        replies = dispatch_pending(ws.sessions, ids=_message_ids(ws, known.id))
        moved = _finish(ws, partner_id, path, known)
        return FileOutcome(
            partner_id,
            path.name,
            FileResult.RECOVERED,
            inbound_id=known.id,
            format=known.format,
            replies=replies,
            moved_to=moved,
        )
    reason = (
        f"duplicate: the same bytes were received from {partner_id} as {known.name!r} "
        f"at {known.received_at:%Y-%m-%d %H:%M:%S} (inbound file #{known.id}); not processed again"
    )
    return FileOutcome(
        partner_id,
        path.name,
        FileResult.DUPLICATE,
        inbound_id=known.id,
        reason=reason,
        moved_to=quarantine(ws, partner_id, path, reason),
    )


def _message_ids(ws: Workspace, inbound_id: int) -> list[int]:
    with ws.read_sessions() as s:
        return list(
            s.scalars(
                select(OutgoingMessage.id).where(OutgoingMessage.inbound_file_id == inbound_id)
            )
        )


def _finish(ws: Workspace, partner_id: str, path: Path, inbound: InboundFile) -> Path:
    """Archive (or quarantine) the original; record where, unless it went where planned."""
    planned = Path(inbound.archived_to) if inbound.archived_to else None
    if inbound.outcome == FileResult.FAILED:
        moved = quarantine(ws, partner_id, path, inbound.reason or "failed")
    elif planned is not None and not planned.exists():
        planned.parent.mkdir(parents=True, exist_ok=True)
        # No directory fsync here: a move lost to a power cut leaves the file in
        # .processing/, and recovery archives it again (its ledger entry says done).
        shutil.move(str(path), str(planned))
        return planned
    else:
        moved = archive(ws, partner_id, path, _now())
    with ws.sessions.begin() as s:
        row = s.get(InboundFile, inbound.id)
        assert row is not None
        row.archived_to = str(moved)
    return moved


def _unfinished(known: InboundFile, path: Path) -> bool:
    """Committed, but its original was never moved: a crash between commit and archive."""
    if known.name != path.name:
        return False
    return known.archived_to is None or not Path(known.archived_to).exists()


def _log_remarks(partner_id: str, name: str, read: ReadOutcome) -> None:
    # What the reader tolerated or found wrong in the envelopes (a BOM, a short ISA,
    # counts that do not match…) is no reason to refuse the file, but an admin should
    # see it: once per file, beside the file and partner.
    for warning in read.warnings[:_LOGGED_WARNINGS]:
        log.warning(
            "read with a remark partner=%s file=%s: %s",
            partner_id,
            name,
            warning,
            extra=log_fields(partner_id, name),
        )
    if len(read.warnings) > _LOGGED_WARNINGS:
        log.warning(
            "read with a remark partner=%s file=%s: %d more not shown",
            partner_id,
            name,
            len(read.warnings) - _LOGGED_WARNINGS,
            extra=log_fields(partner_id, name),
        )


def _first_time(ws: Workspace, partner_id: str, path: Path, data: bytes, sha: str) -> FileOutcome:
    partner = ws.partner(partner_id)
    now = _now()
    inbound = InboundFile(
        partner=partner_id,
        name=path.name,
        sha256=sha,
        size=len(data),
        outcome=FileResult.PROCESSED.value,
        received_at=now,
    )
    try:
        profile = load_mapping(ws.mappings_dir, partner.mapping)
        read = read_file(data, path.name, partner_id, ws.config, profile)
    except (ConfigError, ProfileError) as exc:
        # Our configuration, not the partner's file: the admin is told, the partner is not.
        log.error("configuration refused file partner=%s file=%s: %s", partner_id, path.name, exc)
        return _failed(ws, partner_id, path, inbound, f"configuration: {exc}", None, ours=True)
    except ParseError as exc:
        told = file_problem(exc, partner.language)
        return _failed(ws, partner_id, path, inbound, str(exc), None, told=told)
    except SenderRefused as exc:
        return _failed(ws, partner_id, path, inbound, str(exc), getattr(exc, "format", None))
    except Exception as exc:  # noqa: BLE001 — a reader bug must not stop the gateway
        log.error(
            "reader crashed partner=%s file=%s\n%s", partner_id, path.name, traceback.format_exc()
        )
        reason = f"the reader crashed ({type(exc).__name__}: {exc})"
        return _failed(ws, partner_id, path, inbound, reason, None, ours=True)
    inbound.format = read.format.value
    _log_remarks(partner_id, path.name, read)

    # Resolve and check first, reading only: on SQLite several workers can do this at
    # once; only storing takes the write lock.
    with ws.read_sessions() as r:
        evaluated = [
            evaluate_document(r, doc, partner_id, partner, profile) for doc in read.documents
        ]
    summaries: list[OrderSummary] = []
    with outbox_transaction(ws, now) as box:
        s = box.session
        record_file(s, inbound)
        refused = admit_interchanges(s, read.result, inbound, now, ws.config.supplier)
        if refused:
            # A refused interchange's orders are not stored, nor answered one by one.
            evaluated = [ev for ev in evaluated if id(ev.doc) not in refused.documents]
        take_acknowledgments(s, partner_id, path.name, read.result, now)
        ctx = ReplyContext(box, partner_id, partner, inbound, read.format, read.result)
        stored = []
        for ev in evaluated:
            so = store_order(
                s, ev, partner_id=partner_id, partner=partner, inbound_file_id=inbound.id, now=now
            )
            stored.append(so)
            o = so.order
            summaries.append(
                OrderSummary(
                    o.id,
                    o.order_number,
                    o.customer_code,
                    o.site_code,
                    o.status,
                    so.accepted,
                    so.rejected,
                )
            )
        inbound.orders_count = len(stored)
        inbound.lines_accepted = sum(o.accepted for o in summaries)
        inbound.lines_rejected = sum(o.rejected for o in summaries)
        queue_file_replies(ctx, stored, read.format, read.result)
        if refused:
            inbound.reason = "; ".join(refused.reasons)
        elif not read.documents and read.reason:
            inbound.reason = read.reason
        # Where the original will go, decided in the same transaction: finishing the
        # file then needs no second one (recovery checks that path for the file).
        inbound.archived_to = str(planned_archive(ws, partner_id, path.name, now))
    moved = _finish(ws, partner_id, path, inbound)
    return FileOutcome(
        partner_id,
        path.name,
        FileResult.PROCESSED,
        inbound_id=inbound.id,
        format=read.format.value,
        orders=summaries,
        replies=box.written,
        moved_to=moved,
        reason=inbound.reason,
    )


def _failed(
    ws: Workspace,
    partner_id: str,
    path: Path,
    inbound: InboundFile,
    reason: str,
    fmt: str | None,
    *,
    told: str | None = None,
    ours: bool = False,
) -> FileOutcome:
    """Quarantine the file with ``reason`` (for admins); the partner is ``told`` why in
    its words, or — when the failure is ``ours`` — only that it is being looked at."""
    inbound.outcome, inbound.reason, inbound.format = FileResult.FAILED.value, reason, fmt
    with outbox_transaction(ws, inbound.received_at) as box:
        record_file(box.session, inbound)
        ctx = ReplyContext(box, partner_id, ws.partner(partner_id), inbound)
        queue_file_error(ctx, reason if ours else told or reason, ours=ours)
    moved = _finish(ws, partner_id, path, inbound)
    return FileOutcome(
        partner_id,
        path.name,
        FileResult.FAILED,
        inbound_id=inbound.id,
        reason=reason,
        format=fmt,
        replies=box.written,
        moved_to=moved,
    )


__all__ = ["FileOutcome", "FileResult", "OrderSummary", "process_file"]
