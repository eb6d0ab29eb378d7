"""Read access to the catalog for resolution: batched look-ups, no per-line queries.

A :class:`CatalogLookup` is built for one order: it fetches every product the order's
barcodes, references and names can point to in one query per kind of key, each joining
the batch of keys sent as one parameter (:func:`among`), so a 100,000-line order costs a
handful of queries, not 400,000 — nor the few hundred of ``IN`` lists of 500 it took
before, each compiled anew.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    any_,
    bindparam,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from gateway.rules.names import NameIndex
from gateway.rules.products import ProductInfo, product_info, sku_key
from gateway.rules.xrefs import SCOPE_ORDER, XrefKind, XrefScope
from gateway.store.models import (
    QTY,
    AssortmentItem,
    Barcode,
    ControlNumber,
    CrossReference,
    Customer,
    CustomerRef,
    Product,
    table_of,
)

#: The parameter a batched look-up binds its batch of keys to (:func:`among`)
KEYS = "keys"


def among(dialect: str, column: ColumnElement[str]) -> ColumnElement:
    """``column`` is one of the keys bound to :data:`KEYS` (:func:`bound_keys`), the whole
    batch as ONE parameter: an array on PostgreSQL (``= ANY``), a JSON list on SQLite
    (``IN (SELECT value FROM json_each)``). One statement for any number of keys, compiled
    once, each key found by the index."""
    if dialect == "postgresql":
        return column == any_(bindparam(KEYS, type_=ARRAY(String)))
    listed = func.json_each(bindparam(KEYS)).table_valued("value")
    return column.in_(select(listed.c.value))


def bound_keys(dialect: str, keys: Collection[str]) -> list[str] | str:
    """The value :func:`among` (and :func:`_by_gtin_query`) binds to :data:`KEYS` on
    ``dialect``. Sorted on SQLite: a join the keys drive then walks the index in its
    order (a set's order cost twice the time)."""
    return list(keys) if dialect == "postgresql" else json.dumps(sorted(keys))


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _as_fetched(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """``column`` as the driver gives it, without SQLAlchemy's conversion of each row's
    value. On SQLite a NUMERIC comes as an int or a float, which SQLAlchemy formats and
    makes a Decimal row by row, twice a barcode's row: 0.07 s of the 0.52 s look-up of a
    big order's 86,000 products, which left SQLAlchemy's rows 0.01 s slower than the
    driver's. :func:`_decimal` makes each of the catalog's few distinct values a Decimal
    once, alike, and :func:`_info` the BOOLEAN's 0 or 1 a bool. PostgreSQL's driver gives
    Decimals and bools itself (SQLAlchemy converts nothing there)."""
    return type_coerce(column, NullType())


_PRODUCT = Product.__table__.c
_COLS = (_PRODUCT.id, _PRODUCT.sku, _PRODUCT.name, _PRODUCT.unit,
         _as_fetched(_PRODUCT.sell_multiple), _as_fetched(_PRODUCT.active))  # fmt: skip


# Each look-up's statement built once per dialect: every file asks, and building one
# (the JSON table function, the joins, the cache key) cost more than running it.
@cache
def _by_gtin_query(dialect: str) -> Select:
    b = Barcode.__table__.c
    found = select(b.gtin14, _as_fetched(b.pack_qty), *_COLS)
    if dialect == "postgresql":
        return found.join(Product.__table__, _PRODUCT.id == b.product_id).where(
            among(dialect, b.gtin14)
        )
    # On SQLite the keys (distinct, sorted: bound_keys) drive the join, rather than an
    # IN list that SQLite first copies into a temporary index: 0.56 against 0.62 s of
    # CPU for a big order's 86,000 barcodes among 2,000,000 (a temporary table: 0.70).
    keys = func.json_each(bindparam(KEYS)).table_valued("value")
    return (
        found.select_from(keys)
        .join(Barcode.__table__, b.gtin14 == keys.c.value)
        .join(Product.__table__, _PRODUCT.id == b.product_id)
    )


@cache
def _by_sku_query(dialect: str) -> Select:
    return select(*_COLS).where(among(dialect, _PRODUCT.sku))


@cache
def _by_customer_ref_query(dialect: str) -> Select:
    cr = CustomerRef.__table__.c
    return (
        select(cr.customer_ref, *_COLS)
        .join(Product.__table__, _PRODUCT.id == cr.product_id)
        .where(cr.customer_id == bindparam("customer_id"), among(dialect, cr.customer_ref))
    )


@cache
def _by_name_query(dialect: str) -> Select:
    return select(_PRODUCT.name_key, *_COLS).where(among(dialect, _PRODUCT.name_key))


_DECIMALS: dict[Any, Decimal] = {}
#: Digits after the point of a stored quantity: what SQLAlchemy's ``Numeric(18, 4)`` gives
#: on SQLite (``Decimal("%.4f" % value)``: 1 is ``Decimal("1.0000")``, as on PostgreSQL)
_SCALE = QTY.scale


def _decimal(value: Any) -> Decimal:
    """A stored multiple or pack (:func:`_as_fetched`) as a Decimal, as the column's type
    gives it: a catalog holds few distinct ones, each converted once. Keyed by the value
    alone: values equal across types (``1 == 1.0 == True``) are written alike at a fixed
    scale (an int equal to a float is that float's exact value), and a key without its
    type is a tuple fewer per row (two a barcode's row)."""
    if value.__class__ is Decimal:  # PostgreSQL's NUMERIC, already at the column's scale
        return value
    found = _DECIMALS.get(value)
    if found is None:
        found = Decimal(f"{value:.{_SCALE}f}")
        if len(_DECIMALS) < 1000:
            _DECIMALS[value] = found
    return found


def _info(pid: int, sku: str, name: str, unit: str, mult: Any, active: Any) -> ProductInfo:
    """A product's facts from its columns as fetched (:func:`_as_fetched`)."""
    return product_info(pid, sku, name, unit, _decimal(mult), bool(active))


_VERSION = "catalog_version"
# The one column, not the row as an object: read once per file, every file; the statement
# built once (building it, and its cache key, cost more than running it); on the table,
# not the ORM class, whose query costs more to run (0.12 against 0.08 ms CPU).
_CONTROL = table_of(ControlNumber).c
_CATALOG_VERSION = select(_CONTROL.last).where(
    _CONTROL.partner == "_catalog", _CONTROL.kind == "version"
)


def catalog_version(session: Session) -> int:
    """The master-data version, read once per session: a file is judged on one version.

    Remembered in ``session.info``: a session's identity map holds rows weakly, so the
    row read for a file's first look-up was gone by the next, and each of the file's
    cached look-ups (grants, customer, site) asked the database again.
    """
    version = session.info.get(_VERSION)
    if version is None:
        last = session.connection().scalar(_CATALOG_VERSION)  # Core: not through the session
        version = session.info[_VERSION] = last or 0
    return version


def bump_catalog_version(session: Session) -> None:
    session.info.pop(_VERSION, None)
    row = session.get(ControlNumber, ("_catalog", "version"))
    if row is None:
        session.add(ControlNumber(partner="_catalog", kind="version", last=1))
    else:
        row.last += 1


class MasterDataCache:
    """Values derived from master data, kept until an import bumps the version.

    Every file of a partner asks the same questions (its grants, its customer, the names
    of the catalog); the answers are computed once per database and master-data version.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: dict[tuple, Any] = {}

    def get(self, session: Session, key: tuple, compute: Callable[[], Any]) -> Any:
        full = (str(session.get_bind().engine.url), catalog_version(session), *key)
        if full in self._values:
            return self._values[full]
        value = compute()
        if len(self._values) >= self.limit:
            self._values.clear()
        self._values[full] = value
        return value


_NAME_INDEXES = MasterDataCache(limit=32)


class CatalogLookup:
    def __init__(
        self,
        session: Session,
        customer_id: int | None,
        *,
        has_assortment: bool | None = None,
        customer_code: str | None = None,
        partner_id: str | None = None,
    ) -> None:
        self.session = session
        self.customer_id = customer_id
        #: Whose learned cross-references apply (see gateway.rules.xrefs)
        self._owners = {
            XrefScope.CUSTOMER: customer_code,
            XrefScope.PARTNER: partner_id,
            XrefScope.EVERYONE: "",
        }
        self._learned: dict[tuple[str, str], ProductInfo] = {}
        self._by_gtin: dict[str, tuple[ProductInfo, Decimal]] = {}
        self._by_sku: dict[str, ProductInfo] = {}
        self._by_cref: dict[str, ProductInfo] = {}
        self._by_name: dict[str, list[ProductInfo]] = {}
        self._assortment: set[int] | None = None
        #: Whether the customer has an assortment (looked up on first need when not given)
        self._applies: bool | None = has_assortment

    # --- prefetch ------------------------------------------------------------------
    def prefetch(
        self,
        *,
        gtin14s: Iterable[str] = (),
        skus: Iterable[str] = (),
        customer_refs: Iterable[str] = (),
        name_keys: Iterable[str] = (),
        learned: Iterable[tuple[XrefKind, str]] = (),
    ) -> None:
        s = self.session
        dialect = _dialect(s)
        if gtins := set(gtin14s):
            # All rows at once (one fetchall, not a fetchone per row): a big order's
            # barcodes find a hundred thousand products.
            rows = s.execute(_by_gtin_query(dialect), {KEYS: bound_keys(dialect, gtins)}).all()
            by_gtin = self._by_gtin
            # Each row's columns by name, not gathered in a list first: 0.43 against 0.47 s
            # for 86,000 rows.
            for g, pack, pid, sku, name, unit, mult, active in rows:
                by_gtin[g] = (_info(pid, sku, name, unit, mult, active), _decimal(pack))
        if wanted := {sku_key(k) for k in skus}:
            found_skus = s.execute(_by_sku_query(dialect), {KEYS: bound_keys(dialect, wanted)})
            for info in found_skus.all():
                self._by_sku[sku_key(info[1])] = _info(*info)
        if self.customer_id is not None and (refs := {k.strip() for k in customer_refs}):
            rows = s.execute(
                _by_customer_ref_query(dialect),
                {"customer_id": self.customer_id, KEYS: bound_keys(dialect, refs)},
            ).all()
            for ref, *found in rows:
                self._by_cref[ref] = _info(*found)
        self._prefetch_learned(learned)
        if names := set(name_keys):
            rows = s.execute(_by_name_query(dialect), {KEYS: bound_keys(dialect, names)}).all()
            for named in rows:
                self._by_name.setdefault(named[0], []).append(_info(*named[1:]))

    def _prefetch_learned(self, learned: Iterable[tuple[XrefKind, str]]) -> None:
        keys = {key for _, key in learned}
        if not keys:
            return  # every line resolved by its identifiers: no need to build the filter
        x = CrossReference.__table__.c
        dialect = _dialect(self.session)
        whose = or_(
            *(
                and_(x.scope == scope.value, x.owner == owner)
                for scope, owner in self._owners.items()
                if owner is not None
            )
        )
        rank = {scope.value: i for i, scope in enumerate(SCOPE_ORDER)}
        best: dict[tuple[str, str], int] = {}
        rows = self.session.execute(
            select(x.kind, x.key, x.scope, *_COLS)
            .join(Product.__table__, _PRODUCT.id == x.product_id)
            .where(among(dialect, x.key), whose),
            {KEYS: bound_keys(dialect, keys)},
        )
        for kind, key, scope, *found in rows:
            if rank[scope] < best.get((kind, key), len(rank)):
                best[(kind, key)] = rank[scope]
                self._learned[(kind, key)] = _info(*found)

    # --- look-ups ------------------------------------------------------------------
    def by_gtin14(self, gtin14: str) -> tuple[ProductInfo, Decimal] | None:
        return self._by_gtin.get(gtin14)

    def known_gtin14s(self) -> Collection[str]:
        """The GTIN-14 keys :meth:`by_gtin14` finds: a big order's barcodes tested as a
        set, not by a call each (86,000: 0.09 against 0.02 s)."""
        return self._by_gtin.keys()

    def by_sku(self, sku: str) -> ProductInfo | None:
        return self._by_sku.get(sku_key(sku))

    def by_customer_ref(self, ref: str) -> ProductInfo | None:
        return self._by_cref.get(ref.strip())

    def by_name_key(self, key: str) -> list[ProductInfo]:
        return self._by_name.get(key, [])

    def by_learned(self, kind: XrefKind, key: str) -> ProductInfo | None:
        """The product an admin mapped this identifier to (inactive ones too: the check
        then says the product is no longer sold, rather than the line naming nothing)."""
        return self._learned.get((kind.value, key))

    def in_assortment(self, product_id: int) -> bool:
        """True when the customer has no assortment, or the product is in it."""
        ids = self.assortment()
        return ids is None or product_id in ids

    def assortment(self) -> Collection[int] | None:
        """The ids of the products the customer may order; None when it may order any
        (no customer, or no assortment): what :meth:`in_assortment` tests, for a big
        order to test each line's product by a membership, not a call."""
        if self.customer_id is None or not self._assortment_applies():
            return None
        if self._assortment is None:
            ids = self.session.scalars(
                select(AssortmentItem.product_id).where(
                    AssortmentItem.customer_id == self.customer_id
                )
            )
            self._assortment = set(ids)
        return self._assortment

    def _assortment_applies(self) -> bool:
        if self._applies is None:
            c = self.session.get(Customer, self.customer_id)
            self._applies = bool(c and c.has_assortment)
        return self._applies

    def name_candidates(self) -> NameIndex:
        """Products a fuzzy name may point to: the customer's assortment, else all active.

        Cached per catalog version: building it for a million products takes seconds,
        and every order of the same customer needs the same one.
        """
        scoped = self.customer_id is not None and self._assortment_applies()
        return _NAME_INDEXES.get(
            self.session,
            (self.customer_id if scoped else None,),
            lambda: self._load_names(scoped),
        )

    def _load_names(self, scoped: bool) -> NameIndex:
        p = Product.__table__.c
        q = select(*_COLS).where(p.active)
        if scoped:
            q = q.join(AssortmentItem, AssortmentItem.product_id == p.id).where(
                AssortmentItem.customer_id == self.customer_id
            )
        return NameIndex([_info(*r) for r in self.session.execute(q)])
