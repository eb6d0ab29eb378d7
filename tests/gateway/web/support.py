"""Shared by the web console's tests: a workspace with users, a partner token, order
files with a refused line, and signing in through the real login form."""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gateway.store.models import ConsoleUser
from gateway.web.accounts import HASHER
from gateway.web.roles import Role
from gateway.workspace import Workspace
from tests.gateway.admin.support import LOOP_CONFIG
from tests.gateway.conftest import COFFEE, TEA_UPC, build_workspace, ean

if TYPE_CHECKING:
    from starlette.testclient import TestClient

PASSWORD = "correct horse battery"
UNKNOWN = ean("301234599990")  # a valid barcode the catalog does not have
#: The hotel's second partner: another partner with an order the hotel must never see
WEB_CONFIG = (
    LOOP_CONFIG
    + """
[partners.small]
name = "A partner with a small size limit"
max_file_size = 2000
grants = [{ customer = "C1", site = "S1" }]
"""
)
USERS = {
    "marie": (Role.ADMIN, None),
    "olivier": (Role.OPERATOR, None),
    "victor": (Role.VIEWER, None),
    "hotel-buyer": (Role.PARTNER, "hotel"),
    "shop-buyer": (Role.PARTNER, "shop"),
}


@functools.cache
def password_hash() -> str:
    """PASSWORD's argon2 hash, made once: hashing is slow on purpose (0.1–0.4 s), and
    every test workspace has five users."""
    return HASHER.hash(PASSWORD)


def web_workspace(root: Path, database: str | None = None) -> Workspace:
    """The test workspace with USERS, all of password PASSWORD (``users add`` itself is
    tested in tests/gateway/web/test_accounts.py)."""
    ws = build_workspace(root, database=database, config=WEB_CONFIG)
    now = datetime.now(UTC)
    with ws.sessions.begin() as s:
        for name, (role, partner) in USERS.items():
            language = ws.partner(partner).language if partner else "en"
            s.add(ConsoleUser(name=name, role=role.value, partner=partner, language=language,
                              password_hash=password_hash(), created_at=now,
                              created_by="admin:setup"))  # fmt: skip
    return ws


def hotel_csv(number: str, *, refused: str = UNKNOWN) -> bytes:
    """A French CSV order of the hotel: two good lines and one with an unknown barcode."""
    rows = [
        "N° commande;Code-barre;Quantité",
        f"{number};{COFFEE};2",
        f"{number};{TEA_UPC};3",
        f"{number};{refused};4",
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD):  # noqa: ANN201
    """Post the real login form; the response (a redirect when it worked)."""
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf": token, "next": ""},
        follow_redirects=False,
    )
