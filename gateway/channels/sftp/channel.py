"""The SFTP channel: poll a partner's remote folder, download complete files, archive them
remotely, and upload replies — each at most once, none lost.

How the intake pipeline uses it, and why nothing is lost or taken twice::

    for rf in channel.poll():                      # complete files only (see readiness)
        got = channel.download_with_sha256(rf, dest)   # temp name, verified, fsync, rename
        ... record (partner, rf.name, got.size, got.sha256), parse, store: ONE commit ...
        channel.archive(rf)                        # remote_in/NAME -> remote_archive/NAME

* A crash after the commit and before ``archive()`` leaves the file in ``remote_in``; the
  next poll returns it again and the pipeline recognises it in its ledger by
  (partner, name, size, sha256), so it only archives it. ``poll()`` therefore returns
  every ready file on every call, not only new ones: the ledger, not the channel, is the
  memory of what was processed.
* ``archive()`` refuses (``RemoteFileChanged``) when the file in ``remote_in`` no longer has
  the polled size and mtime — the partner re-sent it under the same name — so an
  unprocessed file is never archived unseen. If the rename happened but its answer was
  lost, the retry finds the file in the archive and reports success. A file that is gone
  from ``remote_in`` raises ``RemoteFileMissing``: for a committed file that means done.
* ``upload()`` writes ``.NAME.part`` and renames it to ``NAME``. Before every attempt it
  looks at ``remote_out/NAME``: present with the same bytes means an earlier attempt
  (or an earlier run that crashed before marking the message sent) delivered it, and it
  is not sent again. Present with other bytes raises ``RemoteNameTaken`` and overwrites
  nothing. (A partner that deletes replies at once can still receive one twice after a
  lost answer: no SFTP server keeps a receipt to ask.)

Network trouble (refused, reset, hung, dropped) closes the connection and retries the
operation with exponential backoff and jitter, ``settings.retry_attempts`` times, then
raises ``SftpUnavailable`` so the caller moves on to other partners. Connecting takes at
most 2 × ``timeout`` (TCP, then the whole handshake), and each SFTP request waits at most
``timeout`` for its answer, so a dead or hung server costs about
``retry_attempts × 2 × timeout`` plus the backoff, never an open-ended wait. Errors the server
states (no such folder, permission denied) and refused keys or credentials are raised at
once: retrying cannot fix them.

Log lines (logger ``gateway.channels.sftp.channel``) start with ``partner=… file=…`` and carry the
same in ``extra`` (``partner``, ``remote_file``). Passwords never appear. A channel is used
by one thread at a time.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import posixpath
import random
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, TypeVar

import paramiko

from gateway.channels.sftp.connection import SftpConnection
from gateway.channels.sftp.errors import (
    RemoteFileChanged,
    RemoteFileMissing,
    RemoteNameTaken,
    RemoteOperationFailed,
    SftpError,
    SftpUnavailable,
    TransferIncomplete,
)
from gateway.channels.sftp.probe import ProbeReport, probe_server
from gateway.channels.sftp.readiness import (
    MAX_NAME_BYTES,
    NameFilter,
    Readiness,
    RemoteFile,
    plain_name,
)
from gateway.config.sftp import SftpSettings

__all__ = ["Downloaded", "RemoteFile", "SftpChannel"]

log = logging.getLogger("gateway.channels.sftp.channel")

T = TypeVar("T")
_CHUNK = 64 * 1024
_BACKOFF_CAP = 30.0


class Downloaded(NamedTuple):
    size: int
    sha256: str


class _LocalFailure(Exception):
    """A local disk error inside a network operation: re-raised as the OSError it wraps,
    never mistaken for the server's answer nor retried."""


def _local(action: Callable[..., T], *args: object) -> T:
    try:
        return action(*args)
    except OSError as exc:
        raise _LocalFailure() from exc


class SftpChannel:
    """One partner's SFTP server, as the intake pipeline and reply dispatcher see it."""

    def __init__(self, partner_id: str, settings: SftpSettings, *, known_hosts: Path) -> None:
        self.partner_id = partner_id
        self.settings = settings
        #: The partner's own pinned keys win over the workspace file passed in.
        self.known_hosts = Path(settings.known_hosts or known_hosts)
        self._conn = SftpConnection(partner_id, settings, self.known_hosts)
        self._names = NameFilter(settings.patterns, settings.temp_patterns, settings.done_marker)
        self._readiness = Readiness(settings, self._names)
        self._posix_rename = True  # until the server says it lacks the extension
        self._refused_names: set[str] = set()

    # -- connection -------------------------------------------------------------------

    def connect(self) -> None:
        """Open the connection now (operations also open it on demand)."""
        self._run("connect", lambda sftp: None)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SftpChannel:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def probe(self) -> ProbeReport:
        """Check every step once, on a fresh connection, for ``order-gateway sftp test``."""
        return probe_server(self.partner_id, self.settings, self.known_hosts)

    # -- intake -------------------------------------------------------------------------

    def poll(self) -> list[RemoteFile]:
        """The complete files in remote_in, oldest first (see readiness)."""
        folder = self.settings.remote_in
        listed = self._run(f"list {folder}", lambda sftp: sftp.listdir_attr(folder))
        entries = [e for e in listed if self._plain(e.filename)]
        ready, oversized = self._readiness.select(entries, time.monotonic())
        for name, size in oversized:
            self._log(
                logging.WARNING,
                "skipped: %d bytes is over max_file_size %d",
                size, self.settings.max_file_size, file=name,
            )  # fmt: skip
        self._log(
            logging.DEBUG, "polled %s: %d entries, %d ready", folder, len(entries), len(ready)
        )
        return ready

    def _plain(self, name: str) -> bool:
        """Skip, with one warning per name, a listing entry that is not a plain name."""
        if plain_name(name):
            return True
        if name not in self._refused_names:
            self._refused_names.add(name)
            self._log(
                logging.WARNING,
                "skipped: the server listed %r in %s, which is not a plain file name "
                "(a path, '..', a control character or over %d bytes); never downloaded",
                name, self.settings.remote_in, MAX_NAME_BYTES, file="-",
            )  # fmt: skip
        return False

    def download(self, rf: RemoteFile, dest: Path) -> int:
        """Download to ``dest``; returns the verified byte count."""
        return self.download_with_sha256(rf, dest).size

    def download_with_sha256(self, rf: RemoteFile, dest: Path) -> Downloaded:
        """Download to ``dest`` via a temp name in its folder, verify the byte count against
        the polled size and the remote stat, fsync, rename; ``TransferIncomplete`` if not."""
        remote = posixpath.join(self.settings.remote_in, rf.name)
        dest = Path(dest)

        def attempt(sftp: paramiko.SFTPClient) -> Downloaded:
            temp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.part")
            try:
                return self._fetch(sftp, rf, remote, temp, dest)
            finally:
                _local(temp.unlink, True)

        got = self._run("download", attempt, file=rf.name)
        self._log(logging.INFO, "downloaded %d bytes sha256=%s", got.size, got.sha256, file=rf.name)
        return got

    def archive(self, rf: RemoteFile) -> str:
        """Move remote_in/NAME to remote_archive/NAME (NAME-1, NAME-2… if taken) and remove
        its done marker. Returns the archive path."""
        s = self.settings
        source = posixpath.join(s.remote_in, rf.name)
        chosen: list[str] = []

        def attempt(sftp: paramiko.SFTPClient) -> str:
            current = self._stat_or_none(sftp, source)
            if current is None:
                if chosen and self._stat_or_none(sftp, chosen[-1]) is not None:
                    return chosen[-1]  # the previous attempt's rename went through
                raise RemoteFileMissing(
                    f"{source} is no longer on the server of partner {self.partner_id}",
                    partner=self.partner_id,
                    file=rf.name,
                )
            if (current.st_size, int(current.st_mtime or 0)) != (rf.size, rf.mtime):
                raise RemoteFileChanged(
                    f"{source} changed since it was polled ({rf.size} bytes, mtime {rf.mtime}; "
                    f"now {current.st_size} bytes, mtime {current.st_mtime}); left in place",
                    partner=self.partner_id,
                    file=rf.name,
                )
            target = self._free_name(sftp, s.remote_archive, rf.name)
            chosen.append(target)
            self._rename(sftp, source, target)
            return target

        target = self._run("archive", attempt, file=rf.name)
        if rf.marker is not None:
            marker = posixpath.join(s.remote_in, rf.marker)
            self._run(
                "remove marker", lambda sftp: self._remove_if_present(sftp, marker), file=rf.marker
            )
        self._log(logging.INFO, "archived to %s", target, file=rf.name)
        return target

    # -- replies ------------------------------------------------------------------------

    def upload(self, name: str, data: bytes) -> bool:
        """Put ``data`` into remote_out/NAME via ``.NAME.part``. Returns False when the same
        bytes were already there (delivered earlier), True when sent now."""
        if not name or "/" in name or name.startswith(".") or self._names.is_temp(name):
            raise ValueError(f"reply name {name!r} must be a plain file name, not a temp name")
        s = self.settings
        final = posixpath.join(s.remote_out, name)
        temp = posixpath.join(s.remote_out, f".{name}.part")

        def attempt(sftp: paramiko.SFTPClient) -> bool:
            existing = self._stat_or_none(sftp, final)
            if existing is not None:
                if existing.st_size == len(data) and self._read(sftp, final) == data:
                    return False
                raise RemoteNameTaken(
                    f"{final} already exists on the server of partner {self.partner_id} with "
                    "different content; not overwritten",
                    partner=self.partner_id,
                    file=name,
                )
            with sftp.open(temp, "wb") as fh:
                fh.set_pipelined(True)
                fh.write(data)
            written = sftp.stat(temp).st_size
            if written != len(data):
                raise TransferIncomplete(
                    f"{temp} has {written} bytes on the server, {len(data)} were sent",
                    partner=self.partner_id,
                    file=name,
                    expected=len(data),
                    found=written or 0,
                )
            self._rename(sftp, temp, final)
            return True

        sent = self._run("upload", attempt, file=name)
        if sent:
            self._log(logging.INFO, "uploaded %d bytes to %s", len(data), final, file=name)
        else:
            self._log(
                logging.INFO, "already in %s with the same bytes; not sent again", final, file=name
            )
        return sent

    # -- the retry loop -----------------------------------------------------------------

    def _run(
        self, operation: str, action: Callable[[paramiko.SFTPClient], T], *, file: str | None = None
    ) -> T:
        s = self.settings
        last: BaseException | None = None
        for attempt in range(1, s.retry_attempts + 1):
            if attempt > 1:
                delay = min(_BACKOFF_CAP, s.retry_backoff * 2 ** (attempt - 2))
                delay *= 0.5 + random.random() / 2  # jitter: partners do not retry in step
                self._log(
                    logging.WARNING,
                    "%s failed (%s); attempt %d of %d in %.1f s",
                    operation, _describe(last), attempt, s.retry_attempts, delay, file=file,
                )  # fmt: skip
                time.sleep(delay)
            try:
                if not self._conn.is_alive():
                    self._conn.open()
                return action(self._conn.sftp)
            except SftpError:
                raise
            except _LocalFailure as exc:
                raise exc.__cause__ from None  # type: ignore[misc]
            except (OSError, EOFError, paramiko.SSHException) as exc:
                if self._is_server_answer(exc):
                    raise self._refused(operation, exc, file) from None
                last = exc
                self._conn.close()
        message = (
            f"{operation} at {s.address} (partner {self.partner_id}) failed "
            f"{s.retry_attempts} time(s), last: {_describe(last)}"
        )
        self._log(logging.ERROR, "%s", message, file=file)
        raise SftpUnavailable(
            message, partner=self.partner_id, operation=operation, attempts=s.retry_attempts
        )

    def _is_server_answer(self, exc: BaseException) -> bool:
        # paramiko raises a plain OSError both for an SFTP status (the server's "no") and for
        # a closed socket; only a live connection tells the first apart.
        if isinstance(exc, TimeoutError | ConnectionError) or not isinstance(exc, OSError):
            return False
        return self._conn.is_alive()

    def _refused(self, operation: str, exc: BaseException, file: str | None) -> SftpError:
        text = f"{operation} refused by {self.settings.address} (partner {self.partner_id}): {exc}"
        self._log(logging.ERROR, "%s", text, file=file)
        if isinstance(exc, OSError) and exc.errno == errno.ENOENT:
            return RemoteFileMissing(text, partner=self.partner_id, file=file)
        return RemoteOperationFailed(text, partner=self.partner_id, file=file)

    # -- steps --------------------------------------------------------------------------

    def _fetch(
        self, sftp: paramiko.SFTPClient, rf: RemoteFile, remote: str, temp: Path, dest: Path
    ) -> Downloaded:
        with sftp.open(remote, "rb") as fh:
            before = fh.stat()
            if before.st_size != rf.size:
                raise self._incomplete(rf, f"is {before.st_size} bytes now", before.st_size or 0)
            if rf.size:
                fh.prefetch(rf.size)
            digest, count = hashlib.sha256(), 0
            out = _local(open, temp, "wb")
            with out:
                while chunk := fh.read(_CHUNK):
                    _local(out.write, chunk)
                    digest.update(chunk)
                    count += len(chunk)
                if count != rf.size:
                    raise self._incomplete(rf, f"gave {count} bytes", count)
                _local(out.flush)
                _local(os.fsync, out.fileno())
        after = sftp.stat(remote)
        if (after.st_size, after.st_mtime) != (before.st_size, before.st_mtime):
            raise self._incomplete(rf, "changed while it was downloaded", after.st_size or 0)
        _local(os.replace, temp, dest)
        _local(_fsync_folder, dest.parent)
        return Downloaded(count, digest.hexdigest())

    def _incomplete(self, rf: RemoteFile, what: str, found: int) -> TransferIncomplete:
        return TransferIncomplete(
            f"{rf.name} of partner {self.partner_id} was listed with {rf.size} bytes but {what}",
            partner=self.partner_id,
            file=rf.name,
            expected=rf.size,
            found=found,
        )

    def _rename(self, sftp: paramiko.SFTPClient, source: str, target: str) -> None:
        if self._posix_rename:
            try:
                sftp.posix_rename(source, target)  # atomic rename(2) on OpenSSH servers
                return
            except OSError as exc:
                # Servers without the extension answer "unsupported"; OpenSSH with the
                # request disabled (sftp-server -P) answers "permission denied".
                unsupported = "unsupported" in str(exc).lower()
                if not (unsupported or exc.errno == errno.EACCES) or not self._conn.is_alive():
                    raise
            sftp.rename(source, target)  # if this is denied too, the folder is the problem
            self._posix_rename = False
            self._log(logging.INFO, "server refuses posix-rename; using plain rename")
            return
        sftp.rename(source, target)

    def _free_name(self, sftp: paramiko.SFTPClient, folder: str, name: str) -> str:
        stem, ext = posixpath.splitext(name)
        for n in range(1000):
            path = posixpath.join(folder, name if n == 0 else f"{stem}-{n}{ext}")
            if self._stat_or_none(sftp, path) is None:
                return path
        raise RemoteOperationFailed(
            f"{folder} already holds {name} and 999 numbered copies",
            partner=self.partner_id,
            file=name,
        )

    @staticmethod
    def _stat_or_none(sftp: paramiko.SFTPClient, path: str) -> paramiko.SFTPAttributes | None:
        try:
            return sftp.stat(path)
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                return None
            raise

    @staticmethod
    def _remove_if_present(sftp: paramiko.SFTPClient, path: str) -> None:
        try:
            sftp.remove(path)
        except OSError as exc:
            if exc.errno != errno.ENOENT:
                raise

    @staticmethod
    def _read(sftp: paramiko.SFTPClient, path: str) -> bytes:
        with sftp.open(path, "rb") as fh:
            return fh.read()

    def _log(self, level: int, message: str, *args: object, file: str | None = None) -> None:
        log.log(
            level,
            "partner=%s file=%s " + message,
            self.partner_id,
            file or "-",
            *args,
            extra={"partner": self.partner_id, "remote_file": file},
        )


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "no error"
    text = str(exc) or "connection closed"
    return f"{type(exc).__name__}: {text}"


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder entry is on disk.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
