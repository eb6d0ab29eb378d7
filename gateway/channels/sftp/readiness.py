"""Deciding which remote files are complete: names to skip, patterns, done markers, settling.

SFTP has no "file closed" event and no lock, so a file is taken when one of these holds:

* its done marker exists beside it (``NAME.done`` or ``NAME.ok``), for partners that
  write one after the file is complete; or
* its size and mtime were the same in two polls at least ``settle_seconds`` apart.

Names a sender uses while writing (dotfiles, ``*.tmp``, ``*.part``, ``~$*``) are never
taken, nor are directories, links or devices. Both pattern lists match case-insensitively,
because partners' systems are not consistent about ``.CSV`` versus ``.csv``.

>>> tracker = SettleTracker(settle_seconds=2.0)
>>> tracker.observe({"a.csv": (10, 1700000000)}, now=100.0)
set()
>>> tracker.observe({"a.csv": (10, 1700000000)}, now=101.0)  # too soon
set()
>>> tracker.observe({"a.csv": (10, 1700000000)}, now=102.0)
{'a.csv'}
"""

from __future__ import annotations

import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Protocol

from gateway.config.sftp import SftpSettings

#: (size, mtime) as listed; mtime is whole seconds in SFTP v3.
Signature = tuple[int, int]


class Listed(Protocol):
    """One directory entry as SFTP lists it (paramiko's SFTPAttributes has this shape)."""

    @property
    def filename(self) -> str: ...
    @property
    def st_mode(self) -> int | None: ...
    @property
    def st_size(self) -> int | None: ...
    @property
    def st_mtime(self) -> int | float | None: ...


@dataclass(frozen=True)
class RemoteFile:
    """A complete file in the partner's remote_in folder, as listed when it was polled."""

    name: str
    size: int
    mtime: int
    #: Name of the done marker beside it (removed together with the file on archive).
    marker: str | None = None


#: Longest remote name taken: room is left in NAME_MAX for the local ``.NAME.sftp`` and
#: ``NAME.reason.txt``
MAX_NAME_BYTES = 200


def plain_name(name: str) -> bool:
    r"""Whether a remote listing entry names a file in remote_in itself, and nothing else.

    A server is not trusted with what it lists: a name joined to a local folder must not
    reach out of it (``/srv/x``, ``a/b``, ``..``), end at a NUL or hold control characters.

    >>> [plain_name(n) for n in ("ORD-1.edi", "/srv/data/secret.csv", "../up.csv", "a/b")]
    [True, False, False, False]
    >>> plain_name("..") or plain_name("") or plain_name("x\x00.csv") or plain_name("a\\b")
    False
    """
    if name in ("", ".", "..") or len(name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        return False
    return not any(c in "/\\" or ord(c) < 32 or c == "\x7f" for c in name)


class NameFilter:
    """Which names in remote_in are candidate order files, and which are done markers."""

    def __init__(
        self, patterns: Iterable[str], temp_patterns: Iterable[str], done_marker: str | None
    ) -> None:
        self._patterns = [p.lower() for p in patterns]
        self._temp = [p.lower() for p in temp_patterns]
        self._marker_suffix = f".{done_marker}" if done_marker else None

    def is_temp(self, name: str) -> bool:
        low = name.lower()
        return any(fnmatchcase(low, p) for p in self._temp)

    def is_marker(self, name: str) -> bool:
        return self._marker_suffix is not None and name.lower().endswith(self._marker_suffix)

    def marker_for(self, name: str) -> str | None:
        return None if self._marker_suffix is None else name + self._marker_suffix

    def wanted(self, name: str) -> bool:
        low = name.lower()
        return any(fnmatchcase(low, p) for p in self._patterns)


class SettleTracker:
    """Remembers each name's (size, mtime) across polls; a name is stable once unchanged
    over at least ``settle_seconds`` and two observations."""

    def __init__(self, settle_seconds: float) -> None:
        self._settle = settle_seconds
        # name -> (signature, monotonic time first seen with it)
        self._seen: dict[str, tuple[Signature, float]] = {}

    def observe(self, listing: Mapping[str, Signature], now: float) -> set[str]:
        stable: set[str] = set()
        for name, signature in listing.items():
            previous = self._seen.get(name)
            if previous is None or previous[0] != signature:
                self._seen[name] = (signature, now)
            elif now - previous[1] >= self._settle:
                stable.add(name)
        # Forget vanished names so a later file of the same name starts afresh.
        for name in self._seen.keys() - listing.keys():
            del self._seen[name]
        return stable


class Readiness:
    """Applies all the rules above to one listing of remote_in, poll after poll."""

    def __init__(self, settings: SftpSettings, names: NameFilter) -> None:
        self._names = names
        self._max_size = settings.max_file_size
        self._done_marker = settings.done_marker
        self._settle = SettleTracker(settings.settle_seconds)
        self._oversize_reported: set[tuple[str, int]] = set()

    def select(
        self, entries: Iterable[Listed], now: float
    ) -> tuple[list[RemoteFile], list[tuple[str, int]]]:
        """The ready files, oldest first, and the (name, size) of files newly found over
        max_file_size (each reported once, skipped every time)."""
        candidates: dict[str, Signature] = {}
        markers: set[str] = set()
        oversized: list[tuple[str, int]] = []
        for entry in entries:
            name = entry.filename
            if entry.st_mode is None or not stat.S_ISREG(entry.st_mode):
                continue  # folders, links, devices: never an order file
            if self._names.is_temp(name):
                continue
            if self._names.is_marker(name):
                markers.add(name.lower())
                continue
            if not self._names.wanted(name):
                continue
            size = entry.st_size or 0
            if size > self._max_size:
                if (name, size) not in self._oversize_reported:
                    self._oversize_reported.add((name, size))
                    oversized.append((name, size))
                continue
            candidates[name] = (size, int(entry.st_mtime or 0))
        if self._done_marker is None:
            ready = self._settle.observe(candidates, now)
        else:
            ready = {n for n in candidates if str(self._names.marker_for(n)).lower() in markers}
        files = [RemoteFile(n, *candidates[n], marker=self._names.marker_for(n)) for n in ready]
        return sorted(files, key=lambda f: (f.mtime, f.name)), oversized
