"""A real OpenSSH server for the SFTP channel tests (pytest plugin: ``pytest_plugins``).

One ``sshd`` per test session on a free loopback port, configured the way a partner's
SFTP drop box usually is: key-only login (password allowed for ``ogw-sftp-b`` only, to
test ``password_env``), ``ForceCommand internal-sftp`` and a chroot per user, with a
writable ``in``, ``out`` and ``archive`` inside.

Needs root and ``/usr/sbin/sshd`` (Debian: ``apt-get install -y openssh-server``). Without
them the tests skip locally and fail under CI (``CI`` set), so CI cannot go green by
skipping. ``ogw-sftp-b`` also plays a server without the posix-rename extension
(``internal-sftp -P posix-rename``). Partner users ``ogw-sftp-a`` and ``ogw-sftp-b`` are
system users created on first use (no home, nologin shell) and left in place.

Layout, all root-owned 0755 up to the chroot as sshd demands (hence not under /tmp)::

    /srv/order-gateway-test/<run-id>/
        sshd_config  sshd.log  sshd.pid
        host/ssh_host_ed25519_key         per-run host key
        keys/<user>                       authorized_keys (AuthorizedKeysFile ‥/keys/%u)
        client/<user>, client/stranger    client private keys (stranger is authorized nowhere)
        chroot/<user>/{in,out,archive}    the user's view of "/"

StrictModes stays on: every directory above ``keys/<user>`` is root-owned and not
group/other-writable, which is what it checks.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import paramiko
import pytest

SSHD = Path("/usr/sbin/sshd")
SSH_KEYGEN = shutil.which("ssh-keygen") or "/usr/bin/ssh-keygen"
BASE = Path("/srv/order-gateway-test")
HOST = "127.0.0.1"
USERS = ("ogw-sftp-a", "ogw-sftp-b")
PASSWORD_USER = "ogw-sftp-b"
FOLDERS = ("in", "out", "archive")


@dataclass
class SftpAccount:
    user: str
    root: Path  # the chroot on this machine: what the user sees as "/"
    key_file: Path
    password: str | None = None

    def folder(self, name: str) -> Path:
        return self.root / name


@dataclass
class SshServer:
    port: int
    run_dir: Path
    accounts: dict[str, SftpAccount]
    stranger_key: Path
    host = HOST
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def config(self) -> Path:
        return self.run_dir / "sshd_config"

    @property
    def log(self) -> Path:
        return self.run_dir / "sshd.log"

    @property
    def host_key(self) -> Path:
        return self.run_dir / "host" / "ssh_host_ed25519_key"

    @property
    def known_hosts(self) -> Path:
        """A known_hosts file pinning this server's real key (written at start)."""
        return self.run_dir / "known_hosts"

    def fingerprint(self) -> str:
        """``SHA256:…`` of the host key, as OpenSSH's own ssh-keygen prints it."""
        out = subprocess.run(
            [SSH_KEYGEN, "-l", "-E", "sha256", "-f", f"{self.host_key}.pub"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return out.split()[1]

    def start(self) -> None:
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            [str(SSHD), "-D", "-e", "-f", str(self.config)],
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sshd exited early:\n{self.log.read_text()}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 1) as s:
                s.settimeout(2)
                if s.recv(64).startswith(b"SSH-2.0"):
                    return
            time.sleep(0.05)
        raise RuntimeError(f"sshd did not answer on {HOST}:{self.port}:\n{self.log.read_text()}")

    def stop(self) -> None:
        """Stop listening and drop every open session, as a crash or reboot would."""
        if self.process is None:
            return
        pids = self._tree()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)  # a frozen process cannot die of SIGTERM
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def freeze(self) -> None:
        """SIGSTOP the server and its sessions: connections stay open but nothing answers."""
        for pid in self._tree():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self._tree():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def _tree(self) -> list[int]:
        """The sshd we started and its descendants (sessions setsid() away from its group)."""
        assert self.process is not None
        parents: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(parents.get(pid, []))
        return found

    @contextlib.contextmanager
    def partner_client(self, user: str) -> Iterator[paramiko.SFTPClient]:
        """The partner's own SFTP client: a separate connection, logged in as ``user``."""
        client = paramiko.SSHClient()
        client.load_host_keys(str(self.known_hosts))
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        client.connect(
            HOST,
            port=self.port,
            username=user,
            key_filename=str(self.accounts[user].key_file),
            allow_agent=False,
            look_for_keys=False,
            timeout=5,
        )
        try:
            sftp = client.open_sftp()
            yield sftp
            sftp.close()
        finally:
            client.close()

    def empty_folders(self) -> None:
        for account in self.accounts.values():
            for name in FOLDERS:
                folder = account.folder(name)
                for child in folder.iterdir():
                    if child.is_dir() and not child.is_symlink():
                        shutil.rmtree(child)
                    else:
                        child.unlink()


def _requirements_or_fail() -> None:
    missing = []
    if os.geteuid() != 0:
        missing.append("root (to run sshd, create users and chroots)")
    if not SSHD.is_file():
        missing.append(f"{SSHD} (apt-get install -y openssh-server)")
    if missing:
        # Fails rather than skips: an SFTP channel never run against sshd is untested.
        pytest.fail("SFTP tests need " + " and ".join(missing) + " (bash scripts/test.sh)")


def _ensure_user(user: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(user)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user],
            check=True,
        )
        return pwd.getpwnam(user)


def _set_password(user: str, password: str | None) -> None:
    # "*" = no password usable, but not locked: with UsePAM no, sshd refuses every login
    # of a locked ("!") account, keys included — and useradd creates them locked.
    if password is None:
        subprocess.run(["usermod", "-p", "*", user], check=True)
    else:
        subprocess.run(
            ["chpasswd", "-c", "SHA512"], input=f"{user}:{password}\n", text=True, check=True
        )


def _keygen(path: Path) -> None:
    subprocess.run(
        [SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", path.name, "-f", str(path)],
        check=True,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _mkdir(path: Path, mode: int = 0o755, uid: int = 0, gid: int = 0) -> Path:
    path.mkdir(exist_ok=True)
    os.chown(path, uid, gid)
    os.chmod(path, mode)
    return path


def _build(run_dir: Path, port: int) -> SshServer:
    for sub in ("host", "keys", "client", "chroot"):
        _mkdir(run_dir / sub)
    _keygen(run_dir / "host" / "ssh_host_ed25519_key")
    stranger = run_dir / "client" / "stranger"
    _keygen(stranger)
    accounts = {}
    for user in USERS:
        entry = _ensure_user(user)
        password = secrets.token_urlsafe(12) if user == PASSWORD_USER else None
        _set_password(user, password)
        key = run_dir / "client" / user
        _keygen(key)
        authorized = run_dir / "keys" / user
        authorized.write_bytes(Path(f"{key}.pub").read_bytes())
        os.chmod(authorized, 0o644)
        root = _mkdir(run_dir / "chroot" / user)  # root-owned: sshd insists
        for name in FOLDERS:
            _mkdir(root / name, 0o755, entry.pw_uid, entry.pw_gid)
        accounts[user] = SftpAccount(user, root, key, password)
    server = SshServer(port, run_dir, accounts, stranger)
    public = Path(f"{server.host_key}.pub").read_text().split()
    server.known_hosts.write_text(f"[{HOST}]:{port} {public[0]} {public[1]}\n")
    server.config.write_text(
        f"""\
Port {port}
ListenAddress {HOST}
HostKey {server.host_key}
PidFile {run_dir}/sshd.pid
UsePAM no
StrictModes yes
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AuthorizedKeysFile {run_dir}/keys/%u
AllowUsers {" ".join(USERS)}
Subsystem sftp internal-sftp
ForceCommand internal-sftp
ChrootDirectory {run_dir}/chroot/%u
AllowTcpForwarding no
AllowAgentForwarding no
X11Forwarding no
PermitTTY no
LoginGraceTime 20
MaxStartups 100
LogLevel VERBOSE
Match User {PASSWORD_USER}
    PasswordAuthentication yes
    ForceCommand internal-sftp -P posix-rename
"""
    )
    subprocess.run([str(SSHD), "-t", "-f", str(server.config)], check=True)
    return server


@pytest.fixture(scope="session")
def sshd_server() -> Iterator[SshServer]:
    """The running OpenSSH server; stopped and its files removed after the session."""
    _requirements_or_fail()
    _mkdir(Path("/run/sshd"))  # privilege separation directory
    _mkdir(BASE)
    run_dir = _mkdir(BASE / f"{os.getpid()}-{secrets.token_hex(3)}")
    try:
        server = _build(run_dir, _free_port())
        server.start()
        try:
            yield server
        finally:
            server.stop()
            _set_password(PASSWORD_USER, None)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


@pytest.fixture
def sshd(sshd_server: SshServer) -> Iterator[SshServer]:
    """The session's server, running and with empty folders, whatever the last test did."""
    if sshd_server.process is None:
        sshd_server.start()
    sshd_server.thaw()
    sshd_server.empty_folders()
    yield sshd_server
    if sshd_server.process is None:
        sshd_server.start()
    sshd_server.thaw()
