"""What a partner receives when one of its orders changes status.

Each report is queued as an :class:`OutgoingMessage` in the transaction that records
the change (transactional outbox), so it is written exactly once, after the commit.

* Spreadsheet partners (CSV, XLSX — the format the order came in, or the partner's
  ``reply_formats``) get a status file on every change: one row per order line with the
  order number, status, date, the ordered / confirmed / shipped / remaining quantities
  and the reason for a difference, in the partner's language. An admin's reason for the
  change reaches the partner only when the admin says so (``--tell-partner``).
* EDIFACT partners get an ORDRSP and X12 partners an 855 when the order is validated,
  refused (rejected, cancelled) or changed (shipped quantities that differ from the
  confirmed ones). Preparation and delivery are not order responses; a buyer's ERP does
  not expect one for them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from gateway.replies.edifact import ordrsp_reply
from gateway.replies.fan_out import EDI, TABULAR, reply_formats
from gateway.replies.names import status_name
from gateway.replies.outbox import MessageKind, Outbox
from gateway.replies.responses import order_response, response_kind
from gateway.replies.x12 import x855_reply
from gateway.rules.lifecycle import OrderStatus
from gateway.rules.quantity import plain, trimmed
from gateway.rules.reasons import sentence
from gateway.store.models import Order, OutgoingMessage
from parsers import csv as csv_format
from parsers import xlsx as xlsx_format
from parsers.cells import Cell
from parsers.document import LineStatus, ResponseKind, SourceFormat
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
            ordered = trimmed(ln.ordered_quantity)
            confirmed = Decimal(0) if refused else trimmed(ln.confirmed_quantity)
            shipped = trimmed(ln.shipped_quantity)
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
    if edi and (status in EDI_REPORTED or (status is S.SHIPPED and _shipped_differs(order))):
        response = order_response(
            session,
            order,
            response_number=f"{order.id}-{event_id}",
            issued_at=now,
            language=lang,
            kind=_edi_kind(order),
        )
        # The order's stored reason is the admin's: only what they chose to tell goes out.
        response.reason = partner_reason
        if SourceFormat.EDIFACT in edi:
            reply = ordrsp_reply(session, ws.config, order.partner, response, now)
            queued.append(
                box.queue_edi(
                    order.partner, MessageKind.ORDRSP, SourceFormat.EDIFACT, reply,
                    order_id=order.id,
                )
            )  # fmt: skip
        if SourceFormat.X12 in edi and order.order_number:
            reply = x855_reply(session, ws.config, order.partner, response, now)
            queued.append(
                box.queue_edi(
                    order.partner, MessageKind.PO_ACK_855, SourceFormat.X12, reply,
                    order_id=order.id,
                )
            )  # fmt: skip
    return queued


__all__ = ["EDI_REPORTED", "queue_status_report", "status_sheet"]
