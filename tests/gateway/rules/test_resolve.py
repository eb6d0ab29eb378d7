"""The resolution rules on plain data: no database, an in-memory catalog."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

import pytest

from gateway.rules.names import NameIndex
from gateway.rules.products import ProductInfo, name_key
from gateway.rules.reasons import ReasonCode
from gateway.rules.resolve import (
    MatchedBy,
    NameMatcher,
    Resolution,
    by_identifier,
    gtin14_keys,
    gtin14_of,
    resolve_line,
    resolved,
    sole_id,
)
from gateway.rules.xrefs import XrefKind
from parsers.document import ItemId, OrderLine

COFFEE = ProductInfo(1, "COF-250", "Ground coffee arabica 250 g", "EA", Decimal(1), True)
TEA = ProductInfo(2, "TEA-GRN", "Green tea Sencha 100 g", "EA", Decimal(1), True)
JAM_S = ProductInfo(3, "JAM-STR", "Strawberry jam 370 g", "EA", Decimal(1), True)
JAM_A = ProductInfo(4, "JAM-APR", "Apricot jam 370 g", "EA", Decimal(1), True)
SUGAR = ProductInfo(5, "SUG-1K", "Caster sugar 1 kg", "EA", Decimal(10), True)
CHEESE = ProductInfo(6, "CHE-KG", "Comte cheese per kg", "KG", Decimal("0.5"), True)
ALL = [COFFEE, TEA, JAM_S, JAM_A, SUGAR, CHEESE]


class MemoryCatalog:
    def __init__(self) -> None:
        self.gtins = {
            gtin14_of("4006381333931"): (COFFEE, Decimal(1)),
            gtin14_of("14006381333938"): (COFFEE, Decimal(12)),
            gtin14_of("036000291452"): (TEA, Decimal(1)),
        }
        self.refs = {"MY-0042": JAM_S}
        self.learned = {(XrefKind.REFERENCE, "THEIR-9"): TEA}

    def by_gtin14(self, g):  # noqa: ANN001, ANN201
        return self.gtins.get(g)

    def by_sku(self, sku):  # noqa: ANN001, ANN201
        return next((p for p in ALL if p.sku == sku.strip().upper()), None)

    def by_customer_ref(self, ref):  # noqa: ANN001, ANN201
        return self.refs.get(ref)

    def by_name_key(self, key):  # noqa: ANN001, ANN201
        return [p for p in ALL if name_key(p.name) == key]

    def by_learned(self, kind, key):  # noqa: ANN001, ANN201
        return self.learned.get((kind, key))

    def name_candidates(self):  # noqa: ANN201
        return NameIndex(ALL)


def resolve(**fields):  # noqa: ANN003, ANN201
    catalog = MemoryCatalog()
    return resolve_line(OrderLine(line_no=1, **fields), catalog, NameMatcher(catalog))


def test_ean13_upc_and_gtin14_writings_of_one_item_match():
    for code in ("036000291452", "0036000291452", "00036000291452"):
        r = resolve(barcode=code)
        assert (r.product, r.matched_by) == (TEA, MatchedBy.BARCODE)


def test_case_barcode_carries_its_pack_quantity():
    r = resolve(barcode="14006381333938")
    assert (r.product, r.pack_qty) == (COFFEE, Decimal(12))


def test_barcode_wins_over_name_but_a_conflicting_reference_is_refused():
    assert resolve(barcode="4006381333931", name="Green tea").product == COFFEE
    r = resolve(barcode="4006381333931", supplier_ref="TEA-GRN")
    assert r.reason is ReasonCode.IDENTIFIER_CONFLICT
    assert set(r.suggestions) == {COFFEE.label, TEA.label}


def test_unknown_barcode_falls_back_to_a_known_reference():
    r = resolve(barcode="4000000000006", supplier_ref="SUG-1K")
    assert (r.product, r.matched_by) == (SUGAR, MatchedBy.SKU)


def test_customer_reference_in_the_supplier_column_is_found():
    r = resolve(supplier_ref="MY-0042")
    assert (r.product, r.matched_by) == (JAM_S, MatchedBy.CUSTOMER_REF)


def test_a_name_with_an_abbreviation_is_matched_with_less_confidence():
    r = resolve(name="grnd coffee arabica 250g")
    assert (r.product, r.matched_by) == (COFFEE, MatchedBy.NAME)
    assert 0 < r.confidence < 1


def test_a_name_that_fits_two_products_is_ambiguous_naming_both():
    r = resolve(name="jam 370 g")
    assert r.product is None
    assert r.reason is ReasonCode.AMBIGUOUS_NAME
    assert set(r.suggestions) == {JAM_S.label, JAM_A.label}


def test_a_name_like_nothing_in_the_catalog_suggests_nothing():
    r = resolve(name="unobtainium")
    assert r.reason is ReasonCode.UNKNOWN_PRODUCT
    assert r.suggestions == []


def test_a_name_with_another_size_is_unknown_and_suggests_the_product_of_its_size():
    r = resolve(name="Green tea Sencha 250 g")
    assert r.reason is ReasonCode.UNKNOWN_PRODUCT
    assert r.suggestions == [TEA.label]


def test_invalid_check_digit_is_its_own_reason():
    r = resolve(barcode="4006381333932")
    assert r.reason is ReasonCode.INVALID_BARCODE
    assert "check digit" in r.detail


def test_a_learned_reference_resolves_what_the_catalog_does_not_know():
    r = resolve(customer_ref="their-9", name="Green tea")
    assert (r.product, r.matched_by) == (TEA, MatchedBy.LEARNED)


def test_a_learned_reference_is_not_used_when_a_barcode_resolves():
    r = resolve(barcode="4006381333931", customer_ref="THEIR-9")
    assert (r.product, r.matched_by) == (COFFEE, MatchedBy.BARCODE)


def test_an_isbn_id_pair_is_tried_as_a_barcode():
    r = resolve(item_ids=[ItemId("IB", "4006381333931", "PO107")])
    assert (r.product, r.matched_by) == (COFFEE, MatchedBy.BARCODE)


def test_a_manufacturer_part_number_is_tried_as_our_reference():
    r = resolve(manufacturer_ref="TEA-GRN", columns={"manufacturer_ref": "PO107"})
    assert (r.product, r.matched_by) == (TEA, MatchedBy.SKU)


def test_an_ndc_or_any_other_id_is_tried_as_the_customers_reference():
    r = resolve(item_ids=[ItemId("N4", "MY-0042", "PO109")])
    assert (r.product, r.matched_by) == (JAM_S, MatchedBy.CUSTOMER_REF)


def test_an_unknown_id_of_another_kind_is_named_not_called_missing():
    r = resolve(item_ids=[ItemId("N4", "12345-678-90", "PO107")])
    assert (r.reason, r.value, r.column) == (ReasonCode.UNKNOWN_SKU, "12345-678-90", "PO107")


def test_another_id_pointing_elsewhere_is_a_conflict():
    r = resolve(barcode="4006381333931", item_ids=[ItemId("MG", "TEA-GRN", "PO109")])
    assert r.reason is ReasonCode.IDENTIFIER_CONFLICT


def test_a_wrong_check_digit_suggests_the_barcode_one_digit_away():
    r = resolve(barcode="4006381333932")
    assert r.suggestions == [f"4006381333931 ({COFFEE.label})"]


def test_a_mistyped_body_digit_suggests_the_barcode_one_digit_away():
    r = resolve(barcode="4006381393931")  # the 11th digit typed 9 instead of 3
    assert r.suggestions == [f"4006381333931 ({COFFEE.label})"]


def test_a_wrong_check_digit_far_from_every_catalog_barcode_suggests_nothing():
    assert resolve(barcode="1234567890123").suggestions == []


def test_a_batch_of_barcodes_gets_the_keys_each_one_gets_alone():
    written = [
        "4006381333931", "4006381333932", "036000291452", "14006381333938", "96385074",
        " 4006 3813 3393 1 ", "'4006381333931", "40063813339A1", "12345", "", "٤٠٠٦٣٨١٣٣٣٩٣١",
        "00000000000000", "3.00E+12",
    ]  # fmt: skip
    assert gtin14_keys(written) == {b: gtin14_of(b) for b in written}


def test_a_batch_of_plain_barcodes_only_gets_the_keys_each_one_gets_alone():
    # Every one digits of a GTIN length (a big order's): the batch tested at once
    written = ["4006381333931", "4006381333932", "036000291452", "14006381333938", "96385074"]
    assert gtin14_keys(written) == {b: gtin14_of(b) for b in written}
    assert gtin14_keys([]) == {}


def test_the_quick_builder_makes_the_resolution_the_constructor_makes() -> None:
    quick = resolved(COFFEE, MatchedBy.BARCODE, Decimal(12))
    slow = Resolution(
        product=COFFEE, matched_by=MatchedBy.BARCODE, pack_qty=Decimal(12), confidence=1.0
    )
    # getattr on a slot the builder forgot raises, so a new field cannot slip past
    for f in fields(Resolution):
        assert getattr(quick, f.name) == getattr(slow, f.name), f.name
    assert quick == slow


def test_each_quick_resolution_gets_its_own_suggestions_and_fields() -> None:
    a = resolved(COFFEE, MatchedBy.SKU, Decimal(1))
    b = resolved(COFFEE, MatchedBy.SKU, Decimal(1))
    a.suggestions.append("TEA-GRN")
    a.fields["column"] = "sku"
    assert b.suggestions == [] and b.fields == {}


#: Lines of one identifier each, as every kind of column holds it
ONE_ID_EACH = [
    {"barcode": "4006381333931"},
    {"barcode": "14006381333938"},  # a case of 12
    {"barcode": "036000291452"},
    {"barcode": "4006381333948"},  # unknown
    {"supplier_ref": "TEA-GRN"},
    {"supplier_ref": " tea-grn "},
    {"supplier_ref": "MY-0042"},  # their reference in our reference's column
    {"customer_ref": "MY-0042"},
    {"customer_ref": "SUG-1K"},  # our reference in theirs
    {"supplier_ref": "NOPE-1"},
    {"customer_ref": "NOPE-1"},
]


@pytest.mark.parametrize("ids", ONE_ID_EACH, ids=lambda ids: "/".join(ids.values()))
def test_a_line_with_one_identifier_resolves_by_it_alone(ids: dict[str, str]) -> None:
    line = OrderLine(line_no=1, name="Whatever it says", **ids)
    catalog = MemoryCatalog()
    sole = sole_id(line)
    assert sole is not None and sole[1] == next(iter(ids.values()))

    found = by_identifier(*sole, catalog, gtin14_keys([line.barcode] if line.barcode else []))
    res = resolve_line(line, catalog, NameMatcher(catalog))
    if found is None:
        assert not res.ok or res.matched_by is MatchedBy.NAME
    else:
        assert res == resolved(found[1], found[0], found[2])


@pytest.mark.parametrize(
    "ids",
    [
        {"barcode": "4006381333931", "supplier_ref": "COF-250"},
        {"supplier_ref": "COF-250", "customer_ref": "MY-0042"},
        {"barcode": "4006381333931", "manufacturer_ref": "MG-1"},
        {"customer_ref": "MY-0042", "item_ids": [ItemId("N4", "12345-678-90", "PO107")]},
        {"name": "Green tea Sencha 100 g"},
        {},
    ],
    ids=str,
)
def test_a_line_with_no_identifier_or_several_has_no_sole_one(ids: dict[str, object]) -> None:
    assert sole_id(OrderLine(line_no=1, **ids)) is None  # type: ignore[arg-type]
