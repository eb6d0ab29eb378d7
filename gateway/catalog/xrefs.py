"""Learned cross-references in the database: save, list, remove.

What a learned reference means and how it resolves a line is in
:mod:`gateway.rules.xrefs`; this module stores them, one per scope, owner, kind and
compared identifier (saving the same identifier again maps it to the new product).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.errors import NotFound
from gateway.rules.products import sku_key
from gateway.rules.xrefs import XrefKind, XrefScope, xref_key
from gateway.store.models import CrossReference, Customer, Product


class UnknownProduct(NotFound):
    """No product has that reference."""


class UnknownCrossReference(NotFound):
    """No learned cross-reference has that id."""


@dataclass(frozen=True)
class LearnedReference:
    id: int
    scope: str
    owner: str
    kind: str
    written: str
    sku: str
    product: str
    active: bool
    created_at: datetime
    created_by: str

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["created_at"] = self.created_at.isoformat()
        return d


def _learned(x: CrossReference, p: Product) -> LearnedReference:
    return LearnedReference(
        x.id, x.scope, x.owner, x.kind, x.written, p.sku, p.name, p.active,
        x.created_at, x.created_by,
    )  # fmt: skip


def product_by_sku(session: Session, sku: str) -> Product:
    found = session.scalar(select(Product).where(Product.sku == sku_key(sku)))
    if found is None:
        found = session.scalar(select(Product).where(Product.sku == sku.strip()))
    if found is None:
        raise UnknownProduct(f"no product with reference {sku!r} in the catalog")
    return found


def save_xref(
    session: Session,
    *,
    kind: XrefKind,
    written: str,
    sku: str,
    scope: XrefScope,
    owner: str,
    actor: str,
    now: datetime,
) -> LearnedReference:
    """Map ``written`` (a barcode, reference or name) to the product ``sku`` for ``owner``."""
    product = product_by_sku(session, sku)
    if (
        scope is XrefScope.CUSTOMER
        and session.scalar(select(Customer.id).where(Customer.code == owner)) is None
    ):
        raise NotFound(f"unknown customer {owner!r} (import it with `import customers`)")
    key = xref_key(kind, written)
    if not key:
        raise NotFound(f"{written!r} holds nothing to recognise a {kind.value} by")
    owner = "" if scope is XrefScope.EVERYONE else owner
    row = session.scalar(
        select(CrossReference).where(
            CrossReference.scope == scope.value,
            CrossReference.owner == owner,
            CrossReference.kind == kind.value,
            CrossReference.key == key,
        )
    )
    if row is None:
        row = CrossReference(scope=scope.value, owner=owner, kind=kind.value, key=key)
        session.add(row)
    row.written, row.product_id = written.strip(), product.id
    row.created_at, row.created_by = now, actor
    session.flush()
    return _learned(row, product)


def list_xrefs(session: Session, *, owner: str | None = None) -> list[LearnedReference]:
    q = select(CrossReference, Product).join(Product, Product.id == CrossReference.product_id)
    if owner is not None:
        q = q.where(CrossReference.owner == owner)
    rows = session.execute(
        q.order_by(CrossReference.scope, CrossReference.owner, CrossReference.id)
    )
    return [_learned(x, p) for x, p in rows]


def remove_xref(session: Session, xref_id: int) -> LearnedReference:
    row = session.get(CrossReference, xref_id)
    if row is None:
        raise UnknownCrossReference(f"no learned cross-reference #{xref_id} (see `xref list`)")
    product = session.get(Product, row.product_id)
    assert product is not None
    gone = _learned(row, product)
    session.delete(row)
    return gone


__all__ = [
    "LearnedReference",
    "UnknownCrossReference",
    "UnknownProduct",
    "list_xrefs",
    "product_by_sku",
    "remove_xref",
    "save_xref",
]
