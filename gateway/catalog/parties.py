"""Our customers and sites, and the grants partners hold: look-ups for the grant rules.

:class:`StoreParties` answers :class:`gateway.rules.grants.Parties` from the database;
every answer (and every partner's imported grants) is remembered per master-data
version, since every file of a partner asks the same questions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.catalog.lookup import MasterDataCache
from gateway.config.settings import PartnerConfig
from gateway.rules.products import PartyInfo
from gateway.store.models import Customer, Grant, Site

_Party = TypeVar("_Party", Customer, Site)
_GRANTS = MasterDataCache(limit=256)
_PARTIES = MasterDataCache(limit=4096)


def partner_grants(
    session: Session, partner_id: str, partner: PartnerConfig
) -> frozenset[tuple[str, str]]:
    """(customer code, site code) pairs, from the TOML and from imported grants."""

    def load() -> frozenset[tuple[str, str]]:
        rows = session.execute(
            select(Customer.code, Site.code)
            .join(Grant, Grant.customer_id == Customer.id)
            .join(Site, Site.id == Grant.site_id)
            .where(Grant.partner == partner_id)
        )
        return frozenset((c, s) for c, s in rows)

    imported: frozenset[tuple[str, str]] = _GRANTS.get(session, (partner_id,), load)
    return frozenset((g.customer, g.site) for g in partner.grants) | imported


def party_info(row: Customer | Site) -> PartyInfo:
    return PartyInfo(
        id=row.id,
        code=row.code,
        name=row.name,
        gln=row.gln,
        has_assortment=bool(getattr(row, "has_assortment", False)),
    )


class StoreParties:
    """Customers and sites found in the database (a :class:`~gateway.rules.grants.Parties`)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def customer(self, text: str) -> PartyInfo | None:
        return self._find(Customer, text)

    def customer_by_gln(self, gln: str) -> PartyInfo | None:
        return self._by_gln(Customer, gln)

    def site(self, text: str) -> PartyInfo | None:
        return self._find(Site, text)

    def site_by_gln(self, gln: str) -> PartyInfo | None:
        return self._by_gln(Site, gln)

    def _cached(
        self, model: type[Customer] | type[Site], how: str, text: str,
        find: Callable[[], Customer | Site | None],
    ) -> PartyInfo | None:  # fmt: skip
        def load() -> PartyInfo | None:
            hit = find()
            return party_info(hit) if hit is not None else None

        found: PartyInfo | None = _PARTIES.get(self.session, (model.__name__, how, text), load)
        return found

    def _find(self, model: type[_Party], text: str) -> PartyInfo | None:
        text = text.strip()
        if not text:
            return None
        return self._cached(model, "find", text, lambda: self._find_now(model, text))

    def _find_now(self, model: type[_Party], text: str) -> _Party | None:
        s = self.session
        hit = s.scalar(select(model).where(model.code == text))  # the usual case, indexed
        if hit is None:
            hit = s.scalar(select(model).where(func.upper(model.code) == text.upper()))
        if hit is None and text.isdigit():
            hit = s.scalar(select(model).where(model.gln == text))
        if hit is None:
            hit = s.scalar(select(model).where(func.lower(model.name) == text.lower()))
        return hit

    def _by_gln(self, model: type[_Party], gln: str) -> PartyInfo | None:
        gln = gln.strip()
        return self._cached(
            model, "gln", gln, lambda: self.session.scalar(select(model).where(model.gln == gln))
        )


__all__ = ["StoreParties", "partner_grants", "party_info"]
