"""Who orders for whom, from where: the order's customer and site, and the grant check.

A partner may order only for the customer × site pairs it was granted (in
``gateway.toml`` or imported). When a file names no customer or site, the partner's
default applies; a partner holding a single grant needs neither.

Spreadsheets name customer and site in columns; EDI names parties by role, and its
"site" is ours (NAD+SU / N1*SE), not the buyer's delivery point. Plain rules over a
:class:`Parties` port: the catalog answers look-ups, tests answer them from a dict.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Protocol

from gateway.config.settings import PartnerConfig
from gateway.rules.products import PartyInfo
from gateway.rules.reasons import ReasonCode
from parsers.document import OrderDocument, PartyRole, SourceFormat

#: Qualifiers saying a party id is a GLN (EDIFACT 3055 = 9, X12 N103 = UL or 14)
GLN_QUALIFIERS = frozenset({"9", "UL", "14"})


class Parties(Protocol):
    """Look-ups of our customers and sites, as :func:`identify` needs them."""

    def customer(self, text: str) -> PartyInfo | None:
        """By code (as written, then case-insensitively), GLN, then name."""

    def customer_by_gln(self, gln: str) -> PartyInfo | None: ...

    def site(self, text: str) -> PartyInfo | None:
        """By code (as written, then case-insensitively), GLN, then name."""

    def site_by_gln(self, gln: str) -> PartyInfo | None: ...


@dataclass(slots=True)
class Who:
    customer: PartyInfo | None = None
    site: PartyInfo | None = None
    reason: ReasonCode | None = None
    value: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


def identify(
    doc: OrderDocument,
    partner: PartnerConfig,
    grants: Set[tuple[str, str]],
    parties: Parties,
    *,
    overrides: Mapping[str, str] | None = None,
) -> Who:
    """Find the order's customer and site, then check the partner's grant for them.

    ``grants`` are the partner's (customer code, site code) pairs; ``overrides`` map a
    party id as sent (GLN, buyer code) to our code (the mapping profile's ``[edi]``).
    """
    overrides = overrides or {}
    tabular = doc.format in (SourceFormat.CSV, SourceFormat.XLSX)
    customer: PartyInfo | None = None
    named = doc.customer if tabular else None
    if named:
        customer = parties.customer(overrides.get(named, named))
        if customer is None:
            return Who(reason=ReasonCode.UNKNOWN_CUSTOMER, value=named)
    else:
        for role in (PartyRole.BUYER, PartyRole.DELIVERY, PartyRole.INVOICEE):
            party = doc.party(role)
            if party and party.id:
                named = party.id
                code = overrides.get(party.id)
                customer = parties.customer(code) if code else parties.customer_by_gln(party.id)
                if customer is None and party.qualifier not in GLN_QUALIFIERS:
                    customer = parties.customer(party.id)
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
        customer = parties.customer(default)
        if customer is None:
            return Who(reason=ReasonCode.UNKNOWN_CUSTOMER, value=default)

    if not any(c == customer.code for c, _ in grants):
        return Who(customer=customer, reason=ReasonCode.NOT_GRANTED)

    site: PartyInfo | None = None
    site_named = doc.site if tabular else None
    if site_named:
        site = parties.site(overrides.get(site_named, site_named))
        if site is None:
            return Who(customer=customer, reason=ReasonCode.UNKNOWN_SITE, value=site_named)
    else:
        for role in (PartyRole.SUPPLIER, PartyRole.SHIP_FROM):
            party = doc.party(role)
            if party and party.id:
                code = overrides.get(party.id)
                site = parties.site(code) if code else parties.site_by_gln(party.id)
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
        site = parties.site(default)
        if site is None:
            return Who(customer=customer, reason=ReasonCode.UNKNOWN_SITE, value=default)

    if (customer.code, site.code) not in grants:
        return Who(customer=customer, site=site, reason=ReasonCode.NOT_GRANTED)
    return Who(customer=customer, site=site)


__all__ = ["GLN_QUALIFIERS", "Parties", "Who", "identify"]
