"""May a resolved line be ordered, in what quantity: the check rules on plain data."""

from __future__ import annotations

from decimal import Decimal

from gateway.config.settings import QuantityPolicy
from gateway.rules.check import LineDecision, check_line
from gateway.rules.products import ProductInfo
from gateway.rules.reasons import ReasonCode
from gateway.rules.resolve import Resolution
from parsers.document import LineStatus, OrderLine

COFFEE = ProductInfo(1, "COF-250", "Ground coffee arabica 250 g", "EA", Decimal(1), True)
SUGAR = ProductInfo(5, "SUG-1K", "Caster sugar 1 kg", "EA", Decimal(10), True)
CHEESE = ProductInfo(6, "CHE-KG", "Comte cheese per kg", "KG", Decimal("0.5"), True)
OLD = ProductInfo(7, "OLD-1", "Butter biscuits 200 g", "EA", Decimal(1), False)


def check(
    product: ProductInfo,
    qty: str | None,
    policy: QuantityPolicy = QuantityPolicy.REJECT,
    *,
    pack: str = "1",
    in_assortment: bool = True,
) -> LineDecision:
    line = OrderLine(line_no=1, quantity=Decimal(qty) if qty is not None else None)
    res = Resolution(product=product, pack_qty=Decimal(pack))
    return check_line(line, res, in_assortment=in_assortment, customer="Corner Shop", policy=policy)


def test_a_whole_quantity_of_a_countable_product_is_accepted_as_ordered() -> None:
    d = check(COFFEE, "3")
    assert (d.outcome, d.quantity, d.confirmed, d.reason) == (LineStatus.ACCEPTED, 3, 3, None)


def test_case_barcode_multiplies_quantity_by_pack() -> None:
    assert check(COFFEE, "2", pack="12").quantity == 24


def test_zero_or_negative_is_not_orderable() -> None:
    assert check(COFFEE, "0").reason is ReasonCode.NON_POSITIVE_QUANTITY
    assert check(COFFEE, "-2").reason is ReasonCode.NON_POSITIVE_QUANTITY


def test_a_fraction_of_a_countable_unit_is_refused_but_kilos_may_be_fractional() -> None:
    assert check(COFFEE, "1.5").reason is ReasonCode.FRACTIONAL_QUANTITY
    assert check(CHEESE, "2.5").outcome is LineStatus.ACCEPTED


def test_not_a_multiple_is_refused_or_rounded_up_by_the_partners_policy() -> None:
    refused = check(SUGAR, "15")
    assert (refused.reason, refused.fields["next"]) == (ReasonCode.NOT_A_MULTIPLE, "20")
    rounded = check(SUGAR, "15", QuantityPolicy.ROUND_UP)
    assert (rounded.outcome, rounded.confirmed) == (LineStatus.ADJUSTED, 20)
    assert rounded.reason is ReasonCode.ROUNDED_TO_MULTIPLE
    assert check(CHEESE, "2.3").reason is ReasonCode.NOT_A_MULTIPLE


def test_an_inactive_product_or_one_outside_the_assortment_is_refused_first() -> None:
    assert check(OLD, "3").reason is ReasonCode.PRODUCT_INACTIVE
    assert check(COFFEE, "3", in_assortment=False).reason is ReasonCode.NOT_IN_ASSORTMENT


def test_a_line_without_quantity_is_refused() -> None:
    assert check(COFFEE, None).reason is ReasonCode.MISSING_QUANTITY


def test_an_absurd_quantity_is_refused_not_stored() -> None:
    decision = check(COFFEE, "99999999999999999999999")
    assert decision.reason is ReasonCode.INVALID_VALUE
    assert decision.fields["detail_key"] == "too_large_quantity"
