"""Received files: the list with its filters, one file with its orders and replies, the
original to download, and the replay of a file (its dry-run diff first)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, Response

from gateway.admin.files import list_files, show_file
from gateway.admin.replay import original_data, replay_file
from gateway.admin.sources import source_view
from gateway.errors import GatewayError
from gateway.web.context import (
    PageNotFound,
    attachment,
    check_csrf,
    page_url,
    render,
    require,
    translator,
    workspace,
)
from gateway.web.roles import Permission
from gateway.workspace import Workspace

router = APIRouter(include_in_schema=False)
PAGE = 50


def _day(text: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise GatewayError(f"date {text!r}: expected YYYY-MM-DD") from None


@router.get("/files")
def files_page(
    request: Request,
    partner: str = "",
    failed: str = "",
    duplicates: str = "",
    since: str = "",
    before: int | None = None,
) -> Response:
    require(request, Permission.READ)
    ws = workspace(request)
    t = translator(request)
    rows = list_files(
        ws, failed=bool(failed), duplicates=bool(duplicates), partner=partner or None,
        since=_day(since), before=before, limit=PAGE,
    )  # fmt: skip
    filters = {"partner": partner, "failed": failed, "duplicates": duplicates, "since": since}
    return render(
        request, "files.html", title=t("files"), section="files", rows=rows,
        partners=list(ws.config.partners), base=page_url("/files", **filters), page_size=PAGE,
        filters=filters,
    )  # fmt: skip


@router.get("/files/{file_id}")
def file_page(request: Request, file_id: int) -> Response:
    require(request, Permission.READ)
    ws = workspace(request)
    try:
        f = show_file(ws, file_id)
    except GatewayError:
        raise PageNotFound() from None
    t = translator(request)
    return render(
        request, "file.html", title=f"{t('file')} #{file_id}", section="files", f=f,
        source=source_view(ws, file_id), replies=f["replies"], back=f"/files/{file_id}",
    )  # fmt: skip


def original_response(ws: Workspace, ws_file: dict) -> Response:
    """The original as received: its archived file, else (cluster mode) its bytes from
    the blob store."""
    where = ws_file.get("original")
    headers = {"Content-Disposition": attachment(ws_file["name"])}
    if where and Path(where).is_file():
        return FileResponse(where, media_type="application/octet-stream", headers=headers)
    try:
        data = original_data(ws, ws_file["id"])
    except GatewayError:
        raise PageNotFound() from None
    return Response(data, media_type="application/octet-stream", headers=headers)


@router.get("/files/{file_id}/original")
def original(request: Request, file_id: int) -> Response:
    require(request, Permission.READ)
    ws = workspace(request)
    try:
        f = show_file(ws, file_id)
    except GatewayError:
        raise PageNotFound() from None
    return original_response(ws, f)


@router.get("/files/{file_id}/replay")
def replay_preview(request: Request, file_id: int) -> Response:
    user = require(request, Permission.WORK)
    report = replay_file(workspace(request), file_id, actor=user.actor, dry_run=True)
    t = translator(request)
    return render(
        request, "replay.html", title=t("replay_preview"), section="files",
        report=report.as_dict(), back=f"/files/{file_id}",
    )  # fmt: skip


@router.post("/files/{file_id}/replay")
async def replay_apply(request: Request, file_id: int, csrf: str = Form("")) -> Response:
    user = require(request, Permission.WORK)
    check_csrf(request, csrf)
    report = await run_in_threadpool(replay_file, workspace(request), file_id, actor=user.actor)
    t = translator(request)
    return render(
        request, "replay.html", title=t("replay_done"), section="files",
        report=report.as_dict(), back=f"/files/{file_id}",
    )  # fmt: skip


__all__ = ["original_response", "router"]
