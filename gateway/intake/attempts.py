"""A mark left beside a claimed file while it is read, so that recovery after a crash can
tell a file that killed the gateway from one a restart merely interrupted.

Reading is the one step whose cost and behaviour the sender's bytes decide. The mark is
written before it and removed after it — whether the reader returned or raised — so a
mark found by a recovery sweep means the process died *while reading that file*: killed
by the kernel for its memory, aborted inside a native reader, or stopped by hand. A
plain restart (SIGTERM) finishes the file in hand first and leaves no mark.

What recovery does with it (:func:`gateway.intake.pipeline.process_file`):

* no mark: the file is processed as usual;
* a mark: it is read again, but isolated (:mod:`gateway.intake.sandbox`), where a crash
  is the reader's alone and comes back as the file's reason for quarantine — so the
  gateway dies at most once for a poison file, and a good file interrupted by
  ``kill -9`` is still processed, not lost.

A death of the gateway *during* an isolated read is not counted against the file: the
reader runs in its own process under its own memory and time limits, and the kernel's
OOM killer is told to take it first, so nothing the bytes do there can stop the gateway.
Such a death is a restart's (an operator's ``kill -9``, a machine going down), and
counting it would quarantine good files whenever restarts come in quick succession.

Marks are dot-names in ``.processing/`` (never taken for claimed files), named by a hash
of the file's name so that a 255-byte name still has one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

MARK_PREFIX = ".reading-"


def mark_of(path: Path) -> Path:
    digest = hashlib.sha256(os.fsencode(path.name)).hexdigest()[:24]
    return path.with_name(f"{MARK_PREFIX}{digest}")


def attempts_before(path: Path) -> int:
    """How many attempts at reading ``path`` died before finishing."""
    try:
        return int(mark_of(path).read_text(encoding="ascii").split()[0])
    except (FileNotFoundError, ValueError, IndexError, UnicodeDecodeError):
        return 0


@contextlib.contextmanager
def reading(path: Path) -> Iterator[int]:
    """Mark ``path`` as being read for the duration; yields this attempt's number: 1 for
    the first, 2 for every read after a death while reading it (read isolated)."""
    mark = mark_of(path)
    attempt = min(attempts_before(path), 1) + 1
    # The mark counts deaths during in-process reads only (see the module's docstring),
    # so it never says more than 1. No fsync: a mark lost to a power cut only costs a
    # file one unisolated retry.
    mark.write_text(f"1 pid={os.getpid()}\n", encoding="ascii")
    try:
        yield attempt
    finally:
        mark.unlink(missing_ok=True)


__all__ = ["MARK_PREFIX", "attempts_before", "mark_of", "reading"]
