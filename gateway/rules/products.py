"""Products and parties as the rules see them: plain, read-only values.

The store's rows become these before any rule runs, so rules never touch a session
(and tests build them by hand). Names are compared by :func:`name_key` (exactly) and by
what they say (:mod:`gateway.rules.names`), references by :func:`sku_key`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class ProductInfo:
    id: int
    sku: str
    name: str
    unit: str
    sell_multiple: Decimal
    active: bool

    @property
    def label(self) -> str:
        return f"{self.sku} {self.name}"


_new = object.__new__
_set = object.__setattr__


def product_info(
    id: int, sku: str, name: str, unit: str, sell_multiple: Decimal, active: bool
) -> ProductInfo:
    """The same :class:`ProductInfo` as its constructor's, in two thirds of the time: a
    frozen dataclass's ``__init__`` looks ``object.__setattr__`` up once per field, and a
    big order's look-up builds one per product (96,000: 0.13 s). A test holds this to
    the dataclass's fields."""
    info = _new(ProductInfo)
    _set(info, "id", id)
    _set(info, "sku", sku)
    _set(info, "name", name)
    _set(info, "unit", unit)
    _set(info, "sell_multiple", sell_multiple)
    _set(info, "active", active)
    return info


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
