"""The ``order-gateway`` application object and what every command shares.

Commands live in the modules of this package, one per subject, and register themselves
on :data:`app` when :mod:`gateway.cli` imports them. Every command is thin: it parses
options and calls one service. A :class:`gateway.errors.GatewayError` raised by a
service is printed as its message, never as a traceback.
"""

import atexit
import gc
import getpass
import json
import os
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from gateway.errors import GatewayError
from gateway.rules.lifecycle import ActorKind, actor
from gateway.rules.quantity import json_number

if TYPE_CHECKING:  # imported where used: --help imports neither pydantic nor SQLAlchemy
    from gateway.workspace import Workspace

# emoji=False: ":coffee:" in a file, customer or product name is the sender's text, shown
# as written, never turned into rich's emoji
console = Console(emoji=False)
err = Console(stderr=True, emoji=False)

# When the process ends, the objects its imports made (typer's, rich's, SQLAlchemy's,
# pydantic's: most of its memory) are not freed one by one: the system takes the memory
# back at once. Frozen, the collector leaves them alone while Python finalises, which
# otherwise took 30 ms of CPU of a --help and 95 ms of a listing (a fifth). What must be
# closed is closed before, by its owner: the databases (gateway.store.database), logging's
# handlers (logging's own exit hook).
atexit.register(gc.freeze)


# The help shows a value as a word (``N``, ``DATE``, ``LINE=QTY``: the metavar), never as
# a Python type (``<int>``, ``<list[str]>``, ``<bool>``). Typer makes its parameter objects
# itself, from the signatures, and how the help shows one is a method of that object: each
# gets a subclass that changes only that (commands when the app is built, ``_in_words``;
# their parameters when asked for).
class _OptionInWords(TyperOption):
    def display_type_rich(self, ctx: Any) -> str | None:
        # A flag takes no value; a bound (``[x>=0.05]``) is said in words in the help.
        return None if self.is_flag else super().display_type_rich(ctx)

    def _get_number_range_help_str(self) -> str | None:
        return None


class _ArgumentInWords(TyperArgument):
    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # its name column is its metavar already


def _params_in_words(params: list[Any]) -> list[Any]:
    for param in params:
        param.__class__ = _IN_WORDS.get(type(param), type(param))
    return params


# Parameters are taken when the help asks for them: --help and the shell-completion options
# are made after the commands
class _CommandInWords(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        return _params_in_words(super().get_params(ctx))


class _GroupInWords(TyperGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        return _params_in_words(super().get_params(ctx))


_IN_WORDS: dict[type, type] = {
    TyperOption: _OptionInWords,
    TyperArgument: _ArgumentInWords,
    TyperCommand: _CommandInWords,
    TyperGroup: _GroupInWords,
}


def _in_words(command: Any) -> None:
    """Every command below ``command`` shows its parameters in words."""
    for sub in getattr(command, "commands", {}).values():
        sub.__class__ = _IN_WORDS.get(type(sub), type(sub))
        _in_words(sub)


class _GatewayGroup(_GroupInWords):
    """The top command group: a GatewayError anywhere below becomes its message and an
    exit status, never a traceback; every help below shows values in words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _in_words(self)

    def invoke(self, ctx: Any) -> Any:  # typer's own click Context
        try:
            return super().invoke(ctx)
        except GatewayError as exc:
            # imported here, not at the top: `… --help` never loads the settings (pydantic)
            from gateway.config.settings import ConfigError

            if isinstance(exc, ConfigError):
                err.print(f"[red]configuration error[/red] in {escape(str(exc.path))}:")
                for p in exc.problems:
                    err.print(f"  • {escape(p)}")
                raise typer.Exit(exc.exit_code) from None
            # soft_wrap: a path or a URL is never broken across lines
            err.print(f"[red]{escape(str(exc))}[/red]", soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_GatewayGroup,
    help="A supplier's order-intake gateway: order files in, acknowledgements out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
orders_app = typer.Typer(help="List, inspect and move orders.", no_args_is_help=True)
app.add_typer(orders_app, name="orders")

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        metavar="DIR",
        help="Workspace folder (default: $ORDER_GATEWAY_HOME, else the current folder).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


class _State:
    workspace: Path | None = None


state = _State()


#: Commands that run as a service: they talk at INFO unless told otherwise
SERVICE_COMMANDS = frozenset({"run", "serve"})


@app.callback()
def main(
    ctx: typer.Context,
    workspace: WorkspaceOpt = None,
    log_level: Annotated[
        str | None,
        typer.Option(
            metavar="LEVEL",
            help="debug, info, warning or error (default: info for run, else warning).",
        ),
    ] = None,
    log_format: Annotated[
        str, typer.Option(metavar="text|json", help="Log lines as text or as JSON objects.")
    ] = "text",
) -> None:
    state.workspace = workspace
    from gateway.logs import DEFAULT_LEVEL, SERVICE_LEVEL, setup_logging

    service = ctx.invoked_subcommand in SERVICE_COMMANDS
    setup_logging(log_level or (SERVICE_LEVEL if service else DEFAULT_LEVEL), log_format)


ActorOpt = Annotated[
    str | None, typer.Option("--actor", metavar="USER", help="Who acts (default: $USER).")
]


def admin_actor(name: str | None) -> str:
    """The event actor of an admin acting by command: ``admin:NAME``."""
    user = name or os.environ.get("USER") or getpass.getuser() or "unknown"
    return actor(ActorKind.ADMIN, user)


def open_workspace() -> "Workspace":
    """The workspace the command runs in, its folders made."""
    from gateway.workspace import Workspace, resolve_root

    ws = Workspace.open(resolve_root(state.workspace))
    ws.ensure_folders()
    return ws


def _json_default(v: Any) -> Any:
    if isinstance(v, Decimal):
        return json_number(v)
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, Path):
        return str(v)
    raise TypeError(type(v))


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, default=_json_default, ensure_ascii=False, indent=2) + "\n")


__all__ = [
    "JsonOpt",
    "app",
    "console",
    "err",
    "open_workspace",
    "orders_app",
    "print_json",
    "state",
]
