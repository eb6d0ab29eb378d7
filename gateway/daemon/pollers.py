"""Cluster mode: the bodies of the ``poll`` and ``dispatch`` jobs — sources taken into
the blob store and the ledger, replies sent from the right node.

A source is named ``folder:NODE:PARTNER``, ``sftp:PARTNER`` or ``feed:NODE``
(:func:`source_name`). Its poll takes every ready file once: the bytes recorded and
their ``process`` job deferred in one transaction (:func:`gateway.intake.receive.receive_bytes`),
then, only after the commit, the source removed — or archived, with ``[cluster]
folder_archive`` — for a folder, moved to the remote archive for an SFTP account. A
poll killed in between leaves a source the next poll recognises: it is finished, not
recorded twice.

SFTP connections (and what each remembers of settling files) are kept between jobs by
:class:`Pollers`, one per worker process.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from gateway.channels.folder.inbox import (
    InboxTracker,
    abandoned_claims,
    claim_held,
    put_back,
    remove_markers,
)
from gateway.channels.sftp.channel import RemoteFile, SftpChannel
from gateway.channels.sftp.errors import RemoteFileChanged, RemoteFileMissing, SftpError
from gateway.daemon.passes import quarantine_odd, readiness
from gateway.daemon.sftp_partners import sftp_settings
from gateway.intake.files import NotTaken, StillWritten, archive, quarantine, take_snapshot
from gateway.intake.receive import Received, receive_bytes
from gateway.orders.erp_feed import scan_feed
from gateway.replies.dispatch import fsync_dir
from gateway.replies.outbox import Audience
from gateway.replies.routes import deliver_here
from gateway.store.models import OutgoingMessage
from gateway.workspace import Workspace

log = logging.getLogger("gateway.daemon.pollers")


def source_name(kind: str, *parts: str) -> str:
    """``folder:NODE:PARTNER``, ``sftp:PARTNER``, ``feed:NODE``.

    >>> source_name("folder", "gw-a", "shop"), source_name("sftp", "bigretail")
    ('folder:gw-a:shop', 'sftp:bigretail')
    """
    return ":".join((kind, *parts))


def folder_partners(ws: Workspace, node: str) -> list[str]:
    """The folder partners whose folders are on ``node`` (those without a ``node``: on
    every node, each its own)."""
    return [
        pid
        for pid, p in ws.config.partners.items()
        if p.channel == "folder" and p.node in (None, node)
    ]


@dataclass
class Pollers:
    """What one worker process keeps between its jobs: an SFTP channel per partner."""

    ws: Workspace
    channels: dict[str, SftpChannel] = field(default_factory=dict)

    def channel(self, partner_id: str) -> SftpChannel:
        if partner_id not in self.channels:
            self.channels[partner_id] = SftpChannel(
                partner_id, sftp_settings(self.ws, partner_id), known_hosts=self.ws.known_hosts
            )
        return self.channels[partner_id]

    def close(self) -> None:
        for channel in self.channels.values():
            channel.close()
        self.channels.clear()

    # --- poll ------------------------------------------------------------------------
    def poll(self, source: str) -> int:
        """Take what is ready at ``source``; how many files were recorded."""
        kind, _, rest = source.partition(":")
        if kind == "sftp":
            return self.poll_sftp(rest)
        node, _, partner_id = rest.partition(":")
        if node != self.ws.node:
            # Deferred for another node's queue and taken here: never read a folder by
            # the name of another machine's.
            raise ValueError(f"poll of {source} reached node {self.ws.node}")
        if kind == "feed":
            return len(scan_feed(self.ws))
        return self.poll_folder(partner_id)

    def poll_folder(self, partner_id: str) -> int:
        ws = self.ws
        inbox = ws.inbox(partner_id)
        taken = 0
        for held in abandoned_claims(inbox):  # a poll killed after its claim
            taken += self._take_claimed(partner_id, held.path)
        poll = InboxTracker(inbox, readiness(ws, partner_id)).poll()
        for entry in poll.odd:
            quarantine_odd(ws, partner_id, entry)
        for path in poll.ready:
            claimed = claim_held(path)
            if claimed is None:
                continue  # a worker of the in-process mode on this machine has it
            with claimed:
                if ws.partner(partner_id).done_marker:
                    remove_markers(path)
                taken += self._take_claimed(partner_id, claimed.path)
        return taken

    def _take_claimed(self, partner_id: str, path: Path) -> int:
        ws = self.ws
        try:
            snap = take_snapshot(path, ws.partner(partner_id).max_file_size)
        except NotTaken as refused:
            quarantine(ws, partner_id, path, refused.reason)
            return 0
        except StillWritten:
            put_back(path)
            return 0
        got = receive_bytes(
            ws, partner_id, path.name, snap.data, written_at=snap.mtime_ns / 1e9, inode=snap.inode
        )
        # Committed: the source is no longer needed (the blob store has its bytes).
        if ws.config.cluster.folder_archive:
            archive(ws, partner_id, path, datetime.now(UTC))
        else:
            path.unlink(missing_ok=True)
            fsync_dir(path.parent)
        return int(got.fresh)

    def poll_sftp(self, partner_id: str) -> int:
        """Two listings ``settle_seconds`` apart when a file was still settling, as one
        pass of ``run --once`` does; every ready file recorded, then archived remotely."""
        channel = self.channel(partner_id)
        taken = 0
        try:
            ready = channel.poll()
            if not ready:
                time.sleep(channel.settings.settle_seconds)
                ready = channel.poll()
            for rf in ready:
                taken += self._take_remote(partner_id, channel, rf)
        except SftpError as exc:
            log.warning("sftp unavailable partner=%s error=%s", partner_id, exc)
        return taken

    def _take_remote(self, partner_id: str, channel: SftpChannel, rf: RemoteFile) -> int:
        folder = self.ws.processing(partner_id)
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{rf.name}.{os.getpid()}.sftp"
        try:
            channel.download_with_sha256(rf, partial)
            data = partial.read_bytes()
        finally:
            partial.unlink(missing_ok=True)
        got: Received = receive_bytes(self.ws, partner_id, rf.name, data, written_at=rf.mtime)
        try:
            channel.archive(rf)
        except RemoteFileMissing:
            pass  # moved already (an earlier attempt's answer was lost)
        except RemoteFileChanged:
            log.warning(
                "remote file changed after it was taken partner=%s file=%s; left in place",
                partner_id,
                rf.name,
            )
        return int(got.fresh)

    # --- dispatch --------------------------------------------------------------------
    def dispatch(self, partner_id: str, ids: list[int]) -> int:
        """Send these messages of one partner, in order; how many were sent now."""
        ws = self.ws
        with ws.read_sessions() as s:
            rows = s.execute(
                select(OutgoingMessage.id, OutgoingMessage.audience)
                .where(OutgoingMessage.id.in_(ids))
                .order_by(OutgoingMessage.id)
            ).all()
        partner = ws.config.partners.get(partner_id)
        remote = partner is not None and partner.channel == "sftp"
        uploads = [i for i, a in rows if remote and a == Audience.PARTNER.value]
        local = [i for i, a in rows if i not in set(uploads)]
        sent = len(deliver_here(ws, local)) if local else 0
        if uploads:
            sent += self._upload(partner_id, uploads)
        return sent

    def _upload(self, partner_id: str, ids: list[int]) -> int:
        """Upload to the partner's remote ``out``, each once: the channel never sends a
        name whose bytes are there already, and the row says when it went."""
        channel = self.channel(partner_id)
        sent = 0
        for mid in ids:
            with self.ws.sessions.begin() as s:
                msg = s.scalar(
                    select(OutgoingMessage)
                    .where(OutgoingMessage.id == mid, OutgoingMessage.uploaded_at.is_(None))
                    .with_for_update()
                )
                if msg is None:
                    continue
                channel.upload(msg.filename, msg.content)
                now = datetime.now(UTC)
                msg.sent_at = msg.sent_at or now
                msg.uploaded_at = now
                sent += 1
        return sent


__all__ = ["Pollers", "folder_partners", "source_name"]
