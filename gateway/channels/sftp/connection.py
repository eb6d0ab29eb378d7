"""Opening one SSH connection and its SFTP session: pinned host key, one credential, and a
deadline on every step.

The host key must already be in the known_hosts file given (OpenSSH format, hashed names
accepted). An unknown or changed key raises ``HostKeyRejected`` naming ``host:port`` and
the offered fingerprint as ``ssh-keygen -l`` prints it (``SHA256:…``); nothing is ever
added to known_hosts. The user's ``~/.ssh``, the system known_hosts and any SSH agent are
ignored: only the configured key file or password counts.

Deadlines: the TCP connect, the banner, key exchange, authentication and channel open
each have ``settings.timeout``; a watchdog shuts the socket down if the whole handshake
(including the SFTP version exchange, which paramiko waits on without a timeout) takes
longer, and every later SFTP request waits at most ``settings.timeout`` for its answer.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path
from typing import Any

import paramiko

from gateway.channels.sftp.errors import AuthenticationFailed, HostKeyRejected
from gateway.config.sftp import SftpSettings


def describe_key(key: paramiko.PKey) -> str:
    """``ssh-ed25519 SHA256:…``: the key type and the fingerprint OpenSSH prints."""
    return f"{key.get_name()} {key.fingerprint}"


class _PinnedKeysOnly(paramiko.RejectPolicy):
    """Refuses a host missing from known_hosts, saying which key it offered."""

    def __init__(self, partner: str, settings: SftpSettings, known_hosts: Path) -> None:
        self._partner = partner
        self._settings = settings
        self._known_hosts = known_hosts

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey):
        offered = describe_key(key)
        s = self._settings
        raise HostKeyRejected(
            f"unknown host key for {s.address} (partner {self._partner}): the server offered "
            f"{offered}, and {self._known_hosts} has no key for it. Compare the fingerprint "
            f"with the one the partner gave you, then add the key to that file "
            f"(ssh-keyscan -p {s.port} {s.host}).",
            partner=self._partner,
            address=s.address,
            offered=offered,
            expected=None,
        )


class SftpConnection:
    """One authenticated connection with an open SFTP session; not thread-safe."""

    def __init__(self, partner: str, settings: SftpSettings, known_hosts: Path) -> None:
        self.partner = partner
        self.settings = settings
        self.known_hosts = known_hosts
        self._client: paramiko.SSHClient | None = None
        self._sftp: paramiko.SFTPClient | None = None

    @property
    def sftp(self) -> paramiko.SFTPClient:
        if self._sftp is None:
            raise ConnectionError("SFTP session is not open")
        return self._sftp

    def is_alive(self) -> bool:
        if self._client is None or self._sftp is None:
            return False
        transport = self._client.get_transport()
        # The server can close the SFTP channel alone (its subsystem died) while the SSH
        # connection lives on; either way requests on it can no longer be answered.
        channel = self._sftp.get_channel()
        alive_channel = channel is not None and not channel.closed
        return alive_channel and transport is not None and transport.is_active()

    @property
    def server_key(self) -> str | None:
        """The connected server's host key as ``describe_key`` prints it."""
        transport = self._client.get_transport() if self._client else None
        return describe_key(transport.get_remote_server_key()) if transport else None

    def check_credentials(self) -> str:
        """Load the key file / read the password variable; says which, never the secret."""
        self._credentials()
        s = self.settings
        return f"key file {s.key_file}" if s.key_file else f"password from ${s.password_env}"

    def open(self) -> None:
        """Connect, verify the host key, authenticate and start SFTP, within the deadline.

        Raises HostKeyRejected or AuthenticationFailed (not worth retrying), or the
        network's own OSError / EOFError / paramiko.SSHException (worth retrying).
        """
        self.close()
        s = self.settings
        credentials = self._credentials()  # before the network, so a bad file fails fast
        sock = socket.create_connection((s.host, s.port), timeout=s.timeout)
        fired = threading.Event()

        def _expire() -> None:
            fired.set()
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes every thread blocked on it
            except OSError:
                pass

        watchdog = threading.Timer(s.timeout, _expire)
        watchdog.daemon = True
        watchdog.start()
        client = paramiko.SSHClient()
        try:
            if self.known_hosts.is_file():
                client.load_host_keys(str(self.known_hosts))
            client.set_missing_host_key_policy(_PinnedKeysOnly(self.partner, s, self.known_hosts))
            client.connect(
                s.host,
                port=s.port,
                username=s.user,
                sock=sock,
                timeout=s.timeout,
                banner_timeout=s.timeout,
                auth_timeout=s.timeout,
                channel_timeout=s.timeout,
                allow_agent=False,
                look_for_keys=False,
                **credentials,
            )
            transport = client.get_transport()
            assert transport is not None
            channel = transport.open_session(timeout=s.timeout)
            channel.settimeout(s.timeout)
            channel.invoke_subsystem("sftp")
            sftp = paramiko.SFTPClient(channel)
        except paramiko.BadHostKeyException as exc:
            client.close()
            raise self._changed_key(exc) from None
        except paramiko.AuthenticationException as exc:
            client.close()
            if fired.is_set() or "timeout" in str(exc).lower():
                raise TimeoutError(f"authentication at {s.address} timed out") from exc
            raise self._refused(exc) from None
        except Exception as exc:
            client.close()
            sock.close()
            if fired.is_set() and not isinstance(exc, HostKeyRejected):
                raise TimeoutError(
                    f"connecting to {s.address} took longer than {s.timeout:g} s"
                ) from exc
            raise
        finally:
            watchdog.cancel()
        if fired.is_set():  # expired just as the handshake finished: not trustworthy
            client.close()
            raise TimeoutError(f"connecting to {s.address} took longer than {s.timeout:g} s")
        self._client, self._sftp = client, sftp

    def close(self) -> None:
        sftp, client = self._sftp, self._client
        self._sftp = self._client = None
        for closable in (sftp, client):
            if closable is not None:
                try:
                    closable.close()
                except (OSError, EOFError, paramiko.SSHException):
                    pass  # already dead: closing is all we wanted

    def _credentials(self) -> dict[str, Any]:
        s = self.settings
        if s.key_file is not None:
            try:
                return {"pkey": paramiko.PKey.from_path(s.key_file)}
            except FileNotFoundError:
                raise self._auth_error(f"the key file {s.key_file} does not exist") from None
            except paramiko.PasswordRequiredException:
                raise self._auth_error(
                    f"the key file {s.key_file} is encrypted; give the gateway an "
                    "unencrypted key kept readable only by its user"
                ) from None
            except (paramiko.SSHException, ValueError, OSError) as exc:
                raise self._auth_error(
                    f"the key file {s.key_file} is not a usable private key ({exc})"
                ) from None
        assert s.password_env is not None
        password = os.environ.get(s.password_env)
        if not password:
            raise self._auth_error(
                f"the environment variable {s.password_env} (password_env) is not set or empty"
            )
        return {"password": password}

    def _auth_error(self, why: str) -> AuthenticationFailed:
        s = self.settings
        return AuthenticationFailed(
            f"cannot log in as {s.user}@{s.address} (partner {self.partner}): {why}",
            partner=self.partner,
        )

    def _refused(self, exc: paramiko.AuthenticationException) -> AuthenticationFailed:
        s = self.settings
        if isinstance(exc, paramiko.BadAuthenticationType):
            allowed = ", ".join(exc.allowed_types) or "nothing"
            return self._auth_error(f"the server does not accept this method (it allows {allowed})")
        if s.key_file is not None:
            return self._auth_error(
                f"the server refused the key {s.key_file}; check the key is in authorized_keys "
                f"of user {s.user} on the server and that the user name is right"
            )
        return self._auth_error(
            f"the server refused the password from ${s.password_env}; check the user "
            "name and the password the partner gave"
        )

    def _changed_key(self, exc: paramiko.BadHostKeyException) -> HostKeyRejected:
        s = self.settings
        offered, expected = describe_key(exc.key), describe_key(exc.expected_key)
        return HostKeyRejected(
            f"HOST KEY CHANGED for {s.address} (partner {self.partner}): the server offered "
            f"{offered}, but {self.known_hosts} pins {expected}. Refusing to connect: "
            "confirm the new key with the partner before changing known_hosts.",
            partner=self.partner,
            address=s.address,
            offered=offered,
            expected=expected,
        )
