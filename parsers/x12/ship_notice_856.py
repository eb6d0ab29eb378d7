"""Write the 856 Ship Notice/Manifest announcing one shipment of an order.

Shape (one interchange, one group ``SH``, one set; hierarchy 0001: shipment, order,
pack, item)::

    BSN*00*<shipment number>*<date>*<time>*0001
    HL*1**S                      shipment
      DTM*011*<shipped>          [DTM*002*<delivery requested>]
      N1*ST as the 850 named it, N1*SF*<our name>*UL*<our GLN>
    HL*2*1*O                     order
      PRF*<PO number>***<PO date>
    HL*n*2*P  MAN*GM*<SSCC>      per package (when the shipment has them)
      HL*m*n*I                   per line in it
        LIN*<PO101>*<id pairs as the buyer sent them>
        SN1*<PO101>*<shipped now>*<unit>*<shipped to date>*<ordered>*<unit>
        PID*F****<name>
    CTT*<LIN count>

Lines in no package hang under the order.  Quantities are in the unit the PO used.
A partial shipment is the same set for what left; the remainder follows in a later
856.  Text is folded to ASCII, delimiters in data become spaces.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parsers.document import OrderResponse, ResponseLine, Shipment
from parsers.gtin import validate_sscc
from parsers.x12.delimiters import Delimiters
from parsers.x12.response_855 import number, product_ids
from parsers.x12.segment_writer import EnvelopeWriter, versions, x12_date

SHIPMENT_ORDER_PACK_ITEM = "0001"  # BSN05, element 1005
_SHIPPED = "011"  # element 374
_DELIVERY_REQUESTED = "002"


def write_856(
    response: OrderResponse,
    shipment: Shipment,
    *,
    delimiters: Delimiters = Delimiters(),  # noqa: B008 - frozen, so a safe default
    version: str = "00401",
    **envelope: Any,
) -> bytes:
    """The 856 of ``shipment`` (SSCCs are verified: a wrong one raises ``GtinError``)."""
    if not response.order_number:
        raise ValueError("an 856 must name the purchase order shipped (order_number)")
    for package in shipment.packages:
        validate_sscc(package.sscc)
    _, gs08 = versions(version)
    w = EnvelopeWriter(delimiters)
    w.add(
        "BSN",
        "00",
        shipment.number,
        x12_date(shipment.shipped_at, gs08),
        envelope["when"].strftime("%H%M"),
        SHIPMENT_ORDER_PACK_ITEM,
    )
    levels = 0

    def hl(parent: int | None, code: str) -> int:
        nonlocal levels
        levels += 1
        w.add("HL", levels, parent or "", code)
        return levels

    top = hl(None, "S")
    w.add("DTM", _SHIPPED, x12_date(shipment.shipped_at, gs08))
    if response.delivery_date:
        w.add("DTM", _DELIVERY_REQUESTED, x12_date(response.delivery_date, gs08))
    delivery = response.delivery
    if delivery is not None and (delivery.id or delivery.name):
        w.add("N1", "ST", delivery.name or "", delivery.qualifier or "", delivery.id or "")
    us = response.supplier
    if us is not None:
        w.add("N1", "SF", us.name or "", "UL" if us.id else "", us.id or "")
    order = hl(top, "O")
    order_date = response.order_date
    w.add("PRF", response.order_number, "", "", x12_date(order_date, gs08) if order_date else "")
    by_no = {line.line_no: line for line in response.lines}
    items = 0

    def item(parent: int, line: ResponseLine, quantity: Decimal) -> None:
        nonlocal items
        items += 1
        hl(parent, "I")
        w.add("LIN", line.external_id or "", *product_ids(line))
        unit = line.unit or "EA"
        w.add(
            "SN1",
            line.external_id or "",
            number(quantity),
            unit,
            number(line.shipped_quantity),
            number(line.ordered_quantity),
            unit if line.ordered_quantity is not None else "",
        )
        if line.name:
            w.add("PID", "F", "", "", "", line.name)

    packed = {line_no for package in shipment.packages for line_no in package.lines}
    for line_no, quantity in shipment.lines.items():
        if line_no not in packed:
            item(order, by_no[line_no], quantity)
    for package in shipment.packages:
        pack = hl(order, "P")
        w.add("MAN", "GM", package.sscc)
        for line_no, quantity in package.lines.items():
            item(pack, by_no[line_no], quantity)
    w.add("CTT", items)
    return w.interchange(set_id="856", functional_id="SH", version=version, **envelope)


__all__ = ["write_856"]
