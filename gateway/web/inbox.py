"""The HTTP inbox: a file uploaded by a partner (its portal page, or its machine through
the API) enters the same intake as a file dropped in its inbox folder — claimed into
``.processing/``, recorded, processed once (:func:`gateway.intake.guard.process_copy`)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from gateway.intake.guard import DEFERRED, process_copy
from gateway.intake.pipeline import FileOutcome
from gateway.rules.lifecycle import ActorKind, actor
from gateway.store.actions import record_action
from gateway.web.context import workspace
from gateway.web.uploads import Upload, read_upload


async def receive(request: Request, partner: str) -> Upload:
    """The uploaded file, streamed in under the partner's ``max_file_size``."""
    limit = workspace(request).partner(partner).max_file_size
    return await read_upload(request, limit=limit)


def _take(request: Request, partner: str, upload: Upload, by: str) -> FileOutcome:
    ws = workspace(request)
    outcome = process_copy(ws, partner, upload.filename, upload.data)
    if outcome.outcome is DEFERRED:
        return outcome  # the store is down: the file waits claimed, the history with it
    with ws.sessions.begin() as s:
        record_action(s, actor(ActorKind.PARTNER, partner), "upload", upload.filename,
                      {"by": by, "inbound_file_id": outcome.inbound_id,
                       "outcome": outcome.outcome.value})  # fmt: skip
    return outcome


async def take(request: Request, partner: str, upload: Upload, *, by: str) -> FileOutcome:
    """Process the upload as the partner's file; ``by``: the user or token that sent it."""
    return await run_in_threadpool(_take, request, partner, upload, by)


__all__ = ["receive", "take"]
