"""The orders pages: the list, one order with its source file beside its lines, and the
actions — each through the service the CLI calls (``move_orders``, ``replay_order``,
``resend_message``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from gateway.admin.replay import replay_order
from gateway.admin.sources import source_view
from gateway.errors import GatewayError
from gateway.orders.queries import get_order, list_orders
from gateway.orders.transitions import LINE_QUANTITY, MoreThanAllowed, move_orders
from gateway.replies.resend import resend_message
from gateway.rules.lifecycle import ALLOWED, VERBS, OrderStatus
from gateway.rules.quantity import plain
from gateway.web.context import (
    PageNotFound,
    checked_form,
    flash,
    page_url,
    redirect,
    render,
    require,
    translator,
    workspace,
)
from gateway.web.i18n import Translator
from gateway.web.roles import Permission

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/orders")
def orders_page(
    request: Request,
    status: str = "",
    partner: str = "",
    number: str = "",
    overdue: str = "",
    before: int | None = None,
) -> Response:
    require(request, Permission.READ)
    ws = workspace(request)
    t = translator(request)
    rows = list_orders(
        ws, status=status or None, partner=partner or None, number=number or None,
        overdue=bool(overdue), before=before, limit=PAGE,
    )  # fmt: skip
    filters = {"status": status, "partner": partner, "number": number, "overdue": overdue}
    return render(
        request, "orders.html", title=t("orders"), section="orders", rows=rows,
        statuses=[s.value for s in OrderStatus], partners=list(ws.config.partners),
        filters=filters, base=page_url("/orders", **filters), page_size=PAGE,
    )  # fmt: skip


def verbs_from(status: str) -> list[str]:
    """The verbs an order in ``status`` may take, in lifecycle order."""
    allowed = ALLOWED[OrderStatus(status)]
    return [verb for verb, target in VERBS.items() if target in allowed]


def order_or_404(request: Request, order_id: int, partner: str | None = None) -> dict:
    order = get_order(workspace(request), order_id)
    if order is None or (partner is not None and order["partner"] != partner):
        raise PageNotFound()
    return order


@router.get("/orders/{order_id}")
def order_page(request: Request, order_id: int) -> Response:
    require(request, Permission.READ)
    order = order_or_404(request, order_id)
    t = translator(request)
    source = None
    if order["inbound_file_id"]:
        marks = [
            (ln["source_line"], ln["line_no"], ln["outcome"])
            for ln in order["lines"]
            if ln["source_line"] is not None
        ]
        source = source_view(workspace(request), order["inbound_file_id"], marks=marks)
    return render(
        request, "order.html", title=f"{t('order')} #{order_id}", section="orders",
        order=order, source=source, verbs=verbs_from(order["status"]), plain=plain,
        line_quantity={v: LINE_QUANTITY.get(VERBS[v]) for v in VERBS},
    )  # fmt: skip


def _quantities(form: dict, order: dict) -> dict[int, Decimal]:
    """Line quantities typed in the form (``q_<line>``) that differ from what the line
    has (confirmed, else ordered): confirmed on validation, shipped on shipment."""
    out: dict[int, Decimal] = {}
    for ln in order["lines"]:
        typed = str(form.get(f"q_{ln['line_no']}", "")).strip().replace(",", ".")
        if not typed or ln["outcome"] == "rejected":
            continue
        try:
            qty = Decimal(typed)
        except InvalidOperation:
            raise GatewayError(f"line {ln['line_no']}: {typed!r} is not a quantity") from None
        has = ln["confirmed_quantity"]
        default = has if has is not None else ln["quantity"]
        if default is None or qty != Decimal(str(default)):
            out[ln["line_no"]] = qty
    return out


def _more_text(t: Translator, more: MoreThanAllowed) -> str:
    """The console's words for a quantity above the ordered or confirmed one: they point at
    its checkbox, where the service's own text names the command line's flag."""
    asked = plain(more.total if more.total is not None else more.asked)
    key = "more_than_confirmed" if more.shipping else "more_than_ordered"
    return t(key, line=more.line_no, asked=asked, limit=plain(more.limit), box=t("allow_more"))


@router.post("/orders/{order_id}/move")
async def move(request: Request, order_id: int) -> Response:
    user = require(request, Permission.WORK)
    form = dict(await checked_form(request))
    verb = str(form.get("verb", ""))
    if verb not in VERBS:
        raise GatewayError(f"unknown action {verb!r}")
    order = await run_in_threadpool(order_or_404, request, order_id)
    lines = _quantities(form, order) if VERBS[verb] in LINE_QUANTITY else {}
    reason = str(form.get("reason", "")).strip() or None
    report = await run_in_threadpool(
        move_orders, workspace(request), [order_id], VERBS[verb], actor=user.actor,
        reason=reason, lines=lines or None, allow_more=form.get("allow_more") == "1",
    )  # fmt: skip
    t = translator(request)
    for r in report.moved:
        flash(request, t("moved", order=r.order_id, before=t.word(r.from_status),
                         after=t.word(r.to_status)))  # fmt: skip
    for oid, why in report.refused.items():
        more = report.more.get(oid)
        flash(request, _more_text(t, more) if more else why, "error")
    return redirect(f"/orders/{order_id}")


@router.get("/orders/{order_id}/replay")
def replay_preview(request: Request, order_id: int) -> Response:
    user = require(request, Permission.WORK)
    order_or_404(request, order_id)
    report = replay_order(workspace(request), order_id, actor=user.actor, dry_run=True)
    t = translator(request)
    return render(
        request, "replay.html", title=t("replay_preview"), section="orders",
        report=report.as_dict(), back=f"/orders/{order_id}",
    )  # fmt: skip


@router.post("/messages/{message_id}/resend")
async def resend(request: Request, message_id: int) -> Response:
    user = require(request, Permission.WORK)
    form = await checked_form(request)
    report = await run_in_threadpool(
        resend_message, workspace(request), message_id, actor=user.actor
    )
    t = translator(request)
    key = "resent" if report.written else "resend_waiting"
    flash(request, t(key, file=report.filename, partner=report.partner))
    back = str(form.get("back", ""))
    return redirect(back if back.startswith("/") and not back.startswith("//") else "/messages")


__all__ = ["router", "verbs_from"]
