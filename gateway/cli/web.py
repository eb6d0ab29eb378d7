"""The web console on the command line: ``serve``, ``users …`` and ``tokens …``."""

import getpass
import os
import sys
from typing import Annotated

import typer

from gateway.cli.app import (
    ActorOpt,
    JsonOpt,
    admin_actor,
    app,
    console,
    err,
    open_workspace,
    print_json,
)
from gateway.web.roles import Role

users_app = typer.Typer(help="People who sign in to the web console.", no_args_is_help=True)
tokens_app = typer.Typer(help="Partners' tokens for the HTTP inbox.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")

#: Where a password is read without a terminal (scripts, tests): never on the command line
PASSWORD_ENV = "ORDER_GATEWAY_PASSWORD"


def _password() -> str:
    if (given := os.environ.get(PASSWORD_ENV)) is not None:
        return given
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        err.print("[red]the two passwords differ[/red]")
        raise typer.Exit(2)
    return first


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(metavar="ADDRESS", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port to listen on.")] = 8080,
    secure_cookie: Annotated[
        bool, typer.Option("--secure-cookie", help="Session cookie over HTTPS only (TLS proxy).")
    ] = False,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            metavar="ADDRESSES",
            help="Proxies whose X-Forwarded-For / -Proto are believed (comma-separated).",
        ),
    ] = "127.0.0.1",
) -> None:
    """Run the web console and the HTTP inbox (beside `run`, on the same workspace).

    A reverse proxy in front of it gives it TLS.

    Example:
    order-gateway serve --port 8080 --secure-cookie
    """
    import uvicorn

    from gateway.cli.check import refuse_to_start_on_errors
    from gateway.web import create_app

    ws = open_workspace()
    refuse_to_start_on_errors(ws)  # the same check as `check` and `run`
    application = create_app(ws, secure_cookie=secure_cookie)
    console.print(f"console on http://{host}:{port}/ (workspace {ws.root})")
    uvicorn.run(
        application, host=host, port=port, proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips, log_level="warning",
    )  # fmt: skip


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The name to sign in with.")],
    role: Annotated[Role, typer.Option(help="admin, operator, viewer or partner.")],
    partner: Annotated[
        str | None, typer.Option(metavar="PARTNER", help="For a partner user: whose data.")
    ] = None,
    language: Annotated[
        str | None, typer.Option(metavar="fr|en", help="The console's language for them.")
    ] = None,
    actor_name: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a console user; the password is asked (or read from $ORDER_GATEWAY_PASSWORD).

    Example:
    order-gateway users add marie --role operator
    """
    from gateway.web.accounts import add_user

    user = add_user(
        open_workspace(), name, role=role, password=_password(), partner=partner,
        language=language, actor=admin_actor(actor_name),
    )  # fmt: skip
    if as_json:
        print_json(user.as_dict())
        return
    whose = f" of partner {user.partner}" if user.partner else ""
    console.print(f"user {user.name} added: {user.role.value}{whose}, {user.language}")


@users_app.command("list")
def users_list(as_json: JsonOpt = False) -> None:
    """The console's users.

    Example:
    order-gateway users list --json
    """
    from gateway.web.accounts import list_users

    rows = list_users(open_workspace())
    if as_json:
        print_json([u.as_dict() for u in rows])
        return
    from rich.markup import escape

    from gateway.cli.tables import Column, print_records

    columns = [*map(Column, ("name", "role", "partner", "language", "added by", "at"))]
    print_records(columns, ([escape(u.name), u.role.value, escape(u.partner or ""), u.language,
                             escape(u.created_by), u.created_at.isoformat()[:16]] for u in rows),
                  title=f"{len(rows)} user(s)")  # fmt: skip


@users_app.command("passwd")
def users_passwd(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The user.")],
    actor_name: ActorOpt = None,
) -> None:
    """Set a user's password (its sessions end).

    Example:
    order-gateway users passwd marie
    """
    from gateway.web.accounts import set_password

    set_password(open_workspace(), name, _password(), actor=admin_actor(actor_name))
    console.print(f"password of {name} changed; its sessions are ended")


@users_app.command("remove")
def users_remove(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The user.")],
    actor_name: ActorOpt = None,
) -> None:
    """Remove a user (its sessions end).

    Example:
    order-gateway users remove marie
    """
    from gateway.web.accounts import remove_user

    remove_user(open_workspace(), name, actor=admin_actor(actor_name))
    console.print(f"user {name} removed")


@tokens_app.command("add")
def tokens_add(
    partner: Annotated[
        str, typer.Argument(metavar="PARTNER", help="The partner the token acts for.")
    ],
    actor_name: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Make a token for a partner's machine; it is printed once and kept only hashed.

    Example:
    order-gateway tokens add acme --json
    """
    from gateway.web.tokens import add_token

    info, token = add_token(open_workspace(), partner, actor=admin_actor(actor_name))
    if as_json:
        print_json({"partner": info.partner, "token": token, "id": info.id})
        return
    console.print(f"token #{info.id} for {info.partner} (shown once; keep it safe):")
    console.print(token, soft_wrap=True)


@tokens_app.command("list")
def tokens_list(
    partner: Annotated[
        str | None, typer.Option(metavar="PARTNER", help="Only this partner's.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Tokens (their first characters only), live and revoked.

    Example:
    order-gateway tokens list --partner acme
    """
    from gateway.web.tokens import list_tokens

    rows = list_tokens(open_workspace(), partner=partner)
    if as_json:
        print_json([t.as_dict() for t in rows])
        return
    from rich.markup import escape

    from gateway.cli.tables import Column, print_records

    names = ("partner", "starts with", "made by", "at", "last used", "revoked")
    columns = [Column("id", justify="right"), *map(Column, names)]
    print_records(columns, ([
        str(t.id), escape(t.partner), t.prefix + "…", escape(t.created_by),
        t.created_at.isoformat()[:16], t.last_used_at.isoformat()[:16] if t.last_used_at else "",
        t.revoked_at.isoformat()[:16] if t.revoked_at else "",
    ] for t in rows), title=f"{len(rows)} token(s)")  # fmt: skip


@tokens_app.command("revoke")
def tokens_revoke(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The token (`tokens list`).")],
    actor_name: ActorOpt = None,
) -> None:
    """Revoke a token: the next request with it is refused.

    Example:
    order-gateway tokens revoke 3
    """
    from gateway.web.tokens import revoke_token

    t = revoke_token(open_workspace(), token_id, actor=admin_actor(actor_name))
    console.print(f"token #{t.id} of {t.partner} revoked")
