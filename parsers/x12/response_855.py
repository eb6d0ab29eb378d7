"""Write an 855 Purchase Order Acknowledgment for one :class:`OrderResponse`.

Shape (one interchange, one group ``PR``, one set)::

    BAK*<00 or 05>*<type>*<PO number>*<PO date>****<our response number>*<date issued>
    CUR*SE*<currency>                                  (when known)
    N1*BY / N1*ST  as the 850 named them (name, N103 qualifier and N104 id as received)
    N1*SE*<our name>*UL*<our GLN>                      (from master data)
    per line:  PO1*<PO101 echoed>*<qty ordered>*<unit>*<price>**<id pairs as received>
               PID*F****<name>                         (when known)
               ACK*<status>*<qty>*<unit>[*067*<delivery date>]
    CTT*<PO1 count>*<sum of PO102>

BAK01 (element 353) is ``00`` for the first acknowledgment of a PO and ``05`` (replace)
for a later one restating it.  BAK02 (element 587): every line accepted as ordered →
``AD`` (acknowledge with detail, no change); some lines adjusted or refused → ``AC``
(with detail and change); nothing usable → ``RD`` (reject with detail), or ``RJ``
(rejected, no detail) when there are no lines.  ACK01 (element 668): ``IA`` accepted,
``IQ`` accepted with the quantity changed (``IC`` when adjusted without a quantity
change), ``IR`` rejected (ACK02 is then 0).  Quantities are in the unit the PO used (a
line ordered in cases is acknowledged in cases).  Product ids echo the PO1 pairs as the
buyer sent them, then our SKU as ``VN`` when the buyer sent no vendor number; a line
read from another format writes its barcode as ``UP`` (12 digits), ``EN`` (8 or 13) or
``UK`` (14) and the buyer's reference as ``BP``.

Text is folded to ASCII and X12 has no escape character: any delimiter character found
in a value (a name, a reference) is replaced by a space so that the output always
tokenises.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parsers.document import (
    LineStatus,
    OrderResponse,
    Party,
    PartyRole,
    ResponseKind,
    ResponseLine,
)
from parsers.x12.codes import AcknowledgmentType, LineItemStatus, TransactionPurpose
from parsers.x12.delimiters import Delimiters
from parsers.x12.segment_writer import EnvelopeWriter, versions, x12_date

_CURRENT_SCHEDULE_DELIVERY = "067"  # element 374
_GLN = "UL"  # N103: Global Location Number
_BARCODE_QUALIFIERS = {8: "EN", 12: "UP", 13: "EN", 14: "UK"}
_VENDOR_QUALIFIERS = frozenset({"VN", "VP", "VC"})


def write_855(
    response: OrderResponse,
    *,
    delimiters: Delimiters = Delimiters(),  # noqa: B008 - frozen, so a safe default
    version: str = "00401",
    **envelope: Any,
) -> bytes:
    """The 855 answering ``response.order_number``, in ``delimiters`` and ``version``.

    ``version`` is GS08 (``"004010"``, as the 850's group said) or ISA12 (``"00401"``);
    ``envelope`` holds the ids, control numbers and time of
    :meth:`~parsers.x12.segment_writer.EnvelopeWriter.interchange`.
    """
    if not response.order_number:
        raise ValueError("an 855 must name the purchase order it answers (order_number)")
    _, gs08 = versions(version)
    w = EnvelopeWriter(delimiters)
    purpose = (
        TransactionPurpose.REPLACE if response.purpose == "replace" else TransactionPurpose.ORIGINAL
    )
    w.add(
        "BAK",
        purpose.value,
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
    add_parties(w, response)
    quantity_hash = Decimal(0)
    for line in response.lines:
        ordered = line.ordered_quantity
        if ordered is not None:
            quantity_hash += ordered
        add_po1(w, "PO1", line)
        status, quantity = _line_status(line)
        unit = (line.unit or "EA") if quantity is not None else ""
        ack = ["ACK", status.value, number(quantity), unit]
        if response.delivery_date and status is not LineItemStatus.REJECTED:
            ack += [_CURRENT_SCHEDULE_DELIVERY, x12_date(response.delivery_date, gs08)]
        w.add(*ack)
    w.add("CTT", len(response.lines), number(quantity_hash) if response.lines else "")
    return w.interchange(set_id="855", functional_id="PR", version=version, **envelope)


def add_parties(w: EnvelopeWriter, response: OrderResponse) -> None:
    """N1 BY and ST as the order named them, N1 SE from our master data."""
    buyer = response.buyer or Party(role=PartyRole.BUYER)
    _n1(w, "BY", buyer, response.customer_gln)
    if response.delivery is not None:
        _n1(w, "ST", response.delivery, response.delivery_gln)
    elif response.delivery_gln:
        w.add("N1", "ST", "", _GLN, response.delivery_gln)
    if response.supplier is not None:
        _n1(w, "SE", response.supplier, None)


def _n1(w: EnvelopeWriter, role: str, party: Party, gln: str | None) -> None:
    if party.id:
        w.add("N1", role, party.name or "", party.qualifier or "", party.id)
    elif gln:
        w.add("N1", role, party.name or "", _GLN, gln)
    elif party.name:
        w.add("N1", role, party.name)


def add_po1(w: EnvelopeWriter, tag: str, line: ResponseLine, *before_ids: str) -> None:
    """PO1 (or POC, with its own elements ``before_ids``) echoing the buyer's line, then
    PID with its description."""
    if tag == "PO1":
        head = [
            line.external_id or "",
            number(line.ordered_quantity),
            line.unit or "",
            number(line.unit_price),
            "",
        ]
    else:
        head = [line.external_id or "", *before_ids]
    w.add(tag, *head, *product_ids(line))
    if line.name:
        w.add("PID", "F", "", "", "", line.name)


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


def product_ids(line: ResponseLine) -> list[str]:
    """The line's id pairs: as the buyer sent them (then our SKU), else what we know."""
    pairs: list[str] = []
    if line.item_ids:
        for item in line.item_ids:
            pairs += [item.qualifier, item.value]
        if line.sku and not any(i.qualifier in _VENDOR_QUALIFIERS for i in line.item_ids):
            pairs += ["VN", line.sku]
        return pairs
    barcode = (line.barcode or "").strip()
    if barcode.isdigit() and len(barcode) in _BARCODE_QUALIFIERS:
        pairs += [_BARCODE_QUALIFIERS[len(barcode)], barcode]
    if line.sku:
        pairs += ["VN", line.sku]
    if line.customer_ref:
        pairs += ["BP", line.customer_ref]
    return pairs


def number(value: Decimal | None) -> str:
    """An X12 ``R`` value: no exponent, no trailing zeros after the point."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
