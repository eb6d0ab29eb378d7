"""The SFTP channel's typed errors. Each message says what to check, and never a secret.

``SftpUnavailable`` is the only one worth retrying later: the server could not be reached
or stopped answering within the deadline. The others need a person (a changed host key,
a refused credential) or concern one file (incomplete transfer, vanished file).
"""

from __future__ import annotations


class SftpError(Exception):
    """Base of every error the SFTP channel raises."""

    def __init__(self, message: str, *, partner: str = "", file: str | None = None) -> None:
        super().__init__(message)
        self.partner = partner
        self.file = file


class HostKeyRejected(SftpError):
    """The server offered a host key that known_hosts does not pin (unknown or changed)."""

    def __init__(
        self,
        message: str,
        *,
        partner: str = "",
        address: str,
        offered: str,
        expected: str | None,
    ) -> None:
        super().__init__(message, partner=partner)
        self.address = address
        #: "ssh-ed25519 SHA256:…" as ssh-keygen -l prints it.
        self.offered = offered
        #: The pinned fingerprint, or None when the host is not in known_hosts at all.
        self.expected = expected


class AuthenticationFailed(SftpError):
    """The server refused the configured credential (or it could not be loaded)."""


class SftpUnavailable(SftpError):
    """The server was unreachable, hung or dropped the connection on every attempt."""

    def __init__(self, message: str, *, partner: str = "", operation: str, attempts: int) -> None:
        super().__init__(message, partner=partner)
        self.operation = operation
        self.attempts = attempts


class TransferIncomplete(SftpError):
    """Bytes transferred do not match the size listed or stat'ed on the other side."""

    def __init__(
        self, message: str, *, partner: str = "", file: str, expected: int, found: int
    ) -> None:
        super().__init__(message, partner=partner, file=file)
        self.expected = expected
        self.found = found


class RemoteFileMissing(SftpError):
    """The remote file is gone (taken by someone else, or already archived)."""


class RemoteOperationFailed(SftpError):
    """The server answered an SFTP request with an error (permission denied, no folder…)."""


class RemoteNameTaken(SftpError):
    """An upload target already exists with different content; it is left untouched."""


class RemoteFileChanged(SftpError):
    """The remote file is no longer the one that was polled (re-sent under the same name);
    it is left in place to be taken again."""
