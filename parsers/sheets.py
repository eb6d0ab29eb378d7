"""What the CSV and XLSX writers share: a report is a list of :class:`Sheet`; text that a
spreadsheet would run as a formula is neutralised; acknowledgement tables in French or
English."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from parsers.cells import Cell
from parsers.document import (
    OrderResponse,
)

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def needs_neutralising(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula."""
    return text.startswith(FORMULA_PREFIXES)


def neutralise(value: Cell) -> Cell:
    """A value safe to put in a cell a person will open in a spreadsheet.

    Text that would start a formula gets a leading apostrophe, which Excel and
    LibreOffice display as text; numbers, dates and other text are left alone (a
    negative number is a number, not the text ``-5``).

    >>> neutralise("=1+2"), neutralise("-5"), neutralise(-5), neutralise("Pommes")
    ("'=1+2", "'-5", -5, 'Pommes')
    """
    if isinstance(value, str) and needs_neutralising(value):
        return "'" + value
    return value


class RowStyle(StrEnum):
    """How a report row is highlighted."""

    REJECTED = "rejected"
    ADJUSTED = "adjusted"


@dataclass(slots=True, kw_only=True)
class Sheet:
    """One table of a report: a title, a header row and data rows.

    ``styles`` holds one entry per row (None for a plain row).  CSV ignores styles and
    titles; XLSX writes each sheet as a worksheet.
    """

    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    styles: list[RowStyle | None] | None = None

    def style(self, index: int) -> RowStyle | None:
        return self.styles[index] if self.styles and index < len(self.styles) else None


_ACK_LABELS = {
    "fr": {
        "lines": "Lignes",
        "summary": "Synthèse",
        "line_headers": [
            "N° commande", "N° ligne", "Ligne du fichier", "Code-barre", "Référence",
            "Désignation", "Qté commandée", "Qté confirmée", "Statut", "Code motif", "Message",
        ],
        "summary_headers": [
            "N° commande", "Client", "Site", "Statut commande", "Réponse", "Lignes",
            "Acceptées", "Ajustées", "Refusées", "Motif",
        ],
        "accepted": "Acceptée",
        "adjusted": "Ajustée",
        "rejected": "Refusée",
        "kinds": {"accepted": "Acceptée", "changed": "Acceptée avec modifications",
                  "rejected": "Refusée", "status": "Changement de statut"},
        "statuses": {"received": "Reçue", "pending_validation": "En attente de validation",
                     "validated": "Validée", "in_preparation": "En préparation",
                     "partially_shipped": "Expédiée en partie",
                     "shipped": "Expédiée", "delivered": "Livrée", "rejected": "Refusée",
                     "cancelled": "Annulée"},
    },
    "en": {
        "lines": "Lines",
        "summary": "Summary",
        "line_headers": [
            "Order number", "Line", "Source row", "Barcode", "SKU", "Name", "Ordered qty",
            "Confirmed qty", "Status", "Reason code", "Message",
        ],
        "summary_headers": [
            "Order number", "Customer", "Site", "Order status", "Response", "Lines",
            "Accepted", "Adjusted", "Rejected", "Reason",
        ],
        "accepted": "Accepted",
        "adjusted": "Adjusted",
        "rejected": "Rejected",
        "kinds": {"accepted": "Accepted", "changed": "Accepted with changes",
                  "rejected": "Rejected", "status": "Status change"},
        "statuses": {"received": "Received", "pending_validation": "Pending validation",
                     "validated": "Validated", "in_preparation": "In preparation",
                     "partially_shipped": "Partially shipped",
                     "shipped": "Shipped", "delivered": "Delivered", "rejected": "Rejected",
                     "cancelled": "Cancelled"},
    },
}  # fmt: skip


def _labels(language: str) -> dict:
    return _ACK_LABELS.get(language[:2].lower(), _ACK_LABELS["en"])


def status_label(status: str, language: str) -> str:
    """An order status as a person reads it (``pending_validation`` → "En attente…")."""
    return _labels(language)["statuses"].get(status, status)


def ack_lines_sheet(responses: Sequence[OrderResponse], language: str = "fr") -> Sheet:
    """One row per order line of every response: what was ordered and what we answer."""
    labels = _labels(language)
    styles: list[RowStyle | None] = []
    sheet = Sheet(title=labels["lines"], headers=list(labels["line_headers"]), styles=styles)
    for response in responses:
        for line in response.lines:
            sheet.rows.append(
                [
                    response.order_number,
                    line.line_no,
                    line.source_row,
                    line.barcode,
                    line.sku,
                    line.name,
                    line.ordered_quantity,
                    line.confirmed_quantity,
                    labels[line.status],  # a StrEnum member is its own value as a key
                    line.reason_code,
                    line.message,
                ]
            )
            styles.append(_ROW_STYLES.get(line.status))
    return sheet


_ROW_STYLES: dict[str, RowStyle] = {str(s): s for s in RowStyle}


def ack_summary_sheet(responses: Sequence[OrderResponse], language: str = "fr") -> Sheet:
    """One row per order: who it is for, its status and how its lines fared."""
    labels = _labels(language)
    styles: list[RowStyle | None] = []
    sheet = Sheet(title=labels["summary"], headers=list(labels["summary_headers"]), styles=styles)
    for response in responses:
        counts = {status: 0 for status in ("accepted", "adjusted", "rejected")}
        for line in response.lines:
            counts[line.status] += 1
        sheet.rows.append(
            [
                response.order_number,
                response.customer,
                response.site,
                status_label(response.order_status, language),
                labels["kinds"].get(response.kind, response.kind.value),
                len(response.lines),
                counts["accepted"],
                counts["adjusted"],
                counts["rejected"],
                response.reason,
            ]
        )
        kind = response.kind.value
        styles.append(
            RowStyle.REJECTED
            if kind == "rejected"
            else RowStyle.ADJUSTED
            if kind == "changed"
            else None
        )
    return sheet
