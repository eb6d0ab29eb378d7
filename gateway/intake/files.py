"""Where a received file ends: archived, or quarantined with a reason. One naming rule.

Every original ends in ``archive/<partner>/YYYY/MM/DD/`` (read) or ``failed/<partner>/``
beside a ``NAME.reason.txt`` (refused, unreadable, duplicate). A name already taken gets
``~1``, ``~2``… before its extension (:func:`free_name`); moves are made durable by an
fsync of the folder. A received name is not trusted to fit: it is shown as text and
shortened with a hash (:func:`gateway.replies.names.fitted`) before it names anything we
write, so a 250-byte or non-UTF-8 name ends quarantined like any other.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gateway.replies.dispatch import fsync_dir, write_atomically
from gateway.replies.names import fitted, shown
from gateway.workspace import Workspace

#: Beside every quarantined file: why it is there
REASON_SUFFIX = ".reason.txt"
#: What a received name leaves free in NAME_MAX: ``~N`` and the reason file's suffix
_ROOM = len(REASON_SUFFIX) + 8


def kept_name(name: str) -> str:
    """The name a received file is archived or quarantined under (:func:`fitted`)."""
    return fitted(name, room=_ROOM)


class NotTaken(Exception):
    """A claimed entry that is not read: ``reason`` says why, for its reason file."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StillWritten(Exception):
    """A claimed file changed while it was read: its writer had not finished."""


@dataclass(frozen=True)
class Snapshot:
    """The bytes of a claimed file exactly as read, and its size and mtime then."""

    data: bytes
    size: int
    mtime_ns: int
    #: "device:inode" of the file read: recovery finishes this very file
    inode: str = ""


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def refusal(path: Path, st: os.stat_result) -> str | None:
    """Why an entry (as ``lstat`` saw it) is not read, or None: only regular files with
    one name are. A hard link's other name may be anywhere: reading it would hand a
    partner a file from outside its inbox."""
    name = shown(path.name)
    if not stat.S_ISREG(st.st_mode):
        return f"{name} is {_kind(st.st_mode)}; only regular files are read"
    if st.st_nlink > 1:
        return (
            f"{name} has {st.st_nlink - 1} other name(s) on this machine (a hard link); "
            "only files with one name are read"
        )
    return None


def take_snapshot(path: Path, max_size: int) -> Snapshot:
    """Read a claimed file without following a link, refusing what is not a plain file
    (:class:`NotTaken`) or changed while it was read (:class:`StillWritten`)."""
    # Looked at before it is opened: opening a FIFO or a device node can block or act.
    why = refusal(path, os.lstat(path))
    if why is not None:
        raise NotTaken(why)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise NotTaken(f"{shown(path.name)} cannot be opened ({exc.strerror})") from exc
    try:
        before = os.fstat(fd)
        # Swapped for something else between the look and the open
        why = refusal(path, before)
        if why is not None:
            raise NotTaken(why)
        if before.st_size > max_size:
            raise NotTaken(
                f"{shown(path.name)} is {before.st_size:,} bytes, over the partner's limit of "
                f"{max_size:,} bytes (max_file_size); it was not read"
            )
        chunks = []
        left = max_size + 1  # a file growing past the limit is not read to its end
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if (after.st_size, after.st_mtime_ns, len(data)) != (
        before.st_size,
        before.st_mtime_ns,
        before.st_size,
    ):
        raise StillWritten(shown(path.name))
    return Snapshot(data, before.st_size, before.st_mtime_ns, f"{before.st_dev}:{before.st_ino}")


def changed_since(path: Path, snap: Snapshot) -> bool:
    """Whether the claimed file is no longer what was read (written to after the read)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    return (st.st_size, st.st_mtime_ns) != (snap.size, snap.mtime_ns)


def free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/stem~N.ext`` for the first N not taken (nor its reason file).

    >>> import tempfile; d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.csv").write_text("x"); free_name(d, "a.csv").name, free_name(d, "b.csv").name
    ('a~1.csv', 'b.csv')
    """
    target = folder / name
    n = 1
    while target.exists() or target.with_name(target.name + REASON_SUFFIX).exists():
        stem, dot, ext = name.partition(".")
        target = folder / f"{stem}~{n}{dot}{ext}"
        n += 1
    return target


def move_durably(src: Path, dest_dir: Path, name: str | None = None) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = free_name(dest_dir, kept_name(name or src.name))
    shutil.move(str(src), str(target))
    fsync_dir(dest_dir)
    return target


def quarantine(
    ws: Workspace, partner_id: str, path: Path, reason: str, *, target: Path | None = None
) -> Path:
    """Move ``path`` to failed/<partner>/ with a ``.reason.txt`` beside it (to ``target``
    when it was planned and is still free).

    Whatever ``path`` is — a link, a folder, a FIFO, a socket or a device node — it is
    renamed, never opened: a FIFO is not waited on, a device not read.
    """
    folder = ws.failed_dir(partner_id)
    folder.mkdir(parents=True, exist_ok=True)
    if target is None or target.parent != folder or target.exists():
        target = free_name(folder, kept_name(path.name))
    note = target.with_name(target.name + REASON_SUFFIX)
    note.write_text(
        f"file: {shown(path.name)}\npartner: {partner_id}\nat: {datetime.now(UTC).isoformat()}\n"
        f"reason: {shown(reason)}\n",
        encoding="utf-8",
    )
    try:
        os.rename(path, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            # failed/ is on another filesystem, and a FIFO or a device cannot be copied
            # without opening it: the entry is removed, its reason file says what it was.
            os.unlink(path)
        else:
            shutil.move(str(path), str(target))
    fsync_dir(folder)
    return target


def archive(ws: Workspace, partner_id: str, path: Path, when: datetime) -> Path:
    return move_durably(path, ws.archive_dir(partner_id, when))


def planned_archive(ws: Workspace, partner_id: str, name: str, when: datetime) -> Path:
    """Where a file being stored now will be archived (decided in its transaction)."""
    return free_name(ws.archive_dir(partner_id, when), kept_name(name))


def planned_quarantine(ws: Workspace, partner_id: str, name: str) -> Path:
    """Where a file being recorded as failed (or duplicate) now will be quarantined."""
    return free_name(ws.failed_dir(partner_id), kept_name(name))


def archive_snapshot(
    ws: Workspace, partner_id: str, path: Path, snap: Snapshot, target: Path
) -> Path:
    """Archive exactly the bytes that were processed, although the claimed file changed
    after it was read: the archive gets ``snap``; what the file holds now is quarantined
    with the reason, so that nothing written late is lost nor taken for processed."""
    write_atomically(target, snap.data)
    quarantine(
        ws,
        partner_id,
        path,
        f"{shown(path.name)} was written to after it was read: the {snap.size:,} bytes read "
        f"were processed and archived as {target.name}; this is the file as it is now, not "
        "processed — send the rest again as a new file",
    )
    return target


__all__ = [
    "REASON_SUFFIX",
    "NotTaken",
    "Snapshot",
    "StillWritten",
    "archive",
    "archive_snapshot",
    "changed_since",
    "free_name",
    "kept_name",
    "move_durably",
    "planned_archive",
    "planned_quarantine",
    "quarantine",
    "refusal",
    "take_snapshot",
]
