"""``status``: per partner, what is waiting, in hand, done and failed today."""

from __future__ import annotations

from rich.table import Table

from gateway.cli.app import JsonOpt, app, console, open_workspace, print_json


@app.command()
def status(as_json: JsonOpt = False) -> None:
    """Per partner: files waiting, in progress, processed and failed today, unsent replies.

    Example:
    order-gateway status --json
    """
    from gateway.daemon.status import cluster_status, gateway_status

    ws = open_workspace()
    rows = gateway_status(ws)
    cluster = cluster_status(ws)
    if as_json:
        shown = [r.as_dict() for r in rows]
        print_json(shown if cluster is None else {"partners": shown, "cluster": cluster.as_dict()})
        return
    table = Table(title="gateway status (today = since local midnight)")
    counted = ("waiting", "in progress", "abandoned", "processed", "failed", "unsent", "overdue")
    table.add_column("partner")
    for col in counted:
        table.add_column(col, justify="right")
    table.add_column("last error")
    for r in rows:
        last = ""
        if r.last_error is not None:
            when = r.last_error.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            last = f"{when} {r.last_error.file}: {r.last_error.reason}"
        numbers = (r.waiting, r.in_progress, r.abandoned, r.processed_today, r.failed_today)
        table.add_row(
            r.partner, *map(str, numbers), str(r.unsent_messages), str(r.overdue_orders), last
        )
    console.print(table)
    if cluster is not None:
        jobs = Table(title=f"cluster: {cluster.workers_alive} worker(s) alive, "
                     f"{cluster.stalled} job(s) stalled, {cluster.files_received} file(s) "
                     "received and not processed yet")  # fmt: skip
        states = ("waiting", "running", "failed", "succeeded")
        jobs.add_column("job")
        for state in states:
            jobs.add_column(state, justify="right")
        for task, counts in sorted(cluster.jobs.items()):
            jobs.add_row(task, *(str(counts.get(s, 0)) for s in states))
        console.print(jobs)
