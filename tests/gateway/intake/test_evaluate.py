"""A resolved line's result carries each fact of the line, its product and the decision
under the field that names it."""

from __future__ import annotations

from decimal import Decimal

from gateway.intake.evaluate import LineResult, _checked
from gateway.rules.check import LineDecision
from gateway.rules.products import ProductInfo
from gateway.rules.reasons import ReasonCode
from gateway.rules.resolve import MatchedBy, Resolution
from parsers.document import LineStatus, OrderLine


def test_a_checked_line_names_every_fact_where_its_result_says() -> None:
    line = OrderLine(line_no=7, barcode="4006381333931", quantity=Decimal("7"))
    product = ProductInfo(41, "SUG-1K", "Caster sugar 1 kg", "KG", Decimal("10"), True)
    res = Resolution(product=product, matched_by=MatchedBy.SKU, confidence=0.75)
    decision = LineDecision(
        LineStatus.ADJUSTED, Decimal("10"), Decimal("9"), ReasonCode.ROUNDED_TO_MULTIPLE
    )

    result = _checked(line, res, product, decision, "rounded up", "order by 10")

    assert result == LineResult(
        line=line,
        outcome=LineStatus.ADJUSTED,
        product_id=41,
        sku="SUG-1K",
        product_name="Caster sugar 1 kg",
        unit="KG",
        matched_by=MatchedBy.SKU,
        confidence=0.75,
        quantity=Decimal("10"),
        confirmed=Decimal("9"),
        reason=ReasonCode.ROUNDED_TO_MULTIPLE,
        message="rounded up",
        suggestions=[],
        hint="order by 10",
    )
    # Each result its own list: a line's suggestions are never another's
    assert result.suggestions is not _checked(line, res, product, decision).suggestions
