"""Learned cross-references: an identifier an admin mapped to a product once.

A line whose barcode, reference or name the catalog does not know is refused; the admin
maps that identifier to a product (``xref add``, ``rejections fix``) for one customer,
one partner or everyone, and the next line carrying it resolves as ``learned``. Plain
rules: which identifiers a line offers, in which compared form, and which rejections
a learned reference can fix.

>>> xref_key(XrefKind.BARCODE, " 4006381333931 "), xref_key(XrefKind.NAME, "Café  Moulu")
('04006381333931', 'cafe moulu')
>>> xref_key(XrefKind.REFERENCE, " ab-12 ")
'AB-12'
"""

from __future__ import annotations

from enum import StrEnum

from gateway.rules.products import name_key, sku_key
from gateway.rules.reasons import ReasonCode
from parsers import gtin
from parsers.document import OrderLine


class XrefKind(StrEnum):
    """Which identifier of a line a learned reference maps."""

    BARCODE = "barcode"
    REFERENCE = "reference"  # a reference in either column: ours (SKU) or the customer's
    NAME = "name"


class XrefScope(StrEnum):
    """Whose lines a learned reference serves; the narrowest wins."""

    CUSTOMER = "customer"
    PARTNER = "partner"
    EVERYONE = "everyone"


#: Narrowest first: a customer's own mapping beats its partner's, which beats everyone's
SCOPE_ORDER = (XrefScope.CUSTOMER, XrefScope.PARTNER, XrefScope.EVERYONE)

#: The rejections a learned reference fixes, and the identifier each is about
FIXES: dict[ReasonCode, XrefKind] = {
    ReasonCode.INVALID_BARCODE: XrefKind.BARCODE,
    ReasonCode.UNKNOWN_BARCODE: XrefKind.BARCODE,
    ReasonCode.UNKNOWN_SKU: XrefKind.REFERENCE,
    ReasonCode.UNKNOWN_CUSTOMER_REF: XrefKind.REFERENCE,
    ReasonCode.UNKNOWN_PRODUCT: XrefKind.NAME,
    ReasonCode.AMBIGUOUS_NAME: XrefKind.NAME,
}


def xref_key(kind: XrefKind, text: str) -> str:
    """The compared form of an identifier: a barcode as its GTIN-14 (its digits when it is
    no valid GTIN), a reference trimmed and upper-cased, a name as its name key."""
    if kind is XrefKind.BARCODE:
        digits = "".join(text.split())
        try:
            return gtin.validate(digits).zfill(14)
        except gtin.GtinError:
            return digits
    if kind is XrefKind.REFERENCE:
        return sku_key(text)
    return name_key(text)


def line_identifiers(line: OrderLine) -> list[tuple[XrefKind, str]]:
    """The identifiers a line offers to learned references, in the order they are tried."""
    found: list[tuple[XrefKind, str]] = []
    if line.barcode:
        found.append((XrefKind.BARCODE, xref_key(XrefKind.BARCODE, line.barcode)))
    for ref in (line.supplier_ref, line.customer_ref):
        if ref:
            found.append((XrefKind.REFERENCE, xref_key(XrefKind.REFERENCE, ref)))
    if line.name:
        found.append((XrefKind.NAME, xref_key(XrefKind.NAME, line.name)))
    return found


__all__ = [
    "FIXES",
    "SCOPE_ORDER",
    "XrefKind",
    "XrefScope",
    "line_identifiers",
    "xref_key",
]
