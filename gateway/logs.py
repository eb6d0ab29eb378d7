"""Logging setup: one line per event, partner and file in every intake line; JSON on demand.

Levels say who must look: INFO is the service's own account (a start banner, one line per
file); WARNING is for an admin today (a failed or duplicate file, a refused interchange,
an overdue reply, a partner rejecting what we sent); ERROR is for a person now (the store
down, a bug met on a file, replies that cannot be written, a configuration that stops the
start). What a reader skips as a matter of course (a total row) is DEBUG.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

#: The fields a record may carry (``extra=``) that the JSON format shows as their own keys:
#: the same facts the text line says, for log shippers to filter on
FIELDS = (
    "partner",
    "file",
    "outcome",
    "format",
    "orders",
    "accepted",
    "rejected",
    "seconds",
    "reason",
    "key",
    "value",
    "workspace",
    "database",
    "partners",
    "channels",
    "watching",
)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in FIELDS:
            if hasattr(record, key):
                data[key] = getattr(record, key)
        if record.exc_info:
            data["error"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


#: The level of a command's log unless ``--log-level`` says otherwise; the service talks
DEFAULT_LEVEL = "warning"
SERVICE_LEVEL = "info"


def setup_logging(level: str = DEFAULT_LEVEL, fmt: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("gateway")
    root.handlers[:] = [handler]
    root.setLevel(getattr(logging, level.upper(), logging.WARNING))
    root.propagate = False


def log_fields(
    partner_id: str, name: str, outcome: str | None = None, **more: object
) -> dict[str, object]:
    """``extra=`` for a log call: the JSON log format shows partner, file and outcome, and
    any of :data:`FIELDS` given in ``more``."""
    data: dict[str, object] = {"partner": partner_id, "file": name}
    if outcome:
        data["outcome"] = str(outcome)
    data.update((k, v) for k, v in more.items() if v is not None)
    return data
