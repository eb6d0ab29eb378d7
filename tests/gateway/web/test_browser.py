"""The console in a real browser: Debian's Chromium, headless, driven by Playwright,
against the real server (uvicorn on a free loopback port) over a test workspace.

The screenshots of the dashboard, the rejections page and an order page, at a desktop's
and a phone's width, are kept in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from gateway.daemon.passes import process_external
from gateway.web import create_app
from gateway.workspace import Workspace
from tests.gateway.admin.support import drop_file
from tests.gateway.conftest import COFFEE
from tests.gateway.web.support import PASSWORD, UNKNOWN, hotel_csv, web_workspace

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


class Server:
    """uvicorn serving the console over ``ws`` on a free loopback port, in a thread."""

    def __init__(self, ws: Workspace) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(create_app(ws), log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)  # fmt: skip

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the console did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (scripts/test.sh does)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    ws = web_workspace(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def server(ws: Workspace) -> Iterator[Server]:
    with Server(ws) as s:
        yield s


@pytest.fixture
def page(browser, server: Server):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport=DESKTOP, base_url=server.url)
    pg = context.new_page()
    yield pg
    context.close()


def sign_in(page, name: str, password: str = PASSWORD) -> None:  # noqa: ANN001
    page.goto("/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_an_admin_maps_a_rejected_line_sees_the_diff_and_replays(page, ws: Workspace) -> None:  # noqa: ANN001
    out = process_external(ws, "hotel", drop_file(ws, "hotel", "cde.csv", hotel_csv("HB-1")))
    sign_in(page, "marie")
    page.get_by_role("link", name="Rejections").click()
    row = page.locator("tr", has_text=UNKNOWN)
    row.get_by_label("Find a product").fill("coff")
    row.get_by_role("button", name="COF-250 — Ground coffee arabica 250 g").click()
    assert row.locator("input[name=sku]").input_value() == "COF-250"
    row.get_by_role("button", name="Map, then preview the replay").click()
    assert "Dry run" in page.locator("#replay-message").inner_text()
    changed = page.locator("tr.changed")
    assert changed.count() == 1 and "COF-250" in changed.inner_text()
    page.get_by_role("button", name="Apply this replay").click()
    assert "replay #" not in page.locator("#replay-message").inner_text()  # applied, no dry run
    assert "Dry run" not in page.locator("#replay-message").inner_text()
    replies = sorted(p.name for p in ws.outbox("hotel").iterdir())
    assert f"ACK_cde_{out.inbound_id}_R1.csv" in replies


def test_a_partner_uploads_an_order_sees_its_result_and_cannot_reach_another_partners_order(
    page,
    ws: Workspace,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    data = f"N° commande;Code-barre;Quantité\nSHOP-1;{COFFEE};1\n".encode()
    shop_order = process_external(ws, "shop", drop_file(ws, "shop", "s.csv", data)).orders[0].id
    upload = tmp_path / "commande 9.csv"
    upload.write_bytes(hotel_csv("HB-9"))
    sign_in(page, "hotel-buyer")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.locator("#upload-button").click()
    assert "2 ligne(s) acceptée(s), 1 refusée(s)" in page.locator("#upload-result").inner_text()
    assert page.get_by_role("link", name="HB-9").count() == 1
    response = page.goto(f"/portal/orders/{shop_order}")
    assert response is not None and response.status == 404
    assert "SHOP-1" not in page.content()


def test_a_form_posted_without_its_csrf_token_is_refused(page) -> None:  # noqa: ANN001
    sign_in(page, "marie")
    page.evaluate("document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())")
    with page.expect_response(lambda r: r.url.endswith("/logout")) as answer:
        page.locator("#sign-out").click()
    assert answer.value.status == 403
    assert page.goto("/dashboard").url.endswith("/dashboard")  # still signed in


def test_five_wrong_passwords_slow_the_next_attempt_down(page) -> None:  # noqa: ANN001
    for _ in range(5):
        sign_in(page, "victor", "not my password")
        assert "Wrong user name or password" in page.locator("#login-error").inner_text()
    sign_in(page, "victor")
    assert "try again in" in page.locator("#login-error").inner_text()
    assert page.url.endswith("/login")


def test_signing_out_ends_the_session(page) -> None:  # noqa: ANN001
    sign_in(page, "victor")
    assert page.url.endswith("/dashboard")
    page.locator("#sign-out").click()
    page.goto("/dashboard")
    assert "/login" in page.url


def _no_sideways_scroll(page) -> bool:  # noqa: ANN001
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots_of_the_dashboard_rejections_and_an_order(
    browser,
    server: Server,
    ws: Workspace,
    size: str,  # noqa: ANN001
) -> None:
    out = process_external(ws, "hotel", drop_file(ws, "hotel", "commande-longue-référence-2026.csv",
                                                  hotel_csv("PO-2026-000123456789")))  # fmt: skip
    viewport = DESKTOP if size == "desktop" else PHONE
    context = browser.new_context(viewport=viewport, base_url=server.url)
    page = context.new_page()
    errors: list[str] = []  # a style or script the Content-Security-Policy blocked, a JS error
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, "marie")
    ARTIFACTS.mkdir(exist_ok=True)
    for name, url in (("dashboard", "/dashboard"), ("rejections", "/rejections"),
                      ("order", f"/orders/{out.orders[0].id}")):  # fmt: skip
        page.goto(url)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
        assert _no_sideways_scroll(page), f"{url} scrolls sideways at {viewport['width']} px"
    # Identifiers are whole on the page, never cut: the order number and the barcode.
    assert page.get_by_text("PO-2026-000123456789").first.is_visible()
    assert page.locator("#lines").get_by_text(UNKNOWN, exact=True).is_visible()
    assert errors == []
    context.close()
