"""What the CSV and XLSX writers share: a report is a list of :class:`Sheet`; text that a
spreadsheet would run as a formula is neutralised; acknowledgement tables in French or
English."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from parsers.cells import Cell
from parsers.document import LineStatus, OrderResponse, ResponseKind, line_column

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

    ``styles`` holds one entry per row (None for a plain row).  CSV ignores styles,
    titles and highlights; XLSX writes each sheet as a worksheet.
    """

    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    styles: list[RowStyle | None] | None = None
    #: Rows above the header (an order form's header block and instructions)
    preamble: list[list[Cell]] = field(default_factory=list)
    #: A column to set apart for the reader (the one an order form asks to fill in)
    highlight: int | None = None

    def style(self, index: int) -> RowStyle | None:
        return self.styles[index] if self.styles and index < len(self.styles) else None


_ACK_LABELS = {
    "fr": {
        "lines": "Lignes",
        "summary": "Synthèse",
        "skipped": "Non lu",
        "status": "Statut",
        "line_headers": [
            "N° commande", "N° ligne", "Ligne du fichier", "Code-barre", "Référence",
            "Désignation", "Qté commandée", "Qté retenue", "Statut", "Code motif", "Message",
            "À faire",
        ],
        "summary_headers": [
            "N° commande", "Client", "Site de livraison", "Date de livraison", "Statut commande",
            "Réponse", "Lignes", "Retenues", "Ajustées", "Refusées", "Commentaire", "Message",
            "À faire",
        ],
        "skipped_headers": ["Feuille", "Ligne du fichier", "Code motif", "Message"],
        "status_headers": [
            "N° commande", "Statut", "Code statut", "Date", "N° ligne", "Code-barre",
            "Référence", "Désignation", "Qté commandée", "Qté confirmée", "Qté expédiée",
            "Reste à livrer", "Motif",
        ],
        # a line before the supplier validated the order promises nothing
        "waiting": {"accepted": "Reçue — en attente de validation",
                    "adjusted": "Ajustée — en attente de validation", "rejected": "Refusée"},
        "decided": {"accepted": "Acceptée", "adjusted": "Ajustée", "rejected": "Refusée"},
        "not_read": "Non lue",
        "kinds": {"accepted": "Toutes les lignes retenues", "changed": "Retenue avec ajustements",
                  "partly": "Retenue en partie : lignes refusées", "rejected": "Refusée",
                  "status": "Changement de statut"},
        "statuses": {"received": "Reçue",
                     "pending_validation": "Reçue — en attente de validation",
                     "validated": "Validée", "in_preparation": "En préparation",
                     "partially_shipped": "Expédiée en partie",
                     "shipped": "Expédiée", "delivered": "Livrée", "rejected": "Refusée",
                     "cancelled": "Annulée"},
    },
    "en": {
        "lines": "Lines",
        "summary": "Summary",
        "skipped": "Not read",
        "status": "Status",
        "line_headers": [
            "Order number", "Line", "Source row", "Barcode", "SKU", "Name", "Ordered qty",
            "Qty taken", "Status", "Reason code", "Message", "What to do",
        ],
        "summary_headers": [
            "Order number", "Customer", "Delivery site", "Delivery date", "Order status",
            "Response", "Lines", "Taken", "Adjusted", "Refused", "Comment", "Message",
            "What to do",
        ],
        "skipped_headers": ["Sheet", "Source row", "Reason code", "Message"],
        "status_headers": [
            "Order number", "Status", "Status code", "Date", "Line", "Barcode", "SKU", "Name",
            "Ordered qty", "Confirmed qty", "Shipped qty", "Remaining", "Reason",
        ],
        "waiting": {"accepted": "Received — awaiting validation",
                    "adjusted": "Adjusted — awaiting validation", "rejected": "Rejected"},
        "decided": {"accepted": "Accepted", "adjusted": "Adjusted", "rejected": "Rejected"},
        "not_read": "Not read",
        "kinds": {"accepted": "All lines taken", "changed": "Taken with adjustments",
                  "partly": "Partly taken: lines refused", "rejected": "Rejected",
                  "status": "Status change"},
        "statuses": {"received": "Received", "pending_validation": "Received — awaiting validation",
                     "validated": "Validated", "in_preparation": "In preparation",
                     "partially_shipped": "Partially shipped",
                     "shipped": "Shipped", "delivered": "Delivered", "rejected": "Rejected",
                     "cancelled": "Cancelled"},
    },
}  # fmt: skip
#: Statuses in which the supplier has not decided yet: a line is received, not accepted
_UNDECIDED = frozenset({"received", "pending_validation"})


@dataclass(slots=True, frozen=True)
class SkippedRow:
    """Something a reader left aside, as the acknowledgement lists it (in words)."""

    sheet: str | None
    row: int | None
    code: str
    message: str


def _labels(language: str) -> dict:
    return _ACK_LABELS.get(language[:2].lower(), _ACK_LABELS["en"])


def status_label(status: str, language: str) -> str:
    """An order status as a person reads it (``pending_validation`` → "Reçue — en attente…")."""
    return _labels(language)["statuses"].get(status, status)


def status_headers(language: str) -> tuple[str, list[str]]:
    """The title and headers of a status report (see ``gateway.replies.status_reports``)."""
    labels = _labels(language)
    return labels["status"], list(labels["status_headers"])


def line_status_label(status: LineStatus | str, order_status: str, language: str) -> str:
    """A line's status as a person reads it: "Reçue — en attente de validation" while the
    supplier has not validated the order, "Acceptée" once it has."""
    labels = _labels(language)
    return labels["waiting" if order_status in _UNDECIDED else "decided"][str(status)]


def response_label(response: OrderResponse, language: str) -> str:
    """What the response says of the order as a whole; refused lines are never "accepted
    with changes"."""
    kinds = _labels(language)["kinds"]
    kind = response.kind.value
    if kind == "changed" and LineStatus.REJECTED in line_column(response.lines, "status"):
        kind = "partly"
    return kinds.get(kind, kind)


@dataclass(slots=True, kw_only=True)
class ColumnSheet:
    """A table held column by column: ``columns[j][i]`` is cell *j* of row *i*.

    What an acknowledgement's lines are built as (from a response's columns, each a list
    made in one step) and a CSV written from; :meth:`sheet` gives its rows.
    """

    title: str
    headers: list[str]
    columns: list[list[Cell]]
    styles: list[RowStyle | None]

    def sheet(self) -> Sheet:
        rows = [list(row) for row in zip(*self.columns, strict=True)]
        return Sheet(title=self.title, headers=self.headers, rows=rows, styles=self.styles)


#: The response line's field each column of an acknowledgement's lines holds, after the
#: order number (the status column holds its label)
_ACK_LINE_FIELDS = (
    "line_no", "source_row", "barcode", "sku", "name", "ordered_quantity",
    "confirmed_quantity", "status", "reason_code", "message", "hint",
)  # fmt: skip


def ack_lines_sheet(
    responses: Sequence[OrderResponse],
    language: str = "fr",
    *,
    with_orders: bool = False,
    skipped: Sequence[SkippedRow] = (),
) -> Sheet:
    """One row per order line of every response (see :func:`ack_lines_columns`)."""
    return ack_lines_columns(responses, language, with_orders=with_orders, skipped=skipped).sheet()


def ack_lines_columns(
    responses: Sequence[OrderResponse],
    language: str = "fr",
    *,
    with_orders: bool = False,
    skipped: Sequence[SkippedRow] = (),
) -> ColumnSheet:
    """One row per order line of every response: what was ordered and what we answer.

    ``with_orders`` puts a row about the whole order (its status, its counts, what to
    do) before its lines — what a single-table CSV acknowledgement needs; ``skipped``
    rows (what the reader left aside) come last. Built column by column from the
    responses' columns: an acknowledgement of 100,000 lines makes no object per line.
    """
    labels = _labels(language)
    headers = list(labels["line_headers"])
    columns: list[list[Cell]] = [[] for _ in headers]
    numbers, *by_field = columns
    statuses_column = by_field[_ACK_LINE_FIELDS.index("status")]
    fields = zip(by_field, _ACK_LINE_FIELDS, strict=True)
    copied = [(column, name) for column, name in fields if name != "status"]
    styles: list[RowStyle | None] = []
    for response in responses:
        lines = response.lines
        if with_orders:
            order_row: list[Cell] = [
                None, None, None, None, None, None, None,
                status_label(response.order_status, language),
                _order_code(response), response.summary, response.hint,
            ]  # fmt: skip
            for column, value in zip(by_field, order_row, strict=True):
                column.append(value)
            numbers.append(response.order_number)
            styles.append(RowStyle.REJECTED if response.kind is ResponseKind.REJECTED else None)
        numbers.extend([response.order_number] * len(lines))
        for column, name in copied:
            column.extend(line_column(lines, name))
        statuses = line_column(lines, "status")
        # Looked up once per order: an acknowledgement of 100,000 lines asks 100,000 times
        words = labels["waiting" if response.order_status in _UNDECIDED else "decided"]
        # a StrEnum member is its own value as a key
        statuses_column.extend(map(words.__getitem__, statuses))
        styles.extend(map(_ROW_STYLES.get, statuses))
    for item in skipped:
        row: list[Cell] = [
            None, None, item.row, None, None, None, None, None, labels["not_read"], item.code,
            item.message, None,
        ]  # fmt: skip
        for column, value in zip(columns, row, strict=True):
            column.append(value)
        styles.append(None)
    return ColumnSheet(title=labels["lines"], headers=headers, columns=columns, styles=styles)


def _order_code(response: OrderResponse) -> str | None:
    """The order row's code for machines: why it was refused, else its status."""
    if response.kind is ResponseKind.REJECTED and response.reason_code:
        return response.reason_code
    return response.order_status


_ROW_STYLES: dict[str, RowStyle] = {str(s): s for s in RowStyle}


def ack_summary_sheet(responses: Sequence[OrderResponse], language: str = "fr") -> Sheet:
    """One row per order: who it is for, its status, how its lines fared, what to do."""
    labels = _labels(language)
    styles: list[RowStyle | None] = []
    sheet = Sheet(title=labels["summary"], headers=list(labels["summary_headers"]), styles=styles)
    for response in responses:
        statuses = line_column(response.lines, "status")
        counts = {status: statuses.count(status) for status in ("accepted", "adjusted", "rejected")}
        sheet.rows.append(
            [
                response.order_number,
                response.customer_name or response.customer,
                response.site_name or response.site,
                response.delivery_date,
                status_label(response.order_status, language),
                response_label(response, language),
                len(response.lines),
                counts["accepted"] + counts["adjusted"],
                counts["adjusted"],
                counts["rejected"],
                response.comment,
                response.reason if response.kind is ResponseKind.REJECTED else response.summary,
                response.hint,
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


def ack_skipped_sheet(skipped: Sequence[SkippedRow], language: str = "fr") -> Sheet:
    """What the reader left aside, one row each (sheets, rows, columns, cells)."""
    labels = _labels(language)
    rows: list[list[Cell]] = [[s.sheet, s.row, s.code, s.message] for s in skipped]
    return Sheet(title=labels["skipped"], headers=list(labels["skipped_headers"]), rows=rows)
