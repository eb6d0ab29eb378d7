"""Who orders for whom: the grant rules over an in-memory party list, no database."""

from __future__ import annotations

from gateway.config.settings import PartnerConfig
from gateway.rules.grants import identify
from gateway.rules.products import PartyInfo
from gateway.rules.reasons import ReasonCode
from parsers.document import OrderDocument, Party, PartyRole, SourceFormat

C1 = PartyInfo(1, "C1", "Corner Shop", "3098765000011")
C2 = PartyInfo(2, "C2", "Hotel Belle Vue", "3098765000028", has_assortment=True)
S1 = PartyInfo(1, "S1", "Lyon warehouse", "3012345000017")
S2 = PartyInfo(2, "S2", "Lille warehouse", "3012345000024")


class MemoryParties:
    def __init__(self, customers: list[PartyInfo], sites: list[PartyInfo]) -> None:
        self.customers, self.sites = customers, sites

    @staticmethod
    def _find(rows: list[PartyInfo], text: str) -> PartyInfo | None:
        t = text.strip()
        for p in rows:
            if t.upper() == p.code.upper() or t == p.gln or t.lower() == p.name.lower():
                return p
        return None

    def customer(self, text: str) -> PartyInfo | None:
        return self._find(self.customers, text)

    def customer_by_gln(self, gln: str) -> PartyInfo | None:
        return next((p for p in self.customers if p.gln == gln), None)

    def site(self, text: str) -> PartyInfo | None:
        return self._find(self.sites, text)

    def site_by_gln(self, gln: str) -> PartyInfo | None:
        return next((p for p in self.sites if p.gln == gln), None)


PARTIES = MemoryParties([C1, C2], [S1, S2])


def partner(**settings: object) -> PartnerConfig:
    return PartnerConfig.model_validate({"name": "P", **settings})


def sheet(customer: str | None = None, site: str | None = None) -> OrderDocument:
    return OrderDocument(format=SourceFormat.CSV, customer=customer, site=site)


def edi(*parties: Party) -> OrderDocument:
    return OrderDocument(format=SourceFormat.EDIFACT, parties=list(parties))


def test_a_single_grant_needs_neither_customer_nor_site() -> None:
    who = identify(sheet(), partner(), {("C1", "S1")}, PARTIES)
    assert (who.ok, who.customer, who.site) == (True, C1, S1)


def test_a_named_customer_is_found_by_code_gln_or_name() -> None:
    grants = {("C2", "S1")}
    for named in ("c2", "3098765000028", "hotel belle vue"):
        assert identify(sheet(named, "S1"), partner(), grants, PARTIES).customer == C2


def test_an_unknown_customer_is_refused_with_what_was_written() -> None:
    who = identify(sheet("C9"), partner(), {("C1", "S1")}, PARTIES)
    assert (who.reason, who.value) == (ReasonCode.UNKNOWN_CUSTOMER, "C9")


def test_several_customers_and_no_default_is_no_customer() -> None:
    who = identify(sheet(), partner(), {("C1", "S1"), ("C2", "S2")}, PARTIES)
    assert who.reason is ReasonCode.NO_CUSTOMER


def test_the_partners_default_site_applies_when_the_file_names_none() -> None:
    grants = {("C2", "S1"), ("C2", "S2")}
    assert identify(sheet("C2"), partner(), grants, PARTIES).reason is ReasonCode.NO_SITE
    who = identify(sheet("C2"), partner(default_site="S2"), grants, PARTIES)
    assert (who.ok, who.site) == (True, S2)


def test_a_customer_not_granted_is_refused_even_when_it_exists() -> None:
    who = identify(sheet("C2", "S1"), partner(), {("C1", "S1")}, PARTIES)
    assert (who.reason, who.customer) == (ReasonCode.NOT_GRANTED, C2)


def test_a_granted_customer_at_a_site_not_granted_is_refused() -> None:
    who = identify(sheet("C1", "S2"), partner(), {("C1", "S1")}, PARTIES)
    assert (who.reason, who.site) == (ReasonCode.NOT_GRANTED, S2)


def test_edi_buyer_gln_names_the_customer_and_supplier_gln_the_site() -> None:
    doc = edi(
        Party(role=PartyRole.BUYER, id="3098765000011", qualifier="9"),
        Party(role=PartyRole.SUPPLIER, id="3012345000024", qualifier="9"),
    )
    who = identify(doc, partner(), {("C1", "S2")}, PARTIES)
    assert (who.ok, who.customer, who.site) == (True, C1, S2)


def test_edi_party_codes_map_through_the_profile_overrides() -> None:
    doc = edi(Party(role=PartyRole.BUYER, id="BUYER-77", qualifier="92"))
    who = identify(doc, partner(), {("C2", "S1")}, PARTIES, overrides={"BUYER-77": "C2"})
    assert (who.ok, who.customer) == (True, C2)


def test_an_edi_gln_is_never_read_as_a_customer_code() -> None:
    # "C1" sent as a GLN (qualifier 9) is a GLN nobody has, not customer C1.
    doc = edi(Party(role=PartyRole.BUYER, id="C1", qualifier="9"))
    who = identify(doc, partner(), {("C1", "S1")}, PARTIES)
    assert (who.reason, who.value) == (ReasonCode.UNKNOWN_CUSTOMER, "C1")
