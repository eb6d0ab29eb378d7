"""Wrong passwords slow the next attempts down, per user name and per client address.

Five wrong passwords in a row (for one name, or from one address) and attempts are
refused unchecked for 30 seconds, then twice as long after each further wrong one (up
to 15 minutes); a right password clears its user's count. Counts older than an hour
are forgotten.

Kept in the database, not in the process: several ``serve`` processes behind one proxy
share the count, and restarting the server does not hand an attacker a fresh start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from gateway.store.models import LoginThrottle

#: Wrong passwords in a row before attempts are held back
FREE_ATTEMPTS = 5
FIRST_PAUSE = timedelta(seconds=30)
LONGEST_PAUSE = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)


class ThrottleKind(StrEnum):
    USER = "user"
    ADDRESS = "address"


@dataclass(frozen=True)
class Held:
    """Attempts are held back until ``until``."""

    until: datetime

    def seconds_left(self, now: datetime) -> int:
        return max(1, int((self.until - now).total_seconds() + 0.999))


def pause_after(failures: int) -> timedelta | None:
    """How long attempts wait after ``failures`` wrong passwords in a row.

    >>> [p and p.seconds for p in (pause_after(4), pause_after(5), pause_after(6), pause_after(20))]
    [None, 30, 60, 900]
    """
    if failures < FREE_ATTEMPTS:
        return None
    return min(FIRST_PAUSE * 2 ** (failures - FREE_ATTEMPTS), LONGEST_PAUSE)


def _aware(t: datetime | None) -> datetime | None:
    return t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t


def held(session: Session, keys: dict[ThrottleKind, str], now: datetime) -> Held | None:
    """Whether attempts for these keys are held back now (the longest hold wins)."""
    until = None
    for kind, key in keys.items():
        row = session.get(LoginThrottle, (kind.value, key))
        blocked = _aware(row.blocked_until) if row else None
        if blocked is not None and blocked > now and (until is None or blocked > until):
            until = blocked
    return Held(until) if until else None


def record_failure(session: Session, keys: dict[ThrottleKind, str], now: datetime) -> None:
    for kind, key in keys.items():
        row = session.get(LoginThrottle, (kind.value, key), with_for_update=True)
        if row is None:
            row = LoginThrottle(kind=kind.value, key=key, failures=0, last_failure_at=now)
            session.add(row)
        elif now - (_aware(row.last_failure_at) or now) > FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        pause = pause_after(row.failures)
        row.blocked_until = now + pause if pause else None


def record_success(session: Session, user: str) -> None:
    """A right password clears its user's count (not its address's: one account an
    attacker holds must not reset the count of the others it tries)."""
    row = session.get(LoginThrottle, (ThrottleKind.USER.value, user))
    if row is not None:
        session.delete(row)


__all__ = [
    "FREE_ATTEMPTS",
    "Held",
    "ThrottleKind",
    "held",
    "pause_after",
    "record_failure",
    "record_success",
]
