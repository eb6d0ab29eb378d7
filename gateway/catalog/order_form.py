"""Order forms: an XLSX of the products a customer may order, to fill in and drop back.

The headers are the spreadsheet reader's own French aliases (``Client``, ``Site``,
``Code-barre``, ``Référence``, ``Désignation``, ``Unité``, ``Quantité commandée``), and
the customer and site codes are written on every row, so a filled form is read as an
order without any mapping. The products are the customer's assortment when it has one,
else the whole catalog; active products only. Barcodes are written as text, so Excel
never turns them into numbers.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.errors import NotFound
from gateway.rules.quantity import trimmed
from gateway.store.models import AssortmentItem, Barcode, Customer, Product, Site
from parsers import xlsx as xlsx_format
from parsers.columns import ORDER_FORM_SHEET
from parsers.sheets import Sheet

HEADERS = [
    "Client",
    "Site",
    "Code-barre",
    "Référence",
    "Désignation",
    "Unité",
    "Multiple de vente",
    "Quantité commandée",
]
#: Index of the column a customer fills in
QUANTITY_COLUMN = HEADERS.index("Quantité commandée")


class UnknownParty(NotFound):
    """No such customer or site."""


def _unit_barcodes(session: Session, product_ids: list[int]) -> dict[int, str]:
    """Each product's unit barcode (pack of 1) when it has one, else its smallest pack's."""
    out: dict[int, tuple[Decimal, str]] = {}
    rows = session.execute(
        select(Barcode.product_id, Barcode.pack_qty, Barcode.barcode).where(
            Barcode.product_id.in_(product_ids)
        )
    )
    for pid, pack, code in rows:
        best = out.get(pid)
        key = (Decimal(pack), code)
        if best is None or key < best:
            out[pid] = key
    return {pid: code for pid, (_, code) in out.items()}


def form_sheet(session: Session, customer_code: str, site_code: str | None = None) -> Sheet:
    customer = session.scalar(select(Customer).where(Customer.code == customer_code))
    if customer is None:
        raise UnknownParty(
            f"unknown customer {customer_code!r} (import it with `import customers`)"
        )
    if site_code is not None and session.scalar(select(Site).where(Site.code == site_code)) is None:
        raise UnknownParty(f"unknown site {site_code!r} (import it with `import sites`)")
    q = select(Product).where(Product.active.is_(True)).order_by(Product.name, Product.sku)
    if customer.has_assortment:
        q = q.where(
            Product.id.in_(
                select(AssortmentItem.product_id).where(AssortmentItem.customer_id == customer.id)
            )
        )
    products = list(session.scalars(q))
    barcodes = _unit_barcodes(session, [p.id for p in products])
    rows: list[list[object]] = [
        [customer.code, site_code, barcodes.get(p.id), p.sku, p.name, p.unit,
         trimmed(p.sell_multiple), None]
        for p in products
    ]  # fmt: skip
    return Sheet(title=ORDER_FORM_SHEET, headers=list(HEADERS), rows=rows)  # type: ignore[arg-type]


def order_form(session: Session, customer_code: str, site_code: str | None = None) -> bytes:
    """The XLSX order form of ``customer_code`` (and ``site_code`` when given)."""
    return xlsx_format.write_table([form_sheet(session, customer_code, site_code)])


__all__ = ["HEADERS", "QUANTITY_COLUMN", "UnknownParty", "form_sheet", "order_form"]
