"""An order as its partner is told about it: the neutral response every writer formats.

:func:`order_response` builds a :class:`parsers.document.OrderResponse` from a stored
order (its lines as just inserted, or as read back), which the CSV, XLSX, ORDRSP and 855
writers turn into bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.catalog.parties import party_info
from gateway.config.settings import GatewayConfig, PartnerConfig, SupplierConfig
from gateway.rules.products import PartyInfo
from gateway.rules.quantity import in_order_unit, pack_of, trimmed
from gateway.rules.reasons import ReasonCode, day_text, order_hint, order_summary
from gateway.rules.senders import addressed_to_us
from gateway.store.line_table import LineTable, all_null
from gateway.store.models import Customer, Order, OrderLine, Site
from parsers.document import (
    Envelope,
    ItemId,
    LineStatus,
    OrderResponse,
    Party,
    PartyRole,
    ResponseKind,
    ResponseLines,
    SourceFormat,
    line_column,
)


@dataclass(slots=True)
class StoredOrder:
    """An order just stored, with its lines as inserted: what its replies are built from."""

    order: Order
    #: The lines as inserted, column by column, in line order
    table: LineTable
    #: The order's customer and site as resolved, for replies
    customer: PartyInfo | None = None
    site: PartyInfo | None = None

    @property
    def lines(self) -> list[dict[str, Any]]:
        """The line rows (column name → value), in line order."""
        return self.table.rows()

    @property
    def accepted(self) -> int:
        return self.table.accepted

    @property
    def rejected(self) -> int:
        return self.table.rejected


def response_kind(status: str, outcomes: set[str]) -> ResponseKind:
    if status == "rejected" or not outcomes - {LineStatus.REJECTED.value}:
        return ResponseKind.REJECTED
    if outcomes == {LineStatus.ACCEPTED.value}:
        return ResponseKind.ACCEPTED
    return ResponseKind.CHANGED


def line_rows(session: Session, order_id: int) -> list[dict[str, Any]]:
    """An order's lines as plain rows (no ORM objects: orders may have 100,000 lines)."""
    t = OrderLine.__table__
    result = session.execute(select(t).where(t.c.order_id == order_id).order_by(t.c.line_no))
    return [dict(r._mapping) for r in result]


def order_response(
    session: Session,
    order: Order,
    *,
    response_number: str,
    issued_at: datetime,
    language: str,
    kind: ResponseKind | None = None,
    lines: LineTable | list[dict[str, Any]] | None = None,
    parties: tuple[PartyInfo | None, PartyInfo | None] | None = None,
    supplier: SupplierConfig | None = None,
) -> OrderResponse:
    """The response about ``order`` (lines as stored, or as just inserted).

    Quantities are in the unit the buyer ordered in: a line ordered as 2 cases of 24
    (stored as 48 of the product's unit) is answered as 2 cases.  Parties are the
    buyer's and the delivery point's as the order named them, and ours from master
    data (``supplier``).
    """
    if lines is None:
        lines = line_rows(session, order.id)
    table = lines if isinstance(lines, LineTable) else LineTable.of_rows(lines)
    customer: PartyInfo | None
    site: PartyInfo | None
    if parties is not None:
        customer, site = parties
    else:
        c = session.get(Customer, order.customer_id) if order.customer_id else None
        s = session.get(Site, order.site_id) if order.site_id else None
        customer = party_info(c) if c else None
        site = party_info(s) if s else None
    env = order.envelope or {}
    envelope = Envelope(**{k: env[k] for k in Envelope.__slots__ if k in env})
    response_lines = _response_lines(table.columns)
    received = {p.get("role"): p for p in reversed(env.get("parties", []))}
    by_role = {role: p.get("id") for role, p in received.items()}
    gln_code = "UL" if order.format == SourceFormat.X12.value else "9"
    buyer = _received_party(received.get(PartyRole.BUYER.value), PartyRole.BUYER)
    if buyer is not None and not buyer.name and customer is not None:
        buyer.name = customer.name  # our master data's name, never our internal code
    us = None
    if supplier is not None:
        us = Party(
            role=PartyRole.SUPPLIER,
            id=supplier.gln,
            qualifier=gln_code if supplier.gln else None,
            name=supplier.name,
        )
    people = _for_people(order, response_lines, customer, site, language)
    return OrderResponse(
        kind=kind or response_kind(order.status, set(table.columns["outcome"])),
        order_number=order.order_number,
        order_status=order.status,
        response_number=response_number,
        issued_at=issued_at.date(),
        order_id=order.id,
        order_date=order.order_date,
        customer=order.customer_code,
        customer_gln=customer.gln if customer else None,
        site=order.site_code,
        site_gln=site.gln if site else None,
        supplier_gln=(supplier.gln if supplier and supplier.gln else None)
        or (site.gln if site and site.gln else by_role.get("supplier")),
        delivery_gln=by_role.get("delivery"),
        currency=order.currency,
        delivery_date=order.delivery_date,
        reason=order.reason,
        lines=response_lines,
        envelope=envelope,
        language=language,
        supplier=us,
        buyer=buyer,
        delivery=_received_party(received.get(PartyRole.DELIVERY.value), PartyRole.DELIVERY),
        **people,
    )


def _received_party(found: dict[str, Any] | None, role: PartyRole) -> Party | None:
    if not found:
        return None
    return Party(
        role=role,
        id=found.get("id"),
        qualifier=found.get("qualifier"),
        name=found.get("name"),
        raw_role=found.get("raw_role"),
    )


def _response_lines(c: dict[str, list[Any]]) -> ResponseLines:
    """The response's lines, from the stored columns: columns themselves (no object per
    line; see :class:`ResponseLines`)."""
    n = len(c["line_no"])
    none = [None] * n
    ordered, quantity, confirmed = c["ordered_quantity"], c["quantity"], c["confirmed_quantity"]
    shipped, price = c.get("shipped_quantity", none), c["unit_price"]
    # Quantities converted once per distinct set of them: a big order's lines share a
    # few (the same objects, hence the identities as keys: they live as long as ``c``),
    # and most have no price or shipped quantity (a column of None is no part of a key).
    amounts = (ordered, quantity, confirmed, shipped, price)
    keyed = [column for column in amounts if not all_null(column)]
    keys = list(zip(*(map(id, column) for column in keyed), strict=True)) if keyed else [()] * n
    firsts = dict(zip(keys, zip(*amounts, strict=True), strict=True))
    done = {key: _in_order_units(*values) for key, values in firsts.items()}
    per_line = list(map(done.__getitem__, keys))
    answered = [list(map(itemgetter(at), per_line)) for at in range(4)]
    item_ids = c.get("item_ids", none)
    return ResponseLines(
        {
            "line_no": c["line_no"],
            "status": list(map(_LINE_STATUS.__getitem__, c["outcome"])),
            "external_id": c["external_id"],
            "barcode": c["barcode"],
            "sku": c["sku"],
            "customer_ref": c["customer_ref"],
            "name": c["description"],
            "ordered_quantity": answered[0],
            "confirmed_quantity": answered[1],
            "shipped_quantity": answered[2],
            "unit": c["ordered_unit"],
            "unit_price": answered[3],
            "reason_code": c["reason_code"],
            "message": c["message"],
            "source_row": c["source_line"],
            "suggestions": c["suggestions"],
            # As stored (JSON pairs), the buyer's identifiers; most orders have none
            "item_ids": item_ids
            if all_null(item_ids)
            else [[ItemId(*i) for i in ids] if ids else None for ids in item_ids],
            "hint": c.get("hint", none),
        }
    )


def _in_order_units(
    ordered: object, quantity: object, confirmed: object, shipped: object, price: object
) -> tuple[Decimal | None, ...]:
    """A line's ordered, confirmed and shipped quantities and its price, as answered."""
    trimmed_ordered = trimmed(ordered)
    # A case barcode multiplied the ordered quantity into the product's unit: the buyer
    # ordered (and is answered) in cases, so product quantities go back through the pack.
    pack = pack_of(trimmed_ordered, quantity)
    return (
        trimmed_ordered,
        in_order_unit(confirmed, pack),
        in_order_unit(shipped, pack),
        trimmed(price),
    )


def _for_people(
    order: Order,
    lines: ResponseLines,
    customer: PartyInfo | None,
    site: PartyInfo | None,
    language: str,
) -> dict[str, Any]:
    """What a person reads about the order: names, its comment, a summary, what to do."""
    statuses = line_column(lines, "status")
    refused = statuses.count(LineStatus.REJECTED)
    adjusted = statuses.count(LineStatus.ADJUSTED)
    customer_name = customer.name if customer else order.customer_code
    site_name = site.name if site else order.site_code
    reason = ReasonCode(order.reason_code) if order.reason_code in _CODES else None
    return {
        "customer_name": customer_name,
        "site_name": site_name,
        "comment": order.comment,
        "reason_code": order.reason_code,
        "summary": order_summary(
            language,
            lines=len(lines),
            taken=len(lines) - refused,
            adjusted=adjusted,
            refused=refused,
            customer=customer_name,
            site=site_name,
            delivery=day_text(order.delivery_date, language),
            comment=order.comment,
        ),
        "hint": order_hint(
            language,
            status=order.status,
            refused=refused,
            reason=reason,
            customer=customer_name,
            at_site=f" at {site_name}" if site_name else "",
            sur_site=f" ({site_name})" if site_name else "",
        ),
    }


_CODES = {str(c) for c in ReasonCode}


_LINE_STATUS = {str(s): s for s in LineStatus}


def edi_recipient(partner: PartnerConfig, response: OrderResponse) -> tuple[str, str | None]:
    """Who an EDI response goes to: the order's sender as it wrote itself, else the
    partner's first ``edi_ids``."""
    env = response.envelope
    if env.sender_id:
        return env.sender_id, env.sender_qualifier
    if partner.edi_ids:
        q, sep, ident = partner.edi_ids[0].rpartition(":")
        return (ident, q) if sep else (partner.edi_ids[0], None)
    return "UNKNOWN", None


def our_edi_id(
    config: GatewayConfig, qualifier: str | None, ident: str | None
) -> tuple[str, str | None]:
    """Who we are in a reply's envelope: the id the partner addressed us by, exactly as
    it wrote it (when that is one of ours), else ``[supplier] edi_id``."""
    supplier = config.supplier
    if ident and ident.strip() and addressed_to_us(supplier.receiver_ids, qualifier, ident):
        return ident.strip(), (qualifier.strip() or None) if qualifier else None
    return supplier.edi_id, supplier.edi_qualifier


__all__ = [
    "StoredOrder",
    "edi_recipient",
    "line_rows",
    "order_response",
    "our_edi_id",
    "response_kind",
]
