"""The orders report of a partner, and its daily digest.

The report is an XLSX in the partner's language: one row per order (status and the
date of each step) and one row per line (ordered / confirmed / shipped quantities).
The digest is that report for the open orders, queued once per partner and day at the
partner's ``digest_at`` time: a :class:`DigestSent` row is committed with the outgoing
message, so a restart — or a second worker — never sends the day's digest twice.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from gateway.replies.names import digest_name
from gateway.replies.outbox import MessageKind, outbox_transaction
from gateway.rules.lifecycle import OPEN, OrderStatus
from gateway.rules.quantity import trimmed
from gateway.store.models import DigestSent, Order
from gateway.workspace import Workspace
from parsers import xlsx as xlsx_format
from parsers.document import LineStatus
from parsers.sheets import RowStyle, Sheet, status_label

log = logging.getLogger("gateway.orders.digest")

S = OrderStatus
#: The steps whose date the report shows, in lifecycle order
STEPS = (S.PENDING_VALIDATION, S.VALIDATED, S.IN_PREPARATION, S.SHIPPED, S.DELIVERED)

HEADERS: dict[str, dict[str, Any]] = {
    "fr": {
        "orders": "Commandes",
        "lines": "Lignes",
        "order_headers": ["N° commande", "Id", "Client", "Site", "Statut", "Reçue",
                          "En attente de validation", "Validée", "En préparation", "Expédiée",
                          "Livrée", "Lignes"],
        "line_headers": ["N° commande", "Statut", "N° ligne", "Code-barre", "Référence",
                         "Désignation", "Qté commandée", "Qté confirmée", "Qté expédiée"],
    },
    "en": {
        "orders": "Orders",
        "lines": "Lines",
        "order_headers": ["Order number", "Id", "Customer", "Site", "Status", "Received",
                          "Pending validation", "Validated", "In preparation", "Shipped",
                          "Delivered", "Lines"],
        "line_headers": ["Order number", "Status", "Line", "Barcode", "SKU", "Name",
                         "Ordered qty", "Confirmed qty", "Shipped qty"],
    },
}  # fmt: skip


def _naive(at: datetime | None) -> datetime | None:
    # Spreadsheets have no time zones: local wall-clock time, as the reader expects.
    if at is None:
        return None
    return at.astimezone().replace(tzinfo=None) if at.tzinfo else at


def step_dates(order: Order) -> dict[str, datetime]:
    """When the order first reached each status."""
    out: dict[str, datetime] = {}
    for e in order.events:
        out.setdefault(e.to_status, e.at)
    return out


def report_sheets(orders: list[Order], language: str) -> list[Sheet]:
    lang = language if language in HEADERS else "en"
    h = HEADERS[lang]
    summary = Sheet(title=str(h["orders"]), headers=list(h["order_headers"]))
    lines = Sheet(title=str(h["lines"]), headers=list(h["line_headers"]), styles=[])
    for o in orders:
        when = step_dates(o)
        number = o.order_number or f"#{o.id}"
        label = status_label(o.status, lang)
        summary.rows.append(
            [number, o.id, o.customer_code, o.site_code, label,
             _naive(when.get(S.RECEIVED.value) or o.created_at),
             *(_naive(when.get(s.value)) for s in STEPS), len(o.lines)]
        )  # fmt: skip
        for ln in o.lines:
            refused = ln.outcome == LineStatus.REJECTED.value
            lines.rows.append(
                [number, label, ln.line_no, ln.barcode, ln.sku or ln.supplier_ref,
                 ln.description, trimmed(ln.ordered_quantity),
                 Decimal(0) if refused else trimmed(ln.confirmed_quantity),
                 trimmed(ln.shipped_quantity)]
            )  # fmt: skip
            assert lines.styles is not None
            lines.styles.append(RowStyle.REJECTED if refused else None)
    return [summary, lines]


def partner_orders(
    ws: Workspace, partner_id: str, *, since: datetime | None = None, open_only: bool = True
) -> list[Order]:
    q = (
        select(Order)
        .options(selectinload(Order.lines), selectinload(Order.events))
        .where(Order.partner == partner_id)
        .order_by(Order.created_at, Order.id)
    )
    if open_only:
        q = q.where(Order.status.in_([s.value for s in OPEN]))
    if since is not None:
        q = q.where(Order.created_at >= since)
    with ws.read_sessions() as s:  # a report: no write lock while a big file is stored
        return list(s.scalars(q))


def orders_report(
    ws: Workspace, partner_id: str, *, since: datetime | None = None, open_only: bool = True
) -> bytes:
    """The XLSX report of a partner's orders (open ones unless ``open_only`` is False)."""
    partner = ws.partner(partner_id)
    orders = partner_orders(ws, partner_id, since=since, open_only=open_only)
    return xlsx_format.write_table(report_sheets(orders, partner.language))


# --- the daily digest ------------------------------------------------------------------------
def _local(now: datetime) -> datetime:
    return now.astimezone() if now.tzinfo else now


def _already_sent(ws: Workspace, partner_id: str, day: date) -> bool:
    with ws.read_sessions() as s:
        return s.get(DigestSent, (partner_id, day)) is not None


def due_digests(ws: Workspace, now: datetime) -> list[str]:
    """Partners whose digest time has come today (local time) and whose digest is unsent."""
    local = _local(now)
    due = []
    for pid, p in ws.config.partners.items():
        if p.digest_at is None:
            continue
        hh, mm = (int(x) for x in p.digest_at.split(":"))
        if (local.hour, local.minute) >= (hh, mm) and not _already_sent(ws, pid, local.date()):
            due.append(pid)
    return due


def send_digest(ws: Workspace, partner_id: str, now: datetime) -> list[Path]:
    """Queue and write today's digest of ``partner_id``; nothing if it was already sent."""
    partner = ws.partner(partner_id)
    day = _local(now).date()
    data = xlsx_format.write_table(report_sheets(partner_orders(ws, partner_id), partner.language))
    try:
        with outbox_transaction(ws, now) as box:
            s = box.session
            if s.get(DigestSent, (partner_id, day)) is not None:
                return []
            msg = box.queue(partner_id, MessageKind.DIGEST, digest_name(partner_id, day), data)
            s.flush()
            s.add(DigestSent(partner=partner_id, day=day, sent_at=now, message_id=msg.id))
    except IntegrityError:
        return []  # another worker recorded today's digest first
    log.info("digest queued partner=%s day=%s", partner_id, day)
    return box.written


__all__ = ["due_digests", "orders_report", "partner_orders", "report_sheets", "send_digest"]
