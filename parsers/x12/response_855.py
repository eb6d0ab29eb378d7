"""Write an 855 Purchase Order Acknowledgment for one :class:`OrderResponse`.

Shape (one interchange, one group ``PR``, one set)::

    BAK*00*<type>*<PO number>*<PO date>****<our response number>*<date issued>
    CUR*SE*<currency>                                  (when known)
    N1*BY / N1*ST / N1*SE  with UL (GLN) ids           (when known)
    per line:  PO1*<PO101 echoed>*<qty ordered>*<unit>*<price>**<id pairs>
               PID*F****<name>                         (when known)
               ACK*<status>*<qty>*<unit>[*067*<delivery date>]
    CTT*<PO1 count>*<sum of PO102>

BAK02 (element 587): every line accepted as ordered → ``AD`` (acknowledge with
detail, no change); some lines adjusted or refused → ``AC`` (with detail and
change); nothing usable → ``RD`` (reject with detail), or ``RJ`` (rejected, no
detail) when there are no lines.  ACK01 (element 668): ``IA`` accepted, ``IQ``
accepted with the quantity changed (``IC`` when adjusted without a quantity change),
``IR`` rejected (ACK02 is then 0).  Product ids echo the order: a barcode as ``UP``
(12 digits), ``EN`` (8 or 13) or ``UK`` (14); our SKU as ``VN``; the buyer's
reference as ``BP``.

X12 has no escape character: any delimiter character found in a value (a name, a
reference) is replaced by a space so that the output always tokenises.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from parsers.document import LineStatus, OrderResponse, ResponseKind, ResponseLine
from parsers.x12.codes import AcknowledgmentType, LineItemStatus, TransactionPurpose
from parsers.x12.delimiters import Delimiters
from parsers.x12.segment_writer import EnvelopeWriter, versions, x12_date

_CURRENT_SCHEDULE_DELIVERY = "067"  # element 374
_GLN = "UL"  # N103: Global Location Number
_BARCODE_QUALIFIERS = {8: "EN", 12: "UP", 13: "EN", 14: "UK"}


def write_855(
    response: OrderResponse,
    *,
    sender_id: str,
    sender_qualifier: str,
    receiver_id: str,
    receiver_qualifier: str,
    interchange_control: int,
    group_control: int,
    set_control: int,
    when: datetime,
    delimiters: Delimiters = Delimiters(),  # noqa: B008 - frozen, so a safe default
    version: str = "00401",
    usage: str = "P",
    application_sender: str | None = None,
    application_receiver: str | None = None,
) -> bytes:
    """The 855 answering ``response.order_number``, in ``delimiters`` and ``version``.

    ``version`` is ISA12 (``"00401"``) or GS08 (``"004010"``); control numbers are
    allocated and persisted by the caller.  GS02/GS03 default to the ISA ids.
    """
    if not response.order_number:
        raise ValueError("an 855 must name the purchase order it answers (order_number)")
    _, gs08 = versions(version)
    w = EnvelopeWriter(delimiters)
    w.add(
        "BAK",
        TransactionPurpose.ORIGINAL.value,
        _acknowledgment_type(response).value,
        response.order_number,
        x12_date(response.order_date or response.issued_at, gs08),
        "",
        "",
        "",
        response.response_number,
        x12_date(response.issued_at, gs08),
    )
    if response.currency:
        w.add("CUR", "SE", response.currency)
    for role, name, gln in (
        ("BY", response.customer, response.customer_gln),
        ("ST", None, response.delivery_gln),
        ("SE", response.site, response.supplier_gln or response.site_gln),
    ):
        if gln:
            w.add("N1", role, name or "", _GLN, gln)
        elif name:
            w.add("N1", role, name)
    quantity_hash = Decimal(0)
    for line in response.lines:
        ordered = line.ordered_quantity
        if ordered is not None:
            quantity_hash += ordered
        w.add(
            "PO1",
            line.external_id or "",
            _number(ordered),
            line.unit or "",
            _number(line.unit_price),
            "",
            *_product_ids(line),
        )
        if line.name:
            w.add("PID", "F", "", "", "", line.name)
        status, quantity = _line_status(line)
        unit = (line.unit or "EA") if quantity is not None else ""
        ack = ["ACK", status.value, _number(quantity), unit]
        if response.delivery_date and status is not LineItemStatus.REJECTED:
            ack += [_CURRENT_SCHEDULE_DELIVERY, x12_date(response.delivery_date, gs08)]
        w.add(*ack)
    w.add("CTT", len(response.lines), _number(quantity_hash) if response.lines else "")
    return w.interchange(
        set_id="855",
        functional_id="PR",
        sender_qualifier=sender_qualifier,
        sender_id=sender_id,
        receiver_qualifier=receiver_qualifier,
        receiver_id=receiver_id,
        application_sender=application_sender or sender_id,
        application_receiver=application_receiver or receiver_id,
        interchange_control=interchange_control,
        group_control=group_control,
        set_control=set_control,
        when=when,
        version=version,
        usage=usage,
    )


def _acknowledgment_type(response: OrderResponse) -> AcknowledgmentType:
    if response.kind is ResponseKind.REJECTED:
        if response.lines:
            return AcknowledgmentType.REJECT_WITH_DETAIL
        return AcknowledgmentType.REJECTED_NO_DETAIL
    changed = any(line.status is not LineStatus.ACCEPTED for line in response.lines)
    if response.kind is ResponseKind.CHANGED or changed:
        return AcknowledgmentType.WITH_DETAIL_AND_CHANGE
    return AcknowledgmentType.WITH_DETAIL_NO_CHANGE


def _line_status(line: ResponseLine) -> tuple[LineItemStatus, Decimal | None]:
    if line.status is LineStatus.REJECTED:
        return LineItemStatus.REJECTED, Decimal(0)
    confirmed = line.confirmed_quantity
    if confirmed is None:
        confirmed = line.ordered_quantity
    if line.status is LineStatus.ADJUSTED:
        if confirmed is not None and confirmed != line.ordered_quantity:
            return LineItemStatus.ACCEPTED_QUANTITY_CHANGED, confirmed
        return LineItemStatus.ACCEPTED_CHANGES_MADE, confirmed
    return LineItemStatus.ACCEPTED, confirmed


def _product_ids(line: ResponseLine) -> list[str]:
    pairs: list[str] = []
    barcode = (line.barcode or "").strip()
    if barcode.isdigit() and len(barcode) in _BARCODE_QUALIFIERS:
        pairs += [_BARCODE_QUALIFIERS[len(barcode)], barcode]
    if line.sku:
        pairs += ["VN", line.sku]
    if line.customer_ref:
        pairs += ["BP", line.customer_ref]
    return pairs


def _number(value: Decimal | None) -> str:
    """An X12 ``R`` value: no exponent, no trailing zeros after the point."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
