"""Outgoing messages: what was sent, when, to whom, what the partner's acknowledgment
said; a message's bytes to download; resending is in :mod:`gateway.web.orders`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from gateway.orders.queries import list_messages
from gateway.store.models import OutgoingMessage
from gateway.web.context import (
    PageNotFound,
    attachment,
    page_url,
    render,
    require,
    translator,
    workspace,
)
from gateway.web.roles import Permission

router = APIRouter(include_in_schema=False)
PAGE = 100


@router.get("/messages")
def messages_page(
    request: Request, partner: str = "", kind: str = "", before: int | None = None
) -> Response:
    require(request, Permission.READ)
    ws = workspace(request)
    t = translator(request)
    rows = list_messages(ws, partner=partner or None, kind=kind or None, before=before, limit=PAGE)
    filters = {"partner": partner, "kind": kind}
    return render(
        request, "messages.html", title=t("messages"), section="messages", replies=rows,
        partners=list(ws.config.partners), filters=filters,
        base=page_url("/messages", **filters), page_size=PAGE, back="/messages",
    )  # fmt: skip


def message_download(request: Request, message_id: int, partner: str | None = None) -> Response:
    with workspace(request).read_sessions() as s:
        m = s.get(OutgoingMessage, message_id)
        if m is None or (partner is not None and (m.partner != partner or m.audience != "partner")):
            raise PageNotFound()
        return Response(
            m.content,
            media_type="application/octet-stream",
            headers={"Content-Disposition": attachment(m.filename)},
        )


@router.get("/messages/{message_id}/download")
def download(request: Request, message_id: int) -> Response:
    require(request, Permission.READ)
    return message_download(request, message_id)


__all__ = ["message_download", "router"]
