"""Quantities as people and JSON read them: the one home of decimal formatting.

Stored quantities carry the column's scale (``NUMERIC(18, 4)``: ``12.0000``); nobody
wants to read that. Every reply, listing and message shows a quantity through here.

>>> plain(Decimal("12.0000")), plain(Decimal("2.50")), plain(None)
('12', '2.5', '')
>>> trimmed(Decimal("20.0000")), trimmed("2.5000"), trimmed(None)
(Decimal('20'), Decimal('2.5'), None)
>>> len(plain(Decimal(10**308)))
309
>>> json_number(Decimal("12.0000")), json_number("2.5000"), json_number(None)
(12, 2.5, None)

A line ordered by a case barcode is stored in the product's unit (2 cases of 12: 24) and
answered in the unit the buyer ordered in:

>>> pack = pack_of(Decimal(2), Decimal("24.0000"))
>>> pack, in_order_unit(Decimal("18.0000"), pack), in_order_unit(None, pack)
(Decimal('12'), Decimal('1.5'), None)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def trimmed(value: object) -> Decimal | None:
    """A stored quantity without the storage's trailing zeros; None stays None."""
    if value is None:
        return None
    d = value if value.__class__ is Decimal else Decimal(str(value))
    assert isinstance(d, Decimal)
    # to_integral_value, not quantize: a quantity of 309 digits (a 1E+308 cell) exceeds
    # the context's precision, which quantize refuses with InvalidOperation.
    whole = d.to_integral_value()
    return whole if d == whole else d.normalize()


def plain(value: object, missing: str = "") -> str:
    """A quantity as a person writes it: ``12``, ``2.5`` (never ``1.2E+1``)."""
    d = trimmed(value)
    return missing if d is None else format(d, "f")


def json_number(value: Any) -> int | float | None:
    """A quantity as JSON wants it: 12 for 12.0000, 2.5 for 2.5000, None stays None."""
    d = trimmed(value)
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def pack_of(ordered: object, quantity: object) -> Decimal:
    """How many of the product's unit one unit the buyer ordered in holds (a case of 12:
    12; 1 when the line was ordered in the product's unit). ``quantity`` is the stored
    quantity in the product's unit; a rounding to a sell multiple changes only the
    confirmed quantity, never this one."""
    o, q = trimmed(ordered), trimmed(quantity)
    if not o or not q or o == q:
        return Decimal(1)
    return q / o


def in_order_unit(value: object, pack: Decimal) -> Decimal | None:
    """A stored quantity (product's unit) in the unit the buyer ordered in."""
    amount = trimmed(value)
    if amount is None or pack == 1:
        return amount
    return trimmed(amount / pack)


__all__ = ["in_order_unit", "json_number", "pack_of", "plain", "trimmed"]
