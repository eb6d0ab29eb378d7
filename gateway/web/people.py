"""Admins' pages: the console's users (add, new password, remove) and the history of
actions (sign-ins, resends, rows typed, users and tokens)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from gateway.store.actions import recent_actions
from gateway.web.accounts import add_user, list_users, remove_user, set_password
from gateway.web.context import check_csrf, flash, redirect, render, require, translator, workspace
from gateway.web.roles import Permission, Role

router = APIRouter(include_in_schema=False)
PAGE = 100


@router.get("/users")
def users_page(request: Request) -> Response:
    require(request, Permission.ADMINISTER)
    ws = workspace(request)
    t = translator(request)
    return render(
        request, "users.html", title=t("users"), section="users", rows=list_users(ws),
        roles=[r.value for r in Role], partners=list(ws.config.partners),
    )  # fmt: skip


@router.post("/users")
def user_add(
    request: Request,
    name: str = Form(""),
    role: str = Form("viewer"),
    partner: str = Form(""),
    language: str = Form(""),
    password: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    admin = require(request, Permission.ADMINISTER)
    check_csrf(request, csrf)
    user = add_user(
        workspace(request), name, role=Role(role), password=password,
        partner=partner or None, language=language or None, actor=admin.actor,
    )  # fmt: skip
    flash(request, translator(request)("user_added", name=user.name, role=user.role.value))
    return redirect("/users")


@router.post("/users/{name}/password")
def user_password(
    request: Request, name: str, password: str = Form(""), csrf: str = Form("")
) -> Response:
    admin = require(request, Permission.ADMINISTER)
    check_csrf(request, csrf)
    set_password(workspace(request), name, password, actor=admin.actor)
    flash(request, translator(request)("password_set", name=name))
    return redirect("/users")


@router.post("/users/{name}/remove")
def user_remove(request: Request, name: str, csrf: str = Form("")) -> Response:
    admin = require(request, Permission.ADMINISTER)
    check_csrf(request, csrf)
    remove_user(workspace(request), name, actor=admin.actor)
    flash(request, translator(request)("user_removed", name=name))
    return redirect("/users")


@router.get("/actions")
def actions_page(request: Request, before: int | None = None) -> Response:
    require(request, Permission.ADMINISTER)
    t = translator(request)
    with workspace(request).read_sessions() as s:
        rows = [
            {
                "id": a.id,
                "at": a.at.isoformat(),
                "actor": a.actor,
                "action": a.action,
                "subject": a.subject,
                "details": a.details,
            }  # fmt: skip
            for a in recent_actions(s, limit=PAGE, before_id=before)
        ]
    return render(request, "actions.html", title=t("actions"), section="actions", rows=rows,
                  base="/actions", page_size=PAGE)  # fmt: skip


__all__ = ["router"]
