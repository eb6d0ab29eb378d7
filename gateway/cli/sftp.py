"""``order-gateway sftp …``: check a partner's SFTP connection by hand."""

from typing import Annotated

import typer

from gateway.cli.app import app, console, err, open_workspace, print_json

sftp_app = typer.Typer(help="SFTP partners: check connections.", no_args_is_help=True)
app.add_typer(sftp_app, name="sftp")


@sftp_app.command("test")
def sftp_test(
    partner: Annotated[
        str, typer.Argument(metavar="PARTNER", help="Partner id (channel = 'sftp').")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Connect, check the pinned host key, list in/out, write and remove a probe file.

    Example:
    order-gateway sftp test bigretail
    """
    from gateway.channels.sftp import probe_server

    ws = open_workspace()
    settings = ws.partner(partner).sftp
    if settings is None:
        err.print(f"[red]partner {partner!r} has no sftp settings (channel = 'sftp')[/red]")
        raise typer.Exit(2)
    report = probe_server(partner, settings, settings.known_hosts or ws.known_hosts)
    if as_json:
        print_json(
            {
                "partner": partner,
                "ok": report.ok,
                "steps": [
                    {"step": s.name, "status": s.status.value, "message": s.message}
                    for s in report.steps
                ],
            }
        )
    else:
        for line in report.lines():
            console.print(line)
    raise typer.Exit(0 if report.ok else 1)
