"""One row of master data typed by an admin (an assortment row, a grant), applied by the
importer's own handlers and recorded with who typed it."""

from __future__ import annotations

from gateway.catalog.importer import ImportFailed, ImportReport, Kind, import_rows
from gateway.store.actions import record_action
from gateway.workspace import Workspace


def import_row(ws: Workspace, kind: Kind, row: dict[str, str], *, actor: str) -> ImportReport:
    """Apply ``row`` as a one-row import of ``kind``; :class:`ImportFailed` with the
    importer's message when the row is refused (nothing is then changed)."""
    with ws.sessions.begin() as s:
        report = import_rows(s, kind, [row], partners=ws.config.partners)
        if report.error_count:
            # The importer skips a bad row and goes on; one row typed by a person is
            # either taken or refused, with the importer's own words.
            raise ImportFailed(report.errors[0].removeprefix("line 1, "))
        record_action(s, actor, f"import_{kind.value}", None, dict(row))
    return report


__all__ = ["import_row"]
