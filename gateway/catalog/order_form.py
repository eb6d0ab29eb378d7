"""Order forms: an XLSX of the products a customer may order, to fill in and drop back.

The form is what a customer's people make by hand, done right:

* a header block above the table, in the labels the reader knows
  (:mod:`parsers.header_block`): the order number to fill in, the customer, the delivery
  site (filled when the form is for one site), the wished delivery date and a comment;
* a short "how to fill in" line (quiet to the reader: it is for people);
* the table, in the reader's own headers: barcode (as text, so Excel never turns it into
  a number), reference, name, the unit the customer orders in, the sell multiple, and the
  quantity column, highlighted — the only one to fill in.

Filled in and dropped back, it is an order — header block included — without any mapping.
Rows left blank are not ordered. The products are the customer's assortment when it has
one, else the whole catalog; active products only. French or English.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.errors import NotFound
from gateway.rules.quantity import trimmed
from gateway.store.models import AssortmentItem, Barcode, Customer, Product, Site
from parsers import xlsx as xlsx_format
from parsers.cells import Cell
from parsers.columns import ORDER_FORM_SHEET
from parsers.sheets import Sheet


@dataclass(frozen=True)
class FormWords:
    """One language's words: the header block's labels (labels the reader knows), the
    instructions (a label the reader leaves quiet), the table's headers (reader
    aliases) and unit words."""

    number: str
    customer: str
    site: str
    delivery: str
    comment: str
    how: str
    headers: tuple[str, ...]
    units: dict[str, str]


WORDS = {
    "fr": FormWords(
        number="N° de commande :",
        customer="Client :",
        site="Site de livraison :",
        delivery="Date de livraison souhaitée :",
        comment="Commentaire :",
        how="Mode d'emploi : bon de commande de {name}. Indiquez votre numéro de commande "
        "ci-dessus, saisissez les quantités dans la colonne jaune « Quantité commandée », "
        "laissez vide ce que vous ne commandez pas, puis déposez ce fichier tel quel.",
        headers=("Code-barre", "Référence", "Désignation", "Unité de commande", "Vendu par",
                 "Quantité commandée"),
        units={"EA": "pièce", "PCE": "pièce", "KG": "kg", "G": "g", "L": "litre",
               "CS": "carton", "CT": "carton", "BX": "boîte", "PK": "paquet"},
    ),
    "en": FormWords(
        number="Order number:",
        customer="Customer:",
        site="Delivery site:",
        delivery="Requested delivery date:",
        comment="Comment:",
        how="How to fill in: the order form of {name}. Give your order number above, type "
        "the quantities in the yellow column \"Quantity ordered\", leave blank what you do "
        "not order, then drop this file as it is.",
        headers=("Barcode", "SKU", "Name", "Order unit", "Sold by", "Quantity ordered"),
        units={"EA": "unit", "PCE": "unit", "KG": "kg", "G": "g", "L": "litre",
               "CS": "case", "CT": "case", "BX": "box", "PK": "pack"},
    ),
}  # fmt: skip
#: The column a customer fills in
QUANTITY_COLUMN = 5


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


def form_sheet(
    session: Session, customer_code: str, site_code: str | None = None, language: str = "fr"
) -> Sheet:
    words = WORDS.get(language, WORDS["en"])
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
    units = words.units
    rows: list[list[Cell]] = [
        [barcodes.get(p.id), p.sku, p.name, units.get(p.unit.upper(), p.unit),
         trimmed(p.sell_multiple), None]
        for p in products
    ]  # fmt: skip
    # The customer by its code: the one key its name cannot be mistaken for; its name
    # is in the instructions, a line the reader leaves aside quietly.
    preamble: list[list[Cell]] = [
        [words.number, None],
        [words.customer, customer.code],
        [words.site, site_code],
        [words.delivery, None],
        [words.comment, None],
        [words.how.format(name=customer.name)],
        [],
    ]
    return Sheet(
        title=ORDER_FORM_SHEET,
        headers=list(words.headers),
        rows=rows,
        preamble=preamble,
        highlight=QUANTITY_COLUMN,
    )


def order_form(
    session: Session, customer_code: str, site_code: str | None = None, language: str = "fr"
) -> bytes:
    """The XLSX order form of ``customer_code`` (and ``site_code`` when given)."""
    return xlsx_format.write_table([form_sheet(session, customer_code, site_code, language)])


__all__ = ["QUANTITY_COLUMN", "WORDS", "FormWords", "UnknownParty", "form_sheet", "order_form"]
