"""What the gateway says back: responses built from stored orders, queued in the outbox.

Replies are *queued* as :class:`OutgoingMessage` rows inside the file's transaction and
written afterwards by :mod:`gateway.replies.dispatch`, so a reply exists exactly when the orders
it answers were committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.config.settings import PartnerConfig, ReplyFormat
from gateway.store.models import Customer, InboundFile, Order, OrderLine, OutgoingMessage, Site
from gateway.workspace import Workspace
from parsers import csv as csv_format
from parsers import xlsx as xlsx_format
from parsers.document import (
    Envelope,
    LineStatus,
    OrderResponse,
    ResponseKind,
    ResponseLine,
    SourceFormat,
)

if TYPE_CHECKING:
    from gateway.intake.record import StoredOrder

PARTNER = "partner"
ADMIN = "admin"


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
    lines: list[dict[str, Any]] | None = None,
    parties: tuple[Customer | None, Site | None] | None = None,
) -> OrderResponse:
    """The response about ``order`` (lines as stored, or as just inserted)."""
    rows = lines if lines is not None else line_rows(session, order.id)
    if parties is not None:
        customer, site = parties
    else:
        customer = session.get(Customer, order.customer_id) if order.customer_id else None
        site = session.get(Site, order.site_id) if order.site_id else None
    env = order.envelope or {}
    envelope = Envelope(**{k: env[k] for k in Envelope.__slots__ if k in env})
    response_lines = [
        ResponseLine(
            line_no=r["line_no"],
            status=_LINE_STATUS[r["outcome"]],
            external_id=r["external_id"],
            barcode=r["barcode"],
            sku=r["sku"],
            customer_ref=r["customer_ref"],
            name=r["description"],
            ordered_quantity=_dec(r["ordered_quantity"]),
            confirmed_quantity=_dec(r["confirmed_quantity"]),
            shipped_quantity=_dec(r.get("shipped_quantity")),
            unit=r["ordered_unit"],
            unit_price=_dec(r["unit_price"]),
            reason_code=r["reason_code"],
            message=r["message"],
            source_row=r["source_line"],
            suggestions=list(r["suggestions"] or []),
        )
        for r in rows
    ]
    parties = {p.get("role"): p.get("id") for p in reversed(env.get("parties", []))}
    return OrderResponse(
        kind=kind or response_kind(order.status, {r["outcome"] for r in rows}),
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
        supplier_gln=(site.gln if site and site.gln else parties.get("supplier")),
        delivery_gln=parties.get("delivery"),
        currency=order.currency,
        delivery_date=order.delivery_date,
        reason=order.reason,
        lines=response_lines,
        envelope=envelope,
        language=language,
    )


_LINE_STATUS = {str(s): s for s in LineStatus}
_ONE = Decimal(1)


def _dec(v: object) -> Decimal | None:
    """A stored quantity without the storage's trailing zeros: 2.5000 → 2.5, 20.0000 → 20."""
    if v is None:
        return None
    d = v if v.__class__ is Decimal else Decimal(str(v))
    return d.quantize(_ONE) if d == d.to_integral_value() else d.normalize()


@dataclass
class ReplyContext:
    """Everything a reply writer needs about the file being answered."""

    ws: Workspace
    session: Session
    partner_id: str
    partner: PartnerConfig
    inbound: InboundFile
    source: SourceFormat
    now: datetime
    #: The reader's result (CSV dialect, EDI interchange reports…)
    read_result: object | None = None
    #: Messages queued through this context, to dispatch right after the commit
    queued: list[OutgoingMessage] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return Path(self.inbound.name).stem

    def queue(
        self,
        kind: str,
        filename: str,
        content: bytes,
        *,
        audience: str = PARTNER,
        order_id: int | None = None,
    ) -> OutgoingMessage:
        dest = (
            self.ws.outbox(self.partner_id)
            if audience == PARTNER
            else self.ws.reports_dir(self.partner_id)
        )
        msg = OutgoingMessage(
            partner=self.partner_id,
            order_id=order_id,
            inbound_file_id=self.inbound.id,
            kind=kind,
            audience=audience,
            destination=str(dest),
            filename=filename,
            content=content,
            created_at=self.now,
        )
        self.session.add(msg)
        self.queued.append(msg)
        return msg


def reply_formats(partner: PartnerConfig, source: SourceFormat) -> list[SourceFormat]:
    out: list[SourceFormat] = []
    for f in partner.reply_formats:
        fmt = source if f is ReplyFormat.AUTO else SourceFormat(f.value)
        if fmt not in out:
            out.append(fmt)
    return out


def queue_tabular_acks(
    ctx: ReplyContext, responses: list[OrderResponse], formats: list[SourceFormat]
) -> None:
    """One line-level acknowledgement per file, in the sender's own spreadsheet format."""
    if not responses:
        return
    lang = ctx.partner.language
    for fmt in formats:
        if fmt is SourceFormat.CSV:
            dialect = getattr(ctx.read_result, "dialect", None) or csv_format.default_dialect(lang)
            data = csv_format.write_ack(responses, dialect, language=lang)
            ctx.queue("ack", f"ACK_{ctx.stem}_{ctx.inbound.id}.csv", data)
        elif fmt is SourceFormat.XLSX:
            data = xlsx_format.write_ack(responses, language=lang)
            ctx.queue("ack", f"ACK_{ctx.stem}_{ctx.inbound.id}.xlsx", data)


REPORT_HEADERS = {
    "en": [
        "Order",
        "Line",
        "Row/segment",
        "Barcode",
        "Reference",
        "Customer ref",
        "Description",
        "Quantity",
        "Reason code",
        "Message",
        "Suggestions",
    ],
    "fr": [
        "Commande",
        "Ligne",
        "Ligne fichier",
        "Code-barre",
        "Référence",
        "Réf. client",
        "Désignation",
        "Quantité",
        "Code motif",
        "Message",
        "Suggestions",
    ],
}


def queue_rejection_report(ctx: ReplyContext, stored: list[StoredOrder]) -> None:
    """An XLSX for admins listing every rejected line with its reason and suggestions."""
    rows: list[list[object]] = []
    for so in stored:
        order = so.order
        for ln in so.lines:
            if ln["outcome"] != LineStatus.REJECTED.value:
                continue
            rows.append(
                [
                    order.order_number or f"#{order.id}",
                    ln["line_no"],
                    ln["source_line"],
                    ln["barcode"],
                    ln["supplier_ref"],
                    ln["customer_ref"],
                    ln["description"],
                    _dec(ln["ordered_quantity"]),
                    ln["reason_code"],
                    ln["message"],
                    ", ".join(ln["suggestions"] or []),
                ]
            )
    if not rows:
        return
    headers = REPORT_HEADERS[ctx.partner.language]
    sheet = xlsx_format.Sheet(
        title="Lignes refusées" if ctx.partner.language == "fr" else "Rejected lines",
        headers=headers,
        rows=rows,
        styles=["rejected"] * len(rows),
    )
    data = xlsx_format.write_table([sheet])
    ctx.queue(
        "rejection_report",
        f"REJECTED_{ctx.stem}_{ctx.inbound.id}.xlsx",
        data,
        audience=ADMIN,
    )
