"""The guard around one claimed file: whatever happens, it ends archived, quarantined, or
kept for later — and the gateway goes on.

* A store fault (server down, database locked past its timeout) is not the file's fault:
  the file stays claimed (outcome ``deferred``) and the next recovery sweep retries it.
* A store that answers but is broken (a corrupted SQLite file, PostgreSQL's
  ``data_corrupted``: a ``DatabaseError`` that is no integrity or data error) is not the
  file's fault either, and retrying cannot mend it: the file stays claimed and
  :class:`StoreBroken` stops the gateway loudly, naming the database.
* Any other exception — a ``PanicException`` from native code included, which is a
  ``BaseException`` — is a bug met on this file: when its orders were committed the
  original is archived (the unsent replies are retried later); otherwise it is
  quarantined with the error.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import UTC, datetime
from pathlib import Path

from gateway.channels.folder.inbox import hold
from gateway.intake.files import archive, free_name, kept_name, quarantine
from gateway.intake.pipeline import FileOutcome, FileResult, process_file
from gateway.intake.receive import receive_bytes
from gateway.logs import log_fields
from gateway.replies.names import shown
from gateway.store.database import STORE_ERRORS, StoreBroken, is_broken_store, shown_url
from gateway.store.ledger import latest_record
from gateway.store.models import InboundFile
from gateway.workspace import Workspace

log = logging.getLogger("gateway.intake.guard")


#: Outcome of a file left claimed because the store could not be used
DEFERRED = FileResult.DEFERRED


def process_claimed(ws: Workspace, partner_id: str, path: Path) -> FileOutcome:
    """:func:`process_file`, except that it never raises.

    When the database cannot be used the file stays claimed (outcome ``deferred``) and
    the next recovery sweep tries it again.
    """
    try:
        return process_file(ws, partner_id, path)
    except STORE_ERRORS as exc:
        log.error(
            "store unavailable partner=%s file=%s outcome=deferred error=%s; "
            "file kept in .processing",
            partner_id,
            path.name,
            exc,
            extra=log_fields(partner_id, path.name, DEFERRED),
        )
        return FileOutcome(partner_id, path.name, DEFERRED, reason=f"store unavailable: {exc}")
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 — one file must never stop the gateway
        if is_broken_store(exc):
            where = shown_url(ws.database_url)
            log.error(
                "database %s is broken partner=%s file=%s outcome=deferred error=%s; "
                "file kept in .processing; the gateway stops",
                where,
                partner_id,
                path.name,
                getattr(exc, "orig", exc),
                extra=log_fields(partner_id, path.name, DEFERRED),
            )
            raise StoreBroken(
                f"the database {where} cannot be used ({getattr(exc, 'orig', exc)}); "
                f"{path.name} of {partner_id} is kept in .processing for later — restore "
                "or repair the database, then start the gateway again"
            ) from exc
        log.exception(
            "pipeline failed partner=%s file=%s",
            partner_id,
            path.name,
            extra=log_fields(partner_id, path.name),
        )
        return _after_crash(ws, partner_id, path, exc)


def _after_crash(ws: Workspace, partner_id: str, path: Path, exc: BaseException) -> FileOutcome:
    """The pipeline raised on ``path``: archive it if its orders were committed, else
    quarantine it with the error."""
    if not path.exists() and not path.is_symlink():
        # It was archived or quarantined before the error (e.g. a peer finished it).
        why = f"{type(exc).__name__}: {exc}"
        return FileOutcome(partner_id, path.name, FileResult.FAILED, reason=why)
    error = f"{type(exc).__name__}: {exc}"
    stored = _recorded_as(ws, partner_id, path)
    if stored is not None and stored.name == shown(path.name):
        finished = _finish_committed(ws, partner_id, path, stored, error)
        if finished is not None:
            return finished
    reason = f"the gateway failed while processing {path.name} ({error}); " + (
        f"it is recorded as inbound file #{stored.id}" if stored else "nothing was stored"
    )
    try:
        moved = quarantine(ws, partner_id, path, reason)
    except FileNotFoundError:
        moved = None
    log.error(
        "quarantined partner=%s file=%s outcome=failed reason=%r",
        partner_id,
        path.name,
        reason,
        extra=log_fields(partner_id, path.name, FileResult.FAILED),
    )
    return FileOutcome(
        partner_id,
        path.name,
        FileResult.FAILED,
        inbound_id=stored.id if stored else None,
        reason=reason,
        moved_to=moved,
    )


def _finish_committed(
    ws: Workspace, partner_id: str, path: Path, stored: InboundFile, error: str
) -> FileOutcome | None:
    """The orders are stored and only a later step (replies, archive) failed: archive the
    original now; the unsent replies are retried by :func:`dispatch_unsent`."""
    try:
        if stored.outcome == FileResult.FAILED:
            moved = quarantine(ws, partner_id, path, stored.reason or "failed")
        else:
            moved = archive(ws, partner_id, path, datetime.now(UTC))
        with ws.sessions.begin() as s:
            row = s.get(InboundFile, stored.id)
            if row is not None:
                row.archived_to = str(moved)
    except Exception:  # noqa: BLE001 — then it is quarantined like any other crash
        log.exception("archiving after the error failed partner=%s file=%s", partner_id, path.name)
        return None
    reason = f"stored as inbound file #{stored.id}, but its replies are not written yet: {error}"
    log.error(
        "file done partner=%s file=%s outcome=%s inbound=%d reason=%r",
        partner_id,
        path.name,
        stored.outcome,
        stored.id,
        reason,
        extra=log_fields(partner_id, path.name, stored.outcome),
    )
    return FileOutcome(
        partner_id,
        path.name,
        FileResult(stored.outcome),
        inbound_id=stored.id,
        format=stored.format,
        reason=reason,
        moved_to=moved,
    )


def _recorded_as(ws: Workspace, partner_id: str, path: Path) -> InboundFile | None:
    try:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        with ws.read_sessions() as s:
            return latest_record(s, partner_id, sha)
    except Exception:  # noqa: BLE001 — the store may be what failed
        return None


def process_copy(ws: Workspace, partner_id: str, name: str, data: bytes) -> FileOutcome:
    """Process ``data`` as a file ``name`` of the partner's: it is claimed into the
    partner's ``.processing/`` like any dropped file, and never raises.

    In cluster mode it is recorded with its bytes and its processing queued, as a
    poller takes a file (outcome ``received``; a worker processes it)."""
    ws.partner(partner_id)  # raises UnknownPartner naming the configured ids
    if ws.cluster:
        return _receive_copy(ws, partner_id, name, data)
    folder = ws.processing(partner_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = free_name(folder, kept_name(name))
    tmp = folder / f".{target.name}.copy"
    tmp.write_bytes(data)
    # Locked before it gets its visible name, so a running service's recovery sweep
    # leaves it to us.
    held = hold(tmp)
    tmp.rename(target)
    try:
        return process_claimed(ws, partner_id, target)
    finally:
        if held is not None:
            held.release()


def _receive_copy(ws: Workspace, partner_id: str, name: str, data: bytes) -> FileOutcome:
    try:
        got = receive_bytes(ws, partner_id, name, data, written_at=time.time())
    except STORE_ERRORS as exc:
        return FileOutcome(partner_id, name, DEFERRED, reason=f"store unavailable: {exc}")
    return FileOutcome(partner_id, shown(name), FileResult.RECEIVED, inbound_id=got.inbound_id)


__all__ = [
    "DEFERRED",
    "STORE_ERRORS",
    "process_claimed",
    "process_copy",
]
