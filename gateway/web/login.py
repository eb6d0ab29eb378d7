"""Signing in and out, and the user's own language.

The login form carries a CSRF token like every form (a forged login would sign a
victim into the attacker's account). Signing in starts a new session id and a new
CSRF token, so nothing set before the login survives it.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from gateway.web.accounts import LoginHeld, WrongPassword, set_language, sign_in, sign_out
from gateway.web.context import (
    CSRF_FIELD,
    SignInNeeded,
    check_csrf,
    current_user,
    redirect,
    render,
    translator,
    workspace,
)
from gateway.web.roles import Role

router = APIRouter(include_in_schema=False)


def home_of(role: Role) -> str:
    return "/portal" if role is Role.PARTNER else "/dashboard"


def _local(url: str) -> str | None:
    """``url`` when it stays on this site (no open redirect to another host)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//"):
        return None
    return url


def client_address(request: Request) -> str:
    # Behind a reverse proxy, uvicorn's proxy headers support has put the client's
    # address here (from X-Forwarded-For, trusted from the proxy only).
    return request.client.host if request.client else "unknown"


@router.get("/")
def home(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return redirect("/login")
    return redirect(home_of(user.role))


@router.get("/login")
def login_page(request: Request, next: str = "") -> Response:
    user = current_user(request)
    if user is not None:
        return redirect(_local(next) or home_of(user.role))
    t = translator(request)
    return render(request, "login.html", title=t("sign_in"), next=next)


@router.post("/login")
def login(
    request: Request,
    name: str = Form(""),
    password: str = Form(""),
    next: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    t = translator(request)
    try:
        user, sid = sign_in(workspace(request), name, password, address=client_address(request))
    except LoginHeld as held:
        error = t("login_held", seconds=held.seconds)
        return render(request, "login.html", 429, title=t("sign_in"), error=error, name=name,
                      next=next)  # fmt: skip
    except WrongPassword:
        error = t("login_wrong")
        return render(request, "login.html", 401, title=t("sign_in"), error=error, name=name,
                      next=next)  # fmt: skip
    request.session.clear()
    request.session["sid"] = sid
    request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return redirect(_local(next) or home_of(user.role))


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    user = current_user(request)
    sid = request.session.get("sid")
    if sid:
        sign_out(workspace(request), sid, actor=user.actor if user else None)
    request.session.clear()
    return redirect("/login")


@router.post("/me/language")
def language(request: Request, language: str = Form("en"), csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    user = current_user(request)
    if user is None:
        raise SignInNeeded()
    set_language(workspace(request), user.id, language if language in ("fr", "en") else "en")
    back = _local(urlsplit(request.headers.get("referer", "")).path or "")
    return redirect(back or home_of(user.role))


__all__ = ["client_address", "home_of", "router"]
