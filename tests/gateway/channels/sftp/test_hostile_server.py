"""An SFTP server that lists names no honest server sends: absolute paths, ``a/b``,
``..``. The gateway takes plain names only, warns once naming the partner, and never
reads, moves or uploads a local file the server pointed at."""

from __future__ import annotations

import logging
import subprocess
import sys

from gateway.channels.sftp.channel import SftpChannel
from gateway.config.sftp import SftpSettings
from tests.gateway.conftest import CONFIG, build_workspace
from tests.gateway.running import REPO, archived, files_in, order
from tests.hostile_sftp import hostile_sftp


def settings(port: int, key: str) -> dict:
    return {
        "host": "127.0.0.1",
        "port": port,
        "user": "partner",
        "key_file": key,
        "settle_seconds": 0,
        "timeout": 2,
        "retry_attempts": 1,
    }


def test_names_that_are_paths_are_skipped_with_a_warning_naming_the_partner(tmp_path, caplog):
    secret = tmp_path / "secret.csv"
    secret.write_bytes(order("SECRET-1"))
    served = tmp_path / "served"
    served.mkdir()
    (served / "PO-1.csv").write_bytes(order("PO-1"))
    lies = [str(secret), "../secret.csv", "in/../../secret.csv", "a/b.csv", ".."]
    with hostile_sftp(tmp_path, served, lies) as server:
        cfg = SftpSettings.model_validate(settings(server.port, str(server.client_key)))
        with SftpChannel("bigretail", cfg, known_hosts=server.known_hosts) as channel:
            caplog.set_level(logging.WARNING, "gateway.channels.sftp.channel")
            channel.poll()
            second = channel.poll()
    assert [rf.name for rf in second] == ["PO-1.csv"]
    warned = [r.getMessage() for r in caplog.records if "not a plain file name" in r.getMessage()]
    assert len(warned) == 4  # once each, not on every poll ('..' is no entry at all)
    assert all("partner=bigretail" in w for w in warned)


def test_run_once_takes_the_plain_files_and_leaves_local_files_alone(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_bytes(order("SECRET-1"))
    served = tmp_path / "served"
    served.mkdir()
    (served / "PO-2.csv").write_bytes(order("PO-2"))
    with hostile_sftp(tmp_path, served, [str(secret), "x/y.csv"]) as server:
        sftp = "\n".join(
            f"{k} = {v!r}" for k, v in settings(server.port, str(server.client_key)).items()
        )
        config = (
            f'[gateway]\nknown_hosts = "{server.known_hosts}"\n'
            + CONFIG
            + '\n[partners.bigretail]\nname = "Big Retail"\nchannel = "sftp"\n'
            + 'grants = [{ customer = "C1", site = "S1" }]\n'
            + "[partners.bigretail.sftp]\n"
            + sftp.replace("'", '"')
            + "\n"
        )
        ws = build_workspace(tmp_path / "ws", config=config)
        try:
            done = subprocess.run(
                [sys.executable, "-m", "gateway", "-w", str(ws.root), "run", "--once",
                 "--settle", "0"],
                capture_output=True, text=True, cwd=REPO, timeout=120,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr[-3000:]
            assert secret.read_bytes() == order("SECRET-1")  # not moved, not read
            assert [p.name for p in archived(ws, "bigretail")] == ["PO-2.csv"]
            assert files_in(ws.failed_dir("bigretail")) == []
            assert not any(b"SECRET" in p.read_bytes() for p in files_in(ws.outbox("bigretail")))
            assert "not a plain file name" in done.stderr
        finally:
            ws.close()
