"""An order's batched look-ups give each product's facts as the tables' types read them:
quantities as Decimals at the column's scale, ``active`` as a bool, on either engine."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from gateway.catalog.lookup import CatalogLookup, _decimal
from gateway.rules.products import ProductInfo
from gateway.rules.resolve import gtin14_of
from gateway.store.models import Barcode, Customer, CustomerRef, Product
from gateway.workspace import Workspace
from tests.gateway.conftest import CHEESE, COFFEE, COFFEE_CASE, OLD, SUGAR


def as_typed(p: Product) -> ProductInfo:
    """A product's facts as its mapped class reads them (SQLAlchemy's types, row by row)."""
    return ProductInfo(p.id, p.sku, p.name, p.unit, p.sell_multiple, p.active)


def printed(info: ProductInfo) -> tuple[str, ...]:
    """Every fact as printed, type and all: Decimal('1') and Decimal('1.0000') are equal
    but a reply does not print them alike, and 1 is not True."""
    return tuple(repr(v) for v in (info.id, info.sku, info.name, info.unit,
                                   info.sell_multiple, info.active))  # fmt: skip


def test_every_key_finds_the_facts_its_columns_hold(workspace: Workspace) -> None:
    with workspace.read_sessions() as s:
        barcodes = s.execute(select(Barcode, Product).join(Product)).all()
        products = s.scalars(select(Product)).all()
        c1 = s.scalars(select(Customer).where(Customer.code == "C1")).one()
        refs = s.execute(
            select(CustomerRef.customer_ref, Product)
            .join(Product)
            .where(CustomerRef.customer_id == c1.id)
        ).all()
        catalog = CatalogLookup(s, c1.id, has_assortment=False)
        catalog.prefetch(
            gtin14s=[b.gtin14 for b, _ in barcodes],
            skus=[p.sku for p in products],
            customer_refs=[ref for ref, _ in refs],
            name_keys=[p.name_key for p in products],
        )
        for b, p in barcodes:
            hit = catalog.by_gtin14(b.gtin14)
            assert hit is not None
            info, pack = hit
            assert printed(info) == printed(as_typed(p))
            assert repr(pack) == repr(b.pack_qty)
        for p in products:
            found = catalog.by_sku(p.sku)
            assert found is not None and printed(found) == printed(as_typed(p))
            assert [printed(i) for i in catalog.by_name_key(p.name_key)] == [printed(as_typed(p))]
        for ref, p in refs:
            found = catalog.by_customer_ref(ref)
            assert found is not None and printed(found) == printed(as_typed(p))


def test_quantities_are_decimals_at_the_columns_scale(workspace: Workspace) -> None:
    with workspace.read_sessions() as s:
        catalog = CatalogLookup(s, None)
        keys = {code: gtin14_of(code) for code in (COFFEE, COFFEE_CASE, SUGAR, CHEESE, OLD)}
        catalog.prefetch(gtin14s=[k for k in keys.values() if k])
        found = {code: catalog.by_gtin14(k) for code, k in keys.items() if k}
        facts = {
            code: (repr(hit[1]), repr(hit[0].sell_multiple), hit[0].active)
            for code, hit in found.items()
            if hit is not None
        }
    assert facts == {
        COFFEE: ("Decimal('1.0000')", "Decimal('1.0000')", True),
        COFFEE_CASE: ("Decimal('12.0000')", "Decimal('1.0000')", True),
        SUGAR: ("Decimal('1.0000')", "Decimal('10.0000')", True),
        CHEESE: ("Decimal('1.0000')", "Decimal('0.5000')", True),
        OLD: ("Decimal('1.0000')", "Decimal('1.0000')", False),
    }


def test_a_stored_number_reads_the_same_whichever_type_the_driver_gave_first() -> None:
    # Converted values are remembered by value alone, and 1, 1.0 and True are one key:
    # whichever comes first, each reads as the column's type reads it.
    for first, then in [(1.0, 1), (True, 1.0), (3, 3.0), (1, True)]:
        assert repr(_decimal(first)) == repr(_decimal(then)) == repr(Decimal(f"{then:.4f}"))
    assert repr(_decimal(True)) == "Decimal('1.0000')"
    assert repr(_decimal(0.25)) == "Decimal('0.2500')"
    assert repr(_decimal(12)) == "Decimal('12.0000')"


def test_the_name_candidates_hold_the_active_products_facts(workspace: Workspace) -> None:
    with workspace.read_sessions() as s:
        active = s.scalars(select(Product).where(Product.active)).all()
        index = CatalogLookup(s, None).name_candidates()
        expected = sorted(printed(as_typed(p)) for p in active)
    assert sorted(printed(p) for p in index.products) == expected


def test_a_batch_of_barcodes_finds_the_known_ones_in_any_order(workspace: Workspace) -> None:
    # The keys drive the look-up (sorted, on SQLite): unknown ones, and an order that is
    # not the index's, find what each key finds alone.
    unknown = gtin14_of("4006381333948") or "04006381333948"
    asked = [gtin14_of(b) or b for b in (SUGAR, COFFEE_CASE, COFFEE, OLD)] + [unknown]
    with workspace.read_sessions() as s:
        batch = CatalogLookup(s, None)
        batch.prefetch(gtin14s=asked)
        for key in asked:
            alone = CatalogLookup(s, None)
            alone.prefetch(gtin14s=[key])
            assert batch.by_gtin14(key) == alone.by_gtin14(key)
        assert batch.by_gtin14(unknown) is None
        assert all(batch.by_gtin14(k) is not None for k in asked[:-1])
        # The keys it finds, as a set: what by_gtin14 finds, and nothing else
        assert set(batch.known_gtin14s()) == set(asked[:-1])


def test_the_assortment_is_what_in_assortment_tests(workspace: Workspace) -> None:
    # A big order tests its lines' products against the set; a small one asks each.
    with workspace.read_sessions() as s:
        ids = {p.sku: p.id for p in s.scalars(select(Product))}
        customers = {c.code: c for c in s.scalars(select(Customer))}
        anyone = CatalogLookup(s, None)
        free = CatalogLookup(s, customers["C1"].id)
        bound = CatalogLookup(s, customers["C2"].id)
        assert anyone.assortment() is None and free.assortment() is None
        assert set(bound.assortment() or ()) == {ids["COF-250"], ids["TEA-GRN"], ids["JAM-STR"]}
        for pid in ids.values():
            assert anyone.in_assortment(pid) and free.in_assortment(pid)
            assert bound.in_assortment(pid) == (pid in (bound.assortment() or ()))
