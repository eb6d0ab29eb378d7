"""Driving the pipeline over inboxes: recovery, one pass over every partner, one external file.

The long-running service (``gateway.service``) calls the same functions on a timer
and on filesystem events.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from gateway.dispatch import dispatch_pending
from gateway.inbox import claim, release_leftover_link, settled_files
from gateway.intake import FileOutcome, process_file, quarantine
from gateway.workspace import Workspace

log = logging.getLogger("gateway.runner")

DEFAULT_SETTLE = 1.0


def recover(ws: Workspace) -> list[FileOutcome]:
    """Finish what a crash interrupted: claimed files, then unsent messages."""
    outcomes: list[FileOutcome] = []
    for pid in ws.config.partners:
        folder = ws.processing(pid)
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            release_leftover_link(path)
            log.info("recovering partner=%s file=%s", pid, path.name)
            outcomes.append(process_file(ws, pid, path))
    dispatch_pending(ws.sessions)
    return outcomes


def scan_partner(
    ws: Workspace,
    partner_id: str,
    *,
    settle: float = DEFAULT_SETTLE,
    on_file: Callable[[str, str], None] | None = None,
) -> list[FileOutcome]:
    ready, odd = settled_files(ws.inbox(partner_id), settle)
    outcomes: list[FileOutcome] = []
    for entry in odd:
        kind = "a symbolic link" if entry.is_symlink() else "not a regular file"
        reason = f"{entry.name} is {kind}; only regular files are read"
        try:
            moved = quarantine(ws, partner_id, entry, reason)
        except FileNotFoundError:
            continue
        log.warning("quarantined partner=%s file=%s reason=%r", partner_id, entry.name, reason)
        outcomes.append(FileOutcome(partner_id, entry.name, "failed", reason=reason, moved_to=moved))
    for path in ready:
        claimed = claim(path)
        if claimed is None:
            continue
        if on_file:
            on_file(partner_id, path.name)
        outcomes.append(process_file(ws, partner_id, claimed))
    return outcomes


def run_once(
    ws: Workspace,
    *,
    settle: float = DEFAULT_SETTLE,
    on_file: Callable[[str, str], None] | None = None,
) -> list[FileOutcome]:
    """Recover, then process every ready file of every partner inbox once."""
    outcomes = recover(ws)
    for pid, partner in ws.config.partners.items():
        if partner.channel != "folder":
            continue
        outcomes += scan_partner(ws, pid, settle=settle, on_file=on_file)
    return outcomes


def process_external(ws: Workspace, partner_id: str, file: Path) -> FileOutcome:
    """Process a file from anywhere: a copy is claimed; the original is left in place."""
    ws.partner(partner_id)  # raises KeyError with the configured ids
    folder = ws.processing(partner_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file.name
    n = 1
    while target.exists():
        target = folder / f"{file.stem}~{n}{file.suffix}"
        n += 1
    tmp = folder / f".{target.name}.copy"
    shutil.copyfile(file, tmp)
    tmp.rename(target)
    return process_file(ws, partner_id, target)
