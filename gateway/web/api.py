"""The HTTP inbox for machines: ``/api/v1``, authenticated by a partner's bearer token.

* ``POST /api/v1/files`` — multipart form, the file in field ``file`` (its filename
  kept): the same intake as a folder drop; ``202`` with ``{"id": …}``, the inbound file.
* ``GET /api/v1/files/{id}`` — its outcome, reason, orders (the JSON order contract)
  and replies.
* ``GET /api/v1/orders?since=…`` — the partner's orders changed since then, newest first.

A missing, wrong or revoked token is 401; any id that is not the token's partner's is
404; a file over the partner's ``max_file_size`` is 413 before anything is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from gateway.orders.queries import list_orders
from gateway.rules.reasons import sentence
from gateway.web.context import page_url, workspace
from gateway.web.inbox import receive, take
from gateway.web.partner_view import partner_file
from gateway.web.tokens import token_partner
from gateway.web.uploads import BadUpload, TooLarge

router = APIRouter(prefix="/api/v1", tags=["inbox"])
_bearer = HTTPBearer(auto_error=False, description="The partner's token (`tokens add`).")


def partner_of(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The partner whose live token the request carries; 401 otherwise."""
    partner = token_partner(workspace(request), credentials.credentials) if credentials else None
    if partner is None:
        raise HTTPException(
            401, "a valid partner token is needed: Authorization: Bearer TOKEN",
            headers={"WWW-Authenticate": 'Bearer realm="order-gateway"'},
        )  # fmt: skip
    return partner


Partner = Annotated[str, Depends(partner_of)]


class Accepted(BaseModel):
    id: int | None = Field(description="The inbound file id (null while the store is down)")
    outcome: str = Field(description="processed | failed | duplicate | deferred")
    reason: str | None = None
    url: str | None = Field(None, description="Where its outcome, orders and replies are")


class OrderList(BaseModel):
    orders: list[dict[str, Any]]
    next: str | None = Field(None, description="The next page, when there is one")


@router.post("/files", status_code=202, response_model=Accepted)
async def post_file(request: Request, partner: Partner) -> Accepted:
    """Take an order file into the partner's intake (claimed, recorded, processed once)."""
    try:
        upload = await receive(request, partner)
    except TooLarge as exc:
        language = workspace(request).partner(partner).language
        text = sentence("upload_too_large", language, limit=f"{exc.limit:,}")
        raise HTTPException(413, text) from None
    except BadUpload as exc:
        raise HTTPException(400, str(exc)) from None
    outcome = await take(request, partner, upload, by="token")
    fid = outcome.inbound_id
    return Accepted(
        id=fid,
        outcome=outcome.outcome.value,
        reason=outcome.reason if fid is not None else None,
        url=f"/api/v1/files/{fid}" if fid is not None else None,
    )


@router.get("/files/{file_id}")
def get_file(request: Request, file_id: int, partner: Partner) -> dict[str, Any]:
    """One of the partner's files: outcome, reason, orders and replies."""
    return partner_file(workspace(request), file_id, partner)


PAGE = 100


@router.get("/orders", response_model=OrderList)
async def get_orders(
    request: Request,
    partner: Partner,
    since: Annotated[datetime | None, Query(description="Changed at or after (ISO 8601)")] = None,
    before: Annotated[int | None, Query(description="Older than this order id (paging)")] = None,
) -> OrderList:
    """The partner's orders and their statuses, newest first."""
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    rows = await run_in_threadpool(
        list_orders, workspace(request), partner=partner, changed_since=since, before=before,
        limit=PAGE,
    )  # fmt: skip
    nxt = None
    if len(rows) == PAGE:
        nxt = page_url("/api/v1/orders", before=rows[-1]["id"],
                       since=since.isoformat() if since else None)  # fmt: skip
    return OrderList(orders=rows, next=nxt)


__all__ = ["router"]
