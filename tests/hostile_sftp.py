"""A hostile SFTP server on loopback: real SSH and SFTP (paramiko's server side), but a
listing no honest server sends — names that are absolute paths, hold ``/`` or ``..``.

OpenSSH never lists such names (a POSIX file name cannot hold ``/``), so the tests of
what the gateway does with them need a server that lies. It serves ``root`` read-only
for the names that are plain, and lists the ``lies`` beside them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import paramiko

from tests.sshd import SSH_KEYGEN

HOST = "127.0.0.1"


class _Auth(paramiko.ServerInterface):
    def get_allowed_auths(self, username: str) -> str:
        return "publickey"

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        return paramiko.AUTH_SUCCESSFUL

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED_OR_PROHIBITED


class _Handle(paramiko.SFTPHandle):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.readfile = open(path, "rb")  # noqa: SIM115 — closed by paramiko's close()

    def stat(self) -> paramiko.SFTPAttributes:
        return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))


def _lying_sftp(root: Path, lies: list[str]) -> type[paramiko.SFTPServerInterface]:
    class LyingSftp(paramiko.SFTPServerInterface):
        def _local(self, path: str) -> Path:
            return root / path.strip("/").removeprefix("in").strip("/")

        def list_folder(self, path: str) -> list[paramiko.SFTPAttributes] | int:
            listed = [
                paramiko.SFTPAttributes.from_stat(p.stat(), filename=p.name)
                for p in sorted(self._local(path).iterdir())
            ]
            like = os.stat(next(root.iterdir()))  # a lie looks like a real file
            return listed + [paramiko.SFTPAttributes.from_stat(like, filename=n) for n in lies]

        def stat(self, path: str) -> paramiko.SFTPAttributes | int:
            local = self._local(path)
            if not local.exists():
                return paramiko.SFTP_NO_SUCH_FILE
            return paramiko.SFTPAttributes.from_stat(local.stat())

        lstat = stat

        def open(self, path: str, flags: int, attr: paramiko.SFTPAttributes) -> _Handle | int:
            local = self._local(path)
            if flags & (os.O_WRONLY | os.O_RDWR) or not local.is_file():
                return paramiko.SFTP_PERMISSION_DENIED
            return _Handle(local)

        def rename(self, oldpath: str, newpath: str) -> int:
            return paramiko.SFTP_PERMISSION_DENIED

        def posix_rename(self, oldpath: str, newpath: str) -> int:
            return paramiko.SFTP_PERMISSION_DENIED

    return LyingSftp


@dataclass
class HostileServer:
    port: int
    known_hosts: Path
    client_key: Path


@contextlib.contextmanager
def hostile_sftp(folder: Path, root: Path, lies: list[str]) -> Iterator[HostileServer]:
    """Serve ``root`` as ``in/`` with ``lies`` added to every listing, until the block ends.

    ``folder`` receives the host's known_hosts and a client key.
    """
    host_key = paramiko.Ed25519Key.from_private_key_file(_keygen(folder / "host"))
    client_key = Path(_keygen(folder / "client"))
    listener = socket.socket()
    listener.bind((HOST, 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    known = folder / "known_hosts"
    known.write_text(f"[{HOST}]:{port} {host_key.get_name()} {host_key.get_base64()}\n")
    stop = threading.Event()
    sessions: list[paramiko.Transport] = []

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            transport = paramiko.Transport(conn)
            transport.add_server_key(host_key)
            transport.set_subsystem_handler("sftp", paramiko.SFTPServer, _lying_sftp(root, lies))
            transport.start_server(server=_Auth())
            sessions.append(transport)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield HostileServer(port, known, client_key)
    finally:
        stop.set()
        thread.join(5)
        listener.close()
        for transport in sessions:
            transport.close()


def _keygen(path: Path) -> str:
    subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return str(path)
