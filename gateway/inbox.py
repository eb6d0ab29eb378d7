"""A partner's inbox folder: which files are ready, and claiming one for processing.

A file is ready when it is a regular file (not a symlink, not a folder), its name is
not a temporary one, and its size and mtime have settled. Claiming is an atomic
hard link into ``.processing/`` followed by removing the inbox name: of two workers
only one link succeeds, and an existing ``.processing`` file is never overwritten.
"""

from __future__ import annotations

import fnmatch
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gateway.workspace import PROCESSING

TEMP_PATTERNS = (".*", "*.tmp", "*.part", "*.partial", "~$*", "*.crdownload", "*.swp")
MARKER_SUFFIXES = (".done", ".ok")


def is_temporary(name: str, patterns: Iterable[str] = TEMP_PATTERNS) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


@dataclass(frozen=True, slots=True)
class Seen:
    size: int
    mtime_ns: int


def snapshot(folder: Path) -> dict[str, Seen | None]:
    """Every visible entry of ``folder``: regular files with (size, mtime), others None.

    Non-regular entries (symlinks, folders, fifos) are listed with ``None`` so the
    caller can quarantine them with a reason instead of ignoring them forever.
    """
    out: dict[str, Seen | None] = {}
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return out
    for e in entries:
        if e.name == PROCESSING or is_temporary(e.name):
            continue
        try:
            if e.is_file(follow_symlinks=False):
                st = e.stat(follow_symlinks=False)
                out[e.name] = Seen(st.st_size, st.st_mtime_ns)
            else:
                out[e.name] = None
        except FileNotFoundError:
            continue
    return out


def settled_files(folder: Path, settle: float) -> tuple[list[Path], list[Path]]:
    """(ready files, non-regular entries) of ``folder``, waiting at most ``settle`` seconds.

    A file younger than ``settle`` is looked at again after the remaining time; it is
    ready only if its size and mtime did not move in between.
    """
    first = snapshot(folder)
    odd = [folder / n for n, s in first.items() if s is None]
    now_ns = time.time_ns()
    young = [
        n for n, s in first.items()
        if s is not None and now_ns - s.mtime_ns < settle * 1e9
    ]
    ready = [n for n, s in first.items() if s is not None and n not in young]
    if young and settle > 0:
        newest = max(first[n].mtime_ns for n in young)  # type: ignore[union-attr]
        time.sleep(max(0.0, settle - (time.time_ns() - newest) / 1e9))
        second = snapshot(folder)
        ready += [n for n in young if second.get(n) == first[n]]
    return sorted((folder / n for n in ready), key=_arrival), odd


def _arrival(p: Path) -> tuple[int, str]:
    try:
        return (p.stat().st_mtime_ns, p.name)
    except FileNotFoundError:
        return (0, p.name)


def claim(path: Path) -> Path | None:
    """Move ``path`` into its folder's ``.processing/``; None if another worker has it."""
    target_dir = path.parent / PROCESSING
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    try:
        os.link(path, target, follow_symlinks=False)
    except FileExistsError:
        return None  # claimed by someone else, or a crashed claim still to be recovered
    except FileNotFoundError:
        return None
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    return target


def release_leftover_link(claimed: Path) -> None:
    """After a crash between link and unlink, the inbox name still points at the claim."""
    original = claimed.parent.parent / claimed.name
    try:
        if os.path.samefile(original, claimed):
            os.unlink(original)
    except FileNotFoundError:
        pass
