"""Who orders for whom, from where: customer and site of an order, and the grant check.

A partner may order only for the customer × site pairs it was granted (in
``gateway.toml`` or imported). When a file names no customer or site, the partner's
default applies; a partner holding a single grant needs neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.catalog.lookup import MasterDataCache
from gateway.config.settings import PartnerConfig
from gateway.rules.reasons import ReasonCode
from gateway.store.models import Customer, Grant, Site
from parsers.document import OrderDocument, PartyRole, SourceFormat


@dataclass(slots=True)
class Who:
    customer: Customer | None = None
    site: Site | None = None
    reason: ReasonCode | None = None
    value: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


_GRANTS = MasterDataCache(limit=256)
_PARTIES = MasterDataCache(limit=4096)


def partner_grants(
    session: Session, partner_id: str, partner: PartnerConfig
) -> set[tuple[str, str]]:
    """(customer code, site code) pairs, from the TOML and from imported grants.

    Imported grants are cached per master-data version (every import bumps it), since
    every file of a partner asks for the same set.
    """

    def load() -> frozenset[tuple[str, str]]:
        rows = session.execute(
            select(Customer.code, Site.code)
            .join(Grant, Grant.customer_id == Customer.id)
            .join(Site, Site.id == Grant.site_id)
            .where(Grant.partner == partner_id)
        )
        return frozenset((c, s) for c, s in rows)

    imported = _GRANTS.get(session, (partner_id,), load)
    return {(g.customer, g.site) for g in partner.grants} | imported


def _cached(session: Session, model: type[Customer] | type[Site], how: str, text: str, find):  # noqa: ANN001, ANN202
    """A customer or site look-up, remembered per master-data version; the instances
    kept are detached copies, only ever read."""

    def load() -> Customer | Site | None:
        hit = find()
        if hit is not None:
            session.expunge(hit)
        return hit

    return _PARTIES.get(session, (model.__name__, how, text), load)


def _find(
    session: Session, model: type[Customer] | type[Site], text: str
) -> Customer | Site | None:
    text = text.strip()
    if not text:
        return None
    return _cached(session, model, "find", text, lambda: _find_now(session, model, text))


def _find_now(
    session: Session, model: type[Customer] | type[Site], text: str
) -> Customer | Site | None:
    hit = session.scalar(select(model).where(model.code == text))  # the usual case, indexed
    if hit is None:
        hit = session.scalar(select(model).where(func.upper(model.code) == text.upper()))
    if hit is None and text.isdigit():
        hit = session.scalar(select(model).where(model.gln == text))
    if hit is None:
        hit = session.scalar(select(model).where(func.lower(model.name) == text.lower()))
    return hit


def _by_gln(
    session: Session, model: type[Customer] | type[Site], gln: str
) -> Customer | Site | None:
    gln = gln.strip()
    return _cached(
        session, model, "gln", gln, lambda: session.scalar(select(model).where(model.gln == gln))
    )


def identify(
    session: Session,
    doc: OrderDocument,
    partner_id: str,
    partner: PartnerConfig,
    *,
    gln_overrides: dict[str, str] | None = None,
) -> Who:
    """Find the order's customer and site, then check the partner's grant for them."""
    grants = partner_grants(session, partner_id, partner)
    overrides = gln_overrides or {}

    # Spreadsheets name customer and site in columns; EDI names parties by role, and its
    # "site" is ours (NAD+SU / N1*SE), not the buyer's delivery point.
    tabular = doc.format in (SourceFormat.CSV, SourceFormat.XLSX)
    customer: Customer | None = None
    named = doc.customer if tabular else None
    if named:
        customer = _find(session, Customer, overrides.get(named, named))  # type: ignore[assignment]
        if customer is None:
            return Who(reason=ReasonCode.UNKNOWN_CUSTOMER, value=named)
    else:
        for role in (PartyRole.BUYER, PartyRole.DELIVERY, PartyRole.INVOICEE):
            party = doc.party(role)
            if party and party.id:
                named = party.id
                code = overrides.get(party.id)
                customer = (
                    _find(session, Customer, code) if code else _by_gln(session, Customer, party.id)
                )  # type: ignore[assignment]
                if customer is None and party.qualifier not in ("9", "UL", "14"):
                    customer = _find(session, Customer, party.id)  # type: ignore[assignment]
                if customer is not None:
                    break
        if customer is None and named:
            return Who(reason=ReasonCode.UNKNOWN_CUSTOMER, value=named)
    if customer is None:
        default = partner.default_customer
        if default is None and len({c for c, _ in grants}) == 1:
            default = next(iter(grants))[0]
        if default is None:
            return Who(reason=ReasonCode.NO_CUSTOMER)
        customer = _find(session, Customer, default)  # type: ignore[assignment]
        if customer is None:
            return Who(reason=ReasonCode.UNKNOWN_CUSTOMER, value=default)

    if not any(c == customer.code for c, _ in grants):
        return Who(customer=customer, reason=ReasonCode.NOT_GRANTED)

    site: Site | None = None
    site_named = doc.site if tabular else None
    if site_named:
        site = _find(session, Site, overrides.get(site_named, site_named))  # type: ignore[assignment]
        if site is None:
            return Who(customer=customer, reason=ReasonCode.UNKNOWN_SITE, value=site_named)
    else:
        for role in (PartyRole.SUPPLIER, PartyRole.SHIP_FROM):
            party = doc.party(role)
            if party and party.id:
                code = overrides.get(party.id)
                site = _find(session, Site, code) if code else _by_gln(session, Site, party.id)  # type: ignore[assignment]
                if site is not None:
                    break
    if site is None:
        default = partner.default_site
        if default is None:
            sites = {s for c, s in grants if c == customer.code}
            if len(sites) == 1:
                default = next(iter(sites))
        if default is None:
            return Who(customer=customer, reason=ReasonCode.NO_SITE)
        site = _find(session, Site, default)  # type: ignore[assignment]
        if site is None:
            return Who(customer=customer, reason=ReasonCode.UNKNOWN_SITE, value=default)

    if (customer.code, site.code) not in grants:
        return Who(customer=customer, site=site, reason=ReasonCode.NOT_GRANTED)
    return Who(customer=customer, site=site)
