"""The SFTP channel against a real OpenSSH server (tests/sshd.py), plus its pure parts."""

from __future__ import annotations

import errno
import logging
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pydantic
import pytest

from gateway.channels.sftp.channel import SftpChannel
from gateway.channels.sftp.errors import (
    AuthenticationFailed,
    HostKeyRejected,
    RemoteFileChanged,
    RemoteFileMissing,
    RemoteNameTaken,
    SftpUnavailable,
    TransferIncomplete,
)
from gateway.channels.sftp.probe import StepStatus
from gateway.channels.sftp.readiness import NameFilter, Readiness, RemoteFile, SettleTracker
from gateway.config.sftp import SftpSettings

if TYPE_CHECKING:  # the module itself loads as a plugin, so pytest can rewrite its asserts
    from tests.sshd import SshServer

SSH_KEYGEN = shutil.which("ssh-keygen") or "/usr/bin/ssh-keygen"

A, B = "ogw-sftp-a", "ogw-sftp-b"


def settings_for(server: SshServer, user: str = A, **overrides: object) -> SftpSettings:
    values: dict[str, object] = {
        "host": server.host,
        "port": server.port,
        "user": user,
        "key_file": server.accounts[user].key_file,
        "settle_seconds": 0,  # ready on the second poll; tests of settling raise it
        "timeout": 2.0,
        "retry_attempts": 2,
        "retry_backoff": 0.1,
    }
    values.update(overrides)
    return SftpSettings(**values)


def channel_for(server: SshServer, user: str = A, **overrides: object) -> SftpChannel:
    return SftpChannel(f"partner-{user[-1]}", settings_for(server, user, **overrides),
                       known_hosts=server.known_hosts)  # fmt: skip


def put(server: SshServer, path: str, data: bytes, user: str = A) -> None:
    """Upload as the partner does, over its own SFTP connection."""
    with server.partner_client(user) as sftp, sftp.open(path, "wb") as fh:
        fh.write(data)


def ready_files(channel: SftpChannel, polls: int = 2) -> list[RemoteFile]:
    result: list[RemoteFile] = []
    for _ in range(polls):
        result = channel.poll()
    return result


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# -- settings and readiness rules (no server) ----------------------------------------------


def test_settings_error_names_the_unknown_key():
    with pytest.raises(pydantic.ValidationError) as info:
        SftpSettings(host="h", user="u", key_file="k", poll_intervall=5)
    assert info.value.errors()[0]["loc"] == ("poll_intervall",)


def test_settings_require_exactly_one_credential():
    with pytest.raises(pydantic.ValidationError, match="key_file or password_env"):
        SftpSettings(host="h", user="u")
    with pytest.raises(pydantic.ValidationError, match="only one of key_file and password_env"):
        SftpSettings(host="h", user="u", key_file="k", password_env="PW")


def test_password_pasted_into_password_env_is_refused_without_echoing_it():
    with pytest.raises(pydantic.ValidationError) as info:
        SftpSettings(host="h", user="u", password_env="s3cr3t pass!")
    assert info.value.errors()[0]["loc"] == ("password_env",)
    assert "s3cr3t" not in str(info.value)


def test_settle_tracker_restarts_the_clock_when_size_changes():
    tracker = SettleTracker(settle_seconds=2)
    assert tracker.observe({"a": (1, 10)}, now=0) == set()
    assert tracker.observe({"a": (5, 10)}, now=3) == set()  # grew: start again
    assert tracker.observe({"a": (5, 10)}, now=4) == set()
    assert tracker.observe({"a": (5, 10)}, now=5) == {"a"}


def test_name_filter_matches_temp_names_and_patterns_case_insensitively():
    names_ = NameFilter(["*.csv"], [".*", "*.tmp", "~$*"], done_marker=None)
    assert names_.is_temp("ORDER.TMP") and names_.is_temp("~$order.csv")
    assert names_.is_temp(".order.csv.part")
    assert names_.wanted("ORDER.CSV") and not names_.wanted("order.txt")


def test_file_over_max_file_size_is_skipped_and_reported_once():
    from dataclasses import dataclass

    @dataclass
    class Entry:
        filename: str
        st_size: int
        st_mtime: int = 1_700_000_000
        st_mode: int = 0o100644  # regular file

    settings = SftpSettings(host="h", user="u", key_file="k", settle_seconds=0, max_file_size=10)
    readiness = Readiness(settings, NameFilter(["*"], [], None))
    listing = [Entry("big.csv", 11), Entry("ok.csv", 10)]
    assert readiness.select(listing, now=0) == ([], [("big.csv", 11)])
    ready, oversized = readiness.select(listing, now=1)
    assert [f.name for f in ready] == ["ok.csv"] and oversized == []


# -- against the real server ----------------------------------------------------------------

sftp_test = pytest.mark.sftp


@sftp_test
def test_stable_file_is_polled_downloaded_and_archived(sshd: SshServer, tmp_path: Path):
    put(sshd, "in/order-1.csv", b"ean;qty\n4006381333931;12\n")
    with channel_for(sshd) as channel:
        [rf] = ready_files(channel)
        got = channel.download_with_sha256(rf, tmp_path / "order-1.csv")
        assert (tmp_path / "order-1.csv").read_bytes() == b"ean;qty\n4006381333931;12\n"
        assert got.size == rf.size == 25
        assert names(tmp_path) == {"order-1.csv"}  # no temp file left beside it
        assert channel.archive(rf) == "archive/order-1.csv"
    account = sshd.accounts[A]
    assert names(account.folder("in")) == set()
    assert names(account.folder("archive")) == {"order-1.csv"}


@sftp_test
def test_a_new_file_is_not_ready_on_its_first_poll(sshd: SshServer):
    put(sshd, "in/order.csv", b"x")
    with channel_for(sshd, settle_seconds=1.0) as channel:
        assert channel.poll() == []
        assert channel.poll() == []  # seen twice, but not yet 1 s apart
        time.sleep(1.0)
        assert [f.name for f in channel.poll()] == ["order.csv"]


@sftp_test
def test_slowly_uploaded_file_is_not_polled_until_complete(sshd: SshServer):
    chunks = [bytes([65 + i]) * 1000 for i in range(7)]
    finished = threading.Event()

    def partner_writes_slowly() -> None:
        with sshd.partner_client(A) as sftp, sftp.open("in/big.csv", "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
                time.sleep(0.5)
        finished.set()

    writer = threading.Thread(target=partner_writes_slowly)
    returned_while_writing: list[RemoteFile] = []
    with channel_for(sshd, settle_seconds=1.0) as channel:
        writer.start()
        try:
            while not finished.is_set():
                ready = channel.poll()
                if not finished.is_set():  # the whole poll ran while the partner was writing
                    returned_while_writing.extend(ready)
                time.sleep(0.2)
        finally:
            writer.join()
        deadline = time.monotonic() + 5
        while not (ready := channel.poll()) and time.monotonic() < deadline:
            time.sleep(0.2)
    assert returned_while_writing == []
    assert [(f.name, f.size) for f in ready] == [("big.csv", 7000)]


@sftp_test
def test_reply_appears_in_out_once_even_when_sent_twice(sshd: SshServer):
    with channel_for(sshd) as channel:
        assert channel.upload("ORDRSP-1.edi", b"UNA:+.? 'UNB...'") is True
        # The dispatcher did not learn of the first success (crash, lost answer): again.
        assert channel.upload("ORDRSP-1.edi", b"UNA:+.? 'UNB...'") is False
    out = sshd.accounts[A].folder("out")
    assert names(out) == {"ORDRSP-1.edi"}  # no .ORDRSP-1.edi.part left
    assert (out / "ORDRSP-1.edi").read_bytes() == b"UNA:+.? 'UNB...'"


@sftp_test
def test_reply_name_taken_by_other_bytes_is_not_overwritten(sshd: SshServer):
    put(sshd, "out/ack.txt", b"the partner's own file")
    with channel_for(sshd) as channel, pytest.raises(RemoteNameTaken, match="out/ack.txt"):
        channel.upload("ack.txt", b"our ack")
    assert (sshd.accounts[A].folder("out") / "ack.txt").read_bytes() == b"the partner's own file"


@sftp_test
def test_server_stopped_mid_poll_raises_unavailable_then_recovers(sshd: SshServer, tmp_path):
    put(sshd, "in/before.csv", b"1")
    channel = channel_for(sshd)
    [before] = ready_files(channel)
    channel.upload("reply-1.txt", b"r1")

    sshd.freeze()  # the next request hangs on the open connection…
    outcome: list[BaseException] = []

    def poll() -> None:
        try:
            channel.poll()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    poller = threading.Thread(target=poll)
    started = time.monotonic()
    poller.start()
    time.sleep(0.3)
    sshd.stop()  # …and the server dies under it
    poller.join(timeout=15)
    assert not poller.is_alive(), "poll hung on a dead server"
    assert isinstance(outcome[0], SftpUnavailable)
    assert time.monotonic() - started < 8
    with pytest.raises(SftpUnavailable):
        channel.upload("reply-2.txt", b"r2")

    sshd.start()
    put(sshd, "in/during.csv", b"2")
    ready = ready_files(channel)
    assert [f.name for f in ready] == ["before.csv", "during.csv"]
    for rf in ready:
        channel.download(rf, tmp_path / rf.name)
        channel.archive(rf)
    channel.upload("reply-1.txt", b"r1")  # resent after the outage: still only once
    channel.upload("reply-2.txt", b"r2")
    channel.close()
    account = sshd.accounts[A]
    assert names(account.folder("in")) == set()
    assert names(account.folder("archive")) == {"before.csv", "during.csv"}
    assert names(account.folder("out")) == {"reply-1.txt", "reply-2.txt"}
    assert before in ready


@sftp_test
def test_hung_server_raises_unavailable_within_the_deadline(sshd: SshServer):
    with channel_for(sshd, timeout=1.5) as channel:
        channel.connect()
        sshd.freeze()
        started = time.monotonic()
        with pytest.raises(SftpUnavailable) as info:
            channel.poll()
        elapsed = time.monotonic() - started
        # 2 attempts, each at most about 2 × timeout, plus backoff.
        assert elapsed < 2 * 2 * 1.5 + 1, elapsed
        assert info.value.attempts == 2
        sshd.thaw()
        assert channel.poll() == []


@sftp_test
def test_changed_host_key_is_refused_naming_host_and_fingerprint(sshd: SshServer, tmp_path):
    other = tmp_path / "other_key"
    subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    key_type, key_b64 = Path(f"{other}.pub").read_text().split()[:2]
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{sshd.port} {key_type} {key_b64}\n")
    channel = SftpChannel("acme", settings_for(sshd), known_hosts=known_hosts)
    with pytest.raises(HostKeyRejected) as info:
        channel.poll()
    message = str(info.value)
    assert f"127.0.0.1:{sshd.port}" in message
    assert sshd.fingerprint() in message  # the key offered, as OpenSSH prints it
    assert info.value.offered == f"ssh-ed25519 {sshd.fingerprint()}"
    assert info.value.expected is not None and info.value.expected != info.value.offered
    assert known_hosts.read_text().count("\n") == 1  # nothing added


@sftp_test
def test_unknown_host_is_refused_with_the_offered_fingerprint(sshd: SshServer, tmp_path):
    channel = SftpChannel("acme", settings_for(sshd), known_hosts=tmp_path / "none")
    with pytest.raises(HostKeyRejected, match="unknown host key") as info:
        channel.poll()
    assert sshd.fingerprint() in str(info.value)
    assert info.value.expected is None
    assert not (tmp_path / "none").exists()


@sftp_test
def test_partner_cannot_see_or_read_another_partners_files(sshd: SshServer):
    put(sshd, "in/b-secret.csv", b"B only", user=B)
    b_file_on_host = sshd.accounts[B].folder("in") / "b-secret.csv"
    with sshd.partner_client(A) as sftp:
        assert set(sftp.listdir("/")) == {"in", "out", "archive"}
        assert set(sftp.listdir("/..")) == {"in", "out", "archive"}
        for path in (str(b_file_on_host), "/../ogw-sftp-b/in/b-secret.csv"):
            with pytest.raises(OSError) as info:
                sftp.open(path, "rb")
            assert info.value.errno == errno.ENOENT
    with channel_for(sshd, A) as channel:
        assert ready_files(channel) == []


@sftp_test
def test_wrong_private_key_fails_with_a_clear_authentication_error(sshd: SshServer):
    channel = channel_for(sshd, key_file=sshd.stranger_key)
    started = time.monotonic()
    with pytest.raises(AuthenticationFailed) as info:
        channel.poll()
    message = str(info.value)
    assert f"ogw-sftp-a@127.0.0.1:{sshd.port}" in message
    assert str(sshd.stranger_key) in message
    assert "authorized_keys" in message
    assert time.monotonic() - started < 2  # refused credentials are not retried


@sftp_test
def test_password_is_read_from_the_named_environment_variable(sshd: SshServer, monkeypatch):
    monkeypatch.setenv("OGW_TEST_SFTP_PASSWORD", sshd.accounts[B].password)
    put(sshd, "in/b.csv", b"b", user=B)
    channel = channel_for(sshd, B, key_file=None, password_env="OGW_TEST_SFTP_PASSWORD")
    with channel:
        assert [f.name for f in ready_files(channel)] == ["b.csv"]


@sftp_test
def test_wrong_password_is_refused_without_showing_it(sshd: SshServer, monkeypatch, caplog):
    monkeypatch.setenv("OGW_TEST_SFTP_PASSWORD", "not-the-password-42")
    channel = channel_for(sshd, B, key_file=None, password_env="OGW_TEST_SFTP_PASSWORD")
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthenticationFailed) as info:
        channel.poll()
    assert "$OGW_TEST_SFTP_PASSWORD" in str(info.value)
    assert "not-the-password-42" not in str(info.value) + caplog.text


@sftp_test
def test_done_marker_partner_gets_only_files_whose_marker_exists(sshd: SshServer):
    put(sshd, "in/o1.csv", b"1")
    put(sshd, "in/o1.csv.done", b"")
    put(sshd, "in/o2.csv", b"2")
    with channel_for(sshd, done_marker="done", settle_seconds=60) as channel:
        [rf] = channel.poll()  # first poll: the marker, not settling, decides
        assert (rf.name, rf.marker) == ("o1.csv", "o1.csv.done")
        assert [f.name for f in channel.poll()] == ["o1.csv"]  # o2 never, without a marker
        channel.archive(rf)
    account = sshd.accounts[A]
    assert names(account.folder("in")) == {"o2.csv"}
    assert names(account.folder("archive")) == {"o1.csv"}


@sftp_test
def test_temp_names_and_folders_in_in_are_ignored(sshd: SshServer):
    with sshd.partner_client(A) as sftp:
        for name in (".o.csv", "o.tmp", "O.TMP", "o.csv.part", "~$o.xlsx", "good.csv"):
            with sftp.open(f"in/{name}", "wb") as fh:
                fh.write(b"x")
        sftp.mkdir("in/sub.csv")
    with channel_for(sshd) as channel:
        assert [f.name for f in ready_files(channel)] == ["good.csv"]


@sftp_test
def test_patterns_choose_which_files_are_taken(sshd: SshServer):
    put(sshd, "in/orders.EDI", b"x")
    put(sshd, "in/readme.txt", b"x")
    with channel_for(sshd, patterns=["*.edi", "*.x12"]) as channel:
        assert [f.name for f in ready_files(channel)] == ["orders.EDI"]


@sftp_test
def test_archive_adds_a_suffix_when_the_name_is_taken(sshd: SshServer):
    put(sshd, "archive/o.csv", b"last week's")
    put(sshd, "in/o.csv", b"this week's")
    with channel_for(sshd) as channel:
        [rf] = ready_files(channel)
        assert channel.archive(rf) == "archive/o-1.csv"
    archive = sshd.accounts[A].folder("archive")
    assert (archive / "o.csv").read_bytes() == b"last week's"
    assert (archive / "o-1.csv").read_bytes() == b"this week's"


@sftp_test
def test_archive_falls_back_to_plain_rename_without_posix_rename(sshd: SshServer, caplog):
    put(sshd, "in/o.csv", b"b's order", user=B)  # B's server denies posix-rename
    with caplog.at_level(logging.INFO, logger="gateway.channels.sftp.channel"):
        with channel_for(sshd, B) as channel:
            [rf] = ready_files(channel)
            assert channel.archive(rf) == "archive/o.csv"
            assert channel.upload("reply.txt", b"r") is True
    account = sshd.accounts[B]
    assert names(account.folder("in")) == set()
    assert names(account.folder("archive")) == {"o.csv"}
    assert names(account.folder("out")) == {"reply.txt"}
    assert "using plain rename" in caplog.text


@sftp_test
def test_archive_leaves_a_file_resent_since_the_poll(sshd: SshServer):
    put(sshd, "in/o.csv", b"first")
    with channel_for(sshd) as channel:
        [rf] = ready_files(channel)
        put(sshd, "in/o.csv", b"second, longer")
        with pytest.raises(RemoteFileChanged):
            channel.archive(rf)
    assert names(sshd.accounts[A].folder("in")) == {"o.csv"}


@sftp_test
def test_download_of_a_file_grown_since_the_poll_is_incomplete(sshd: SshServer, tmp_path):
    put(sshd, "in/o.csv", b"12345")
    with channel_for(sshd) as channel:
        [rf] = ready_files(channel)
        put(sshd, "in/o.csv", b"1234567890")
        with pytest.raises(TransferIncomplete) as info:
            channel.download(rf, tmp_path / "o.csv")
    assert (info.value.expected, info.value.found) == (5, 10)
    assert names(tmp_path) == set()


@sftp_test
def test_probe_reports_every_step_and_leaves_nothing_behind(sshd: SshServer):
    report = channel_for(sshd).probe()
    assert report.ok, report.lines()
    assert [s.name for s in report.steps] == [
        "credential", "connect", "host key", "login",
        "list in", "list out", "write probe file", "remove probe file",
    ]  # fmt: skip
    assert names(sshd.accounts[A].folder("out")) == set()


@sftp_test
def test_missing_remote_folder_is_the_servers_answer_not_an_outage(sshd: SshServer):
    started = time.monotonic()
    with channel_for(sshd, remote_in="inbox") as channel, pytest.raises(RemoteFileMissing):
        channel.poll()
    assert time.monotonic() - started < 1.5  # not retried


@sftp_test
def test_probe_names_the_folder_that_cannot_be_listed(sshd: SshServer):
    report = channel_for(sshd, remote_in="inbox").probe()
    step = {s.name: s for s in report.steps}
    assert step["list in"].status is StepStatus.FAILED
    assert "inbox: no such file or folder" in step["list in"].message
    assert step["list out"].status is StepStatus.OK
    assert step["remove probe file"].status is StepStatus.OK


@sftp_test
def test_probe_with_a_refused_key_says_login_failed_and_skips_the_rest(sshd: SshServer):
    report = channel_for(sshd, key_file=sshd.stranger_key).probe()
    status = {s.name: s.status for s in report.steps}
    assert status["host key"] is StepStatus.OK
    assert status["login"] is StepStatus.FAILED
    assert status["list in"] is StepStatus.SKIPPED
    assert not report.ok


@sftp_test
def test_every_log_line_names_the_partner_and_file(sshd: SshServer, tmp_path, caplog):
    put(sshd, "in/o.csv", b"x")
    with caplog.at_level(logging.DEBUG, logger="gateway.channels.sftp.channel"):
        with channel_for(sshd) as channel:
            [rf] = ready_files(channel)
            channel.download(rf, tmp_path / "o.csv")
            channel.archive(rf)
    ours = [r for r in caplog.records if r.name == "gateway.channels.sftp.channel"]
    assert ours
    assert all(r.getMessage().startswith("partner=partner-a file=") for r in ours)
    assert any(r.getMessage().startswith("partner=partner-a file=o.csv archived") for r in ours)
