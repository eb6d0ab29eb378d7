"""Signing in and out: argon2 passwords, sessions that end for good, CSRF on every form,
wrong passwords slowing attempts down per user and per address."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import select

from gateway.store.models import ActionEvent, ConsoleUser
from gateway.web.accounts import set_password
from gateway.web.app import COOKIE
from gateway.web.throttle import FREE_ATTEMPTS
from gateway.workspace import Workspace
from tests.gateway.web.conftest import TestClient
from tests.gateway.web.support import PASSWORD, csrf_of, sign_in

Client = Callable[..., TestClient]


def test_a_right_password_signs_in_to_the_users_home(client_for: Client) -> None:
    assert sign_in(client_for(), "marie").headers["location"] == "/dashboard"
    assert sign_in(client_for(), "hotel-buyer").headers["location"] == "/portal"


def test_a_page_without_a_session_sends_to_the_login_page_and_back(client_for: Client) -> None:
    r = client_for().get("/orders?status=rejected", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=%2Forders%3Fstatus%3Drejected"


def test_only_an_argon2_hash_of_the_password_is_stored(web_ws: Workspace) -> None:
    with web_ws.read_sessions() as s:
        stored = s.scalar(select(ConsoleUser.password_hash).where(ConsoleUser.name == "marie"))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


def test_the_session_cookie_is_signed_httponly_and_samesite(client_for: Client) -> None:
    r = sign_in(client_for(), "marie")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()


def test_a_wrong_password_is_refused_with_a_message(client_for: Client) -> None:
    r = sign_in(client_for(), "marie", "not the password")
    assert r.status_code == 401 and "Wrong user name or password" in r.text


def test_five_wrong_passwords_hold_the_next_attempt_back_even_with_the_right_one(
    client_for: Client,
) -> None:
    client = client_for()
    for _ in range(FREE_ATTEMPTS):
        assert sign_in(client, "marie", "guess").status_code == 401
    r = sign_in(client, "marie")
    assert r.status_code == 429
    # a 30 s hold, counted down from the fifth failure: a slow machine may have spent a
    # second or more since then
    held = re.search(r"try again in (\d+) s", r.text)
    assert held is not None and 20 <= int(held.group(1)) <= 30, r.text


def test_wrong_passwords_for_several_names_from_one_address_are_held_too(
    client_for: Client,
) -> None:
    client = client_for()
    for name in ["a1", "a2", "a3", "a4", "a5"]:
        sign_in(client, name, "guess")
    assert sign_in(client, "victor").status_code == 429


def test_a_form_posted_without_its_csrf_token_is_refused(client_for: Client) -> None:
    client = client_for("marie")
    r = client.post("/logout", data={}, follow_redirects=False)
    assert r.status_code == 403
    assert client.get("/dashboard", follow_redirects=False).status_code == 200  # still in


def test_a_login_posted_without_its_csrf_token_is_refused(client_for: Client) -> None:
    r = client_for().post("/login", data={"name": "marie", "password": PASSWORD})
    assert r.status_code == 403


def test_signing_out_ends_the_session_even_for_a_copy_of_its_cookie(client_for: Client) -> None:
    client = client_for("marie")
    kept = client.cookies.get(COOKIE)
    token = csrf_of(client.get("/dashboard").text)
    assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    thief = client_for()
    thief.cookies.set(COOKIE, kept or "")
    assert thief.get("/dashboard", follow_redirects=False).status_code == 303


def test_a_new_password_ends_the_users_sessions(client_for: Client, web_ws: Workspace) -> None:
    client = client_for("victor")
    set_password(web_ws, "victor", "another long password", actor="admin:marie")
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_signing_in_and_out_is_recorded_with_the_user_as_actor(
    client_for: Client, web_ws: Workspace
) -> None:
    client = client_for("olivier")
    client.post("/logout", data={"csrf": csrf_of(client.get("/dashboard").text)})
    with web_ws.read_sessions() as s:
        done = [
            (a.actor, a.action) for a in s.scalars(select(ActionEvent).order_by(ActionEvent.id))
        ]
    assert ("admin:olivier", "sign_in") in done and ("admin:olivier", "sign_out") in done
