"""Products and parties as the rules see them: plain, read-only values.

The store's rows become these before any rule runs, so rules never touch a session
(and tests build them by hand). Names are compared by :func:`name_key` (exactly) and by
what they say (:mod:`gateway.rules.names`), references by :func:`sku_key`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple


class ProductInfo(NamedTuple):
    """A product's facts: a tuple with named fields, read-only, built in C from a
    fetched row's values (:func:`product_info`). A big order's look-up builds one per
    product: as a frozen dataclass, set field by field, that was 0.25 s of 86,000 rows
    against 0.13 (CPU, the row loop of ``CatalogLookup.prefetch``)."""

    id: int
    sku: str
    name: str
    unit: str
    sell_multiple: Decimal
    active: bool

    @property
    def label(self) -> str:
        return f"{self.sku} {self.name}"


_new = tuple.__new__


def product_info(
    id: int, sku: str, name: str, unit: str, sell_multiple: Decimal, active: bool
) -> ProductInfo:
    """``ProductInfo(id, sku, name, unit, sell_multiple, active)`` without the generated
    constructor's Python frame: the tuple made at once. A test holds this to the
    class's fields."""
    return _new(ProductInfo, (id, sku, name, unit, sell_multiple, active))


@dataclass(frozen=True, slots=True)
class PartyInfo:
    """A customer or a site of ours, as the rules need it."""

    id: int
    code: str
    name: str
    gln: str | None = None
    #: Customers only: it may order only the products of its assortment
    has_assortment: bool = False


_ASCII_KEY = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})


def name_key(text: str) -> str:
    """Accent-, case- and spacing-insensitive form of a product name.

    >>> name_key("  Café  moulu, 250 G ")
    'cafe moulu 250 g'
    """
    if text.isascii():  # the common case, without Unicode normalisation
        return " ".join(text.lower().translate(_ASCII_KEY).split())
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain.casefold()).split())


def sku_key(text: str) -> str:
    """A reference as compared: trimmed, upper case (``" caf-250"`` is ``CAF-250``)."""
    return text.strip().upper()


__all__ = ["PartyInfo", "ProductInfo", "name_key", "product_info", "sku_key"]
