"""What every page handler shares: who is signed in, what they may do, the CSRF check,
rendering a template in the user's language, and messages carried to the next page.

Handlers call these explicitly (``user = require(request, Permission.WORK)``), so each
handler says in its first line who may use it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from gateway.errors import NotFound, Refused
from gateway.web.accounts import User, session_user
from gateway.web.i18n import Translator, language_of
from gateway.web.roles import Permission, Role, may
from gateway.workspace import Workspace

CSRF_FIELD = "csrf"


class SignInNeeded(Exception):
    """No one is signed in (or the session ended): the login page, then back here."""


class Forbidden(Refused):
    """Your role does not allow this."""


class CsrfRefused(Refused):
    """The form was not sent from this console (its security token is missing or old)."""


class PageNotFound(NotFound):
    """There is no such page, or it is not yours to see."""


@dataclass
class Console:
    """The application's state: the workspace and the templates."""

    ws: Workspace
    templates: Jinja2Templates
    secure_cookie: bool = False


def console(request: Request) -> Console:
    state: Console = request.app.state.console
    return state


def workspace(request: Request) -> Workspace:
    return console(request).ws


def current_user(request: Request) -> User | None:
    if not hasattr(request.state, "user"):
        sid = request.session.get("sid")
        request.state.user = session_user(workspace(request), sid) if sid else None
    user: User | None = request.state.user
    return user


def require(request: Request, permission: Permission) -> User:
    """The signed-in member of the supplier's staff allowed ``permission``.

    Nobody signed in: the login page. A partner's person: 404, as for a page that does
    not exist (a partner learns nothing of the supplier's pages).
    """
    user = current_user(request)
    if user is None:
        raise SignInNeeded()
    if user.role is Role.PARTNER:
        raise PageNotFound()
    if not may(user.role, permission):
        raise Forbidden(f"a {user.role.value} may not do this")
    return user


def require_partner(request: Request) -> tuple[User, str]:
    """The signed-in partner user, and its partner."""
    user = current_user(request)
    if user is None:
        raise SignInNeeded()
    if user.role is not Role.PARTNER or not user.partner:
        raise PageNotFound()
    return user, user.partner


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf(request: Request, sent: object) -> None:
    expected = request.session.get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
        raise CsrfRefused()


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token is checked."""
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    return form


def translator(request: Request) -> Translator:
    user = current_user(request)
    lang = user.language if user else language_of(request.headers.get("accept-language"))
    return Translator(lang)


def flash(request: Request, text: str, kind: str = "ok") -> None:
    """A message shown once, on the next page (after a redirect)."""
    request.session.setdefault("flash", []).append([kind, text])


def redirect(url: str) -> RedirectResponse:
    # 303: the browser GETs the next page, so a reload never posts the form again.
    return RedirectResponse(url, status_code=303)


def sign_in_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/login?next={quote(target, safe='')}"


def page_url(path: str, **filters: object) -> str:
    """``path`` with the filters that are set, as the base of a list's next pages.

    >>> page_url("/orders", status="validated", partner="", overdue=None)
    '/orders?status=validated'
    """
    query = urlencode({k: v for k, v in filters.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def attachment(filename: str) -> str:
    """A Content-Disposition that downloads under ``filename``, whatever its characters."""
    return f"attachment; filename*=UTF-8''{quote(filename, safe='')}"


def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    user = current_user(request)
    t = translator(request)
    flashes = request.session.pop("flash", [])
    return console(request).templates.TemplateResponse(
        request,
        template,
        {
            "user": user,
            "t": t,
            "lang": t.language,
            "csrf": csrf_token(request),
            "may_work": bool(user and may(user.role, Permission.WORK)),
            "may_administer": bool(user and may(user.role, Permission.ADMINISTER)),
            "flashes": flashes,
            **context,
        },
        status_code=status,
    )


__all__ = [
    "CSRF_FIELD",
    "Console",
    "CsrfRefused",
    "Forbidden",
    "PageNotFound",
    "SignInNeeded",
    "attachment",
    "check_csrf",
    "checked_form",
    "console",
    "csrf_token",
    "current_user",
    "flash",
    "page_url",
    "redirect",
    "render",
    "require",
    "require_partner",
    "sign_in_url",
    "translator",
    "workspace",
]
