"""Finding a product as a person types: by barcode, by reference, by name.

For the admin mapping a rejected line to the product meant. A barcode is looked up in
every writing of it (GTIN-8/12/13/14), a reference and a name by their beginning (an
index range, fast on any catalog), then a name by any word in it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.rules.products import name_key, sku_key
from gateway.store.models import Barcode, Product
from parsers import gtin

#: Past the last character any prefix can be followed by: ``[x, x + HIGH)`` is "starts with x"
HIGH = "\U0010ffff"


@dataclass(frozen=True)
class FoundProduct:
    sku: str
    name: str
    unit: str
    active: bool
    #: How it was found: barcode | sku | name
    by: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _starting(session: Session, column: Any, prefix: str) -> Any:
    """``column`` begins with ``prefix``. SQLite: as a range its index serves (its LIKE is
    case-blind and uses no index). PostgreSQL: as LIKE, whose meaning holds under any
    collation (a range would follow the collation's order, not the characters')."""
    if session.get_bind().dialect.name == "postgresql":
        return column.startswith(prefix, autoescape=True)
    return (column >= prefix) & (column < prefix + HIGH)


def search_products(session: Session, text: str, *, limit: int = 20) -> list[FoundProduct]:
    """Products whose barcode is ``text``, whose reference or name begins with it, then
    whose name holds it; each once, at most ``limit``."""
    text = text.strip()
    if not text:
        return []
    found: dict[int, FoundProduct] = {}

    def take(rows: Any, by: str) -> None:
        for p in rows:
            if len(found) < limit and p.id not in found:
                found[p.id] = FoundProduct(p.sku, p.name, p.unit, p.active, by)

    if text.isdigit() and len(text) in (8, 12, 13, 14):
        try:
            key = gtin.to_gtin14(text)
        except gtin.GtinError:
            key = None
        if key is not None:
            take(
                session.scalars(
                    select(Product).join(Barcode, Barcode.product_id == Product.id)
                    .where(Barcode.gtin14 == key)
                ),
                "barcode",
            )  # fmt: skip
    ref = sku_key(text)
    take(
        session.scalars(
            select(Product)
            .where(_starting(session, Product.sku, ref))
            .order_by(Product.sku)
            .limit(limit)
        ),
        "sku",
    )
    key = name_key(text)
    if key and len(found) < limit:
        take(
            session.scalars(
                select(Product)
                .where(_starting(session, Product.name_key, key))
                .order_by(Product.name_key)
                .limit(limit)
            ),
            "name",
        )
    if key and len(found) < limit:
        take(
            session.scalars(
                select(Product)
                .where(Product.name_key.contains(key, autoescape=True))
                .order_by(Product.name_key)
                .limit(limit)
            ),
            "name",
        )
    return list(found.values())


__all__ = ["FoundProduct", "search_products"]
