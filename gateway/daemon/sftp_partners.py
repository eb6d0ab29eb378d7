"""SFTP partners in the pipeline: poll, download, process, archive remotely, upload replies.

The remote folder is only a source: a ready file is downloaded into the partner's
``.processing/`` and goes through :func:`gateway.intake.pipeline.process_file` like any claimed
file. Only after the commit is it moved to the remote archive, so a crash in between
re-lists a file the ledger already knows (same partner, name and sha256): it is
archived remotely, not processed twice.

Replies are written to the local outbox first (the transactional outbox, as for folder
partners) and then uploaded; ``OutgoingMessage.uploaded_at`` records the upload, and the
channel never uploads a name whose bytes are already there — so a reply is never doubled.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from gateway.channels.folder.inbox import hold
from gateway.channels.sftp.channel import SftpChannel
from gateway.channels.sftp.errors import RemoteFileMissing, SftpError
from gateway.config.sftp import SftpSettings
from gateway.intake.guard import process_claimed
from gateway.intake.pipeline import FileOutcome, FileResult
from gateway.replies.outbox import Audience
from gateway.store.ledger import latest_record
from gateway.store.models import OutgoingMessage
from gateway.workspace import Workspace

log = logging.getLogger("gateway.daemon.sftp_partners")
#: Outcomes that leave a downloaded file claimed locally, not finished
_NOT_DONE = (FileResult.DEFERRED, FileResult.UNSETTLED)


def sftp_settings(ws: Workspace, partner_id: str) -> SftpSettings:
    partner = ws.partner(partner_id)
    if partner.sftp is None:
        raise ValueError(f"partners.{partner_id}.sftp: required when channel = 'sftp'")
    return partner.sftp


class SftpIntake:
    """One SFTP partner's intake; keep it alive between polls (it tracks settling files)."""

    def __init__(self, ws: Workspace, partner_id: str) -> None:
        self.ws = ws
        self.partner_id = partner_id
        self.settings = sftp_settings(ws, partner_id)
        self.channel = SftpChannel(partner_id, self.settings, known_hosts=ws.known_hosts)

    def close(self) -> None:
        self.channel.close()

    def poll_once(self) -> list[FileOutcome]:
        """Take every ready remote file once, then upload pending replies. Never raises
        for network trouble: the partner is skipped until the next poll."""
        outcomes: list[FileOutcome] = []
        try:
            for rf in self.channel.poll():
                outcome = self._take(rf)
                if outcome is not None:
                    outcomes.append(outcome)
            self.upload_replies()
        except SftpError as exc:
            log.warning("sftp unavailable partner=%s error=%s", self.partner_id, exc)
        return outcomes

    def _take(self, rf) -> FileOutcome | None:  # noqa: ANN001
        folder = self.ws.processing(self.partner_id)
        folder.mkdir(parents=True, exist_ok=True)
        local = folder / rf.name
        if local.exists():
            # Downloaded before a crash and not finished: finish it first (unless a live
            # worker holds it; then it is that worker's).
            held = hold(local)
            if held is None:
                return None
            with held:
                if process_claimed(self.ws, self.partner_id, local).outcome in _NOT_DONE:
                    return None  # kept for later: the remote file stays where it is
        # Downloaded under a dot-name (invisible to recovery sweeps), locked, then given
        # its name: no one ever sees a partial download in .processing/.
        partial = folder / f".{rf.name}.sftp"
        got = self.channel.download_with_sha256(rf, partial)
        with self.ws.read_sessions() as s:
            known = latest_record(s, self.partner_id, got.sha256)
        if (
            known is not None
            and known.name == rf.name
            and rf.mtime <= known.received_at.timestamp()
        ):
            # Recorded after it was written: committed before a crash (its local copy was
            # finished above), only the remote move is left. The same name and bytes
            # uploaded again later are a new file (a duplicate, or a new attempt).
            partial.unlink(missing_ok=True)
            self._archive(rf)
            log.info("remote file already processed partner=%s file=%s", self.partner_id, rf.name)
            return None
        held = hold(partial)
        partial.rename(local)
        try:
            # Guarded like a folder partner's file: a poison file ends quarantined, it
            # does not end this partner's polls.
            outcome = process_claimed(self.ws, self.partner_id, local)
        finally:
            if held is not None:
                held.release()
        if outcome.outcome not in _NOT_DONE:
            self._archive(rf)
        return outcome

    def _archive(self, rf) -> None:  # noqa: ANN001
        try:
            self.channel.archive(rf)
        except RemoteFileMissing:
            pass  # moved already (an earlier attempt's answer was lost)

    def upload_replies(self) -> int:
        """Upload every reply written locally but not yet uploaded; returns how many."""
        with self.ws.read_sessions() as s:
            ids = list(
                s.scalars(
                    select(OutgoingMessage.id)
                    .where(
                        OutgoingMessage.partner == self.partner_id,
                        OutgoingMessage.audience == Audience.PARTNER.value,
                        OutgoingMessage.sent_at.is_not(None),
                        OutgoingMessage.uploaded_at.is_(None),
                    )
                    .order_by(OutgoingMessage.id)
                )
            )
        for mid in ids:
            with self.ws.sessions.begin() as s:
                msg = s.get(OutgoingMessage, mid)
                if msg is None or msg.uploaded_at is not None:
                    continue
                self.channel.upload(msg.filename, msg.content)
                msg.uploaded_at = datetime.now(UTC)
                log.debug("reply uploaded partner=%s file=%s", self.partner_id, msg.filename)
        return len(ids)


def sftp_partners(ws: Workspace) -> list[str]:
    return [pid for pid, p in ws.config.partners.items() if p.channel == "sftp"]


def known_hosts_path(ws: Workspace) -> Path:
    return ws.known_hosts


class SftpWorker(threading.Thread):
    """Polls one SFTP partner on its own thread, so a hung server holds up no one else."""

    def __init__(self, ws: Workspace, partner_id: str) -> None:
        super().__init__(name=f"sftp-{partner_id}", daemon=True)
        self.ws = ws
        self.partner_id = partner_id
        self._halt = threading.Event()
        self.polls = 0

    def stop(self) -> None:
        self._halt.set()

    def run(self) -> None:
        intake = SftpIntake(self.ws, self.partner_id)
        interval = intake.settings.poll_interval
        try:
            while not self._halt.is_set():
                try:
                    intake.poll_once()
                except Exception:  # noqa: BLE001 — one partner's trouble must not end the thread
                    log.exception("sftp poll failed partner=%s", self.partner_id)
                self.polls += 1
                self._halt.wait(interval)
        finally:
            intake.close()


def poll_sftp_once(ws: Workspace) -> list[FileOutcome]:
    """``run --once`` for SFTP partners: two polls a settle time apart, then done."""
    outcomes: list[FileOutcome] = []
    for pid in sftp_partners(ws):
        intake = SftpIntake(ws, pid)
        try:
            intake.poll_once()
            time.sleep(intake.settings.settle_seconds)
            outcomes += intake.poll_once()
        finally:
            intake.close()
    return outcomes
