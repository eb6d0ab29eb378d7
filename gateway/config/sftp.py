"""One partner's SFTP settings, validated once when the configuration is loaded.

Secrets never live here: a password is named by the environment variable that holds it
(``password_env``), a private key by its file. Every validation error names its key, so an
admin reading ``partners.toml`` errors knows which line to fix.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Names a sender uses while a file is still being written: dotfiles (OpenSSH, rsync,
#: WinSCP's ``.filepart`` style), editor/Office lock files and common partial suffixes.
DEFAULT_TEMP_PATTERNS: tuple[str, ...] = (".*", "*.tmp", "*.part", "*.filepart", "~$*")

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SftpSettings(BaseModel):
    """Where and how to reach one partner's SFTP server, and when a remote file is ready."""

    # hide_input_in_errors: a password pasted into password_env must not be echoed back.
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    host: str = Field(min_length=1)
    port: int = Field(default=22, ge=1, le=65535)
    user: str = Field(min_length=1)
    key_file: Path | None = None
    #: The NAME of the environment variable that holds the password, never the password.
    password_env: str | None = None
    #: Pinned host keys (OpenSSH known_hosts format); None means the workspace's file.
    known_hosts: Path | None = None

    remote_in: str = Field(default="in", min_length=1)
    remote_out: str = Field(default="out", min_length=1)
    remote_archive: str = Field(default="archive", min_length=1)

    poll_interval: float = Field(default=10.0, gt=0)
    #: fnmatch patterns a file name must match (case-insensitive) to be taken.
    patterns: list[str] = Field(default_factory=lambda: ["*"], min_length=1)
    #: fnmatch patterns of names still being written; never taken (case-insensitive).
    temp_patterns: list[str] = Field(default_factory=lambda: list(DEFAULT_TEMP_PATTERNS))
    #: "done" or "ok": NAME is taken only once NAME.done / NAME.ok exists beside it.
    done_marker: Literal["done", "ok"] | None = None
    #: Size and mtime must stay unchanged across polls at least this far apart. SFTP v3
    #: mtimes have whole-second resolution, so less than ~2 s cannot see a slow writer.
    settle_seconds: float = Field(default=2.0, ge=0)

    #: Deadline in seconds for every network step: TCP connect, banner, key exchange,
    #: authentication, channel open, and each SFTP request/response.
    timeout: float = Field(default=30.0, gt=0)
    #: Attempts per operation before SftpUnavailable; backoff doubles from retry_backoff.
    retry_attempts: int = Field(default=3, ge=1, le=10)
    retry_backoff: float = Field(default=1.0, ge=0)
    max_file_size: int = Field(default=100 * 1024 * 1024, gt=0)

    @field_validator("password_env")
    @classmethod
    def _looks_like_a_variable_name(cls, value: str | None) -> str | None:
        # Refusing anything that is not a variable name also stops a pasted password from
        # being kept in the config (the error text does not echo the value back).
        if value is not None and not _ENV_NAME.match(value):
            raise ValueError(
                "password_env must be the NAME of an environment variable "
                "(letters, digits, underscore), not the password itself"
            )
        return value

    @field_validator("remote_in", "remote_out", "remote_archive")
    @classmethod
    def _no_parent_segments(cls, value: str) -> str:
        if ".." in value.split("/"):
            raise ValueError("remote folder must not contain '..'")
        return value.rstrip("/") or "/"

    @field_validator("patterns", "temp_patterns")
    @classmethod
    def _patterns_not_blank(cls, value: list[str]) -> list[str]:
        if any(not p.strip() for p in value):
            raise ValueError("patterns must not contain an empty string")
        return value

    @model_validator(mode="after")
    def _one_credential(self) -> SftpSettings:
        if self.key_file is None and self.password_env is None:
            raise ValueError("set key_file or password_env (one credential is required)")
        if self.key_file is not None and self.password_env is not None:
            raise ValueError("set only one of key_file and password_env")
        if len({self.remote_in, self.remote_out, self.remote_archive}) != 3:
            raise ValueError("remote_in, remote_out and remote_archive must be three folders")
        return self

    @property
    def address(self) -> str:
        """``host:port`` as the errors and logs print it."""
        return f"{self.host}:{self.port}"
