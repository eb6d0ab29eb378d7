"""The web console's application: pages, the HTTP inbox, sessions and error pages.

``create_app(ws)`` is an ASGI application (FastAPI) over one workspace; ``serve`` runs
it with uvicorn beside ``run``, on the same workspace and database.

Errors: a :class:`~gateway.errors.GatewayError` raised by a service is shown as its
message — on a page (an action's error is carried back to the page it came from) or as
JSON under ``/api`` — and never as a traceback.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import JSONResponse, Response

from gateway import __version__
from gateway.errors import GatewayError, NotFound
from gateway.rules.quantity import plain
from gateway.web import (
    api,
    dashboard,
    files,
    login,
    messages,
    orders,
    people,
    portal,
    reference,
    rejections,
)
from gateway.web.context import (
    Console,
    CsrfRefused,
    Forbidden,
    SignInNeeded,
    flash,
    redirect,
    render,
    sign_in_url,
    translator,
)
from gateway.web.secret import session_secret
from gateway.workspace import Workspace

log = logging.getLogger("gateway.web")
HERE = Path(__file__).parent
#: The session cookie; a browser idle longer than accounts.IDLE_TIMEOUT is signed out
COOKIE = "ogw_session"
COOKIE_MAX_AGE = 14 * 24 * 3600


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_page(request: Request, status: int, message: str) -> Response:
    t = translator(request)
    known = {400: "error_400", 403: "error_403", 404: "error_404", 413: "error_413"}
    heading = t(known.get(status, "error_other"))
    if status == 404:
        message = t("error_404_text")  # the same for what is absent and what is not yours
    return render(request, "error.html", status, title=heading, heading=heading, message=message)


def _back_to(request: Request) -> str | None:
    """The same-site page an action was posted from, to show its error there."""
    ref = request.headers.get("referer")
    if not ref:
        return None
    parts = urlsplit(ref)
    if parts.netloc and parts.netloc != request.url.netloc:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, exc: SignInNeeded) -> Response:
        return redirect(sign_in_url(request) if request.method == "GET" else "/login")

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, exc: CsrfRefused) -> Response:
        return _error_page(request, 403, str(exc))

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return _error_page(request, 403, str(exc))

    @app.exception_handler(GatewayError)
    async def _gateway(request: Request, exc: GatewayError) -> Response:
        status = 404 if isinstance(exc, NotFound) else 400
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=status)
        back = _back_to(request)
        if request.method == "POST" and back and status != 404:
            flash(request, str(exc), "error")
            return redirect(back)
        return _error_page(request, status, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        return _error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}"
            for e in exc.errors()
        )
        if _is_api(request):
            return JSONResponse({"detail": problems}, status_code=422)
        return _error_page(request, 422, problems)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("web request failed %s %s", request.method, request.url.path)
        message = "the console failed on this request; the error is in the gateway's log"
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=500)
        return _error_page(request, 500, message)


def create_app(ws: Workspace, *, secure_cookie: bool = False) -> FastAPI:
    """The console over ``ws``. ``secure_cookie``: send the session cookie over HTTPS
    only (behind a TLS reverse proxy)."""
    app = FastAPI(
        title="order-gateway HTTP inbox",
        version=__version__,
        description=(api.__doc__ or "").strip(),
        openapi_url="/api/v1/openapi.json",
        # The documentation viewers load third-party front-end code: not served.
        docs_url=None,
        redoc_url=None,
    )
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["plain"] = plain
    app.state.console = Console(ws, templates, secure_cookie)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(ws.root),
        session_cookie=COOKIE,
        max_age=COOKIE_MAX_AGE,
        same_site="lax",
        https_only=secure_cookie,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (login, dashboard, orders, rejections, files, messages, reference, people,
                   portal, api):  # fmt: skip
        app.include_router(module.router)
    _install_errors(app)

    @app.middleware("http")
    async def _headers(request: Request, call_next):  # noqa: ANN001, ANN202
        response = await call_next(request)
        # Pages are never framed (clickjacking) and run only our own script.
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app


__all__ = ["COOKIE", "create_app"]
