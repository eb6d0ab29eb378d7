"""A partner's inbox folder: which files are ready, and claiming one for processing.

A file is ready when it is a regular file (not a symlink, not a folder), its name is
not a temporary one, and either its size and mtime have stayed still for the settle
time, or inotify saw it renamed in (ready at once). A file closed by its writer must
still settle: a writer may open it again to append. A partner may instead require a
done-marker (``NAME.done`` or ``NAME.ok``) beside the file. :class:`InboxTracker` keeps
what was seen between scans so the service never sleeps on one young file.

Claiming is an atomic hard link into ``.processing/`` followed by removing the inbox
name: of two workers only one link succeeds, and an existing ``.processing`` file is never
overwritten. The claimer then holds an exclusive ``flock`` on the claimed file while it
works on it; the kernel drops that lock when the process dies, which is how a recovery
sweep tells a file abandoned by a crash from one another live worker has in hand.
"""

from __future__ import annotations

import fcntl
import fnmatch
import os
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gateway.channels.folder.inotify import Kind
from gateway.config.settings import DEFAULT_TEMP_PATTERNS
from gateway.workspace import PROCESSING

TEMP_PATTERNS = DEFAULT_TEMP_PATTERNS
MARKER_SUFFIXES = (".done", ".ok")
DEFAULT_SETTLE = 1.0
DEFAULT_GRACE = 0.2


def is_temporary(name: str, patterns: Iterable[str] = TEMP_PATTERNS) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def is_marker(name: str) -> bool:
    return name.endswith(MARKER_SUFFIXES)


def marker_names(name: str) -> list[str]:
    return [name + suffix for suffix in MARKER_SUFFIXES]


@dataclass(frozen=True, slots=True)
class Entry:
    """One inbox entry as ``lstat`` saw it."""

    size: int
    mtime_ns: int
    regular: bool


def listing(folder: Path, patterns: Iterable[str] = TEMP_PATTERNS) -> dict[str, Entry]:
    """Every entry of ``folder`` whose name is not temporary, symlinks and folders included."""
    pats = tuple(patterns)
    out: dict[str, Entry] = {}
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return out
    for e in entries:
        if e.name == PROCESSING or is_temporary(e.name, pats):
            continue
        try:
            st = e.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        out[e.name] = Entry(st.st_size, st.st_mtime_ns, stat.S_ISREG(st.st_mode))
    return out


@dataclass(frozen=True)
class Readiness:
    """When a partner's file counts as complete."""

    settle: float = DEFAULT_SETTLE
    grace: float = DEFAULT_GRACE
    patterns: tuple[str, ...] = TEMP_PATTERNS
    done_marker: bool = False


@dataclass
class Poll:
    #: Regular files to claim, oldest first
    ready: list[Path] = field(default_factory=list)
    #: Symlinks, folders, fifos that have stopped changing: to quarantine
    odd: list[Path] = field(default_factory=list)
    #: Monotonic time at which a file seen now may become ready; None if none waits
    next_check: float | None = None


class InboxTracker:
    """What one inbox held at the last scans, and the hints inotify gave about it."""

    def __init__(self, folder: Path, rules: Readiness) -> None:
        self.folder = folder
        self.rules = rules
        self._first: dict[str, tuple[Entry, float]] = {}
        self._hints: dict[str, tuple[Kind, float]] = {}

    def hint(self, kind: Kind, name: str, now: float | None = None) -> None:
        """inotify saw ``name`` renamed in or closed by its writer."""
        if kind in (Kind.MOVED_IN, Kind.CLOSED):
            self._hints[name] = (kind, time.monotonic() if now is None else now)

    def forget(self, name: str) -> None:
        """``name`` was claimed: a later file of the same name starts afresh."""
        self._first.pop(name, None)
        self._hints.pop(name, None)

    def poll(self, now: float | None = None) -> Poll:
        now = time.monotonic() if now is None else now
        wall_ns = time.time_ns()
        seen = listing(self.folder, self.rules.patterns)
        for gone in self._first.keys() - seen.keys():
            del self._first[gone]
        for gone in self._hints.keys() - seen.keys():
            del self._hints[gone]
        out = Poll()
        waiting: list[float] = []
        ready: list[tuple[int, str]] = []
        for name, entry in seen.items():
            first = self._first.get(name)
            if first is None or first[0] != entry:
                first = self._first[name] = (entry, now)
            at = self._ready_at(name, entry, first[1], seen, now, wall_ns)
            if at is None:
                continue
            if at > now:
                waiting.append(at)
            elif entry.regular:
                ready.append((entry.mtime_ns, name))
            else:
                out.odd.append(self.folder / name)
        out.ready = [self.folder / n for _, n in sorted(ready)]
        out.next_check = min(waiting, default=None)
        return out

    def _ready_at(
        self,
        name: str,
        entry: Entry,
        since: float,
        seen: dict[str, Entry],
        now: float,
        wall_ns: int,
    ) -> float | None:
        """Monotonic time at which ``name`` is ready; None: not until something else happens."""
        settle = self.rules.settle
        # A folder or link is quarantined only once it stopped changing: a folder being
        # copied in is not snatched half-way.
        if not entry.regular:
            return since + settle
        if self.rules.done_marker:
            if is_marker(name):
                return None
            return now if any(m in seen for m in marker_names(name)) else None
        kind, hinted = self._hints.get(name, (None, 0.0))
        if kind is Kind.MOVED_IN:
            return now
        candidates = [since + settle]
        age = (wall_ns - entry.mtime_ns) / 1e9
        if age >= 0:
            candidates.append(now + max(0.0, settle - age))
        at = min(candidates)
        if kind is Kind.CLOSED:
            # Closed is not finished: a writer that opens the file again to append (an
            # export in three goes) would be read after its first close. A closed file
            # must also have settled; the close only makes the service look then.
            at = max(at, hinted + self.rules.grace)
        return at


def remove_markers(path: Path) -> None:
    """Remove the done-markers of inbox file ``path`` (it was claimed)."""
    for name in marker_names(path.name):
        try:
            os.unlink(path.with_name(name))
        except FileNotFoundError:
            pass


def _link_into_processing(path: Path) -> Path | None:
    target_dir = path.parent / PROCESSING
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    try:
        os.link(path, target, follow_symlinks=False)
    except FileExistsError:
        return None  # claimed by someone else, or a crashed claim still to be recovered
    except FileNotFoundError:
        return None
    return target


class Held:
    """A file in ``.processing/`` this process works on, under an exclusive ``flock``."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing drops the flock
            self._fd = -1

    def __enter__(self) -> Held:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def hold(path: Path) -> Held | None:
    """Lock ``path`` (in ``.processing/``) for this process; None if another live one has it.

    A symlink cannot be opened without following it; it is returned unlocked, which is
    harmless: intake quarantines it without reading, and a second worker doing the same
    finds it gone.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError:
        return Held(path, -1) if path.is_symlink() else None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        mine = os.fstat(fd)
        now = os.stat(path, follow_symlinks=False)
    except (BlockingIOError, FileNotFoundError):
        os.close(fd)
        return None
    if (mine.st_dev, mine.st_ino) != (now.st_dev, now.st_ino):
        os.close(fd)  # finished and replaced while we waited: not the file we locked
        return None
    return Held(path, fd)


def claim_held(path: Path) -> Held | None:
    """Claim inbox file ``path`` and lock it; None if another worker got it first."""
    target = _link_into_processing(path)
    if target is None:
        return None
    held = hold(target)
    if held is None:
        return None  # a recovery sweep took it between link and lock; it unlinks the name
    release_leftover_link(target)
    return held


def release_leftover_link(claimed: Path) -> None:
    """After a crash between link and unlink, the inbox name still points at the claim."""
    original = claimed.parent.parent / claimed.name
    try:
        if os.path.samefile(original, claimed):
            os.unlink(original)
    except FileNotFoundError:
        pass


def put_back(claimed: Path) -> bool:
    """Return a claimed file to its inbox under its name (its writer had not finished);
    False when that name is taken again: it then stays claimed for the next sweep."""
    original = claimed.parent.parent / claimed.name
    try:
        os.link(claimed, original, follow_symlinks=False)
    except (FileExistsError, FileNotFoundError):
        return False
    os.unlink(claimed)
    return True


def in_processing(folder: Path) -> list[Path]:
    """The claimed entries of inbox ``folder`` (dot-names are the gateway's own temporaries)."""
    try:
        names = sorted(os.listdir(folder / PROCESSING))
    except FileNotFoundError:
        return []
    return [folder / PROCESSING / n for n in names if not n.startswith(".")]


def abandoned_claims(inbox: Path) -> Iterator[Held]:
    """The files of ``inbox``'s ``.processing/`` that no live worker holds, each locked
    for the caller while it finishes them (a crash left them there)."""
    for path in in_processing(inbox):
        held = hold(path)
        if held is None:
            continue  # another live worker has it in hand
        with held:
            release_leftover_link(path)
            yield held


def poll_settled(tracker: InboxTracker, settle: float) -> Poll:
    """One look at an inbox, and a second after at most ``settle`` seconds when young
    files might be ready by then (``run --once`` and the ERP feed)."""
    poll = tracker.poll()
    if poll.next_check is not None and poll.next_check - time.monotonic() <= settle:
        time.sleep(max(0.0, poll.next_check - time.monotonic()))
        poll = tracker.poll()
    return poll
