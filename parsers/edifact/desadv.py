"""DESADV: the EANCOM despatch advice announcing one shipment of an order.

Header: BGM+351 (despatch advice) with our shipment number and 1225 = 9 (original);
DTM+137 (document date), DTM+11 (despatch date), DTM+2 (delivery requested), RFF+ON
(the order) with DTM+171 (its date), NAD BY and DP as the order named them, NAD+SU
with our GLN.  Detail: CPS+1 for the whole consignment; per package CPS+n+1, PAC+1,
PCI+33E and GIN+BJ with its SSCC (lines in no package come first, under CPS+1); per
line LIN with the buyer's item
number as it sent it (PIA+1 for its other ids and our SKU), QTY+12 the quantity
despatched in the order's unit, and QTY+21 the quantity ordered.  Then CNT+2 (lines).

A partial shipment is the same message for what left; the remainder follows in a later
DESADV.  The message identifier follows :mod:`parsers.edifact.versions`
(``DESADV:D:96A:UN:EAN005``, ``DESADV:D:01B:UN:EAN007``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from parsers.document import OrderResponse, ResponseLine, Shipment
from parsers.edifact.ordrsp import add_item, add_party, start_reply
from parsers.edifact.segment_writer import text_components
from parsers.edifact.values import format_number
from parsers.gtin import validate_sscc

DESPATCH_ADVICE = "351"  # BGM 1001
ORIGINAL = "9"  # BGM 1225


def _d(day: date | None) -> str | None:
    return day.strftime("%Y%m%d") if day else None


def write_desadv(response: OrderResponse, shipment: Shipment, **envelope: Any) -> bytes:
    """One interchange holding the DESADV of ``shipment`` (``envelope``: the keyword
    arguments of :func:`parsers.edifact.ordrsp.start_reply`).  An SSCC with a wrong
    check digit raises :class:`parsers.gtin.GtinError`: the caller verified them."""
    for package in shipment.packages:
        validate_sscc(package.sscc)
    out = start_reply(response, "DESADV", **envelope)
    mark = out.chars.decimal

    def num(value: Decimal) -> str:
        return format_number(value, mark)

    out.add("BGM", DESPATCH_ADVICE, shipment.number, ORIGINAL)
    out.add("DTM", ("137", _d(response.issued_at), "102"))
    out.add("DTM", ("11", _d(shipment.shipped_at), "102"))
    if response.delivery_date:
        out.add("DTM", ("2", _d(response.delivery_date), "102"))
    if response.order_number:
        out.add("RFF", ("ON", response.order_number))
        if response.order_date:
            out.add("DTM", ("171", _d(response.order_date), "102"))
    add_party(out, "BY", response.buyer, response.customer_gln)
    add_party(out, "SU", response.supplier, response.supplier_gln)
    add_party(out, "DP", response.delivery, response.delivery_gln)
    release = out.release
    by_no = {line.line_no: line for line in response.lines}
    count = 0

    def line(item: ResponseLine, quantity: Decimal) -> None:
        nonlocal count
        count += 1
        add_item(out, item, release, None)
        if item.name:
            name = text_components(out.text(item.name) or "", width=35, count=2)
            out.add("IMD", "F", None, (None, None, None, *name))
        out.add("QTY", ("12", num(quantity), item.unit))
        if item.ordered_quantity is not None:
            out.add("QTY", ("21", num(item.ordered_quantity), item.unit))

    # Lines in no package sit under the consignment, before the packages' own levels
    out.add("CPS", "1")
    packed = {line_no for package in shipment.packages for line_no in package.lines}
    for line_no, quantity in shipment.lines.items():
        if line_no not in packed:
            line(by_no[line_no], quantity)
    for number, package in enumerate(shipment.packages, 2):
        out.add("CPS", str(number), "1")
        out.add("PAC", "1")
        out.add("PCI", "33E")
        out.add("GIN", "BJ", package.sscc)
        for line_no, quantity in package.lines.items():
            line(by_no[line_no], quantity)
    out.add("CNT", ("2", str(count)))
    return out.finish()


__all__ = ["write_desadv"]
