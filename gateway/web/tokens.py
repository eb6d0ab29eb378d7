"""Partners' tokens for the HTTP inbox: ``tokens add|list|revoke`` and the check of a
``Authorization: Bearer TOKEN`` header.

A token is shown once, when made; only its sha256 is kept (a token is 256 random bits:
a fast hash is enough, unlike a password). A revoked token is refused like a wrong one.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from gateway.errors import NotFound
from gateway.store.actions import record_action
from gateway.store.models import ApiToken
from gateway.workspace import Workspace

#: Marks our tokens in secret scanners and logs
PREFIX = "ogw_"
#: last_used_at is written at most this often per token
USED_EVERY_SECONDS = 300


class UnknownToken(NotFound):
    """No live token has that id."""


@dataclass(frozen=True)
class TokenInfo:
    id: int
    partner: str
    prefix: str
    created_at: datetime
    created_by: str
    last_used_at: datetime | None
    revoked_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "partner": self.partner,
            "prefix": self.prefix,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def _info(t: ApiToken) -> TokenInfo:
    return TokenInfo(
        t.id, t.partner, t.prefix, t.created_at, t.created_by, t.last_used_at, t.revoked_at
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_token(ws: Workspace, partner: str, *, actor: str) -> tuple[TokenInfo, str]:
    """A new token for ``partner``: its record and the token itself (shown once)."""
    ws.partner(partner)  # an unknown partner is an error naming the known ones
    token = PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with ws.sessions.begin() as s:
        row = ApiToken(partner=partner, token_hash=_hash(token), prefix=token[:12],
                       created_at=now, created_by=actor)  # fmt: skip
        s.add(row)
        s.flush()
        record_action(s, actor, "token_added", f"token {row.id}", {"partner": partner}, now=now)
        return _info(row), token


def list_tokens(ws: Workspace, *, partner: str | None = None) -> list[TokenInfo]:
    q = select(ApiToken).order_by(ApiToken.id)
    if partner is not None:
        q = q.where(ApiToken.partner == partner)
    with ws.read_sessions() as s:
        return [_info(t) for t in s.scalars(q)]


def revoke_token(ws: Workspace, token_id: int, *, actor: str) -> TokenInfo:
    now = datetime.now(UTC)
    with ws.sessions.begin() as s:
        row = s.get(ApiToken, token_id)
        if row is None or row.revoked_at is not None:
            raise UnknownToken(f"no live token #{token_id} (see `order-gateway tokens list`)")
        row.revoked_at = now
        record_action(s, actor, "token_revoked", f"token {row.id}", {"partner": row.partner},
                      now=now)  # fmt: skip
        return _info(row)


def token_partner(ws: Workspace, token: str) -> str | None:
    """The partner a live token belongs to, or None."""
    if not token.startswith(PREFIX):
        return None
    digest = _hash(token)
    now = datetime.now(UTC)
    with ws.read_sessions() as s:
        row = s.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
        if row is None or row.revoked_at is not None or row.partner not in ws.config.partners:
            return None
        used = row.last_used_at
        stale = (
            used is None
            or (now - (used if used.tzinfo else used.replace(tzinfo=UTC))).total_seconds()
            > USED_EVERY_SECONDS
        )
        partner, token_id = row.partner, row.id
    if stale:
        with ws.sessions.begin() as s:
            live = s.get(ApiToken, token_id)
            if live is not None:
                live.last_used_at = now
    return partner


__all__ = [
    "PREFIX",
    "TokenInfo",
    "UnknownToken",
    "add_token",
    "list_tokens",
    "revoke_token",
    "token_partner",
]
