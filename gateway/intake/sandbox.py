"""Reading untrusted bytes where a crash or a memory blow-up cannot take the gateway down.

A reader in native code (calamine, for XLSX) can abort the whole process (Rust's
``capacity overflow``, an allocation of the dense range of a sheet whose one cell is at
``XFD1048576``), raise ``PanicException`` — a ``BaseException`` no handler expects — or
take gigabytes. :func:`read_isolated` runs the reader in a child process forked from a
small server started once (``multiprocessing``'s *forkserver*: no thread of the gateway
is ever forked), under an address-space limit (:data:`MEMORY_LIMIT`) and a time limit
(:data:`TIME_LIMIT`). Whatever ends the child — a signal, the limit, a panic, a
``MemoryError`` — comes back as :class:`ReaderCrashed`, a :class:`ParseError`: the file
is quarantined with that reason and the partner told, like any unreadable file.

Only typed results cross back: the reader's result, or its :class:`ParseError`.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from parsers.errors import ParseError
from parsers.gc_pause import paused_gc

log = logging.getLogger("gateway.intake.sandbox")

#: Address space a reader's process may take (bytes): far above what a file within its
#: partner's bounds needs, far below what would starve the machine
MEMORY_LIMIT = 2 * 1024**3
#: Seconds a reader may take on one file
TIME_LIMIT = 60.0
#: Modules the fork server imports once, so each reader starts warm
_PRELOAD = [
    "gateway.intake.sandbox",
    "parsers.xlsx",
    "parsers.csv",
    "parsers.edifact",
    "parsers.x12",
]

T = TypeVar("T")

_context: Any = None
_lock = threading.Lock()


class ReaderCrashed(ParseError):
    """The reader stopped on this file: it crashed, ran out of memory or of time."""


def _forkserver() -> Any:
    global _context
    with _lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            _context = ctx
        return _context


def _child(
    send: Connection, memory: int, seconds: float, reader: Callable[..., Any], args: tuple
) -> None:
    os.environ["RUST_BACKTRACE"] = "0"  # an abort prints one line, not a backtrace
    # Should the machine run out of memory while this reads, the kernel kills the reader,
    # never the gateway: a death of the gateway during an isolated read is then never the
    # file's doing (gateway.intake.attempts relies on it).
    with contextlib.suppress(OSError):
        Path("/proc/self/oom_score_adj").write_text("1000", encoding="ascii")
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        outcome: tuple[str, Any] = ("ok", reader(*args))
    except ParseError as error:
        outcome = ("refused", error)
    except MemoryError:
        outcome = ("crashed", "it needs more memory than a reader may take")
    except BaseException as error:  # noqa: BLE001 — a panic included: it is reported, typed
        outcome = ("crashed", f"{type(error).__name__}: {str(error)[:300]}")
    try:
        with paused_gc():  # pickling 100,000 lines: no collector passes over them
            send.send(outcome)
    except Exception as error:  # noqa: BLE001 — e.g. a result too large to pickle here
        send.send(("crashed", f"its result could not be returned ({type(error).__name__})"))
    finally:
        send.close()


def read_isolated(
    reader: Callable[..., T],
    *args: object,
    memory: int = MEMORY_LIMIT,
    seconds: float = TIME_LIMIT,
) -> T:
    """``reader(*args)`` in a child process under limits; its ParseError re-raised here,
    anything else that stopped it as :class:`ReaderCrashed`."""
    ctx = _forkserver()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, memory, seconds, reader, args), daemon=True)
    child.start()
    send.close()
    try:
        answered = receive.poll(seconds)
        with paused_gc():  # unpickling builds as many objects as the reader did
            outcome = receive.recv() if answered else None
    except EOFError:
        outcome = None  # it died before it could answer
    finally:
        receive.close()
    if not answered:
        child.kill()
        child.join()
        raise ReaderCrashed(
            f"the file could not be read: reading it took longer than {seconds:.0f} s",
            expected="a file that reads in less time (fewer rows or sheets)",
        )
    child.join(seconds)
    if outcome is None:
        if child.is_alive():  # closed its end of the pipe, yet hangs while dying
            child.kill()
            child.join()
        raise ReaderCrashed(
            f"the file could not be read: the reader stopped ({_death(child.exitcode)})",
            expected="a file saved by Excel, LibreOffice or an EDI translator",
        )
    kind, value = outcome
    if kind == "ok":
        return value
    if kind == "refused":
        raise value
    raise ReaderCrashed(
        f"the file could not be read: the reader failed on it ({value})",
        expected="a file saved by Excel, LibreOffice or an EDI translator",
    )


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if name in ("SIGKILL", "SIGXCPU"):
            return f"{name}: out of memory or of time"
        return name
    return f"exit status {exitcode}"


__all__ = ["MEMORY_LIMIT", "TIME_LIMIT", "ReaderCrashed", "read_isolated"]
