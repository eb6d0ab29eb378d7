"""Console users and their signed-in sessions: the services behind ``users …`` and the
login page.

Passwords are hashed with argon2id (argon2-cffi's defaults; rehashed on sign-in when
those change). A session is a random id in the signed cookie; the database keeps its
sha256, so signing out, a new password or removing the user ends it for good.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gateway.errors import NotFound, Refused
from gateway.store.actions import record_action
from gateway.store.models import ConsoleSession, ConsoleUser
from gateway.web.roles import Role, actor_of
from gateway.web.throttle import Held, ThrottleKind, held, record_failure, record_success
from gateway.workspace import Workspace

HASHER = PasswordHasher()
#: Verified when the name is unknown, so that a wrong name costs what a wrong password does
_DUMMY_HASH = HASHER.hash("not a password anyone has")
#: Signed in without a request for this long: signed out
IDLE_TIMEOUT = timedelta(hours=12)
#: last_seen_at is written at most this often (a write per page would queue behind intake)
SEEN_EVERY = timedelta(minutes=5)
MIN_PASSWORD = 10


class UnknownUser(NotFound):
    """No console user has that name."""


class UserRefused(Refused):
    """This user cannot be made as asked."""


class LoginHeld(Refused):
    """Too many wrong passwords: attempts are held back for a while."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(f"too many wrong passwords; try again in {seconds} s")


class WrongPassword(Refused):
    """Wrong user name or password."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    partner: str | None
    language: str
    created_at: datetime
    created_by: str

    @property
    def actor(self) -> str:
        return actor_of(self.role, self.name, self.partner)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role.value,
            "partner": self.partner,
            "language": self.language,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
        }


def _user(u: ConsoleUser) -> User:
    return User(u.id, u.name, Role(u.role), u.partner, u.language, u.created_at, u.created_by)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserRefused(f"a password has at least {MIN_PASSWORD} characters")


def add_user(
    ws: Workspace,
    name: str,
    *,
    role: Role,
    password: str,
    partner: str | None = None,
    language: str | None = None,
    actor: str,
) -> User:
    """A new console user; a partner user belongs to exactly one configured partner."""
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise UserRefused(f"user name {name!r}: 1 to 64 characters, no spaces")
    if role is Role.PARTNER:
        if not partner:
            raise UserRefused("a partner user needs --partner (the partner whose data it sees)")
        config = ws.partner(partner)  # an unknown partner is an error naming the known ones
        language = language or config.language
    elif partner:
        raise UserRefused(f"--partner is for partner users only, not for a {role.value}")
    if language not in (None, "fr", "en"):
        raise UserRefused(f"language {language!r}: fr or en")
    _check_password(password)
    now = datetime.now(UTC)
    with ws.sessions.begin() as s:
        if s.scalar(select(ConsoleUser.id).where(ConsoleUser.name == name)) is not None:
            raise UserRefused(f"user {name!r} exists already (users passwd to change its password)")
        row = ConsoleUser(
            name=name, role=role.value, partner=partner, language=language or "en",
            password_hash=HASHER.hash(password), created_at=now, created_by=actor,
        )  # fmt: skip
        s.add(row)
        s.flush()
        record_action(s, actor, "user_added", f"user {name}", {"role": role.value,
                      "partner": partner}, now=now)  # fmt: skip
        return _user(row)


def list_users(ws: Workspace) -> list[User]:
    with ws.read_sessions() as s:
        return [_user(u) for u in s.scalars(select(ConsoleUser).order_by(ConsoleUser.name))]


def _by_name(s: Session, name: str) -> ConsoleUser:
    row = s.scalar(select(ConsoleUser).where(ConsoleUser.name == name))
    if row is None:
        raise UnknownUser(f"no console user {name!r} (see `order-gateway users list`)")
    return row


def set_password(ws: Workspace, name: str, password: str, *, actor: str) -> User:
    """A new password; the user's sessions end."""
    _check_password(password)
    with ws.sessions.begin() as s:
        row = _by_name(s, name)
        row.password_hash = HASHER.hash(password)
        s.execute(delete(ConsoleSession).where(ConsoleSession.user_id == row.id))
        record_action(s, actor, "password_changed", f"user {name}")
        return _user(row)


def set_language(ws: Workspace, user_id: int, language: str) -> None:
    if language not in ("fr", "en"):
        raise UserRefused(f"language {language!r}: fr or en")
    with ws.sessions.begin() as s:
        row = s.get(ConsoleUser, user_id)
        if row is not None:
            row.language = language


def remove_user(ws: Workspace, name: str, *, actor: str) -> User:
    """Remove a user; its sessions end."""
    with ws.sessions.begin() as s:
        row = _by_name(s, name)
        gone = _user(row)
        s.execute(delete(ConsoleSession).where(ConsoleSession.user_id == row.id))
        s.delete(row)
        record_action(s, actor, "user_removed", f"user {name}")
        return gone


def _sid_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def sign_in(ws: Workspace, name: str, password: str, *, address: str) -> tuple[User, str]:
    """Check a password; the user and a new session id. :class:`LoginHeld` while too
    many wrong passwords hold attempts back (the password is then not even checked),
    :class:`WrongPassword` otherwise."""
    now = datetime.now(UTC)
    keys = {ThrottleKind.USER: name.strip()[:100], ThrottleKind.ADDRESS: address[:100]}
    with ws.sessions.begin() as s:
        hold: Held | None = held(s, keys, now)
        if hold is not None:
            raise LoginHeld(hold.seconds_left(now))
        row = s.scalar(select(ConsoleUser).where(ConsoleUser.name == name.strip()))
        try:
            HASHER.verify(row.password_hash if row else _DUMMY_HASH, password)
            ok = row is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or row is None:
            record_failure(s, keys, now)
            record_action(s, "system", "sign_in_refused", f"user {name.strip()[:60]}",
                          {"address": address}, now=now)  # fmt: skip
        else:
            if HASHER.check_needs_rehash(row.password_hash):
                row.password_hash = HASHER.hash(password)
            record_success(s, row.name)
            sid = secrets.token_urlsafe(32)
            s.add(ConsoleSession(id_hash=_sid_hash(sid), user_id=row.id, created_at=now,
                                 last_seen_at=now))  # fmt: skip
            user = _user(row)
            record_action(s, user.actor, "sign_in", f"user {row.name}", {"address": address},
                          now=now)  # fmt: skip
    if not ok:
        raise WrongPassword()
    return user, sid


def session_user(ws: Workspace, sid: str) -> User | None:
    """The user signed in under ``sid``, or None (unknown, ended or idle too long)."""
    now = datetime.now(UTC)
    with ws.read_sessions() as s:
        found = s.execute(
            select(ConsoleSession, ConsoleUser)
            .join(ConsoleUser, ConsoleUser.id == ConsoleSession.user_id)
            .where(ConsoleSession.id_hash == _sid_hash(sid))
        ).first()
        if found is None:
            return None
        session, row = found
        seen = session.last_seen_at
        seen = seen.replace(tzinfo=UTC) if seen.tzinfo is None else seen
        user = _user(row)
    if now - seen > IDLE_TIMEOUT:
        sign_out(ws, sid)
        return None
    if now - seen > SEEN_EVERY:
        with ws.sessions.begin() as s:
            live = s.get(ConsoleSession, _sid_hash(sid))
            if live is not None:
                live.last_seen_at = now
    return user


def sign_out(ws: Workspace, sid: str, *, actor: str | None = None) -> None:
    with ws.sessions.begin() as s:
        s.execute(delete(ConsoleSession).where(ConsoleSession.id_hash == _sid_hash(sid)))
        if actor:
            record_action(s, actor, "sign_out")


__all__ = [
    "IDLE_TIMEOUT",
    "LoginHeld",
    "UnknownUser",
    "User",
    "UserRefused",
    "WrongPassword",
    "add_user",
    "list_users",
    "remove_user",
    "session_user",
    "set_language",
    "set_password",
    "sign_in",
    "sign_out",
]
