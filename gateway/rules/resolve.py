"""Which product does a line mean? The resolution rules, over plain data.

In order, recording how it matched:

1. **barcode** — GTIN-8/12/13/14, check digit verified; a case barcode (GTIN-14 with a
   pack quantity) multiplies the ordered quantity by the pack;
2. **supplier reference** (our SKU);
3. **the customer's own reference** (customer-refs);
4. **every other id the buyer sent** (an EDI line's ISBN ``IB``, manufacturer's number
   ``MG``, NDC ``N4``…): as a barcode when it is a valid GTIN, else as our SKU, then as
   the customer's reference;
5. **learned** — a cross-reference an admin saved for this customer, partner or everyone
   (:mod:`gateway.rules.xrefs`), for a barcode, reference or name nothing above knows;
6. **name** — exact after normalisation, then by the words and sizes it holds
   (:mod:`gateway.rules.names`): the one product that fits, or ``ambiguous_name``
   naming those that fit equally, or ``unknown_product`` with the nearest ones.

A barcode whose check digit is wrong suggests the catalog product whose barcode differs
from it by that one digit, when there is one.

When two identifiers of one line point at *different* products the line is refused as a
conflict rather than guessing which one the sender meant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum, StrEnum
from itertools import repeat
from typing import Protocol

from gateway.rules.names import NameIndex, NameMatch
from gateway.rules.products import ProductInfo, name_key
from gateway.rules.reasons import ReasonCode, barcode_problem
from gateway.rules.xrefs import XrefKind, line_identifiers
from parsers import gtin
from parsers.document import OrderLine


class MatchedBy(StrEnum):
    BARCODE = "barcode"
    SKU = "sku"
    CUSTOMER_REF = "customer_ref"
    LEARNED = "learned"  # a cross-reference an admin saved (gateway.rules.xrefs)
    NAME = "name"


class Catalog(Protocol):
    def by_gtin14(self, gtin14: str) -> tuple[ProductInfo, Decimal] | None: ...
    def by_sku(self, sku: str) -> ProductInfo | None: ...
    def by_customer_ref(self, ref: str) -> ProductInfo | None: ...
    def by_name_key(self, key: str) -> list[ProductInfo]: ...
    def by_learned(self, kind: XrefKind, key: str) -> ProductInfo | None: ...
    def name_candidates(self) -> NameIndex: ...


@dataclass(slots=True)
class Resolution:
    product: ProductInfo | None = None
    matched_by: MatchedBy | None = None
    pack_qty: Decimal = Decimal(1)
    confidence: float | None = None
    reason: ReasonCode | None = None
    #: (column, value, detail) for the message
    column: str | None = None
    value: str | None = None
    detail: str | None = None
    suggestions: list[str] = field(default_factory=list)
    #: What the message names besides (for a conflict: the other column, value, products)
    fields: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.product is not None


_new = object.__new__
#: The pack of a line matched by a reference (immutable: one object for every line)
_ONE = Decimal(1)


def resolved(product: ProductInfo, matched_by: MatchedBy, pack_qty: Decimal) -> Resolution:
    """``Resolution(product=…, matched_by=…, pack_qty=…, confidence=1.0)``: a line an
    identifier resolves, as nearly every line of a big order is. Built field by field,
    at a third of the keyword constructor's cost (its defaults' factories and its
    keywords: 0.07 s of 100,000 lines); a test holds this to the dataclass."""
    res = _new(Resolution)
    res.product = product
    res.matched_by = matched_by
    res.pack_qty = pack_qty
    res.confidence = 1.0
    res.reason = None
    res.column = None
    res.value = None
    res.detail = None
    res.suggestions = []
    res.fields = {}
    return res


def gtin14_of(barcode: str) -> str | None:
    """The GTIN-14 key of a valid barcode, or None when it is not a valid GTIN."""
    try:
        return gtin.validate(barcode).zfill(14)  # to_gtin14 would validate a second time
    except gtin.GtinError:
        return None


def gtin14_keys(barcodes: Iterable[str]) -> dict[str, str | None]:
    """:func:`gtin14_of` for a batch of barcodes, each validated once: the plain ones
    (digits of a GTIN length, nearly all of a big order's) with their check digits
    computed together (:func:`parsers.gtin.check_digits_match`), the rest one by one."""
    distinct = set(barcodes)
    # Nearly always all of them: tested together first, then one by one only when not
    plain = list(distinct) if gtin.all_plain(distinct) else list(filter(gtin.is_plain, distinct))
    # Each padded once, in C: the keys, and what the check digits are computed from
    padded = list(map(str.zfill, plain, repeat(14)))
    matches = gtin.check_digits_match(padded).tolist()
    keys: dict[str, str | None] = dict(
        zip(plain, [k if ok else None for k, ok in zip(padded, matches, strict=True)], strict=True)
    )
    if len(plain) < len(distinct):
        for b in distinct.difference(plain):
            keys[b] = gtin14_of(b)
    return keys


class NameMatcher:
    """Name matching over the catalog's name index, fetched on first use."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._index: NameIndex | None = None

    @property
    def index(self) -> NameIndex:
        if self._index is None:
            self._index = self._catalog.name_candidates()
        return self._index

    def match(self, text: str) -> NameMatch:
        return self.index.match(text)

    def nearest(self, text: str, limit: int = 3) -> list[ProductInfo]:
        return self.index.nearest(text, limit)


def _suggest(names: NameMatcher, line: OrderLine) -> list[str]:
    text = line.name or line.supplier_ref or line.customer_ref
    if not text:
        return []
    return [p.label for p in names.nearest(text)]


def check_digit_suggestions(barcode: str, catalog: Catalog) -> list[str]:
    """The catalog products whose barcode is ``barcode`` with one digit mended."""
    found: dict[int, str] = {}
    for candidate in gtin.one_digit_away(barcode):
        hit = catalog.by_gtin14(candidate.zfill(14))
        if hit is not None and hit[0].id not in found:
            found[hit[0].id] = f"{candidate} ({hit[0].label})"
    return list(found.values())


def resolve_line(
    line: OrderLine,
    catalog: Catalog,
    names: NameMatcher,
    gtin_keys: Mapping[str, str | None] | None = None,
) -> Resolution:
    """How ``line`` matches the catalog. ``gtin_keys`` (barcode → GTIN-14 or None) spares
    re-validating barcodes the caller already validated."""
    found: list[tuple[MatchedBy, ProductInfo, Decimal, str, str]] = []
    failures: list[Resolution] = []

    if line.barcode:
        col = line.columns.get("barcode", "barcode")
        if gtin_keys is None:
            gtin_keys = {line.barcode: gtin14_of(line.barcode)}
        if gtin_keys[line.barcode] is None:
            failures.append(
                Resolution(
                    reason=ReasonCode.INVALID_BARCODE,
                    column=col,
                    value=line.barcode,
                    detail=barcode_problem(line.barcode),
                    suggestions=check_digit_suggestions(line.barcode, catalog),
                )
            )
        elif hit := by_identifier(SoleId.BARCODE, line.barcode, catalog, gtin_keys):
            found.append((*hit, col, line.barcode))
        else:
            failures.append(
                Resolution(reason=ReasonCode.UNKNOWN_BARCODE, column=col, value=line.barcode)
            )
    if line.supplier_ref:
        col = line.columns.get("supplier_ref", "supplier_ref")
        if hit := by_identifier(SoleId.SUPPLIER_REF, line.supplier_ref, catalog):
            found.append((*hit, col, line.supplier_ref))
        else:
            failures.append(
                Resolution(reason=ReasonCode.UNKNOWN_SKU, column=col, value=line.supplier_ref)
            )
    if line.customer_ref:
        col = line.columns.get("customer_ref", "customer_ref")
        if hit := by_identifier(SoleId.CUSTOMER_REF, line.customer_ref, catalog):
            found.append((*hit, col, line.customer_ref))
        else:
            failures.append(
                Resolution(
                    reason=ReasonCode.UNKNOWN_CUSTOMER_REF, column=col, value=line.customer_ref
                )
            )

    for value, column in other_ids(line):
        matched = _by_any_id(value, catalog)
        if matched is not None:
            found.append((*matched, column, value))
        else:
            failures.append(Resolution(reason=ReasonCode.UNKNOWN_SKU, column=column, value=value))

    if found:
        how, product, pack, col, value = found[0]
        for _how, other, _, other_col, other_value in found[1:]:
            if other.id != product.id:
                return Resolution(
                    reason=ReasonCode.IDENTIFIER_CONFLICT,
                    column=other_col,
                    value=other_value,
                    detail=(
                        f"{col} {value!r} is {product.label} but {other_col} "
                        f"{other_value!r} is {other.label}; which one was meant?"
                    ),
                    suggestions=[product.label, other.label],
                    fields={
                        "column": col,
                        "first": product.label,
                        "other_column": other_col,
                        "other_value": other_value,
                        "other": other.label,
                        "value": value,
                    },
                )
        return resolved(product, how, pack)

    # What the admin taught comes after every identifier the catalog knows (a learned
    # reference never overrides a barcode that resolves) and before guessing from names.
    for kind, key in line_identifiers(line):
        if (learned := catalog.by_learned(kind, key)) is not None:
            return Resolution(product=learned, matched_by=MatchedBy.LEARNED, confidence=1.0)

    if line.name:
        by_name = _resolve_name(line, catalog, names)
        if by_name.ok or not failures:
            return by_name
    if failures:
        first = failures[0]
        first.suggestions = first.suggestions or _suggest(names, line)
        return first
    return Resolution(reason=ReasonCode.MISSING_PRODUCT_ID)


class SoleId(IntEnum):
    """Which identifier a line carries when it carries one alone (:func:`sole_id`)."""

    BARCODE = 0
    SUPPLIER_REF = 1
    CUSTOMER_REF = 2


# Members looked up once: a class's member costs 0.2 µs in Python 3.11, and a big order's
# line asks for two.
_BARCODE, _SUPPLIER_REF, _CUSTOMER_REF = SoleId
_BY_BARCODE, _BY_SKU, _BY_CUSTOMER_REF = MatchedBy.BARCODE, MatchedBy.SKU, MatchedBy.CUSTOMER_REF


def sole_id(line: OrderLine) -> tuple[SoleId, str] | None:
    """The line's one identifier (a barcode or a reference) and its value, when it has
    exactly one and no other id: such a line resolves by :func:`by_identifier` alone
    (nearly every line of a big order)."""
    if line.item_ids or line.manufacturer_ref:
        return None
    barcode, ref, cref = line.barcode, line.supplier_ref, line.customer_ref
    if barcode:
        return None if ref or cref else (_BARCODE, barcode)
    if ref:
        return None if cref else (_SUPPLIER_REF, ref)
    return (_CUSTOMER_REF, cref) if cref else None


def by_identifier(
    kind: SoleId,
    value: str,
    catalog: Catalog,
    gtin_keys: Mapping[str, str | None] | None = None,
) -> tuple[MatchedBy, ProductInfo, Decimal] | None:
    """The product one identifier names, how, and its pack: :func:`resolve_line` asks
    this of each barcode and reference of a line, the column path of a line's sole one.

    A barcode by its GTIN-14 key (``gtin_keys``' when given, see :func:`resolve_line`),
    with a case barcode's pack; a reference as what its column says first, then as the
    other kind: people put their own code in the "Référence" column and our SKU in
    "their ref"."""
    if kind is _BARCODE:
        key = gtin_keys[value] if gtin_keys is not None else gtin14_of(value)
        hit = catalog.by_gtin14(key) if key is not None else None
        return (_BY_BARCODE, hit[0], hit[1]) if hit else None
    if kind is _SUPPLIER_REF:
        if p := catalog.by_sku(value):
            return _BY_SKU, p, _ONE
        if p := catalog.by_customer_ref(value):
            return _BY_CUSTOMER_REF, p, _ONE
        return None
    if p := catalog.by_customer_ref(value):
        return _BY_CUSTOMER_REF, p, _ONE
    if p := catalog.by_sku(value):
        return _BY_SKU, p, _ONE
    return None


def other_ids(line: OrderLine) -> list[tuple[str, str]]:
    """``(value, column)`` of the ids the buyer sent beyond the barcode and references
    the reader already placed (its manufacturer's number among them)."""
    if not line.item_ids and not line.manufacturer_ref:
        return []
    taken = {v for v in (line.barcode, line.supplier_ref, line.customer_ref) if v}
    found: list[tuple[str, str]] = []
    if line.manufacturer_ref and line.manufacturer_ref not in taken:
        taken.add(line.manufacturer_ref)
        found.append(
            (line.manufacturer_ref, line.columns.get("manufacturer_ref", "manufacturer_ref"))
        )
    for item in line.item_ids:
        value = item.value.strip()
        if value and value not in taken:
            taken.add(value)
            found.append((value, item.column))
    return found


def _by_any_id(value: str, catalog: Catalog) -> tuple[MatchedBy, ProductInfo, Decimal] | None:
    """An id of unknown kind: a barcode when it is a valid GTIN, else a reference."""
    key = gtin14_of(value) if value.isdigit() else None
    if key is not None and (hit := catalog.by_gtin14(key)):
        return MatchedBy.BARCODE, hit[0], hit[1]
    if p := catalog.by_sku(value):
        return MatchedBy.SKU, p, _ONE
    if p := catalog.by_customer_ref(value):
        return MatchedBy.CUSTOMER_REF, p, _ONE
    return None


def _resolve_name(line: OrderLine, catalog: Catalog, names: NameMatcher) -> Resolution:
    assert line.name
    col = line.columns.get("name", "name")
    exact = [p for p in catalog.by_name_key(name_key(line.name)) if p.active] or (
        catalog.by_name_key(name_key(line.name))
    )
    if len(exact) == 1:
        return Resolution(product=exact[0], matched_by=MatchedBy.NAME, confidence=1.0)
    if len(exact) > 1:
        return Resolution(
            reason=ReasonCode.AMBIGUOUS_NAME,
            column=col,
            value=line.name,
            suggestions=[p.label for p in exact[:3]],
        )
    found = names.match(line.name)
    if found.product is not None:
        return Resolution(
            product=found.product, matched_by=MatchedBy.NAME, confidence=found.confidence
        )
    if found.candidates:
        return Resolution(
            reason=ReasonCode.AMBIGUOUS_NAME,
            column=col,
            value=line.name,
            suggestions=[p.label for p in found.candidates],
        )
    return Resolution(
        reason=ReasonCode.UNKNOWN_PRODUCT,
        column=col,
        value=line.name,
        suggestions=[p.label for p in found.suggestions],
    )


__all__ = [
    "Catalog",
    "MatchedBy",
    "NameMatcher",
    "Resolution",
    "SoleId",
    "by_identifier",
    "check_digit_suggestions",
    "gtin14_keys",
    "gtin14_of",
    "other_ids",
    "resolve_line",
    "resolved",
    "sole_id",
]
