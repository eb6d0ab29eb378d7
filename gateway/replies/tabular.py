"""Spreadsheet replies to a received file: the partner's line acknowledgement, and the
admin's report of rejected lines."""

from __future__ import annotations

from collections import Counter

from gateway.replies.names import ack_name, rejection_report_name, stem
from gateway.replies.outbox import Audience, MessageKind, ReplyContext
from gateway.replies.responses import StoredOrder
from gateway.rules.quantity import trimmed
from gateway.rules.reasons import sentence, skipped_text
from parsers import csv as csv_format
from parsers import xlsx as xlsx_format
from parsers.cells import Cell
from parsers.document import OrderResponse, Skipped, SourceFormat
from parsers.sheets import RowStyle, Sheet, SkippedRow


def queue_tabular_acks(
    ctx: ReplyContext, responses: list[OrderResponse], formats: list[SourceFormat]
) -> None:
    """One line-level acknowledgement per file, in the sender's own spreadsheet format.

    A CSV ack is written in the dialect the file came in (its delimiter, decimal mark,
    encoding); answering another format in CSV, in the one the partner's language opens.
    """
    if not responses:
        return
    lang = ctx.partner.language
    file_stem = stem(ctx.inbound.name)
    skipped = skipped_rows(ctx.read_result.skipped if ctx.read_result else [], lang)
    for fmt in formats:
        if fmt is SourceFormat.CSV:
            read_dialect = getattr(ctx.read_result, "dialect", None)
            dialect = read_dialect or csv_format.dialect_for(lang)
            data = csv_format.write_ack(responses, dialect, language=lang, skipped=skipped)
            ctx.queue(MessageKind.ACK, ack_name(file_stem, ctx.inbound.id, "csv"), data)
        elif fmt is SourceFormat.XLSX:
            data = xlsx_format.write_ack(responses, language=lang, skipped=skipped)
            ctx.queue(MessageKind.ACK, ack_name(file_stem, ctx.inbound.id, "xlsx"), data)


#: An acknowledgement lists this many of each kind of thing left aside, then counts the rest
SKIPPED_LISTED = 20


def skipped_rows(skipped: list[Skipped], language: str) -> list[SkippedRow]:
    """What the reader left aside, in the partner's words, as acknowledgements list it:
    the first :data:`SKIPPED_LISTED` of each kind, then how many more (a file with a note
    beside each of its 100,000 lines gets a readable acknowledgement)."""
    rows: list[SkippedRow] = []
    seen: Counter[str] = Counter()
    for item in skipped:
        kind = str(item.kind)
        seen[kind] += 1
        if seen[kind] <= SKIPPED_LISTED:
            where = item.location
            rows.append(SkippedRow(where.sheet, where.line, kind, skipped_text(item, language)))
    for kind, count in seen.items():
        if count > SKIPPED_LISTED:
            more = sentence("skipped_more", language, count=count - SKIPPED_LISTED)
            rows.append(SkippedRow(None, None, kind, more))
    return rows


REPORT_HEADERS = {
    "en": ["Order", "Line", "Row/segment", "Barcode", "Reference", "Customer ref",
           "Description", "Quantity", "Reason code", "Message", "Suggestions"],
    "fr": ["Commande", "Ligne", "Ligne fichier", "Code-barre", "Référence", "Réf. client",
           "Désignation", "Quantité", "Code motif", "Message", "Suggestions"],
}  # fmt: skip


def queue_rejection_report(ctx: ReplyContext, stored: list[StoredOrder]) -> None:
    """An XLSX for admins listing every rejected line with its reason and suggestions."""
    rows: list[list[Cell]] = []
    for so in stored:
        order = so.order
        for ln in so.table.rejected_rows():
            rows.append(
                [
                    order.order_number or f"#{order.id}",
                    ln["line_no"],
                    ln["source_line"],
                    ln["barcode"],
                    ln["supplier_ref"],
                    ln["customer_ref"],
                    ln["description"],
                    trimmed(ln["ordered_quantity"]),
                    ln["reason_code"],
                    ln["message"],
                    ", ".join(ln["suggestions"] or []),
                ]
            )
    if not rows:
        return
    headers = REPORT_HEADERS[ctx.partner.language]
    sheet = Sheet(
        title="Lignes refusées" if ctx.partner.language == "fr" else "Rejected lines",
        headers=headers,
        rows=rows,
        styles=[RowStyle.REJECTED] * len(rows),
    )
    data = xlsx_format.write_table([sheet])
    ctx.queue(
        MessageKind.REJECTION_REPORT,
        rejection_report_name(stem(ctx.inbound.name), ctx.inbound.id),
        data,
        audience=Audience.ADMIN,
    )


__all__ = ["queue_rejection_report", "queue_tabular_acks", "skipped_rows"]
