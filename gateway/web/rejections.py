"""The rejections queue: the waiting rejected lines grouped by reason, each with its fix —
map it to a product (a learned cross-reference), add the missing assortment row or
grant — then the replay's dry-run diff, then the replay."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from sqlalchemy import select
from starlette.responses import JSONResponse, Response

from gateway.admin.masterdata import import_row
from gateway.admin.rejections import fix_for, fix_rejection, list_rejections, waiting_counts
from gateway.catalog.importer import Kind
from gateway.catalog.search import search_products
from gateway.rules.reasons import ReasonCode
from gateway.rules.xrefs import FIXES, XrefScope
from gateway.store.models import Order, OrderLine
from gateway.web.context import (
    Forbidden,
    PageNotFound,
    check_csrf,
    flash,
    redirect,
    render,
    require,
    translator,
    workspace,
)
from gateway.web.roles import Permission, may

router = APIRouter(include_in_schema=False)
#: Lines shown per page; a reason's own page shows its next ones
PAGE = 100
GRANT_REASONS = {
    ReasonCode.NOT_GRANTED, ReasonCode.NO_SITE, ReasonCode.NO_CUSTOMER,
    ReasonCode.UNKNOWN_CUSTOMER, ReasonCode.UNKNOWN_SITE,
}  # fmt: skip


@router.get("/rejections")
def rejections_page(request: Request, partner: str = "", reason: str = "", q: str = "") -> Response:
    require(request, Permission.READ)
    ws = workspace(request)
    t = translator(request)
    counts = waiting_counts(ws, partner=partner or None, by="reason")
    groups = list_rejections(ws, partner=partner or None, reason=reason or None, limit=PAGE)
    found = []
    if q:
        with ws.read_sessions() as s:
            found = search_products(s, q)
    return render(
        request, "rejections.html", title=t("rejections"), section="rejections",
        groups=groups, totals=counts, counts=sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])),
        partners=list(ws.config.partners), filters={"partner": partner, "reason": reason},
        q=q, found=found, fixable={r.value for r in FIXES},
        grant_reasons={r.value for r in GRANT_REASONS}, page_size=PAGE,
        scopes=[s.value for s in XrefScope],
    )  # fmt: skip


@router.get("/products/search")
def product_search(request: Request, q: str = "") -> Response:
    require(request, Permission.READ)
    with workspace(request).read_sessions() as s:
        return JSONResponse([p.as_dict() for p in search_products(s, q, limit=15)])


def _line(request: Request, line_id: int) -> tuple[OrderLine, Order]:
    with workspace(request).read_sessions() as s:
        found = s.execute(
            select(OrderLine, Order)
            .join(Order, Order.id == OrderLine.order_id)
            .where(OrderLine.id == line_id, OrderLine.outcome == "rejected")
        ).first()
        if found is None:
            raise PageNotFound()
        s.expunge_all()
        return found[0], found[1]


def _to_replay(order: Order) -> Response:
    if order.inbound_file_id is None:
        return redirect(f"/orders/{order.id}")
    return redirect(f"/files/{order.inbound_file_id}/replay")


@router.post("/rejections/{line_id}/fix")
def fix(
    request: Request,
    line_id: int,
    sku: str = Form(""),
    scope: str = Form("customer"),
    csrf: str = Form(""),
) -> Response:
    user = require(request, Permission.WORK)
    check_csrf(request, csrf)
    chosen = XrefScope(scope) if scope in {s.value for s in XrefScope} else XrefScope.CUSTOMER
    if chosen is not XrefScope.CUSTOMER and not may(user.role, Permission.ADMINISTER):
        raise Forbidden("only an admin maps an identifier for a whole partner or for everyone")
    _, order = _line(request, line_id)
    report = fix_rejection(workspace(request), line_id, sku=sku.strip(), actor=user.actor,
                           scope=chosen)  # fmt: skip
    x = report.xref
    flash(request, translator(request)("learned", written=x.written, sku=x.sku, name=x.product))
    return _to_replay(order)


@router.post("/rejections/{line_id}/assortment")
def add_to_assortment(request: Request, line_id: int, csrf: str = Form("")) -> Response:
    user = require(request, Permission.WORK)
    check_csrf(request, csrf)
    line, order = _line(request, line_id)
    if line.reason_code != ReasonCode.NOT_IN_ASSORTMENT.value or not order.customer_code:
        raise Forbidden(fix_for(line, order)["text"])
    row = {"customer": order.customer_code, "sku": line.sku or ""}
    import_row(workspace(request), Kind.ASSORTMENTS, row, actor=user.actor)
    flash(request, translator(request)("assortment_added", sku=row["sku"],
                                       customer=row["customer"]))  # fmt: skip
    return _to_replay(order)


@router.post("/rejections/{line_id}/grant")
def add_grant(
    request: Request,
    line_id: int,
    customer: str = Form(""),
    site: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    user = require(request, Permission.ADMINISTER)
    check_csrf(request, csrf)
    line, order = _line(request, line_id)
    row = {"partner": order.partner, "customer": customer.strip(), "site": site.strip()}
    import_row(workspace(request), Kind.GRANTS, row, actor=user.actor)
    flash(request, translator(request)("grant_added", **row))
    return _to_replay(order)


__all__ = ["router"]
