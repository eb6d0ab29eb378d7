"""Files meant to stop the gateway, fed to real ``order-gateway run`` processes.

Each ends archived or quarantined with a reason, is looked at once (never re-reasoned on
every scan), and the next good file — of another partner — is processed without a person.
"""

from __future__ import annotations

import os
import socket
import time

import pytest

from tests.gateway.conftest import CONFIG, build_workspace
from tests.gateway.running import Gateway, archived, drop_renamed, files_in, order, wait_for

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def ws(tmp_path):
    workspace = build_workspace(tmp_path / "ws", config=CONFIG)
    yield workspace
    workspace.close()


def reasons(ws, partner: str) -> dict[str, str]:  # noqa: ANN001
    return {
        p.name.removesuffix(".reason.txt"): p.read_text()
        for p in files_in(ws.failed_dir(partner))
        if p.name.endswith(".reason.txt")
    }


def test_fifo_socket_and_hard_link_are_quarantined_once_unread(ws):
    inbox = ws.inbox("shop")
    os.mkfifo(inbox / "pipe.csv")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(inbox / "sock.csv"))
    secret = ws.root / "secret.csv"  # outside every inbox
    secret.write_bytes(order("SECRET-1"))
    os.link(secret, inbox / "linked.csv")
    with Gateway(ws.root, "--settle", "0.3") as gw:
        gw.wait_started()
        assert wait_for(lambda: len(reasons(ws, "shop")) >= 3, 30), gw.log_text()
        time.sleep(1.5)  # several scans more: no second reason file for any of them
        drop_renamed(ws.inbox("hotel"), "good.csv", order("GOOD-1"))
        assert wait_for(lambda: len(archived(ws, "hotel")) == 1, 30), gw.log_text()
        assert gw.terminate() == 0
    sock.close()
    why = reasons(ws, "shop")
    assert sorted(why) == ["linked.csv", "pipe.csv", "sock.csv"]
    assert "a named pipe (FIFO)" in why["pipe.csv"]
    assert "a socket" in why["sock.csv"]
    assert "a hard link" in why["linked.csv"]
    assert files_in(ws.inbox("shop")) == []
    assert archived(ws, "shop") == []
    assert secret.read_bytes() == order("SECRET-1")  # left alone, never echoed
    assert not any(b"SECRET" in p.read_bytes() for p in files_in(ws.outbox("shop")))


def test_names_too_long_or_not_utf8_are_processed_and_answered(ws):
    inbox = os.fsencode(ws.inbox("shop"))
    long_name = b"x" * 245 + b".csv"
    latin1 = "commande-été.csv".encode("latin-1")
    for name, number in ((long_name, "LONG-1"), (latin1, "LATIN-1")):
        tmp = os.path.join(inbox, b"." + name[:200] + b".tmp")
        with open(tmp, "wb") as fh:
            fh.write(order(number))
        os.rename(tmp, os.path.join(inbox, name))
    with Gateway(ws.root, "--settle", "0.3") as gw:
        gw.wait_started()
        assert wait_for(lambda: len(archived(ws, "shop")) == 2, 30), gw.log_text()
        drop_renamed(ws.inbox("hotel"), "good.csv", order("GOOD-1"))
        assert wait_for(lambda: len(archived(ws, "hotel")) == 1, 30), gw.log_text()
        assert gw.terminate() == 0
    assert files_in(ws.failed_dir("shop")) == []
    assert files_in(ws.processing("shop")) == []
    acks = sorted(p.name for p in files_in(ws.outbox("shop")))
    assert len(acks) == 2
    assert all(len(os.fsencode(a)) <= 255 for a in acks)
    assert any(a.startswith("ACK_commande-\\xe9t\\xe9_") for a in acks), acks
    assert any(a.startswith("ACK_xxxx") and "~" in a for a in acks), acks


@pytest.mark.slow
def test_file_written_in_three_opens_is_read_once_whole(ws):
    path = ws.inbox("shop") / "export.csv"
    header, *rows = order("THREE-1", lines=3).splitlines(keepends=True)
    with Gateway(ws.root, "--settle", "2") as gw:
        gw.wait_started()
        for i, row in enumerate(rows):
            with open(path, "ab") as fh:  # each open: a close event inotify reports
                fh.write((header if i == 0 else b"") + row)
            time.sleep(1.0)
            assert path.exists(), "claimed after a close while its writer was not done"
        assert wait_for(lambda: len(archived(ws, "shop")) == 1, 30), gw.log_text()
        assert gw.terminate() == 0
    from gateway.orders.queries import list_orders

    [placed] = list_orders(ws)
    assert [ln["quantity"] for ln in placed["lines"]] == [1, 2, 3]
    assert [p.name for p in files_in(ws.outbox("shop"))] != []
    assert files_in(ws.failed_dir("shop")) == []
