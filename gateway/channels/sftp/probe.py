"""``order-gateway sftp test PARTNER``: try each step of a session once and say which
failed and why — credential, connect, host key, login, list in/out, write and remove a
probe file in out.

The probe file is named ``.order-gateway-probe-<random>``: a dotfile, so partners'
pollers (ours included) skip it as a temp name, and it is removed straight away.
"""

from __future__ import annotations

import enum
import errno
import posixpath
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import paramiko

from gateway.channels.sftp.connection import SftpConnection
from gateway.channels.sftp.errors import AuthenticationFailed, HostKeyRejected
from gateway.config.sftp import SftpSettings

_NETWORK_ERRORS = (OSError, EOFError, paramiko.SSHException)


class StepStatus(enum.Enum):
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class ProbeStep:
    name: str
    status: StepStatus
    message: str


@dataclass
class ProbeReport:
    partner: str
    address: str
    steps: list[ProbeStep] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(step.status is StepStatus.OK for step in self.steps)

    def add(self, name: str, status: StepStatus, message: str) -> None:
        self.steps.append(ProbeStep(name, status, message))

    def lines(self) -> list[str]:
        """One line per step, as the CLI prints them."""
        width = max((len(step.name) for step in self.steps), default=0)
        return [
            f"{step.status.value:<7} {step.name:<{width}}  {step.message}" for step in self.steps
        ]


_STEPS = (
    "credential",
    "connect",
    "host key",
    "login",
    "list in",
    "list out",
    "write probe file",
    "remove probe file",
)


def probe_server(partner: str, settings: SftpSettings, known_hosts: Path) -> ProbeReport:
    report = ProbeReport(partner, settings.address)
    conn = SftpConnection(partner, settings, known_hosts)
    try:
        _probe(report, conn, settings)
    finally:
        conn.close()
        done = {step.name for step in report.steps}
        for name in _STEPS:
            if name not in done:
                report.add(name, StepStatus.SKIPPED, "an earlier step failed")
    return report


def _probe(report: ProbeReport, conn: SftpConnection, s: SftpSettings) -> None:
    try:
        report.add("credential", StepStatus.OK, conn.check_credentials())
    except AuthenticationFailed as exc:
        report.add("credential", StepStatus.FAILED, str(exc))
        return
    try:
        conn.open()
    except HostKeyRejected as exc:
        report.add("connect", StepStatus.OK, f"reached {s.address}")
        report.add("host key", StepStatus.FAILED, str(exc))
        return
    except AuthenticationFailed as exc:
        report.add("connect", StepStatus.OK, f"reached {s.address}")
        report.add("host key", StepStatus.OK, "matches known_hosts")
        report.add("login", StepStatus.FAILED, str(exc))
        return
    except _NETWORK_ERRORS as exc:
        report.add("connect", StepStatus.FAILED, f"{s.address}: {type(exc).__name__}: {exc}")
        return
    report.add("connect", StepStatus.OK, f"reached {s.address}")
    report.add("host key", StepStatus.OK, f"{conn.server_key} matches {conn.known_hosts}")
    report.add("login", StepStatus.OK, f"logged in as {s.user}, SFTP session open")

    sftp = conn.sftp
    for step, folder in (("list in", s.remote_in), ("list out", s.remote_out)):
        try:
            count = len(sftp.listdir(folder))
            report.add(step, StepStatus.OK, f"{folder}: {count} entries")
        except _NETWORK_ERRORS as exc:
            report.add(step, StepStatus.FAILED, f"{folder}: {_reason(exc)}")

    probe = posixpath.join(s.remote_out, f".order-gateway-probe-{secrets.token_hex(4)}")
    try:
        with sftp.open(probe, "wb") as fh:
            fh.write(b"order-gateway probe\n")
        report.add("write probe file", StepStatus.OK, f"wrote {probe}")
    except _NETWORK_ERRORS as exc:
        report.add("write probe file", StepStatus.FAILED, f"{probe}: {_reason(exc)}")
        return
    try:
        sftp.remove(probe)
        report.add("remove probe file", StepStatus.OK, f"removed {probe}")
    except _NETWORK_ERRORS as exc:
        report.add("remove probe file", StepStatus.FAILED, f"{probe}: {_reason(exc)}")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.ENOENT:
        return "no such file or folder"
    if isinstance(exc, OSError) and exc.errno == errno.EACCES:
        return "permission denied"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
