"""``status``: per partner, what is waiting, in hand, done and failed today."""

from gateway.cli.app import JsonOpt, app, open_workspace, print_json


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
    from rich.markup import escape

    from gateway.cli.tables import Column, print_records

    counted = ("waiting", "in progress", "abandoned", "processed", "failed", "unsent", "overdue")
    columns = [Column("partner"), *(Column(c, justify="right") for c in counted),
               Column("last error", whole=False)]  # fmt: skip
    table_rows = []
    for r in rows:
        last = ""
        if r.last_error is not None:
            when = r.last_error.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            last = escape(f"{when} {r.last_error.file}: {r.last_error.reason}")
        numbers = (r.waiting, r.in_progress, r.abandoned, r.processed_today, r.failed_today,
                   r.unsent_messages, r.overdue_orders)  # fmt: skip
        table_rows.append([escape(r.partner), *map(str, numbers), last])
    print_records(columns, table_rows, title="gateway status (today = since local midnight)")
    if cluster is not None:
        states = ("waiting", "running", "failed", "succeeded")
        print_records(
            [Column("job"), *(Column(s, justify="right") for s in states)],
            ([task, *(str(counts.get(s, 0)) for s in states)]
             for task, counts in sorted(cluster.jobs.items())),
            title=f"cluster: {cluster.workers_alive} worker(s) alive, {cluster.stalled} job(s) "
            f"stalled, {cluster.files_received} file(s) received and not processed yet",
        )  # fmt: skip
