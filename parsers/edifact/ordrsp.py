"""ORDRSP: the order response, following EANCOM D96A (ORDRSP:D:96A:UN:EAN005).

Header: BGM+231 (purchase order response) with 1225 = 29 accepted without amendment,
4 change, 27 not accepted; DTM+137 (document date), DTM+2 (delivery), FTX (reason or
status), RFF+ON (the order answered) with DTM+171 (its date), NAD BY/SU/DP with GLNs
(3055 = 9), CUX.  Each line: LIN with 1229 = 5 accepted, 3 changed, 7 not accepted;
PIA (SA our article, IN the buyer's); IMD; QTY+21 ordered, QTY+113 quantity to be
delivered (the confirmed quantity; 0 when refused), QTY+12 despatched for a status
report; FTX+AAO with the reason; PRI+AAA.  Then UNS+S and CNT+2 (line count).

A status report (``ResponseKind.STATUS``) is the same message: its 1225 states the
order's acceptance and an FTX+AAI carries the lifecycle status.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from parsers.document import LineStatus, OrderResponse, ResponseKind, ResponseLine
from parsers.edifact.segment_writer import SegmentWriter
from parsers.edifact.service_chars import ServiceChars
from parsers.edifact.values import format_number

IDENTIFIER = ("ORDRSP", "D", "96A", "UN", "EAN005")

#: BGM 1225 per response kind (EANCOM ORDRSP restricted codes)
FUNCTION = {
    ResponseKind.ACCEPTED: "29",  # accepted without amendment
    ResponseKind.CHANGED: "4",  # change
    ResponseKind.REJECTED: "27",  # not accepted
}
#: LIN 1229 per line status
LINE_ACTION = {
    LineStatus.ACCEPTED: "5",  # accepted without amendment
    LineStatus.ADJUSTED: "3",  # changed
    LineStatus.REJECTED: "7",  # not accepted
}
_REFUSED_STATUSES = frozenset({"rejected", "cancelled"})
_TEXT_LENGTH = 70  # 4440 free text, an..70 in D96A


def _status_function(response: OrderResponse) -> str:
    if response.order_status in _REFUSED_STATUSES:
        return FUNCTION[ResponseKind.REJECTED]
    if any(line.status is not LineStatus.ACCEPTED for line in response.lines):
        return FUNCTION[ResponseKind.CHANGED]
    return FUNCTION[ResponseKind.ACCEPTED]


def _text_components(text: str) -> list[str]:
    """Free text cut into at most five 70-character components."""
    text = " ".join(text.split())
    return [text[i : i + _TEXT_LENGTH] for i in range(0, len(text), _TEXT_LENGTH)][:5]


def _d(day: date | None) -> str | None:
    return day.strftime("%Y%m%d") if day else None


def _item_type(barcode: str) -> str:
    return "UP" if len(barcode) == 12 else "EN"


def write_ordrsp(
    response: OrderResponse,
    *,
    sender_id: str,
    sender_qualifier: str | None,
    recipient_id: str,
    recipient_qualifier: str | None,
    interchange_ref: str,
    message_ref: str,
    when: datetime,
    syntax: str = "UNOC",
    syntax_version: str = "3",
    service_chars: ServiceChars | None = None,
    line_breaks: bool = False,
) -> bytes:
    """One interchange holding one ORDRSP message answering ``response``'s order."""
    out = SegmentWriter(
        syntax=syntax,
        syntax_version=syntax_version,
        service_chars=service_chars,
        line_breaks=line_breaks,
    )
    mark = out.chars.decimal

    def num(value: Decimal | None) -> str | None:
        return format_number(value, mark) if value is not None else None

    out.unb(
        sender=(sender_id, sender_qualifier),
        recipient=(recipient_id, recipient_qualifier),
        when=when,
        control_ref=interchange_ref,
    )
    out.open_message(message_ref, IDENTIFIER)
    if response.kind is ResponseKind.STATUS:
        function = _status_function(response)
    else:
        function = FUNCTION[response.kind]
    out.add("BGM", "231", response.response_number, function)
    out.add("DTM", ("137", _d(response.issued_at), "102"))
    if response.delivery_date:
        out.add("DTM", ("2", _d(response.delivery_date), "102"))
    language = response.language.upper()[:2] or None
    if response.kind is ResponseKind.STATUS:
        status = f"Order status: {response.order_status}"
        out.add("FTX", "AAI", None, None, _text_components(status), language)
    if response.reason:
        subject = "AAO" if function == FUNCTION[ResponseKind.REJECTED] else "AAI"
        out.add("FTX", subject, None, None, _text_components(response.reason), language)
    if response.order_number:
        out.add("RFF", ("ON", response.order_number))
        if response.order_date:
            out.add("DTM", ("171", _d(response.order_date), "102"))
    for role, gln in (
        ("BY", response.customer_gln),
        ("SU", response.supplier_gln or response.site_gln),
        ("DP", response.delivery_gln),
    ):
        if gln:
            out.add("NAD", role, (gln, None, "9"))
    if response.currency:
        out.add("CUX", ("2", response.currency, "9"))
    for line in response.lines:
        _line(out, line, language, num)
    out.add("UNS", "S")
    out.add("CNT", ("2", str(len(response.lines))))
    out.close_message(message_ref)
    out.unz(1, interchange_ref)
    return out.render()


def _line(
    out: SegmentWriter,
    line: ResponseLine,
    language: str | None,
    num: Callable[[Decimal | None], str | None],
) -> None:
    item = (line.barcode, _item_type(line.barcode)) if line.barcode else None
    out.add("LIN", line.external_id or str(line.line_no), LINE_ACTION[line.status], item)
    ids = []
    if line.sku:
        ids.append((line.sku, "SA"))
    if line.customer_ref:
        ids.append((line.customer_ref, "IN"))
    if ids:
        # 4347: 5 = the product's identification when LIN carries none, else 1 = additional
        out.add("PIA", "1" if item else "5", *ids)
    if line.name:
        out.add("IMD", "F", None, (None, None, None, *_text_components(line.name)[:2]))
    if line.ordered_quantity is not None:
        out.add("QTY", ("21", num(line.ordered_quantity), line.unit))
    confirmed: Decimal | None
    if line.status is LineStatus.REJECTED:
        confirmed = Decimal(0)
    else:
        confirmed = line.confirmed_quantity
        if confirmed is None:
            confirmed = line.ordered_quantity
    if confirmed is not None:
        out.add("QTY", ("113", num(confirmed), line.unit))
    if line.shipped_quantity is not None:
        out.add("QTY", ("12", num(line.shipped_quantity), line.unit))
    if line.message or line.reason_code:
        text = _text_components(line.message or "")
        subject = "AAO" if line.status is not LineStatus.ACCEPTED else "AAI"
        out.add("FTX", subject, None, line.reason_code, text or None, language)
    if line.unit_price is not None:
        out.add("PRI", ("AAA", num(line.unit_price)))
