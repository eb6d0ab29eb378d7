"""Write the 865 Purchase Order Change Acknowledgment answering a buyer's 860 (or an
850 that replaces or cancels a PO).

Shape (one interchange, one group ``CA``, one set)::

    BCA*00*<AC|AT|RJ>*<PO number>**<change sequence>*<PO date>****<our number>*<date>
    N1*BY / N1*ST as the PO named them, N1*SE*<our name>*UL*<our GLN>
    per changed line:
        POC*<PO101>*<AI|DI|CA>*<quantity ordered>*<quantity left>*<unit>*<price>**<ids>
        PID*F****<name>
        ACK*<IA|IR>*<quantity>*<unit>
    CTT*<POC count>

BCA02 (element 587): every change accepted → ``AT`` (accepted); some refused → ``AC``
(acknowledge with detail and change); all refused → ``RJ`` (rejected).  POC02 (element
670): ``AI`` add item, ``DI`` delete item, ``CA`` changes to line items.  ACK01: ``IA``
the change was applied, ``IR`` it was refused (its reason is the line's message, which
an 865 has no place for: the order's status reports and the admin's report carry it).
"""

from __future__ import annotations

from typing import Any

from parsers.document import LineChange, LineStatus, OrderResponse
from parsers.x12.codes import AcknowledgmentType, LineItemStatus
from parsers.x12.delimiters import Delimiters
from parsers.x12.response_855 import add_parties, add_po1, number
from parsers.x12.segment_writer import EnvelopeWriter, versions, x12_date

#: POC02, element 670 (Change or Response Type Code)
CHANGE_TYPE = {LineChange.ADD: "AI", LineChange.DELETE: "DI", LineChange.CHANGE: "CA"}
ACCEPTED = "AT"  # element 587: accepted


def write_865(
    response: OrderResponse,
    *,
    delimiters: Delimiters = Delimiters(),  # noqa: B008 - frozen, so a safe default
    version: str = "00401",
    **envelope: Any,
) -> bytes:
    """The 865 saying which of the buyer's changes were applied."""
    if not response.order_number:
        raise ValueError("an 865 must name the purchase order it answers (order_number)")
    _, gs08 = versions(version)
    w = EnvelopeWriter(delimiters)
    refused = [line.status is LineStatus.REJECTED for line in response.lines]
    if response.lines and all(refused) or not response.lines and response.reason:
        ack_type = AcknowledgmentType.REJECTED_NO_DETAIL.value
    elif any(refused):
        ack_type = AcknowledgmentType.WITH_DETAIL_AND_CHANGE.value
    else:
        ack_type = ACCEPTED
    w.add(
        "BCA",
        "00",
        ack_type,
        response.order_number,
        "",
        response.change_ref or "",
        x12_date(response.order_date or response.issued_at, gs08),
        "",
        "",
        response.response_number,
        x12_date(response.issued_at, gs08),
    )
    add_parties(w, response)
    for line in response.lines:
        change = CHANGE_TYPE.get(line.change or LineChange.CHANGE, "CA")
        accepted = line.status is not LineStatus.REJECTED
        left = line.confirmed_quantity if accepted else None
        if line.change is LineChange.DELETE and accepted:
            left = None
        add_po1(
            w,
            "POC",
            line,
            change,
            number(line.ordered_quantity),
            number(left),
            line.unit or "",
            number(line.unit_price),
            "",
        )
        status = LineItemStatus.ACCEPTED if accepted else LineItemStatus.REJECTED
        quantity = line.confirmed_quantity if accepted else None
        if line.change is LineChange.DELETE:
            quantity = None
        unit = (line.unit or "") if quantity is not None else ""
        w.add("ACK", status.value, number(quantity), unit)
    w.add("CTT", len(response.lines))
    return w.interchange(set_id="865", functional_id="CA", version=version, **envelope)


__all__ = ["write_865"]
