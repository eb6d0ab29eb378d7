"""The partners' portal: a partner's person follows its own orders, downloads its
replies and uploads an order file. Anything not the partner's is a 404."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from gateway.admin.files import list_files
from gateway.orders.queries import list_orders
from gateway.rules.reasons import sentence
from gateway.web.context import (
    check_csrf,
    flash,
    redirect,
    render,
    require_partner,
    translator,
    workspace,
)
from gateway.web.inbox import receive, take
from gateway.web.messages import message_download
from gateway.web.partner_view import partner_file, partner_order
from gateway.web.uploads import BadUpload, TooLarge

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/portal")
def portal(request: Request, before: int | None = None) -> Response:
    _, partner = require_partner(request)
    ws = workspace(request)
    t = translator(request)
    rows = list_orders(ws, partner=partner, before=before, limit=PAGE)
    files = list_files(ws, partner=partner, limit=10)
    return render(
        request, "portal.html", title=t("my_orders"), section="portal", rows=rows,
        files=files, portal=True, base="/portal", page_size=PAGE,
        partner_name=ws.partner(partner).name,
    )  # fmt: skip


@router.post("/portal/upload")
async def upload(request: Request) -> Response:
    user, partner = require_partner(request)
    t = translator(request)
    try:
        sent = await receive(request, partner)
    except TooLarge as exc:
        text = sentence("upload_too_large", t.language, limit=f"{exc.limit:,}")
        return render(request, "error.html", 413, title=t("upload"), heading=t("upload"),
                      message=text)  # fmt: skip
    except BadUpload:
        flash(request, t("upload_no_file"), "error")
        return redirect("/portal")
    check_csrf(request, sent.fields.get("csrf"))
    outcome = await take(request, partner, sent, by=f"user {user.name}")
    if outcome.inbound_id is None:
        flash(request, sentence("upload_later", t.language, name=sent.filename), "warn")
        return redirect("/portal")
    return redirect(f"/portal/files/{outcome.inbound_id}")


@router.get("/portal/files/{file_id}")
def portal_file(request: Request, file_id: int) -> Response:
    _, partner = require_partner(request)
    t = translator(request)
    f = partner_file(workspace(request), file_id, partner)
    accepted = sum(ln["outcome"] != "rejected" for o in f["orders"] for ln in o["lines"])
    rejected = sum(ln["outcome"] == "rejected" for o in f["orders"] for ln in o["lines"])
    summary = sentence("file_result", t.language, orders=len(f["orders"]), accepted=accepted,
                       rejected=rejected)  # fmt: skip
    return render(request, "portal_file.html", title=f["name"], section="portal", f=f,
                  summary=summary, portal=True)  # fmt: skip


@router.get("/portal/orders/{order_id}")
def portal_order(request: Request, order_id: int) -> Response:
    _, partner = require_partner(request)
    t = translator(request)
    order = partner_order(workspace(request), order_id, partner)
    return render(request, "portal_order.html", title=f"{t('order')} {order['order_number']}",
                  section="portal", order=order, portal=True)  # fmt: skip


@router.get("/portal/replies/{message_id}")
def portal_reply(request: Request, message_id: int) -> Response:
    _, partner = require_partner(request)
    return message_download(request, message_id, partner=partner)


__all__ = ["router"]
