"""Console users: made, listed, given a new password, removed — each recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gateway.store.models import ActionEvent
from gateway.web.accounts import UnknownUser, UserRefused, add_user, list_users, remove_user
from gateway.web.roles import Role
from gateway.workspace import Workspace


def test_a_partner_user_takes_its_partners_language(sqlite_workspace: Workspace) -> None:
    u = add_user(sqlite_workspace, "bob", role=Role.PARTNER, partner="hotel",
                 password="a long password", actor="admin:marie")  # fmt: skip
    assert (u.partner, u.language, u.actor) == ("hotel", "fr", "partner:hotel")


def test_a_partner_user_needs_a_known_partner(sqlite_workspace: Workspace) -> None:
    with pytest.raises(UserRefused, match="needs --partner"):
        add_user(sqlite_workspace, "bob", role=Role.PARTNER, password="a long password",
                 actor="admin:marie")  # fmt: skip
    with pytest.raises(Exception, match="unknown partner 'nope'"):
        add_user(sqlite_workspace, "bob", role=Role.PARTNER, partner="nope",
                 password="a long password", actor="admin:marie")  # fmt: skip


def test_a_short_password_is_refused(sqlite_workspace: Workspace) -> None:
    with pytest.raises(UserRefused, match="at least 10 characters"):
        add_user(sqlite_workspace, "eve", role=Role.VIEWER, password="short", actor="admin:m")


def test_a_name_is_taken_once(sqlite_workspace: Workspace) -> None:
    add_user(sqlite_workspace, "eve", role=Role.VIEWER, password="a long password", actor="a")
    with pytest.raises(UserRefused, match="exists already"):
        add_user(sqlite_workspace, "eve", role=Role.ADMIN, password="a long password", actor="a")


def test_adding_and_removing_users_is_recorded(sqlite_workspace: Workspace) -> None:
    add_user(sqlite_workspace, "eve", role=Role.VIEWER, password="a long password",
             actor="admin:marie")  # fmt: skip
    remove_user(sqlite_workspace, "eve", actor="admin:marie")
    assert list_users(sqlite_workspace) == []
    with sqlite_workspace.read_sessions() as s:
        done = [(a.actor, a.action, a.subject) for a in s.scalars(select(ActionEvent))]
    assert done == [("admin:marie", "user_added", "user eve"),
                    ("admin:marie", "user_removed", "user eve")]  # fmt: skip
    with pytest.raises(UnknownUser):
        remove_user(sqlite_workspace, "eve", actor="admin:marie")
