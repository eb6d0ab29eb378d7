"""``worker``: one process of a cluster, taking jobs from PostgreSQL (cluster mode)."""

from typing import Annotated

import typer

from gateway.cli.app import app, err, open_workspace


@app.command()
def worker(
    queues: Annotated[
        list[str] | None,
        typer.Option(
            "--queues",
            "-q",
            metavar="QUEUE",
            help="Queues to take jobs from (repeat; default: poll, process, dispatch "
            "and this node's node.NAME).",
        ),
    ] = None,
    node: Annotated[
        str | None,
        typer.Option(
            metavar="NODE",
            help="This machine's node name (default: $ORDER_GATEWAY_NODE, else host name).",
        ),
    ] = None,
    concurrency: Annotated[
        int,
        typer.Option(
            min=1, max=32, metavar="N", help="Jobs run at once by this process (1 to 32)."
        ),
    ] = 1,
) -> None:
    """Take cluster jobs (polls, processing, sending) until SIGTERM, in cluster mode.

    The workspace is checked first (as ``run`` does): on an error it does not start.

    Examples:
    order-gateway worker --node gw-a
    order-gateway worker --node gw-b --queues process --concurrency 2
    """
    from gateway.cli.check import refuse_to_start_on_errors
    from gateway.config.cluster import this_node
    from gateway.daemon.worker import run_worker
    from gateway.store.jobs import queue_schema_present

    ws = open_workspace()
    ws.node = this_node(node)
    if not ws.cluster or not ws.database_url.startswith("postgresql"):
        err.print(
            "[red]worker needs cluster mode: [cluster] enabled = true and a PostgreSQL "
            "[gateway] database (use `order-gateway run` otherwise)[/red]"
        )
        raise typer.Exit(2)
    refuse_to_start_on_errors(ws)
    with ws.engine.connect() as conn:
        ready = queue_schema_present(conn)
    if not ready:
        err.print("[red]the job queue's tables are missing: run `order-gateway db upgrade`[/red]")
        raise typer.Exit(2)
    raise typer.Exit(run_worker(ws, queues=queues, concurrency=concurrency))
