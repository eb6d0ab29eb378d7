"""Who may do what in the console: four roles, three permissions. Plain data.

* ``admin`` — everything: users, learned cross-references, partners' grants;
* ``operator`` — works orders and rejections (moves, replays, resends, fixes);
* ``viewer`` — reads;
* ``partner`` — a partner's person: its own orders, files and replies, nothing else.
"""

from __future__ import annotations

from enum import StrEnum

from gateway.rules.lifecycle import ActorKind, actor


class Role(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    VIEWER = "viewer"
    PARTNER = "partner"


class Permission(StrEnum):
    READ = "read"  # the supplier's pages
    WORK = "work"  # act on orders, rejections, replies
    ADMINISTER = "administer"  # users, cross-references by hand, grants


ALLOWED: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.OPERATOR: frozenset({Permission.READ, Permission.WORK}),
    Role.VIEWER: frozenset({Permission.READ}),
    Role.PARTNER: frozenset(),
}


def may(role: Role | str, permission: Permission) -> bool:
    """
    >>> may("operator", Permission.WORK), may("viewer", Permission.WORK)
    (True, False)
    """
    return permission in ALLOWED[Role(role)]


def actor_of(role: Role | str, name: str, partner: str | None) -> str:
    """The event actor of a console user: the supplier's people act as ``admin:NAME``,
    a partner's people as the partner (``partner:ID``).

    >>> actor_of("operator", "marie", None), actor_of("partner", "bob", "shop")
    ('admin:marie', 'partner:shop')
    """
    if Role(role) is Role.PARTNER:
        return actor(ActorKind.PARTNER, partner)
    return actor(ActorKind.ADMIN, name)


__all__ = ["ALLOWED", "Permission", "Role", "actor_of", "may"]
