"""Admins' pages: users made and removed from a form, the history of actions."""

from __future__ import annotations

from collections.abc import Callable

from gateway.web.accounts import list_users
from gateway.workspace import Workspace
from tests.gateway.web.conftest import TestClient
from tests.gateway.web.test_orders import post

Client = Callable[..., TestClient]


def test_an_admin_adds_a_partner_user_from_the_form(client_for: Client, web_ws: Workspace) -> None:
    r = post(client_for("marie"), "/users", "/users",
             {"name": "anna", "role": "partner", "partner": "multi",
              "password": "a long password"})  # fmt: skip
    assert "User anna added (partner)." in r.text
    anna = next(u for u in list_users(web_ws) if u.name == "anna")
    assert (anna.partner, anna.created_by) == ("multi", "admin:marie")


def test_a_refused_user_is_said_on_the_users_page(client_for: Client) -> None:
    r = post(client_for("marie"), "/users", "/users",
             {"name": "anna", "role": "viewer", "password": "short"})  # fmt: skip
    assert str(r.url).endswith("/users") and "at least 10 characters" in r.text


def test_the_history_shows_who_did_what(client_for: Client) -> None:
    client = client_for("marie")
    post(client, "/users", "/users/victor/remove", {})
    page = client.get("/actions").text
    assert "user_removed" in page and "admin:marie" in page and "user victor" in page
