"""A product's facts as the rules see them, and the quick way a catalog look-up builds them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gateway.rules.products import ProductInfo, product_info

VALUES = {
    "id": 7,
    "sku": "SKU-7",
    "name": "Sparkling water 6x1.5l",
    "unit": "EA",
    "sell_multiple": Decimal("6.0000"),
    "active": True,
}


def test_the_quick_builder_makes_the_product_the_constructor_makes() -> None:
    quick = product_info(**VALUES)  # type: ignore[arg-type]
    slow = ProductInfo(**VALUES)  # type: ignore[arg-type]
    # getattr on a slot the builder forgot raises, so a new field cannot slip past
    for name in ProductInfo._fields:
        assert getattr(quick, name) == getattr(slow, name), name
    assert type(quick) is ProductInfo
    assert quick == slow
    assert hash(quick) == hash(slow)


def test_a_quickly_built_product_is_as_read_only_as_any() -> None:
    with pytest.raises(AttributeError):
        product_info(**VALUES).sku = "other"  # type: ignore[arg-type, misc]
