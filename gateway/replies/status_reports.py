"""What a partner receives when one of its orders changes status.

Each report is queued as an :class:`OutgoingMessage` in the transaction that records
the change (transactional outbox), so it is written exactly once, after the commit.

* Spreadsheet partners (CSV, XLSX — the format the order came in, or the partner's
  ``reply_formats``) get a status file on every change: one row per order line with the
  order number, status, date, and the ordered / confirmed / shipped quantities, in the
  partner's language.
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
from gateway.rules.quantity import trimmed
from gateway.store.models import Order, OutgoingMessage
from parsers import csv as csv_format
from parsers import xlsx as xlsx_format
from parsers.cells import Cell
from parsers.document import LineStatus, ResponseKind, SourceFormat
from parsers.sheets import RowStyle, Sheet, status_label

S = OrderStatus
#: Changes an EDI partner is told about with an order response (ORDRSP / 855)
EDI_REPORTED = frozenset({S.VALIDATED, S.REJECTED, S.CANCELLED})

STATUS_HEADERS = {
    "fr": ["N° commande", "Statut", "Code statut", "Date", "N° ligne", "Code-barre",
           "Référence", "Désignation", "Qté commandée", "Qté confirmée", "Qté expédiée",
           "Motif"],
    "en": ["Order number", "Status", "Status code", "Date", "Line", "Barcode", "SKU",
           "Name", "Ordered qty", "Confirmed qty", "Shipped qty", "Reason"],
}  # fmt: skip


def status_sheet(
    orders: list[Order], language: str, *, at: datetime, reason: str | None = None
) -> Sheet:
    """One row per line of each order (one row for an order without lines)."""
    lang = language if language in STATUS_HEADERS else "en"
    sheet = Sheet(
        title="Statut" if lang == "fr" else "Status", headers=list(STATUS_HEADERS[lang]), styles=[]
    )
    styles: list[RowStyle | None] = []
    sheet.styles = styles
    for order in orders:
        head: list[Cell] = [
            order.order_number or f"#{order.id}",
            status_label(order.status, lang),
            order.status,
            at.astimezone().replace(tzinfo=None) if at.tzinfo else at,
        ]
        if not order.lines:
            sheet.rows.append([*head, None, None, None, None, None, None, None, reason])
            styles.append(None)
        for ln in order.lines:
            refused = ln.outcome == LineStatus.REJECTED.value
            confirmed = Decimal(0) if refused else trimmed(ln.confirmed_quantity)
            sheet.rows.append([
                *head, ln.line_no, ln.barcode, ln.sku or ln.supplier_ref, ln.description,
                trimmed(ln.ordered_quantity), confirmed, trimmed(ln.shipped_quantity),
                ln.message if refused else reason,
            ])  # fmt: skip
            styles.append(RowStyle.REJECTED if refused else None)
    return sheet


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
    box: Outbox, order: Order, *, event_id: int, reason: str | None = None
) -> list[OutgoingMessage]:
    """Queue what the order's partner receives about its current status (maybe nothing)."""
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
        sheet = status_sheet([order], lang, at=now, reason=reason)
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
        if reason:
            response.reason = reason
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
