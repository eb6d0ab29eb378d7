"""The neutral order document every format reads into, and the neutral response written back.

A parser turns bytes into :class:`OrderDocument` objects and a writer turns an
:class:`OrderResponse` into bytes.  Nothing here knows the supplier's catalog: a line
carries the identifiers *as the sender wrote them* (barcode, supplier reference, the
buyer's own reference, a name) and the gateway resolves them later.

These are slotted dataclasses rather than pydantic models on purpose: a 100,000-line
EDI interchange builds 100,000 lines, and validation belongs to the parser that read
the bytes, which already knows where each value came from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple, overload


class SourceFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    EDIFACT = "edifact"
    X12 = "x12"


class PartyRole(StrEnum):
    """Who a party is to the order (EDIFACT NAD qualifier / X12 N101 equivalents)."""

    BUYER = "buyer"  # NAD+BY, N1*BY
    DELIVERY = "delivery"  # NAD+DP, N1*ST
    SUPPLIER = "supplier"  # NAD+SU, N1*SE
    INVOICEE = "invoicee"  # NAD+IV, N1*BT
    ULTIMATE_CONSIGNEE = "ultimate_consignee"  # NAD+UC
    SHIP_FROM = "ship_from"  # NAD+SF, N1*SF
    OTHER = "other"


class IssueCode(StrEnum):
    """Problems a parser finds in one line; the line is kept and later rejected with it.

    The gateway's reason codes reuse these values, so a code means the same thing
    in a parser's output, in the database and in a reply.
    """

    INVALID_QUANTITY = "invalid_quantity"
    MISSING_QUANTITY = "missing_quantity"
    INVALID_DATE = "invalid_date"
    MISSING_PRODUCT_ID = "missing_product_id"
    INVALID_VALUE = "invalid_value"


class LineChange(StrEnum):
    """What a buyer's change (ORDCHG, 860, a replacing order) does to one line."""

    ADD = "add"  # a new line
    DELETE = "delete"  # the line is no longer wanted
    CHANGE = "change"  # quantity, date or price of an existing line
    UNCHANGED = "unchanged"  # restated as it was (a replacing order)


@dataclass(slots=True, kw_only=True)
class Location:
    """Where in the source a value sits, for messages a person can act on.

    ``line`` is the physical line (CSV), row (XLSX, with its ``sheet``) or segment position (EDI,
    1-based within the file); ``column`` is a header name (CSV/XLSX) or an EDI
    element reference such as ``QTY01-2``.
    """

    line: int | None = None
    column: str | None = None
    sheet: str | None = None
    segment: str | None = None
    #: EDI: the segment's position in its message (UNH / ST is 1), as CONTRL and 997
    #: count, and as a partner's translator shows it
    in_message: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.line is not None:
            kind = "segment" if self.segment else "row" if self.sheet else "line"
            parts.append(f"{kind} {self.line}")
        if self.segment:
            parts.append(self.segment)
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)


class ItemId(NamedTuple):
    """One product identifier of a line exactly as the buyer sent it.

    ``qualifier`` is the EDIFACT 7143 item type (``EN``, ``SRV``, ``IB``, ``SA``…) or the
    X12 product-id qualifier (``UP``, ``VP``, ``IB``, ``MG``, ``N4``…); ``column`` is where
    it stood (``LIN03``, ``PIA02``, ``PO107``…).  Replies echo these, resolution tries
    every one of them.  An X12 value is kept as sent, padding included: its readers strip.
    """

    qualifier: str
    value: str
    column: str


class SkipKind(StrEnum):
    """What a spreadsheet reader left aside, so that the sender can be told in words."""

    TOTAL_ROW = "total_row"
    REPEATED_HEADER = "repeated_header"
    SHEET_WITHOUT_TABLE = "sheet_without_table"  # a worksheet with no order header
    TABLE_WITHOUT_LINES = "table_without_lines"  # a header with no line below it
    UNREAD_COLUMN = "unread_column"  # a header the gateway does not read
    TEXT_ABOVE = "text_above"  # above the table, not a field (a title)
    CELL_BESIDE = "cell_beside"  # text beside a line, outside the table
    UNREAD_PRICE = "unread_price"  # a unit price that is not a number
    UNREAD_DATE = "unread_date"  # a date in the header block that is not a date
    CONFLICTING_VALUE = "conflicting_value"  # a customer or site other than the order's


@dataclass(slots=True, kw_only=True)
class Skipped:
    """One thing a reader left aside: where, what it held, and (for a conflict) what was
    kept instead. ``str()`` is the English remark logged for admins."""

    kind: SkipKind
    location: Location
    text: str | None = None
    #: CONFLICTING_VALUE: the field and the value used instead
    field: str | None = None
    kept: str | None = None

    def __str__(self) -> str:
        where = str(self.location)
        what = {
            SkipKind.TOTAL_ROW: "total row skipped",
            SkipKind.REPEATED_HEADER: "repeated header row skipped",
            SkipKind.SHEET_WITHOUT_TABLE: "sheet without an order table, not read",
            SkipKind.TABLE_WITHOUT_LINES: "order table without a line, not read",
            SkipKind.UNREAD_COLUMN: f"column {self.text!r} is not read",
            SkipKind.TEXT_ABOVE: f"{self.text!r} above the table is not an order field",
            SkipKind.CELL_BESIDE: f"{self.text!r} beside the table is not read",
            SkipKind.UNREAD_PRICE: f"unit price {self.text!r} is not a number; ignored",
            SkipKind.UNREAD_DATE: f"{self.text!r} is not a date; ignored",
            SkipKind.CONFLICTING_VALUE: f"{self.field} {self.text!r} differs from "
            f"{self.kept!r} given earlier for the same order; {self.kept!r} is used",
        }[self.kind]
        return f"{where}: {what}" if where else what


@dataclass(slots=True, kw_only=True)
class LineIssue:
    code: IssueCode
    message: str
    column: str | None = None
    value: str | None = None
    #: Which problem of its code it is (``scientific_barcode``), for its sentence in the
    #: sender's language; ``message`` is the English one
    key: str | None = None


@dataclass(slots=True, kw_only=True)
class Party:
    role: PartyRole
    #: The identifier as sent (GLN for ``qualifier`` 9/UL, else a code)
    id: str | None = None
    #: EDIFACT 3055 code list agency (``9`` = GS1/GLN) or X12 N103 (``UL``, ``92``, ``91``…)
    qualifier: str | None = None
    name: str | None = None
    raw_role: str | None = None  # the qualifier as written (BY, DP, ST…)


@dataclass(slots=True, kw_only=True)
class OrderLine:
    """One ordered item as the sender wrote it."""

    line_no: int  # 1-based position within the order
    location: Location = field(default_factory=Location)
    #: The sender's own line id (EDIFACT LIN 1082, X12 PO101); echoed in responses
    external_id: str | None = None
    barcode: str | None = None  # GTIN-8/12/13/14 as digits (UPC leading zeros restored)
    barcode_type: str | None = None  # EN, UP, UK, SRV… where the format says
    supplier_ref: str | None = None  # the supplier's article number (SKU)
    customer_ref: str | None = None  # the buyer's own article number
    manufacturer_ref: str | None = None
    name: str | None = None
    quantity: Decimal | None = None
    quantity_text: str | None = None  # the raw text, for messages
    unit: str | None = None
    unit_price: Decimal | None = None
    requested_delivery: date | None = None
    comment: str | None = None
    #: Where each identifier came from (field name → column / element), for messages
    columns: dict[str, str] = field(default_factory=dict)
    issues: list[LineIssue] = field(default_factory=list)
    #: Every product identifier as sent, in the order sent (EDI; empty for spreadsheets)
    item_ids: list[ItemId] = field(default_factory=list)
    #: What a change document does to this line (ORDCHG 1229 / 860 POC02), else None
    change: LineChange | None = None


_new = object.__new__


def order_line_at(
    line_no: int,
    line: int,
    segment: str | None,
    external_id: str | None,
    barcode: str | None,
    barcode_type: str | None,
    supplier_ref: str | None,
    customer_ref: str | None,
    manufacturer_ref: str | None,
    name: str | None,
    quantity: Decimal | None,
    quantity_text: str | None,
    unit: str | None,
    unit_price: Decimal | None,
    columns: dict[str, str],
    in_message: int | None = None,
    item_ids: list[ItemId] | None = None,
) -> OrderLine:
    """An :class:`OrderLine` at EDI segment ``line``, as an EDI reader's hot path builds it.

    The same line as ``OrderLine(line_no=…, location=Location(line=line,
    segment=segment), …)`` with these values and no date, comment or issue, at a
    third of the cost: the generated ``__init__`` matches its keyword arguments one
    by one, which for 100,000 lines took longer than everything else the X12 reader
    does with a line.  Every field is set here; a test holds this to the dataclass.

    The hot paths pass every argument by position: binding 17 keyword arguments costs
    twice what the body does (1.1 µs a call instead of 0.36 µs on Python 3.11).
    """
    location = _new(Location)
    location.line = line
    location.column = None
    location.sheet = None
    location.segment = segment
    location.in_message = in_message
    item = _new(OrderLine)
    item.line_no = line_no
    item.location = location
    item.external_id = external_id
    item.barcode = barcode
    item.barcode_type = barcode_type
    item.supplier_ref = supplier_ref
    item.customer_ref = customer_ref
    item.manufacturer_ref = manufacturer_ref
    item.name = name
    item.quantity = quantity
    item.quantity_text = quantity_text
    item.unit = unit
    item.unit_price = unit_price
    item.requested_delivery = None
    item.comment = None
    item.columns = columns
    item.issues = []
    item.item_ids = [] if item_ids is None else item_ids
    item.change = None
    return item


@dataclass(slots=True, kw_only=True)
class Envelope:
    """Interchange/message identification for EDI; empty for spreadsheets."""

    sender_id: str | None = None
    sender_qualifier: str | None = None
    recipient_id: str | None = None
    recipient_qualifier: str | None = None
    interchange_ref: str | None = None  # UNB 0020 / ISA13
    group_ref: str | None = None  # UNG 0048 / GS06
    message_ref: str | None = None  # UNH 0062 / ST02
    message_type: str | None = None  # ORDERS:D:96A:UN:EAN008 / 850
    syntax: str | None = None  # UNOC:3 / 00401 (ISA12) and GS08
    #: The service characters the sender used, to answer in kind: the UNA string
    #: (EDIFACT) or element, component, segment and repetition characters (X12).
    #: Both EDI readers set it, and ``syntax``, on every order they return.
    service_string: str | None = None
    #: The message/group version as sent: UNH 0052:0054 (D:96A) / GS08 (004010VICS)
    version: str | None = None
    application_sender: str | None = None  # UNG 0040 / GS02
    application_recipient: str | None = None  # UNG 0044 / GS03
    #: What the sender writes after each segment terminator (``"\r\n"``, ``"\n"``, ``""``)
    line_ending: str | None = None


@dataclass(slots=True, kw_only=True)
class OrderDocument:
    """One order as read from a file. A file may hold many."""

    format: SourceFormat
    order_number: str | None = None
    #: Purpose as sent: ``original``, ``replace``, ``cancel`` (BGM 1225 / BEG01)
    function: str = "original"
    #: The order type code as sent (X12 BEG02 SA/NE/DS…, EDIFACT BGM 1001 220/…)
    order_type: str | None = None
    order_date: date | None = None
    delivery_date: date | None = None
    currency: str | None = None
    #: A change document's own reference (ORDCHG BGM 1004, 860 BCH05 change sequence)
    change_ref: str | None = None
    #: The customer and site *as written in the file* (a code, a GLN or a name);
    #: the gateway matches them against its master data.
    customer: str | None = None
    site: str | None = None
    parties: list[Party] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    lines: list[OrderLine] = field(default_factory=list)
    envelope: Envelope = field(default_factory=Envelope)
    location: Location = field(default_factory=Location)

    def party(self, *roles: PartyRole) -> Party | None:
        """The first party holding one of ``roles``, in the order the roles are given."""
        for role in roles:
            for p in self.parties:
                if p.role is role:
                    return p
        return None


class LineStatus(StrEnum):
    ACCEPTED = "accepted"
    ADJUSTED = "adjusted"  # accepted with a changed quantity (pack multiple, shipped qty…)
    REJECTED = "rejected"


class ResponseKind(StrEnum):
    """What an order response says about the whole order."""

    ACCEPTED = "accepted"  # every line accepted as ordered
    CHANGED = "changed"  # accepted with changes (some lines adjusted or refused)
    REJECTED = "rejected"  # nothing usable
    STATUS = "status"  # a later status report (validated, shipped…)


@dataclass(slots=True, kw_only=True)
class ResponseLine:
    line_no: int
    status: LineStatus
    external_id: str | None = None
    barcode: str | None = None
    sku: str | None = None
    customer_ref: str | None = None
    name: str | None = None
    ordered_quantity: Decimal | None = None
    confirmed_quantity: Decimal | None = None
    shipped_quantity: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    reason_code: str | None = None
    message: str | None = None
    source_row: int | None = None  # the row or segment it came from, for spreadsheet acks
    suggestions: list[str] = field(default_factory=list)
    #: The buyer's product identifiers as it sent them, echoed first (EDI)
    item_ids: list[ItemId] = field(default_factory=list)
    #: In a response to a change: what the change asked of this line
    change: LineChange | None = None
    #: What the sender can do about the line, in its words
    hint: str | None = None


def response_line_at(
    line_no: int,
    status: LineStatus,
    external_id: str | None,
    barcode: str | None,
    sku: str | None,
    customer_ref: str | None,
    name: str | None,
    ordered_quantity: Decimal | None,
    confirmed_quantity: Decimal | None,
    shipped_quantity: Decimal | None,
    unit: str | None,
    unit_price: Decimal | None,
    reason_code: str | None,
    message: str | None,
    source_row: int | None,
    suggestions: list[str],
    item_ids: list[ItemId],
    hint: str | None,
) -> ResponseLine:
    """A :class:`ResponseLine` with these values and no change, as a response's hot path
    builds one per stored line (see :func:`order_line_at`: the same object as the
    keyword constructor's, at less than half the cost; 0.2 s of a 100,000-line order's
    reply). Every field is set here; a test holds this to the dataclass."""
    item = _new(ResponseLine)
    item.line_no = line_no
    item.status = status
    item.external_id = external_id
    item.barcode = barcode
    item.sku = sku
    item.customer_ref = customer_ref
    item.name = name
    item.ordered_quantity = ordered_quantity
    item.confirmed_quantity = confirmed_quantity
    item.shipped_quantity = shipped_quantity
    item.unit = unit
    item.unit_price = unit_price
    item.reason_code = reason_code
    item.message = message
    item.source_row = source_row
    item.suggestions = suggestions
    item.item_ids = item_ids
    item.change = None
    item.hint = hint
    return item


#: The fields :func:`response_line_at` sets from its arguments, in its order: the
#: columns of :class:`ResponseLines`
LINE_COLUMNS = (
    "line_no", "status", "external_id", "barcode", "sku", "customer_ref", "name",
    "ordered_quantity", "confirmed_quantity", "shipped_quantity", "unit", "unit_price",
    "reason_code", "message", "source_row", "suggestions", "item_ids", "hint",
)  # fmt: skip


class ResponseLines(Sequence[ResponseLine]):
    """A response's lines held as columns: ``column(name)[i]`` is line *i*'s ``name``.

    A stored order's lines are columns (100,000 of them in a big order); the spreadsheet
    acknowledgements read them column by column (each distinct value formatted once),
    without a :class:`ResponseLine` per line. Read line by line (an EDI writer, a caller
    changing a line), the lines are made once, on the first such access, and from then
    on they are what it holds: a column is then read from them, changes included.

    The columns are those of :data:`LINE_COLUMNS`; ``suggestions`` and ``item_ids`` may
    hold None for none (each line gets a list of its own).
    """

    __slots__ = ("_columns", "_lines")

    def __init__(self, columns: Mapping[str, Sequence[Any]]) -> None:
        self._columns = columns
        self._lines: list[ResponseLine] | None = None

    def column(self, name: str) -> Sequence[Any]:
        """Every line's ``name`` (a field of :data:`LINE_COLUMNS`), in line order."""
        if self._lines is not None:
            return [getattr(line, name) for line in self._lines]
        return self._columns[name]

    def _made(self) -> list[ResponseLine]:
        if self._lines is None:
            made: list[ResponseLine] = []
            for (
                line_no, status, external_id, barcode, sku, customer_ref, name, ordered,
                confirmed, shipped, unit, price, reason, message, source, suggestions,
                item_ids, hint,
            ) in zip(*(self._columns[name] for name in LINE_COLUMNS), strict=True):  # fmt: skip
                made.append(
                    response_line_at(
                        line_no, status, external_id, barcode, sku, customer_ref, name,
                        ordered, confirmed, shipped, unit, price, reason, message, source,
                        list(suggestions or ()), list(item_ids or ()), hint,
                    )
                )  # fmt: skip
            self._lines = made
            self._columns = {}
        return self._lines

    def __len__(self) -> int:
        return len(self._lines if self._lines is not None else self._columns["line_no"])

    @overload
    def __getitem__(self, index: int) -> ResponseLine: ...
    @overload
    def __getitem__(self, index: slice) -> list[ResponseLine]: ...
    def __getitem__(self, index: int | slice) -> ResponseLine | list[ResponseLine]:
        return self._made()[index]

    def __iter__(self) -> Iterator[ResponseLine]:
        return iter(self._made())

    def __eq__(self, other: object) -> bool:
        # Equal to the same lines however held (a list of them, as a hand-built response has)
        if isinstance(other, Sequence):
            return self._made() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ResponseLines({len(self)} lines)"


def line_column(lines: Sequence[ResponseLine], name: str) -> Sequence[Any]:
    """Every line's ``name`` (a field of :data:`LINE_COLUMNS`), however the lines are held:
    read from its columns for :class:`ResponseLines`, else line by line."""
    if isinstance(lines, ResponseLines):
        return lines.column(name)
    return [getattr(line, name) for line in lines]


@dataclass(slots=True, kw_only=True)
class ForPeople:
    """What a reply about an order says beside its lines, for whoever reads it."""

    #: For people: the customer and site by name, the sender's own comment, what the
    #: order is and how its lines fared (``summary``), and what to do about it
    customer_name: str | None = None
    site_name: str | None = None
    comment: str | None = None
    summary: str | None = None
    hint: str | None = None
    #: The order's stable reason code when it was refused (for machines)
    reason_code: str | None = None


@dataclass(slots=True, kw_only=True)
class OrderResponse(ForPeople):
    """The gateway's answer about one order, for any writer to render.

    ``order_status`` is the order's lifecycle status at the time of writing
    (``pending_validation``, ``validated``, ``shipped``…); ``kind`` summarises the
    lines for formats that have a single response code (BGM 4343 / BAK02).
    """

    kind: ResponseKind
    order_number: str | None
    order_status: str
    response_number: str  # our id for this response document
    issued_at: date
    order_id: int | None = None
    order_date: date | None = None
    customer: str | None = None
    customer_gln: str | None = None
    site: str | None = None
    site_gln: str | None = None
    supplier_gln: str | None = None  # our site's GLN (NAD+SU / N1*SE)
    delivery_gln: str | None = None  # where the buyer wants it delivered (NAD+DP / N1*ST)
    currency: str | None = None
    delivery_date: date | None = None
    reason: str | None = None
    #: A list of lines, or (a stored order's) :class:`ResponseLines`
    lines: Sequence[ResponseLine] = field(default_factory=list)
    #: The envelope of the order being answered (for references and party echo)
    envelope: Envelope = field(default_factory=Envelope)
    language: str = "en"
    #: ``original`` for the first business response, ``replace`` for one restating it
    purpose: str = "original"
    #: Us, from master data (NAD+SU / N1*SE): our name and GLN
    supplier: Party | None = None
    #: The buyer and the delivery point as the order named them (ids, qualifiers, names)
    buyer: Party | None = None
    delivery: Party | None = None
    #: The buyer's change this answers (ORDCHG BGM 1004 / 860 BCH05), when it does
    change_ref: str | None = None


@dataclass(slots=True, kw_only=True)
class Package:
    """One shipped package (a pallet, a carton) and what it holds."""

    #: Serial Shipping Container Code, 18 digits, its check digit verified
    sscc: str
    #: line_no → quantity in this package, in the order's unit
    lines: dict[int, Decimal] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class Shipment(ForPeople):
    """What left the warehouse at once for one order: a despatch advice's content."""

    number: str  # our despatch advice / shipment number
    shipped_at: date
    #: line_no → quantity shipped now, in the order's unit (lines not shipped are absent)
    lines: dict[int, Decimal] = field(default_factory=dict)
    packages: list[Package] = field(default_factory=list)
    #: The last shipment of the order (no remainder to follow)
    final: bool = True


@dataclass(slots=True, kw_only=True)
class ReadResult:
    """What a reader returns: the orders, plus what it had to tolerate.

    Format modules subclass this to add what their acknowledgements need
    (the detected CSV dialect, EDI interchange reports…).
    """

    documents: list[OrderDocument] = field(default_factory=list)
    #: What the reader had to tolerate: worth an admin's look
    warnings: list[str] = field(default_factory=list)
    #: What a spreadsheet reader left aside (rows, sheets, cells), to tell the sender
    skipped: list[Skipped] = field(default_factory=list)
