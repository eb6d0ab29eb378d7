"""The path of one claimed file, from record to archive.

record → detect → parse → resolve → check → store → reply → archive.

:func:`process_file` takes a file already claimed into the partner's ``.processing/``
folder and always ends with the file archived (processed) or quarantined in
``failed/`` with a reason file — whatever the bytes are. One database transaction
stores the inbound-file record, the orders, their lines and events, and the outgoing
messages; replies are written after the commit by the dispatcher.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.replies.dispatch import dispatch_committed, dispatch_pending, fsync_dir
from gateway.intake.evaluate import evaluate_document
from gateway.intake.read import ReadOutcome, SenderRefused, queue_format_replies, read_file
from gateway.edi.admission import admit_interchanges
from gateway.logs import log_fields
from gateway.config.mapping import load_mapping
from gateway.intake.record import store_order
from gateway.replies.responses import ReplyContext, queue_rejection_report
from gateway.store.models import InboundFile, OutgoingMessage
from gateway.workspace import Workspace
from parsers.errors import ParseError

log = logging.getLogger("gateway.intake.pipeline")
#: Remarks logged per file; a file with thousands of bad values says so in one line
_LOGGED_WARNINGS = 20


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
    #: processed | failed | duplicate | recovered
    outcome: str
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


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    n = 1
    while target.exists() or target.with_name(target.name + ".reason.txt").exists():
        stem, dot, ext = name.partition(".")
        target = folder / f"{stem}~{n}{dot}{ext}"
        n += 1
    return target


def move_durably(src: Path, dest_dir: Path, name: str | None = None) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = _free_name(dest_dir, name or src.name)
    shutil.move(str(src), str(target))
    fsync_dir(dest_dir)
    return target


def quarantine(ws: Workspace, partner_id: str, path: Path, reason: str) -> Path:
    """Move ``path`` to failed/<partner>/ with a ``.reason.txt`` beside it."""
    folder = ws.failed_dir(partner_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = _free_name(folder, path.name)
    note = target.with_name(target.name + ".reason.txt")
    note.write_text(
        f"file: {path.name}\npartner: {partner_id}\nat: {_now().isoformat()}\nreason: {reason}\n",
        encoding="utf-8",
    )
    if path.is_symlink() or path.is_file():
        os.replace(path, target) if path.is_symlink() else shutil.move(str(path), str(target))
    elif path.is_dir():
        shutil.move(str(path), str(target))
    fsync_dir(folder)
    return target


def archive(ws: Workspace, partner_id: str, path: Path, when: datetime) -> Path:
    return move_durably(path, ws.archive_dir(partner_id, when))


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
    return FileOutcome(partner_id, path.name, "failed", reason=reason, moved_to=moved)


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
        except _AlreadyKnown as seen:
            return _already_known(ws, partner_id, path, seen.known)
        except IntegrityError:
            # Another worker recorded the same order number (or EDI interchange) in
            # between: look again, and this time find it.
            if attempt:
                raise
    raise AssertionError("unreachable")


class _AlreadyKnown(Exception):
    def __init__(self, known: InboundFile) -> None:
        self.known = known


def _record_inbound(s: Session, inbound: InboundFile) -> None:
    """Add the inbound-file record, or stop with the one these bytes already have.

    Looked up inside the file's own write transaction (SQLite: BEGIN IMMEDIATE;
    PostgreSQL: the unique constraint), so of two workers only one records the file.
    """
    known = s.scalar(
        select(InboundFile).where(
            InboundFile.partner == inbound.partner, InboundFile.sha256 == inbound.sha256
        )
    )
    if known is not None:
        s.expunge(known)  # keep its loaded state through the rollback that follows
        raise _AlreadyKnown(known)
    s.add(inbound)
    s.flush()


def known_file(ws: Workspace, partner_id: str, sha: str) -> InboundFile | None:
    """The inbound file already recorded with these bytes from this partner, if any."""
    with ws.read_sessions() as s:
        return s.scalar(
            select(InboundFile).where(InboundFile.partner == partner_id, InboundFile.sha256 == sha)
        )


def _already_known(ws: Workspace, partner_id: str, path: Path, known: InboundFile) -> FileOutcome:
    if _unfinished(known, path):
        # Committed before a crash but not finished: send what is unsent, then archive.
        replies = dispatch_pending(ws.sessions, ids=_message_ids(ws, known.id))
        moved = _finish(ws, partner_id, path, known)
        return FileOutcome(
            partner_id,
            path.name,
            "recovered",
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
        "duplicate",
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
    if inbound.outcome == "failed":
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


def _first_time(ws: Workspace, partner_id: str, path: Path, data: bytes, sha: str) -> FileOutcome:
    partner = ws.partner(partner_id)
    now = _now()
    inbound = InboundFile(
        partner=partner_id,
        name=path.name,
        sha256=sha,
        size=len(data),
        outcome="processed",
        received_at=now,
    )
    try:
        profile = load_mapping(ws.mappings_dir, partner.mapping)
        read = read_file(data, path.name, partner_id, ws.config, profile)
    except (ParseError, SenderRefused) as exc:
        return _failed(ws, partner_id, path, inbound, str(exc), getattr(exc, "format", None))
    except Exception as exc:  # noqa: BLE001 — a reader bug must not stop the gateway
        log.error(
            "reader crashed partner=%s file=%s\n%s", partner_id, path.name, traceback.format_exc()
        )
        reason = f"the file could not be read ({type(exc).__name__}: {exc})"
        return _failed(ws, partner_id, path, inbound, reason, None)
    inbound.format = read.format.value
    # What the reader tolerated or found wrong in the envelopes (a BOM, a short ISA,
    # counts that do not match…) is no reason to refuse the file, but an admin should
    # see it: once per file, beside the file and partner.
    for warning in read.warnings[:_LOGGED_WARNINGS]:
        log.warning(
            "read with a remark partner=%s file=%s: %s",
            partner_id,
            path.name,
            warning,
            **log_fields(partner_id, path.name),
        )
    if len(read.warnings) > _LOGGED_WARNINGS:
        log.warning(
            "read with a remark partner=%s file=%s: %d more not shown",
            partner_id,
            path.name,
            len(read.warnings) - _LOGGED_WARNINGS,
            **log_fields(partner_id, path.name),
        )

    # Resolve and check first, reading only: on SQLite several workers can do this at
    # once; only storing takes the write lock.
    with ws.read_sessions() as r:
        evaluated = [
            evaluate_document(r, doc, partner_id, partner, profile) for doc in read.documents
        ]
    summaries: list[OrderSummary] = []
    with ws.sessions.begin() as s:
        _record_inbound(s, inbound)
        refused = admit_interchanges(s, read, inbound, now, ws.config.supplier)
        if refused:
            # A refused interchange's orders are not stored, nor answered one by one.
            evaluated = [ev for ev in evaluated if id(ev.doc) not in refused.documents]
        ctx = ReplyContext(
            ws=ws,
            session=s,
            partner_id=partner_id,
            partner=partner,
            inbound=inbound,
            source=read.format,
            now=now,
            read_result=read.result,
        )
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
        queue_format_replies(ctx, stored, read)
        if partner.rejection_report:
            queue_rejection_report(ctx, stored)
        if refused:
            inbound.reason = "; ".join(refused.reasons)
        elif not read.documents and read.reason:
            inbound.reason = read.reason
        # Where the original will go, decided in the same transaction: finishing the
        # file then needs no second one (recovery checks that path for the file).
        inbound.archived_to = str(_free_name(ws.archive_dir(partner_id, now), path.name))
    replies = dispatch_committed(ws.sessions, ctx.queued)
    moved = _finish(ws, partner_id, path, inbound)
    return FileOutcome(
        partner_id,
        path.name,
        "processed",
        inbound_id=inbound.id,
        format=read.format.value,
        orders=summaries,
        replies=replies,
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
) -> FileOutcome:
    inbound.outcome, inbound.reason, inbound.format = "failed", reason, fmt
    with ws.sessions.begin() as s:
        _record_inbound(s, inbound)
        error = ReplyContext(
            ws=ws,
            session=s,
            partner_id=partner_id,
            partner=ws.partner(partner_id),
            inbound=inbound,
            source=None,  # type: ignore[arg-type]
            now=inbound.received_at,
        ).queue(
            "file_error",
            f"ERROR_{Path(path.name).stem}_{inbound.id}.txt",
            _error_text(path.name, reason, ws.partner(partner_id).language),
        )
    replies = dispatch_committed(ws.sessions, [error])
    moved = _finish(ws, partner_id, path, inbound)
    return FileOutcome(
        partner_id,
        path.name,
        "failed",
        inbound_id=inbound.id,
        reason=reason,
        format=fmt,
        replies=replies,
        moved_to=moved,
    )


def _error_text(name: str, reason: str, language: str) -> bytes:
    if language == "fr":
        text = (
            f"Le fichier {name} n'a pas pu être traité.\nMotif : {reason}\n"
            "Corrigez le fichier et déposez-le à nouveau.\n"
        )
    else:
        text = (
            f"The file {name} could not be processed.\nReason: {reason}\n"
            "Correct the file and drop it again.\n"
        )
    return text.encode("utf-8")


__all__ = ["FileOutcome", "OrderSummary", "ReadOutcome", "archive", "process_file", "quarantine"]
