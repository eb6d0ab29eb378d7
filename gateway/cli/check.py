"""``check``: the whole workspace validated before work starts (``run`` checks the same)."""

import logging
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from gateway.cli.app import JsonOpt, app, console, err, open_workspace, print_json

if TYPE_CHECKING:  # imported where used: --help imports neither pydantic nor SQLAlchemy
    from gateway.config.check import CheckReport
    from gateway.workspace import Workspace

log = logging.getLogger("gateway.check")


@app.command()
def check(as_json: JsonOpt = False) -> None:
    """Check the configuration, mapping profiles, grants, defaults and SFTP settings.

    Exit status 0 when the gateway can start (warnings may be printed), 2 otherwise.

    Examples:
    order-gateway check
    order-gateway -w /srv/order-gateway check --json
    """
    from gateway.config.check import check_workspace
    from gateway.config.settings import ConfigError

    try:
        ws = open_workspace()
    except ConfigError as exc:
        if not as_json:
            raise  # printed by the application, one line per problem
        problems = [{"severity": "error", "message": p} for p in exc.problems]
        print_json({"ok": False, "problems": problems})
        raise typer.Exit(exc.exit_code) from None
    try:
        report = check_workspace(ws)
    finally:
        ws.close()
    if as_json:
        print_json({"ok": not report.errors, "problems": [p.as_dict() for p in report.problems]})
    else:
        print_report(report, str(ws.root))
    if report.errors:
        raise typer.Exit(2)


def print_report(report: "CheckReport", root: str) -> None:
    """The problems, errors first, then a one-line verdict."""
    from gateway.config.check import Severity

    for p in report.errors + report.warnings:
        colour = "red" if p.severity is Severity.ERROR else "yellow"
        err.print(f"[{colour}]{p.severity.value}[/{colour}] {escape(str(p))}", soft_wrap=True)
    counts = (
        f"{report.partners} partner(s), {report.profiles} mapping profile(s), "
        f"{report.customers} customer(s), {report.sites} site(s)"
    )
    if report.errors:
        err.print(f"[red]{len(report.errors)} error(s)[/red] in {root} ({counts})", soft_wrap=True)
    else:
        warned = f", {len(report.warnings)} warning(s)" if report.warnings else ""
        console.print(f"workspace {root} is ready: {counts}{warned}", soft_wrap=True)


def refuse_to_start_on_errors(ws: "Workspace") -> None:
    """The first step of ``run`` (and ``serve``): the same check as ``check``. Problems go
    to the log, one record each; an error stops the start (exit status 2)."""
    from gateway.config.check import Severity, check_workspace

    report = check_workspace(ws)
    for p in report.warnings + report.errors:
        level = logging.ERROR if p.severity is Severity.ERROR else logging.WARNING
        log.log(level, "configuration: %s", p, extra={"key": p.key, "value": p.value})
    if report.errors:
        log.error(
            "gateway not started: %d configuration error(s) in %s "
            "(`order-gateway check` lists them)",
            len(report.errors),
            ws.root,
            extra={"workspace": str(ws.root)},
        )
        ws.close()
        raise typer.Exit(2)


__all__ = ["check", "print_report", "refuse_to_start_on_errors"]
