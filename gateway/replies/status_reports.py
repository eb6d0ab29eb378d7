"""What a partner receives when one of its orders changes status.

Each report is queued as an :class:`OutgoingMessage` in the transaction that records
the change (transactional outbox), so it is written exactly once, after the commit.

* Spreadsheet partners (CSV, XLSX — the format the order came in, or the partner's
  ``reply_formats``) get a status file on every change: one row per order line with the
  order number, status, date, the ordered / confirmed / shipped / remaining quantities
  and the reason for a difference, in the partner's language.
* EDIFACT and X12 partners get their order response (ORDRSP / 855,
  :mod:`gateway.replies.order_responses`) when the order is validated, refused
  (rejected, cancelled) or shipped, sent only when something they can read in it
  changed; a later one replaces the earlier.  A partner with ``ship_notice = true`` gets
  a despatch advice (DESADV / 856) for every shipment instead, partial ones included.
  Preparation and delivery are not order responses; a buyer's ERP does not expect one.
* An admin's reason for the change reaches the partner only when the admin says so
  (``--tell-partner``: ``partner_reason``); otherwise it stays in the order's history.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from gateway.replies.edifact import desadv_reply
from gateway.replies.fan_out import EDI, TABULAR, reply_formats
from gateway.replies.names import status_name
from gateway.replies.order_responses import queue_order_response
from gateway.replies.outbox import MessageKind, Outbox
from gateway.replies.responses import order_response, response_kind
from gateway.replies.x12 import x856_reply
from gateway.rules.lifecycle import SHIPPING, OrderStatus
from gateway.rules.quantity import in_order_unit, pack_of, plain, trimmed
from gateway.rules.reasons import sentence
from gateway.store.models import Order, OrderEvent, OutgoingMessage
from parsers import csv as csv_format
from parsers import xlsx as xlsx_format
from parsers.cells import Cell
from parsers.document import (
    LineStatus,
    OrderResponse,
    Package,
    ResponseKind,
    Shipment,
    SourceFormat,
)
from parsers.sheets import RowStyle, Sheet, status_headers, status_label

S = OrderStatus
#: Changes an EDI partner is told about with an order response (ORDRSP / 855)
EDI_REPORTED = frozenset({S.VALIDATED, S.REJECTED, S.CANCELLED})


def status_sheet(
    orders: list[Order], language: str, *, at: datetime, reason: str | None = None
) -> Sheet:
    """One row per line of each order (one row for an order without lines): ordered,
    confirmed, shipped and remaining quantities, and the reason for a difference.

    ``reason`` is what the supplier chose to tell the partner about this change (its
    ``--reason`` with ``--tell-partner``), or None.
    """
    title, headers = status_headers(language)
    styles: list[RowStyle | None] = []
    sheet = Sheet(title=title, headers=headers, styles=styles)
    for order in orders:
        head: list[Cell] = [
            order.order_number or f"#{order.id}",
            status_label(order.status, language),
            order.status,
            at.astimezone().replace(tzinfo=None) if at.tzinfo else at,
        ]
        if not order.lines:
            sheet.rows.append([*head, None, None, None, None, None, None, None, None, reason])
            styles.append(None)
        closed = order.status in (S.REJECTED.value, S.CANCELLED.value)
        for ln in order.lines:
            refused = ln.outcome == LineStatus.REJECTED.value
            # in the unit the buyer ordered in, as its acknowledgement said
            pack = pack_of(ln.ordered_quantity, ln.quantity)
            ordered = trimmed(ln.ordered_quantity)
            confirmed = Decimal(0) if refused else in_order_unit(ln.confirmed_quantity, pack)
            shipped = in_order_unit(ln.shipped_quantity, pack)
            remaining = _remaining(confirmed, shipped, closed or refused)
            sheet.rows.append([
                *head, ln.line_no, ln.barcode, ln.sku or ln.supplier_ref, ln.description,
                ordered, confirmed, shipped, remaining,
                _why(ln.message, ordered, confirmed, shipped, refused, reason, language),
            ])  # fmt: skip
            styles.append(RowStyle.REJECTED if refused else None)
    return sheet


def _remaining(confirmed: Decimal | None, shipped: Decimal | None, closed: bool) -> Decimal:
    """What is still to be delivered: nothing on a refused line or a closed order."""
    if closed or confirmed is None:
        return Decimal(0)
    return max(confirmed - (shipped or 0), Decimal(0))


def _why(
    message: str | None,
    ordered: Decimal | None,
    confirmed: Decimal | None,
    shipped: Decimal | None,
    refused: bool,
    told: str | None,
    language: str,
) -> str | None:
    """The reason for a difference between ordered, confirmed and shipped: the line's own
    message (refusal, rounding, a case spelled out, the supplier's change), a shortfall in
    shipping, and what the supplier chose to tell."""
    parts = [message] if message and (refused or confirmed != ordered) else []
    if shipped is not None and confirmed is not None and shipped < confirmed:
        parts.append(sentence("shipped_short", language, shipped=plain(shipped),
                              confirmed=plain(confirmed)))  # fmt: skip
    if told:
        parts.append(told)
    return (" ; " if language == "fr" else "; ").join(parts) or None


def _shipped_differs(order: Order) -> bool:
    return any(
        ln.shipped_quantity is not None
        and ln.shipped_quantity != (ln.confirmed_quantity or ln.quantity)
        for ln in order.lines
        if ln.outcome != LineStatus.REJECTED.value
    )


def _edi_kind(order: Order) -> ResponseKind:
    status = OrderStatus(order.status)
    if status in (S.REJECTED, S.CANCELLED):
        return ResponseKind.REJECTED
    if status is S.VALIDATED:
        return response_kind(order.status, {ln.outcome for ln in order.lines})
    return ResponseKind.STATUS


def shipment_of(order: Order, event: OrderEvent, shipped_at: datetime) -> Shipment | None:
    """The shipment an event recorded, in the order's units (None: it shipped nothing)."""
    found = (event.details or {}).get("shipment")
    if not found:
        return None
    packs = {ln.line_no: pack_of(ln.ordered_quantity, ln.quantity) for ln in order.lines}

    def converted(quantities: dict[str, Any]) -> dict[int, Decimal]:
        return {
            int(n): in_order_unit(q, packs.get(int(n), Decimal(1))) or Decimal(0)
            for n, q in quantities.items()
            if q
        }

    return Shipment(
        number=found.get("number") or str(event.id),
        shipped_at=shipped_at.date(),
        lines=converted(event.details.get("shipped", {})),
        packages=[
            Package(sscc=p["sscc"], lines=converted(p.get("lines", {})))
            for p in found.get("packages", [])
        ],
        final=bool(found.get("final", True)),
    )


def queue_status_report(
    box: Outbox, order: Order, *, event_id: int, partner_reason: str | None = None
) -> list[OutgoingMessage]:
    """Queue what the order's partner receives about its current status (maybe nothing).

    ``partner_reason`` is the reason the supplier chose to tell the partner (an admin's
    ``--reason`` with ``--tell-partner``); without it the partner reads no reason of
    ours, only its lines' own."""
    ws, session, now = box.ws, box.session, box.now
    partner = ws.partner(order.partner)
    if not partner.status_reports:
        return []
    lang = partner.language
    status = OrderStatus(order.status)
    formats = reply_formats(partner, SourceFormat(order.format))
    queued: list[OutgoingMessage] = []

    tabular = [f for f in formats if f in TABULAR]
    if tabular:
        sheet = status_sheet([order], lang, at=now, reason=partner_reason)
        for fmt in tabular:
            if fmt is SourceFormat.CSV:
                data = csv_format.write_table(sheet, csv_format.dialect_for(lang))
            else:
                data = xlsx_format.write_table([sheet])
            name = status_name(order.order_number, order.id, event_id, fmt.value)
            queued.append(
                box.queue(order.partner, MessageKind.STATUS, name, data, order_id=order.id)
            )

    edi = [f for f in formats if f in EDI]
    if not edi or status not in EDI_REPORTED | SHIPPING:
        return queued
    response = order_response(
        session,
        order,
        response_number=f"{order.id}-{event_id}",
        issued_at=now,
        language=lang,
        kind=_edi_kind(order),
        supplier=ws.config.supplier,
    )
    response.reason = partner_reason
    if status in SHIPPING and partner.ship_notice:
        event = session.get(OrderEvent, event_id)
        shipment = shipment_of(order, event, now) if event is not None else None
        if shipment is not None and shipment.lines:
            queued += _queue_ship_notices(box, order, response, shipment, edi)
        return queued
    if status in SHIPPING:
        if status is S.PARTIALLY_SHIPPED:
            return queued  # the order response tells what will be delivered, once known
        for line in response.lines:
            if line.shipped_quantity is not None and line.status is not LineStatus.REJECTED:
                # Shipped short or over: what the buyer gets is what was shipped
                if line.shipped_quantity != line.confirmed_quantity:
                    line.status = LineStatus.ADJUSTED
                line.confirmed_quantity = line.shipped_quantity
    queued += queue_order_response(box, order, response, edi)
    return queued


def _queue_ship_notices(
    box: Outbox, order: Order, response: OrderResponse, shipment: Shipment, edi: list[SourceFormat]
) -> list[OutgoingMessage]:
    queued = []
    for fmt in edi:
        if fmt is SourceFormat.EDIFACT:
            reply = desadv_reply(
                box.session, box.ws.config, order.partner, response, shipment, box.now
            )
            kind = MessageKind.DESADV
        elif order.order_number:
            reply = x856_reply(
                box.session, box.ws.config, order.partner, response, shipment, box.now
            )
            kind = MessageKind.SHIP_NOTICE_856
        else:
            continue
        queued.append(box.queue_edi(order.partner, kind, fmt, reply, order_id=order.id))
    return queued


__all__ = ["EDI_REPORTED", "queue_status_report", "shipment_of", "status_sheet"]
