"""May this resolved line be ordered, and in what quantity? Plain rules over plain data.

The product must be active and in the customer's assortment; the quantity must be a
positive number in the product's unit (whole for countable units) and a multiple of
the sell multiple — refused, or rounded up and said so, by the partner's policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from gateway.config.settings import QuantityPolicy
from gateway.rules.quantity import plain
from gateway.rules.reasons import ReasonCode
from gateway.rules.resolve import Resolution
from parsers.document import LineStatus, OrderLine

#: Units counted in whole items: a fraction of one makes no sense
COUNTABLE_UNITS = {"EA", "PCE", "PCS", "PC", "UN", "U", "UNIT", "C62", "CS", "CT", "BX", "PK"}


#: Quantities and prices are stored as NUMERIC(18, 4): anything this large is a typo
MAX_AMOUNT = Decimal(10) ** 13


@dataclass(slots=True)
class LineDecision:
    outcome: LineStatus
    quantity: Decimal | None = None  # in the product's unit (case barcodes multiplied)
    confirmed: Decimal | None = None
    reason: ReasonCode | None = None
    fields: dict[str, object] = field(default_factory=dict)


def check_line(
    line: OrderLine,
    res: Resolution,
    *,
    in_assortment: bool,
    customer: str | None,
    policy: QuantityPolicy,
) -> LineDecision:
    """The line's fate; ``customer`` is the customer as its people know it (its name)."""
    product = res.product
    assert product is not None
    info: dict[str, object] = {"sku": product.sku, "name": product.name, "customer": customer}
    if not product.active:
        return LineDecision(LineStatus.REJECTED, reason=ReasonCode.PRODUCT_INACTIVE, fields=info)
    if not in_assortment:
        return LineDecision(LineStatus.REJECTED, reason=ReasonCode.NOT_IN_ASSORTMENT, fields=info)

    ordered = line.quantity
    if ordered is None:
        return LineDecision(LineStatus.REJECTED, reason=ReasonCode.MISSING_QUANTITY, fields=info)
    qty = ordered * res.pack_qty
    info["value"] = plain(ordered)
    if abs(qty) >= MAX_AMOUNT or (
        line.unit_price is not None and abs(line.unit_price) >= MAX_AMOUNT
    ):
        # Beyond what an order line can mean (and what the store's numbers hold).
        what = "quantity" if abs(qty) >= MAX_AMOUNT else "price"
        shown = plain(qty if what == "quantity" else line.unit_price)
        info.update(detail_key=f"too_large_{what}", shown=shown, limit=f"{MAX_AMOUNT - 1:,}")
        return LineDecision(LineStatus.REJECTED, reason=ReasonCode.INVALID_VALUE, fields=info)
    if qty <= 0:
        return LineDecision(
            LineStatus.REJECTED, qty, reason=ReasonCode.NON_POSITIVE_QUANTITY, fields=info
        )
    if product.unit.upper() in COUNTABLE_UNITS and qty != qty.to_integral_value():
        info["unit"] = product.unit
        return LineDecision(
            LineStatus.REJECTED, qty, reason=ReasonCode.FRACTIONAL_QUANTITY, fields=info
        )
    multiple = product.sell_multiple
    if multiple > 0 and qty % multiple != 0:
        rounded = (qty / multiple).to_integral_value(rounding=ROUND_CEILING) * multiple
        info.update(value=plain(qty), multiple=plain(multiple), next=plain(rounded))
        if policy is QuantityPolicy.ROUND_UP:
            return LineDecision(
                LineStatus.ADJUSTED,
                qty,
                confirmed=rounded,
                reason=ReasonCode.ROUNDED_TO_MULTIPLE,
                fields=info,
            )
        return LineDecision(LineStatus.REJECTED, qty, reason=ReasonCode.NOT_A_MULTIPLE, fields=info)
    return LineDecision(LineStatus.ACCEPTED, qty, confirmed=qty, fields=info)


__all__ = ["COUNTABLE_UNITS", "MAX_AMOUNT", "LineDecision", "check_line"]
