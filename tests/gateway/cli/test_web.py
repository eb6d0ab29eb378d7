"""The console's commands: users and tokens, as tables and JSON; a token shown once."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from gateway.cli.app import app
from gateway.store.models import ApiToken
from gateway.web.accounts import sign_in
from gateway.web.tokens import token_partner
from gateway.workspace import Workspace

runner = CliRunner()


def cli(ws: Workspace, *args: str, password: str | None = None):  # noqa: ANN201
    env = {"ORDER_GATEWAY_PASSWORD": password} if password is not None else {}
    return runner.invoke(app, ["--workspace", str(ws.root), *args], env=env,
                         catch_exceptions=False)  # fmt: skip


def test_tokens_add_json_prints_the_token_once_and_stores_only_its_hash(
    sqlite_workspace: Workspace,
) -> None:
    r = cli(sqlite_workspace, "tokens", "add", "hotel", "--json")
    assert r.exit_code == 0
    made = json.loads(r.stdout)
    assert made["partner"] == "hotel" and made["token"].startswith("ogw_")
    with sqlite_workspace.read_sessions() as s:
        (row,) = s.scalars(select(ApiToken))
    assert made["token"] not in (row.token_hash, row.prefix) and len(row.token_hash) == 64
    assert token_partner(sqlite_workspace, made["token"]) == "hotel"
    listed = cli(sqlite_workspace, "tokens", "list", "--json").stdout
    assert made["token"] not in listed and json.loads(listed)[0]["partner"] == "hotel"


def test_tokens_revoke_ends_a_token(sqlite_workspace: Workspace) -> None:
    made = json.loads(cli(sqlite_workspace, "tokens", "add", "shop", "--json").stdout)
    assert cli(sqlite_workspace, "tokens", "revoke", str(made["id"])).exit_code == 0
    assert token_partner(sqlite_workspace, made["token"]) is None
    assert cli(sqlite_workspace, "tokens", "revoke", str(made["id"])).exit_code == 2


def test_a_token_for_an_unknown_partner_is_refused_naming_the_known_ones(
    sqlite_workspace: Workspace,
) -> None:
    r = runner.invoke(app, ["--workspace", str(sqlite_workspace.root), "tokens", "add", "nope"])
    assert r.exit_code == 2 and "unknown partner 'nope'" in r.stderr


def test_users_add_reads_the_password_without_putting_it_on_the_command_line(
    sqlite_workspace: Workspace,
) -> None:
    r = cli(sqlite_workspace, "users", "add", "marie", "--role", "admin",
            password="a long password")  # fmt: skip
    assert r.exit_code == 0 and "marie added: admin" in r.stdout
    user, _ = sign_in(sqlite_workspace, "marie", "a long password", address="127.0.0.1")
    assert user.actor == "admin:marie"


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_users_list(sqlite_workspace: Workspace, fmt: str) -> None:
    cli(sqlite_workspace, "users", "add", "bob", "--role", "partner", "--partner", "hotel",
        password="a long password")  # fmt: skip
    out = cli(sqlite_workspace, "users", "list", *(["--json"] if fmt == "json" else [])).stdout
    if fmt == "json":
        assert json.loads(out)[0] | {"created_at": ""} == {
            "id": 1, "name": "bob", "role": "partner", "partner": "hotel", "language": "fr",
            "created_at": "", "created_by": json.loads(out)[0]["created_by"],
        }  # fmt: skip
    else:
        assert "bob" in out and "hotel" in out


def test_users_passwd_and_remove(sqlite_workspace: Workspace) -> None:
    cli(sqlite_workspace, "users", "add", "eve", "--role", "viewer", password="a long password")
    assert (
        cli(sqlite_workspace, "users", "passwd", "eve", password="another password").exit_code == 0
    )
    sign_in(sqlite_workspace, "eve", "another password", address="127.0.0.1")
    assert cli(sqlite_workspace, "users", "remove", "eve").exit_code == 0
    assert "eve" not in cli(sqlite_workspace, "users", "list").stdout
