"""Crash safety: the gateway killed with SIGKILL at random moments while files arrive.

After the last restart every file has exactly one inbound record, no order is stored
twice, every reply exists exactly once, and every original is archived.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter

import pytest

from tests.gateway.running import (
    Gateway,
    archived,
    counts,
    drop_renamed,
    files_in,
    order,
    replies,
    wait_for,
)

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

FILES = 500
KILLS = 24


def _arrive(inbox, names, stop_after: float) -> None:  # noqa: ANN001
    """Drop the files over ``stop_after`` seconds; one in five written in place."""
    pause = stop_after / len(names)
    for i, name in enumerate(names):
        data = order(f"KILL-{i}")
        if i % 5 == 0:
            (inbox / name).write_bytes(data)
        else:
            drop_renamed(inbox, name, data)
        time.sleep(pause)


def _where_they_are(ws, names: list[str]) -> str:  # noqa: ANN001
    """What a failure needs to be understood: the files not done and where they sit."""
    done = {p.name for p in archived(ws, "shop")}
    told = {p.name for p in replies(ws, "shop")}
    every = sorted(
        str(p.relative_to(ws.root)) for p in ws.root.rglob("*") if p.is_file() and "k" in p.name
    )
    missing = [n for n in names if n not in done]
    stems = {n.removesuffix(".csv") for n in names}
    unanswered = sorted(s for s in stems if not any(s in t for t in told))
    stuck = [f for f in every if any(m.removesuffix(".csv") in f for m in missing + unanswered)]
    return (
        f"not archived: {missing}\nno reply: {unanswered}\ncounts: {counts(ws)}\nfiles: {stuck}\n"
    )


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_and_applies_nothing_twice(sqlite_workspace):
    ws = sqlite_workspace
    rng = random.Random(20260428)
    names = [f"k{i:03}.csv" for i in range(FILES)]
    writer = threading.Thread(target=_arrive, args=(ws.inbox("shop"), names, 30.0))
    writer.start()
    log = ws.root.parent / "gateway.log"
    kills = 0
    while kills < KILLS or writer.is_alive():
        gw = Gateway(ws.root, "--interval", "1", log=log).wait_started()
        if kills % 2:
            time.sleep(rng.uniform(0.0, 0.8))
        else:
            # Half the kills land while a file is claimed: mid-pipeline for sure.
            wait_for(lambda: files_in(ws.processing("shop")) != [], 3, interval=0.001)
            time.sleep(rng.uniform(0.0, 0.012))
        gw.kill()
        kills += 1
    writer.join()
    assert kills >= 20

    with Gateway(ws.root, "--interval", "1", log=log) as gw:
        gw.wait_started()
        assert wait_for(
            lambda: len(archived(ws, "shop")) >= FILES and len(replies(ws, "shop")) >= FILES,
            120,
            interval=0.5,
        ), _where_they_are(ws, names) + gw.log_text()[-5000:]
        assert gw.terminate() == 0

    assert "recovering" in log.read_text()  # the kills did land mid-pipeline
    c = counts(ws)
    assert c["inbound"] == c["inbound_names"] == FILES  # one inbound record per file
    assert c["orders"] == c["order_numbers"] == FILES  # no order stored twice
    assert (c["messages"], c["unsent"]) == (FILES, 0)
    reply_names = Counter(p.name for p in replies(ws, "shop"))
    assert len(reply_names) == FILES and set(reply_names.values()) == {1}
    assert sorted(p.name for p in archived(ws, "shop")) == names  # every original archived
    assert files_in(ws.failed_dir("shop")) == []
    assert files_in(ws.inbox("shop")) == []
