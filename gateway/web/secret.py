"""The key that signs the console's session cookies, kept in the workspace.

Created on first use with mode 0600 (only the gateway's user reads it), so every
``serve`` process of one workspace signs alike and a restart keeps people signed in.
Deleting the file signs everyone out.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_NAME = "web-secret"


def session_secret(root: Path) -> str:
    """The workspace's signing key, made on first use."""
    path = root / SECRET_NAME
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48)
    tmp = path.with_name(f".{SECRET_NAME}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    try:
        # A link appears whole or not at all: of two processes starting at once, one
        # key wins and both read it.
        os.link(tmp, path)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
    finally:
        tmp.unlink()
    return key


__all__ = ["SECRET_NAME", "session_secret"]
