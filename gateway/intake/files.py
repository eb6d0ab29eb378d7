"""Where a received file ends: archived, or quarantined with a reason. One naming rule.

Every original ends in ``archive/<partner>/YYYY/MM/DD/`` (read) or ``failed/<partner>/``
beside a ``NAME.reason.txt`` (refused, unreadable, duplicate). A name already taken gets
``~1``, ``~2``… before its extension (:func:`free_name`); moves are made durable by an
fsync of the folder.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from gateway.replies.dispatch import fsync_dir
from gateway.workspace import Workspace

#: Beside every quarantined file: why it is there
REASON_SUFFIX = ".reason.txt"


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
    target = free_name(dest_dir, name or src.name)
    shutil.move(str(src), str(target))
    fsync_dir(dest_dir)
    return target


def quarantine(
    ws: Workspace, partner_id: str, path: Path, reason: str, *, target: Path | None = None
) -> Path:
    """Move ``path`` to failed/<partner>/ with a ``.reason.txt`` beside it (to ``target``
    when it was planned and is still free)."""
    folder = ws.failed_dir(partner_id)
    folder.mkdir(parents=True, exist_ok=True)
    if target is None or target.parent != folder or target.exists():
        target = free_name(folder, path.name)
    note = target.with_name(target.name + REASON_SUFFIX)
    note.write_text(
        f"file: {path.name}\npartner: {partner_id}\nat: {datetime.now(UTC).isoformat()}\n"
        f"reason: {reason}\n",
        encoding="utf-8",
    )
    if path.is_symlink():
        os.replace(path, target)
    elif path.is_file() or path.is_dir():
        shutil.move(str(path), str(target))
    fsync_dir(folder)
    return target


def archive(ws: Workspace, partner_id: str, path: Path, when: datetime) -> Path:
    return move_durably(path, ws.archive_dir(partner_id, when))


def planned_archive(ws: Workspace, partner_id: str, name: str, when: datetime) -> Path:
    """Where a file being stored now will be archived (decided in its transaction)."""
    return free_name(ws.archive_dir(partner_id, when), name)


def planned_quarantine(ws: Workspace, partner_id: str, name: str) -> Path:
    """Where a file being recorded as failed (or duplicate) now will be quarantined."""
    return free_name(ws.failed_dir(partner_id), name)


__all__ = [
    "REASON_SUFFIX",
    "archive",
    "free_name",
    "move_durably",
    "planned_archive",
    "planned_quarantine",
    "quarantine",
]
