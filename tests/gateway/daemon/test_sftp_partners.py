"""SFTP partners end to end against a real OpenSSH server (tests/sshd.py).

The partner's own client uploads order files to its ``in`` folder; the gateway polls,
processes, archives remotely and uploads acknowledgements to ``out`` — each once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.daemon.passes import run_once
from gateway.daemon.sftp_partners import SftpIntake
from gateway.orders.queries import list_orders
from tests.gateway.conftest import COFFEE, build_workspace

pytestmark = pytest.mark.sftp

A = "ogw-sftp-a"


def config_for(server, key_file: Path | None = None) -> str:  # noqa: ANN001
    key = key_file or server.accounts[A].key_file
    return f"""
[gateway]
known_hosts = "{server.known_hosts}"

[partners.remote]
name = "Remote ERP over SFTP"
channel = "sftp"
grants = [{{ customer = "C1", site = "S1" }}]

[partners.remote.sftp]
host = "{server.host}"
port = {server.port}
user = "{A}"
key_file = "{key}"
settle_seconds = 0
poll_interval = 0.5
timeout = 2
retry_attempts = 2
retry_backoff = 0.1

[partners.shop]
name = "Folder partner"
grants = [{{ customer = "C1", site = "S1" }}]
"""


def order(number: str) -> bytes:
    return f"N° commande;Code-barre;Quantité\n{number};{COFFEE};2\n".encode()


def upload(server, name: str, data: bytes) -> None:  # noqa: ANN001
    with server.partner_client(A) as sftp:
        with sftp.open(f"in/.{name}.part", "wb") as fh:
            fh.write(data)
        sftp.rename(f"in/.{name}.part", f"in/{name}")


def remote(server, folder: str) -> list[str]:  # noqa: ANN001
    return sorted(p.name for p in server.accounts[A].folder(folder).iterdir())


@pytest.fixture
def ws(sshd, tmp_path):  # noqa: ANN001, ANN201
    workspace = build_workspace(tmp_path / "ws", config=config_for(sshd))
    yield workspace
    workspace.close()


def test_uploaded_file_becomes_an_order_archived_remotely_with_ack_in_out(sshd, ws):
    upload(sshd, "po-1.csv", order("PO-1"))
    intake = SftpIntake(ws, "remote")
    try:
        assert intake.poll_once() == []  # first sight: not yet known to be settled
        [outcome] = intake.poll_once()
        assert outcome.outcome == "processed"
        assert intake.poll_once() == []  # nothing taken twice
    finally:
        intake.close()
    assert [o["order_number"] for o in list_orders(ws)] == ["PO-1"]
    assert remote(sshd, "in") == []
    assert remote(sshd, "archive") == ["po-1.csv"]
    out = remote(sshd, "out")
    assert len(out) == 1 and out[0].startswith("ACK_po-1")


def test_crash_after_commit_before_remote_archive_is_not_processed_twice(sshd, ws, monkeypatch):
    upload(sshd, "po-2.csv", order("PO-2"))
    first = SftpIntake(ws, "remote")
    first.poll_once()

    def killed(*_a, **_k):
        raise SystemExit("killed between commit and remote archive")

    monkeypatch.setattr(first, "_archive", killed)
    with pytest.raises(SystemExit):
        first.poll_once()
    first.close()
    monkeypatch.undo()
    assert remote(sshd, "in") == ["po-2.csv"]  # still there remotely

    again = SftpIntake(ws, "remote")  # a restarted gateway
    try:
        again.poll_once()
        again.poll_once()
    finally:
        again.close()
    assert len(list_orders(ws)) == 1
    assert remote(sshd, "in") == [] and remote(sshd, "archive") == ["po-2.csv"]
    assert len(remote(sshd, "out")) == 1


def test_server_down_then_back_loses_and_doubles_nothing(sshd, ws):
    upload(sshd, "po-3.csv", order("PO-3"))
    intake = SftpIntake(ws, "remote")
    try:
        intake.poll_once()
        sshd.stop()
        assert intake.poll_once() == []  # unavailable: skipped, no exception
        sshd.start()
        intake.poll_once()
        intake.poll_once()
    finally:
        intake.close()
    assert [o["order_number"] for o in list_orders(ws)] == ["PO-3"]
    assert remote(sshd, "archive") == ["po-3.csv"] and len(remote(sshd, "out")) == 1


def test_wrong_key_for_sftp_partner_does_not_stop_folder_partners(sshd, tmp_path, drop):
    wrong = sshd.stranger_key
    workspace = build_workspace(tmp_path / "ws2", config=config_for(sshd, key_file=wrong))
    try:
        intake = SftpIntake(workspace, "remote")
        assert intake.poll_once() == []
        intake.close()
        drop(workspace, "shop", "local.csv", order("PO-LOCAL"))
        [outcome] = run_once(workspace, settle=0)
        assert outcome.outcome == "processed"
    finally:
        workspace.close()


def test_sftp_test_command_reports_each_step(sshd, ws):
    from typer.testing import CliRunner

    from gateway.cli.app import app

    result = CliRunner().invoke(app, ["-w", str(ws.root), "sftp", "test", "remote", "--json"])
    assert result.exit_code == 0, result.output
    import json

    report = json.loads(result.output)
    assert report["ok"] is True
    assert len(report["steps"]) >= 3


def test_sftp_partner_without_settings_is_a_config_error(tmp_path):
    from gateway.config.settings import ConfigError, load_config

    path = tmp_path / "gateway.toml"
    path.write_text('[partners.r]\nname = "R"\nchannel = "sftp"\n')
    with pytest.raises(ConfigError, match="partners.r"):
        load_config(path)


def test_running_gateway_serves_sftp_and_folder_partners_side_by_side(sshd, ws):
    from tests.gateway.running import Gateway, drop_renamed, wait_for

    with Gateway(ws.root, "--interval", "1") as gw:
        gw.wait_started()
        upload(sshd, "po-9.csv", order("PO-SFTP"))
        drop_renamed(ws.inbox("shop"), "local.csv", order("PO-FOLDER"))
        assert wait_for(lambda: len(remote(sshd, "out")) == 1, timeout=60), gw.log_text()
        assert wait_for(lambda: len(list_orders(ws)) == 2, timeout=30), gw.log_text()
        assert gw.terminate() == 0
    assert sorted(o["order_number"] for o in list_orders(ws)) == ["PO-FOLDER", "PO-SFTP"]
    assert remote(sshd, "archive") == ["po-9.csv"]


def test_run_once_takes_sftp_files_too(sshd, ws):
    upload(sshd, "po-10.csv", order("PO-ONCE"))
    outcomes = run_once(ws, settle=0)
    assert [o.outcome for o in outcomes] == ["processed"]
    assert remote(sshd, "archive") == ["po-10.csv"] and len(remote(sshd, "out")) == 1
