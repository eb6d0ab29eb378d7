"""Reference pages: learned cross-references and partners (grants, formats, channel).
Everyone on the supplier's side reads them; only admins change cross-references."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from gateway.admin.xrefs import add_xref, forget_xref, learned_references
from gateway.catalog.parties import partner_grants
from gateway.rules.xrefs import XrefKind, XrefScope
from gateway.web.context import check_csrf, flash, redirect, render, require, translator, workspace
from gateway.web.roles import Permission

router = APIRouter(include_in_schema=False)


@router.get("/xrefs")
def xrefs_page(request: Request, owner: str = "") -> Response:
    require(request, Permission.READ)
    t = translator(request)
    rows = learned_references(workspace(request), owner=owner or None)
    return render(
        request, "xrefs.html", title=t("xrefs"), section="xrefs", rows=rows, owner=owner,
        kinds=[k.value for k in XrefKind], scopes=[s.value for s in XrefScope],
    )  # fmt: skip


@router.post("/xrefs")
def xref_add(
    request: Request,
    kind: str = Form("reference"),
    written: str = Form(""),
    sku: str = Form(""),
    scope: str = Form("customer"),
    owner: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    user = require(request, Permission.ADMINISTER)
    check_csrf(request, csrf)
    x = add_xref(
        workspace(request), kind=XrefKind(kind), written=written, sku=sku,
        scope=XrefScope(scope), owner=owner.strip(), actor=user.actor,
    )  # fmt: skip
    flash(request, translator(request)("learned", written=x.written, sku=x.sku, name=x.product))
    return redirect("/xrefs")


@router.post("/xrefs/{xref_id}/remove")
def xref_remove(request: Request, xref_id: int, csrf: str = Form("")) -> Response:
    require(request, Permission.ADMINISTER)
    check_csrf(request, csrf)
    x = forget_xref(workspace(request), xref_id)
    flash(request, translator(request)("forgotten", written=x.written, sku=x.sku))
    return redirect("/xrefs")


@router.get("/partners")
def partners_page(request: Request) -> Response:
    require(request, Permission.READ)
    ws = workspace(request)
    t = translator(request)
    with ws.read_sessions() as s:
        rows = [
            (pid, p, sorted(partner_grants(s, pid, p))) for pid, p in ws.config.partners.items()
        ]
    return render(request, "partners.html", title=t("partners"), section="partners", rows=rows)


__all__ = ["router"]
