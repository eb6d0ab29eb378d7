"""The dashboard: per partner, the figures of ``status`` and the rejections waiting."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from gateway.admin.rejections import waiting_counts
from gateway.daemon.status import gateway_status
from gateway.web.context import render, require, translator, workspace
from gateway.web.roles import Permission

router = APIRouter(include_in_schema=False)


@router.get("/dashboard")
def dashboard(request: Request) -> Response:
    require(request, Permission.READ)
    ws = workspace(request)
    rows = gateway_status(ws)
    waiting = waiting_counts(ws)
    t = translator(request)
    return render(
        request,
        "dashboard.html",
        title=t("dashboard"),
        section="dashboard",
        rows=[(r, waiting.get(r.partner, 0), ws.partner(r.partner).name) for r in rows],
    )


__all__ = ["router"]
