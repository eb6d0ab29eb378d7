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
from pathlib import Path

from sqlalchemy.orm import Session

from gateway.edi.acknowledgments import record_sent
from gateway.rules.lifecycle import OrderStatus
from gateway.replies.responses import ADMIN, PARTNER, order_response, reply_formats, response_kind
from gateway.store.models import Order, OutgoingMessage
from gateway.workspace import Workspace
from parsers import csv as csv_format
from parsers import xlsx as xlsx_format
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


def csv_dialect(language: str) -> csv_format.CsvDialect:
    """What the partner's Excel opens cleanly: French ``;`` and ``,``; English ``,`` and ``.``."""
    if language == "fr":
        return csv_format.CsvDialect()
    return csv_format.CsvDialect(delimiter=",", decimal=".")


def queue_message(
    session: Session,
    ws: Workspace,
    partner_id: str,
    *,
    kind: str,
    filename: str,
    content: bytes,
    now: datetime,
    order_id: int | None = None,
    audience: str = PARTNER,
    destination: Path | None = None,
) -> OutgoingMessage:
    """An outgoing message not answering an inbound file (status reports, digests, results)."""
    if destination is None:
        destination = ws.outbox(partner_id) if audience == PARTNER else ws.reports_dir(partner_id)
    msg = OutgoingMessage(
        partner=partner_id,
        order_id=order_id,
        inbound_file_id=None,
        kind=kind,
        audience=audience,
        destination=str(destination),
        filename=filename,
        content=content,
        created_at=now,
    )
    session.add(msg)
    return msg


def status_sheet(
    orders: list[Order], language: str, *, at: datetime, reason: str | None = None
) -> Sheet:
    """One row per line of each order (one row for an order without lines)."""
    lang = language if language in STATUS_HEADERS else "en"
    sheet = Sheet(
        title="Statut" if lang == "fr" else "Status", headers=list(STATUS_HEADERS[lang]), styles=[]
    )
    for order in orders:
        head = [
            order.order_number or f"#{order.id}",
            status_label(order.status, lang),
            order.status,
            at.astimezone().replace(tzinfo=None) if at.tzinfo else at,
        ]
        if not order.lines:
            sheet.rows.append([*head, None, None, None, None, None, None, None, reason])
            sheet.styles.append(None)
        for ln in order.lines:
            refused = ln.outcome == LineStatus.REJECTED.value
            confirmed = Decimal(0) if refused else _dec(ln.confirmed_quantity)
            sheet.rows.append([
                *head, ln.line_no, ln.barcode, ln.sku or ln.supplier_ref, ln.description,
                _dec(ln.ordered_quantity), confirmed, _dec(ln.shipped_quantity),
                ln.message if refused else reason,
            ])  # fmt: skip
            sheet.styles.append(RowStyle.REJECTED if refused else None)
    return sheet


def _dec(v: object) -> Decimal | None:
    """A stored quantity without the storage's trailing zeros (20.0000 → 20)."""
    if v is None:
        return None
    d = Decimal(str(v))
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _safe(text: str | None) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in (text or "order"))[:40]


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
    session: Session,
    ws: Workspace,
    order: Order,
    *,
    event_id: int,
    now: datetime,
    reason: str | None = None,
) -> list[OutgoingMessage]:
    """Queue what the order's partner receives about its current status (maybe nothing)."""
    partner = ws.partner(order.partner)
    if not partner.status_reports:
        return []
    lang = partner.language
    status = OrderStatus(order.status)
    formats = reply_formats(partner, SourceFormat(order.format))
    stem = f"STATUS_{_safe(order.order_number)}_{order.id}_{event_id}"
    queued: list[OutgoingMessage] = []

    def add(kind: str, filename: str, content: bytes) -> OutgoingMessage:
        message = queue_message(
            session,
            ws,
            order.partner,
            kind=kind,
            filename=filename,
            content=content,
            now=now,
            order_id=order.id,
        )
        queued.append(message)
        return message

    tabular = [f for f in formats if f in (SourceFormat.CSV, SourceFormat.XLSX)]
    if tabular:
        sheet = status_sheet([order], lang, at=now, reason=reason)
        if SourceFormat.CSV in tabular:
            add("status", f"{stem}.csv", csv_format.write_table(sheet, csv_dialect(lang)))
        if SourceFormat.XLSX in tabular:
            add("status", f"{stem}.xlsx", xlsx_format.write_table([sheet]))

    edi = [f for f in formats if f in (SourceFormat.EDIFACT, SourceFormat.X12)]
    if edi and (status in EDI_REPORTED or (status is S.SHIPPED and _shipped_differs(order))):
        from gateway.edi import legacy as edi_replies

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
            reply = edi_replies.ordrsp_reply(session, ws.config, order.partner, response, now)
            record_sent(session, add("ordrsp", reply.name, reply.data), SourceFormat.EDIFACT, reply)
        if SourceFormat.X12 in edi and order.order_number:
            reply = edi_replies.x855_reply(session, ws.config, order.partner, response, now)
            record_sent(session, add("855", reply.name, reply.data), SourceFormat.X12, reply)
    return queued


__all__ = [
    "ADMIN",
    "EDI_REPORTED",
    "PARTNER",
    "csv_dialect",
    "queue_message",
    "queue_status_report",
    "status_sheet",
]
