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
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.channels.folder.inbox import put_back
from gateway.config.mapping import load_mapping
from gateway.config.settings import ConfigError
from gateway.edi.acknowledgments import take_acknowledgments
from gateway.edi.admission import admit_interchanges
from gateway.intake.attempts import reading
from gateway.intake.changes import apply_change, is_change
from gateway.intake.evaluate import EvaluatedOrder, evaluate_document
from gateway.intake.files import (
    NotTaken,
    Snapshot,
    StillWritten,
    archive,
    archive_snapshot,
    changed_since,
    planned_archive,
    planned_quarantine,
    quarantine,
    take_snapshot,
)
from gateway.intake.read import ReadOutcome, read_file
from gateway.intake.record import store_order
from gateway.logs import log_fields
from gateway.replies.dispatch import dispatch_pending
from gateway.replies.fan_out import (
    queue_duplicate_notice,
    queue_file_error,
    queue_file_replies,
    queue_refusal_report,
)
from gateway.replies.names import shown
from gateway.replies.outbox import ReplyContext, outbox_transaction
from gateway.rules.reasons import file_problem
from gateway.rules.senders import SenderRefused
from gateway.store.database import reads_share_writes
from gateway.store.ledger import AlreadyKnown, FileResult, record_file
from gateway.store.models import InboundFile, OutgoingMessage
from gateway.store.rows import update_now
from gateway.workspace import Workspace
from parsers.document import ReadResult
from parsers.errors import ParseError, ProfileError
from parsers.gc_pause import paused_gc

log = logging.getLogger("gateway.intake")
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
    outcome: FileResult
    inbound_id: int | None = None
    reason: str | None = None
    format: str | None = None
    orders: list[OrderSummary] = field(default_factory=list)
    replies: list[Path] = field(default_factory=list)
    moved_to: Path | None = None
    seconds: float = 0.0
    #: Interchanges refused (not addressed to us, or received before): said to the admin
    refused_interchanges: int = 0

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
    out.name = shown(out.name)  # printed and logged: never a surrogate escape
    log_file_done(out)
    return out


def log_file_done(out: FileOutcome) -> None:
    """The one line the service says per file: INFO, or WARNING when an admin should look
    (quarantined, the same bytes again — nobody is answered —, an interchange refused)."""
    warn = out.outcome in (FileResult.FAILED, FileResult.DUPLICATE) or out.refused_interchanges
    (log.warning if warn else log.info)(
        "file done partner=%s file=%s outcome=%s format=%s orders=%d accepted=%d "
        "rejected=%d duration=%.3fs%s",
        out.partner,
        out.name,
        out.outcome,
        out.format or "-",
        len(out.orders),
        out.lines_accepted,
        out.lines_rejected,
        out.seconds,
        f" reason={out.reason!r}" if out.reason else "",
        extra=log_fields(
            out.partner,
            out.name,
            out.outcome,
            format=out.format,
            orders=len(out.orders),
            accepted=out.lines_accepted,
            rejected=out.lines_rejected,
            seconds=round(out.seconds, 3),
            reason=out.reason,
        ),
    )


def _refuse(ws: Workspace, partner_id: str, path: Path, reason: str) -> FileOutcome:
    """Quarantine ``path`` unread (not a regular file, too large)."""
    moved = quarantine(ws, partner_id, path, reason)
    return FileOutcome(partner_id, path.name, FileResult.FAILED, reason=reason, moved_to=moved)


def _process(ws: Workspace, partner_id: str, path: Path) -> FileOutcome:
    partner = ws.partner(partner_id)
    try:
        snap = take_snapshot(path, partner.max_file_size)
    except NotTaken as refused:
        return _refuse(ws, partner_id, path, refused.reason)
    except StillWritten:
        return _still_written(partner_id, path)
    sha = hashlib.sha256(snap.data).hexdigest()
    inode = snap.inode

    for attempt in range(2):
        try:
            return _first_time(ws, partner_id, path, snap, sha)
        except AlreadyKnown as seen:
            return _already_known(ws, partner_id, path, seen.known, inode)
        except IntegrityError:
            # Another worker recorded the same order number (or EDI interchange) in
            # between: look again, and this time find it.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _still_written(partner_id: str, path: Path) -> FileOutcome:
    """The file changed while it was read: back to the inbox, read again once settled."""
    back = put_back(path)
    reason = f"{shown(path.name)} changed while it was read; " + (
        "put back in the inbox until its writer finishes" if back else "left claimed"
    )
    log.warning(
        "still being written partner=%s file=%s: %s",
        partner_id,
        shown(path.name),
        reason,
        extra=log_fields(partner_id, shown(path.name), FileResult.UNSETTLED),
    )
    return FileOutcome(partner_id, path.name, FileResult.UNSETTLED, reason=reason)


def _unfinished(known: InboundFile, path: Path, inode: str) -> bool:
    """This very file was committed before a crash, and its original never moved."""
    if known.name != shown(path.name) or (known.source_inode and known.source_inode != inode):
        return False  # the same bytes sent again are another file
    return known.archived_to is None or not Path(known.archived_to).exists()


def _already_known(
    ws: Workspace, partner_id: str, path: Path, known: InboundFile, inode: str
) -> FileOutcome:
    if _unfinished(known, path, inode):
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
    return _duplicate(ws, partner_id, path, known, inode)


def _duplicate(
    ws: Workspace, partner_id: str, path: Path, known: InboundFile, inode: str
) -> FileOutcome:
    """The same bytes as a processed file: recorded, answered, quarantined, not processed."""
    now = _now()
    reason = duplicate_reason(partner_id, known)
    dup = InboundFile(
        partner=partner_id,
        name=shown(path.name),
        sha256=known.sha256,
        size=known.size,
        format=known.format,
        outcome=FileResult.DUPLICATE.value,
        reason=reason,
        received_at=now,
        duplicate_of=known.id,
        source_inode=inode,
        archived_to=str(planned_quarantine(ws, partner_id, path.name)),
    )
    with outbox_transaction(ws, now) as box:
        box.session.add(dup)
        box.session.flush()
        ctx = ReplyContext(box, partner_id, ws.partner(partner_id), dup)
        queue_duplicate_notice(ctx, known)
    moved = _finish(ws, partner_id, path, dup)
    return FileOutcome(
        partner_id,
        path.name,
        FileResult.DUPLICATE,
        inbound_id=dup.id,
        format=known.format,
        reason=reason,
        replies=box.written,
        moved_to=moved,
    )


def duplicate_reason(partner_id: str, known: InboundFile) -> str:
    """Why a file is a duplicate, for its record and the admin."""
    return (
        f"duplicate: the same bytes were received from {partner_id} as {known.name!r} "
        f"at {known.received_at:%Y-%m-%d %H:%M:%S} (inbound file #{known.id}); not processed again"
    )


def _message_ids(ws: Workspace, inbound_id: int) -> list[int]:
    with ws.read_sessions() as s:
        return list(
            s.scalars(
                select(OutgoingMessage.id).where(OutgoingMessage.inbound_file_id == inbound_id)
            )
        )


def _finish(
    ws: Workspace, partner_id: str, path: Path, inbound: InboundFile, snap: Snapshot | None = None
) -> Path:
    """Archive (or quarantine) the original where its transaction planned; record where it
    went when that place was taken meanwhile.

    The archive holds exactly the bytes processed (``snap``), even when the claimed file
    was written to after it was read."""
    planned = Path(inbound.archived_to) if inbound.archived_to else None
    if snap is not None and inbound.outcome == FileResult.PROCESSED and changed_since(path, snap):
        target = planned if planned is not None and not planned.exists() else None
        target = target or planned_archive(ws, partner_id, path.name, _now())
        moved = archive_snapshot(ws, partner_id, path, snap, target)
        if moved != planned:
            with ws.sessions.begin() as s:
                row = s.get(InboundFile, inbound.id)
                assert row is not None
                row.archived_to = str(moved)
        return moved
    if inbound.outcome in (FileResult.FAILED, FileResult.DUPLICATE):
        moved = quarantine(ws, partner_id, path, inbound.reason or "failed", target=planned)
    elif planned is not None and not planned.exists():
        planned.parent.mkdir(parents=True, exist_ok=True)
        # No directory fsync here: a move lost to a power cut leaves the file in
        # .processing/, and recovery archives it again (its ledger entry says done).
        shutil.move(str(path), str(planned))
        return planned
    else:
        moved = archive(ws, partner_id, path, _now())
    if planned != moved:
        with ws.sessions.begin() as s:
            row = s.get(InboundFile, inbound.id)
            assert row is not None
            row.archived_to = str(moved)
    return moved


def _log_remarks(partner_id: str, name: str, read: ReadOutcome) -> None:
    # What the reader tolerated or found wrong in the envelopes (a BOM, a short ISA,
    # counts that do not match…) is no reason to refuse the file, but an admin should
    # see it: once per file, beside the file and partner. What it skipped as a matter of
    # course (a total row) is only for whoever looks closer.
    for note in read.notes[:_LOGGED_WARNINGS]:
        fields = log_fields(partner_id, name)
        log.debug("read partner=%s file=%s: %s", partner_id, name, note, extra=fields)
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


@dataclass(frozen=True)
class Entry:
    """How one file's bytes enter the store — the steps that differ between a claimed
    file of this machine and a file recorded by a cluster poller
    (:mod:`gateway.intake.recorded`); everything else is the same code.

    * ``reading``: counts the attempts at reading it (a file that killed the gateway is
      read isolated, then refused);
    * ``admit``: takes its record in the file's transaction, or raises
      :class:`AlreadyKnown`;
    * ``planned``: where its original ends (``archived_to``) for an outcome, decided
      in that transaction; None when the ledger and the blob store are its archive.
    """

    name: str
    data: bytes
    reading: Callable[[], AbstractContextManager[int]]
    admit: Callable[[Session, InboundFile], None]
    planned: Callable[[FileResult, datetime], str | None]


def _local_entry(ws: Workspace, partner_id: str, path: Path, snap: Snapshot) -> Entry:
    """A file claimed into this machine's ``.processing/`` folder."""

    def unfinished(known: InboundFile) -> bool:
        return _unfinished(known, path, snap.inode)

    def planned(outcome: FileResult, now: datetime) -> str:
        if outcome is FileResult.PROCESSED:
            return str(planned_archive(ws, partner_id, path.name, now))
        return str(planned_quarantine(ws, partner_id, path.name))

    return Entry(
        path.name,
        snap.data,
        lambda: reading(path),
        lambda s, inbound: record_file(s, inbound, unfinished=unfinished),
        planned,
    )


def _first_time(
    ws: Workspace, partner_id: str, path: Path, snap: Snapshot, sha: str
) -> FileOutcome:
    inbound = InboundFile(
        partner=partner_id,
        name=shown(path.name),
        sha256=sha,
        size=len(snap.data),
        outcome=FileResult.PROCESSED.value,
        received_at=_now(),
        source_inode=snap.inode,
    )
    out = take_file(ws, partner_id, inbound, _local_entry(ws, partner_id, path, snap))
    out.moved_to = _finish(ws, partner_id, path, inbound, snap)
    return out


# A big order builds millions of small objects (lines, results, rows, replies), none in a
# cycle; with the collector on, its full passes over them took a fifth of the file's time.
@paused_gc()
def take_file(ws: Workspace, partner_id: str, inbound: InboundFile, entry: Entry) -> FileOutcome:
    """Read, evaluate and store one file's bytes in ONE transaction with its record,
    orders, events and replies (``inbound``: its record, new or recorded already).
    Moves no file: the caller finishes the original where ``archived_to`` says."""
    partner = ws.partner(partner_id)
    now = inbound.received_at
    name, data = entry.name, entry.data
    try:
        profile = load_mapping(ws.mappings_dir, partner.mapping)
        with entry.reading() as attempt:
            # After a death while reading it, a file is read where it cannot kill us.
            read = read_file(data, name, partner_id, ws.config, profile, isolated=attempt > 1)
    except (ConfigError, ProfileError) as exc:
        # Our configuration, not the partner's file: the admin is told, the partner is not.
        log.error("configuration refused file partner=%s file=%s: %s", partner_id, name, exc)
        reason = f"configuration: {exc}"
        return _failed(ws, partner_id, inbound, entry, reason, None, ours=True)
    except (ParseError, SenderRefused) as exc:
        fmt, result = getattr(exc, "format", None), getattr(exc, "result", None)
        told = file_problem(exc, partner.language) if isinstance(exc, ParseError) else None
        return _failed(
            ws, partner_id, inbound, entry, str(exc), fmt, result,
            admin_detail=getattr(exc, "admin_detail", None), told=told,
        )  # fmt: skip
    except Exception as exc:  # noqa: BLE001 — a reader bug must not stop the gateway
        log.error("reader crashed partner=%s file=%s\n%s", partner_id, name, traceback.format_exc())
        reason = f"the reader crashed ({type(exc).__name__}: {exc})"
        return _failed(ws, partner_id, inbound, entry, reason, None, ours=True)
    inbound.format = read.format.value
    _log_remarks(partner_id, name, read)

    def evaluate(session: Session) -> list[EvaluatedOrder]:
        return [
            evaluate_document(session, doc, partner_id, partner, profile) for doc in read.documents
        ]

    # Resolve and check first, reading only. On SQLite, before the file's transaction:
    # several workers can do this at once, and only storing takes the write lock. Even a
    # small file's: a line it does not know builds the catalog's name index on first need
    # after an import (seconds for a million products), which must not hold the one
    # write lock. On PostgreSQL reads take no lock, so inside it: a transaction fewer
    # (its BEGIN and COMMIT, two round trips a file).
    inside = reads_share_writes(ws.engine)
    if not inside:
        with ws.read_sessions() as r:
            evaluated = evaluate(r)
    summaries: list[OrderSummary] = []
    with outbox_transaction(ws, now) as box:
        s = box.session
        if inside:
            evaluated = evaluate(s)
        entry.admit(s, inbound)
        refused = admit_interchanges(s, read.result, inbound, now, ws.config.supplier)
        if refused:
            # A refused interchange's orders are not stored, nor answered one by one.
            evaluated = [ev for ev in evaluated if id(ev.doc) not in refused.documents]
        take_acknowledgments(s, partner_id, name, read.result, now)
        ctx = ReplyContext(box, partner_id, partner, inbound, read.format, read.result)
        if refused:
            queue_refusal_report(ctx, refused.reasons)
        stored = []
        index = {id(doc): i for i, doc in enumerate(read.documents)}
        for ev in evaluated:
            if is_change(ev.doc) and (change := apply_change(ctx, ev)) is not None:
                if change.order is not None:  # the buyer's change to an order we hold
                    o = change.order
                    summaries.append(
                        OrderSummary(
                            o.id, o.order_number, o.customer_code, o.site_code, o.status,
                            change.accepted, change.refused,
                        )
                    )  # fmt: skip
                continue
            so = store_order(
                s,
                ev,
                partner_id=partner_id,
                partner=partner,
                inbound_file_id=inbound.id,
                now=now,
                source_index=index[id(ev.doc)],
                file_name=name,
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
        queue_file_replies(ctx, stored, read.format, read.result)
        why = inbound.reason
        if refused:
            why = "; ".join(refused.reasons)
        elif not read.documents and read.reason:
            why = read.reason
        # One statement, not the unit of work's flush of the record (0.5 ms CPU a file).
        update_now(
            s,
            inbound,
            outcome=FileResult.PROCESSED.value,
            orders_count=len(stored),
            lines_accepted=sum(o.accepted for o in summaries),
            lines_rejected=sum(o.rejected for o in summaries),
            reason=why,
            # Where the original will go, decided in the same transaction: finishing the
            # file then needs no second one (recovery checks that path for the file).
            archived_to=entry.planned(FileResult.PROCESSED, now),
        )
    return FileOutcome(
        partner_id,
        name,
        FileResult.PROCESSED,
        inbound_id=inbound.id,
        format=read.format.value,
        orders=summaries,
        replies=box.written,
        reason=inbound.reason,
        refused_interchanges=len(refused.reasons) if refused else 0,
    )


def _failed(
    ws: Workspace,
    partner_id: str,
    inbound: InboundFile,
    entry: Entry,
    reason: str,
    fmt: str | None,
    result: ReadResult | None = None,
    *,
    admin_detail: str | None = None,
    told: str | None = None,
    ours: bool = False,
) -> FileOutcome:
    """Record an unread file as failed and queue its error reply (``reason`` for admins,
    with its ``admin_detail``, in the record and the admin's reason file); the partner is
    ``told`` why in its words, or — when the failure is ``ours`` — only that it is being
    looked at."""
    noted = f"{reason} [for admins: {admin_detail}]" if admin_detail else reason
    inbound.outcome, inbound.reason, inbound.format = FileResult.FAILED.value, noted, fmt
    inbound.archived_to = entry.planned(FileResult.FAILED, inbound.received_at)
    with outbox_transaction(ws, inbound.received_at) as box:
        entry.admit(box.session, inbound)
        ctx = ReplyContext(box, partner_id, ws.partner(partner_id), inbound)
        told_partner = reason if ours else told or reason
        queue_file_error(ctx, told_partner, fmt, result, admin_reason=noted, ours=ours)
    return FileOutcome(
        partner_id,
        entry.name,
        FileResult.FAILED,
        inbound_id=inbound.id,
        reason=inbound.reason,
        format=fmt,
        replies=box.written,
    )


__all__ = [
    "Entry",
    "FileOutcome",
    "FileResult",
    "OrderSummary",
    "duplicate_reason",
    "log_file_done",
    "process_file",
    "take_file",
]
