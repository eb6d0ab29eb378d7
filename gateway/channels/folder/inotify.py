"""Linux inotify over ctypes: which names in which watched folders were just created,
closed after writing or renamed in.

Events are only hints that make the service look sooner; the scan stays the source of
truth, so a lost event (queue overflow, a platform without inotify) costs latency, never
a file. A renamed-in file (``moved_to``) is told apart from one created in place, which
is why this is not watchdog: watchdog reports a file moved in from an unwatched folder as
"created", the same as a file whose writer is still writing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import logging
import os
import struct
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

log = logging.getLogger("gateway.channels.folder.inotify")

IN_CLOSE_WRITE = 0x00000008
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000
IN_ISDIR = 0x40000000
WATCH_MASK = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR

_HEADER = struct.Struct("iIII")


class Kind(StrEnum):
    CREATED = "created"
    CLOSED = "closed"  # closed by a writer
    MOVED_IN = "moved_in"
    OVERFLOW = "overflow"  # events were lost: scan everything
    GONE = "gone"  # the watched folder was removed or moved away


@dataclass(frozen=True, slots=True)
class Event:
    kind: Kind
    folder: Path | None
    name: str = ""


class Inotify:
    """One inotify instance; ``fileno()`` for select(), ``read()`` never blocks."""

    def __init__(self) -> None:
        libc_name = ctypes.util.find_library("c") or "libc.so.6"
        self._libc = ctypes.CDLL(libc_name, use_errno=True)
        fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self._fd = fd
        self._folders: dict[int, Path] = {}

    def fileno(self) -> int:
        return self._fd

    def watch(self, folder: Path) -> bool:
        """Watch ``folder``; False (logged) if it cannot be watched."""
        if folder in self._folders.values():
            return True
        wd = self._libc.inotify_add_watch(self._fd, os.fsencode(folder), WATCH_MASK)
        if wd < 0:
            code = ctypes.get_errno()
            log.warning("cannot watch folder=%s error=%s", folder, os.strerror(code))
            return False
        self._folders[wd] = folder
        return True

    def watched(self) -> set[Path]:
        return set(self._folders.values())

    def read(self) -> list[Event]:
        try:
            data = os.read(self._fd, 256 * 1024)
        except BlockingIOError:
            return []
        except OSError as exc:
            if exc.errno == errno.EINTR:
                return []
            raise
        events: list[Event] = []
        pos = 0
        while pos + _HEADER.size <= len(data):
            wd, mask, _cookie, length = _HEADER.unpack_from(data, pos)
            raw = data[pos + _HEADER.size : pos + _HEADER.size + length]
            pos += _HEADER.size + length
            name = os.fsdecode(raw.rstrip(b"\0"))
            if mask & IN_Q_OVERFLOW:
                events.append(Event(Kind.OVERFLOW, None))
                continue
            folder = self._folders.get(wd)
            if folder is None:
                continue
            if mask & IN_IGNORED or mask & (IN_DELETE_SELF | IN_MOVE_SELF):
                self._folders.pop(wd, None)
                events.append(Event(Kind.GONE, folder))
            elif mask & IN_MOVED_TO:
                events.append(Event(Kind.MOVED_IN, folder, name))
            elif mask & IN_CLOSE_WRITE:
                events.append(Event(Kind.CLOSED, folder, name))
            elif mask & IN_CREATE:
                events.append(Event(Kind.CREATED, folder, name))
        return events

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def open_inotify() -> Inotify | None:
    """An inotify instance, or None where the platform has none (then: scans only)."""
    try:
        return Inotify()
    except (OSError, AttributeError) as exc:
        log.warning("no inotify (%s): new files are found by the periodic scan only", exc)
        return None
