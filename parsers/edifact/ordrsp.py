"""ORDRSP: the EANCOM order response, in the directory and release of the order answered.

Header: BGM+231 (purchase order response) with 1225 = 29 accepted without amendment,
4 change, 27 not accepted, and 5 (replace) for a later response restating an earlier
one; DTM+137 (document date), DTM+2 (delivery), FTX (a text the supplier chose to tell
the buyer), RFF+ON (the order answered) with DTM+171 (its date), NAD BY/DP with the
ids and code lists the order used, NAD+SU with our GLN, CUX.  Each line: LIN with
1229 = 5 accepted, 3 changed, 7 not accepted (in a response to a change: 1 added,
2 deleted, 3 changed, 7 not accepted) and the buyer's own item number as it sent it;
PIA+1 the other identifiers it sent (our SKU added as SA); IMD; QTY+21 ordered,
QTY+113 confirmed (0 when refused), QTY+12 despatched — all in the order's unit;
FTX+AAO with the reason; PRI+AAA.  Then UNS+S and CNT+2 (line count).

The message identifier follows :mod:`parsers.edifact.versions` (``ORDRSP:D:96A:UN:EAN005``
for an EANCOM 1997 order, ``ORDRSP:D:01B:UN:EAN007`` for EANCOM 2002).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from parsers.document import (
    ItemId,
    LineChange,
    LineStatus,
    OrderResponse,
    Party,
    ResponseKind,
    ResponseLine,
)
from parsers.edifact.segment_writer import SegmentWriter, text_components
from parsers.edifact.service_chars import ServiceChars
from parsers.edifact.values import format_number
from parsers.edifact.versions import gtin_item_type, reply_identifier

#: BGM 1225 per response kind (EANCOM ORDRSP restricted codes)
FUNCTION = {
    ResponseKind.ACCEPTED: "29",  # accepted without amendment
    ResponseKind.CHANGED: "4",  # change
    ResponseKind.REJECTED: "27",  # not accepted
}
REPLACE = "5"  # 1225: this response replaces the one sent before
#: LIN 1229 per line status
LINE_ACTION = {
    LineStatus.ACCEPTED: "5",  # accepted without amendment
    LineStatus.ADJUSTED: "3",  # changed
    LineStatus.REJECTED: "7",  # not accepted
}
#: LIN 1229 for an accepted line of a response to the buyer's change
CHANGE_ACTION = {LineChange.ADD: "1", LineChange.DELETE: "2", LineChange.CHANGE: "3"}
_REFUSED_STATUSES = frozenset({"rejected", "cancelled"})
_PIA_IDS = 5  # C212 composites in one PIA


def _function(response: OrderResponse) -> str:
    refused = response.kind is ResponseKind.REJECTED or (
        response.kind is ResponseKind.STATUS and response.order_status in _REFUSED_STATUSES
    )
    if refused:
        return FUNCTION[ResponseKind.REJECTED]
    if response.purpose == "replace":
        return REPLACE
    if response.kind is ResponseKind.STATUS:
        changed = any(line.status is not LineStatus.ACCEPTED for line in response.lines)
        return FUNCTION[ResponseKind.CHANGED if changed else ResponseKind.ACCEPTED]
    return FUNCTION[response.kind]


def _d(day: date | None) -> str | None:
    return day.strftime("%Y%m%d") if day else None


def identifier_of(response: OrderResponse, message_type: str) -> tuple[str, ...]:
    """S009 of our ``message_type`` answering the order of ``response``."""
    parts = (response.envelope.message_type or "").split(":")
    parts += [""] * (5 - len(parts))
    if parts[0] not in ("ORDERS", "ORDCHG"):
        parts = ["", "", "", "", ""]
    return reply_identifier(message_type, *parts[1:5])


def line_action(line: ResponseLine) -> str:
    if line.change is not None and line.status is not LineStatus.REJECTED:
        return CHANGE_ACTION.get(line.change, LINE_ACTION[line.status])
    return LINE_ACTION[line.status]


def add_party(out: SegmentWriter, role: str, party: Party | None, fallback_gln: str | None) -> None:
    """NAD with the id and code list as the order named the party, else a GLN (code 9)."""
    if party is not None and party.id:
        out.add("NAD", role, (party.id, None, party.qualifier))
    elif fallback_gln:
        out.add("NAD", role, (fallback_gln, None, "9"))
    elif party is not None and party.name:
        out.add("NAD", role, None, None, out.text(party.name))


def add_item(out: SegmentWriter, line: ResponseLine, release: str, action: str | None) -> None:
    """LIN (the buyer's item number as sent) and PIA (its other ids and our SKU)."""
    in_lin = next((i for i in line.item_ids if i.column.startswith("LIN")), None)
    others: list[ItemId] = [i for i in line.item_ids if i is not in_lin]
    if not line.item_ids:
        if line.barcode:
            in_lin = ItemId(gtin_item_type(release, line.barcode), line.barcode, "LIN03")
        if line.customer_ref:
            others.append(ItemId("IN", line.customer_ref, "PIA02"))
    if line.sku and not any(i.qualifier == "SA" for i in line.item_ids):
        others.append(ItemId("SA", line.sku, "PIA02"))
    item = (in_lin.value, in_lin.qualifier) if in_lin else None
    out.add("LIN", line.external_id or str(line.line_no), action, item)
    # 4347: 5 = the product's identification when LIN carries none, else 1 = additional
    for start in range(0, len(others), _PIA_IDS):
        ids = [(i.value, i.qualifier) for i in others[start : start + _PIA_IDS]]
        out.add("PIA", "1" if item or start else "5", *ids)


def start_reply(
    response: OrderResponse,
    message_type: str,
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
    line_ending: str = "",
) -> SegmentWriter:
    """A writer with the UNB and the UNH of our ``message_type`` answering ``response``'s
    order; :meth:`SegmentWriter.finish` closes both."""
    out = SegmentWriter(
        syntax=syntax,
        syntax_version=syntax_version,
        service_chars=service_chars,
        line_ending=line_ending,
    )
    out.unb(
        sender=(sender_id, sender_qualifier),
        recipient=(recipient_id, recipient_qualifier),
        when=when,
        control_ref=interchange_ref,
    )
    out.open_message(message_ref, identifier_of(response, message_type))
    return out


def write_ordrsp(response: OrderResponse, **envelope: Any) -> bytes:
    """One interchange holding one ORDRSP message answering ``response``'s order
    (``envelope``: the keyword arguments of :func:`start_reply`)."""
    out = start_reply(response, "ORDRSP", **envelope)
    mark = out.chars.decimal

    def num(value: Decimal | None) -> str | None:
        return format_number(value, mark) if value is not None else None

    function = _function(response)
    out.add("BGM", "231", response.response_number, function)
    out.add("DTM", ("137", _d(response.issued_at), "102"))
    if response.delivery_date:
        out.add("DTM", ("2", _d(response.delivery_date), "102"))
    language = response.language.upper()[:2] or None
    if response.reason:
        subject = "AAO" if function == FUNCTION[ResponseKind.REJECTED] else "AAI"
        text = text_components(out.text(response.reason) or "")
        out.add("FTX", subject, None, None, text, language)
    if response.order_number:
        out.add("RFF", ("ON", response.order_number))
        if response.order_date:
            out.add("DTM", ("171", _d(response.order_date), "102"))
    add_party(out, "BY", response.buyer, response.customer_gln)
    add_party(out, "SU", response.supplier, response.supplier_gln or response.site_gln)
    add_party(out, "DP", response.delivery, response.delivery_gln)
    if response.currency:
        out.add("CUX", ("2", response.currency, "9"))
    for line in response.lines:
        _line(out, line, out.release, language, num)
    out.add("UNS", "S")
    out.add("CNT", ("2", str(len(response.lines))))
    return out.finish()


def _line(
    out: SegmentWriter,
    line: ResponseLine,
    release: str,
    language: str | None,
    num: Callable[[Decimal | None], str | None],
) -> None:
    add_item(out, line, release, line_action(line))
    if line.name:
        # IMD 7008 is an..35, twice
        out.add(
            "IMD",
            "F",
            None,
            (None, None, None, *text_components(out.text(line.name) or "", width=35, count=2)),
        )
    if line.ordered_quantity is not None:
        out.add("QTY", ("21", num(line.ordered_quantity), line.unit))
    confirmed: Decimal | None
    if line.status is LineStatus.REJECTED or line.change is LineChange.DELETE:
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
        text = text_components(out.text(line.message) or "")
        subject = "AAO" if line.status is not LineStatus.ACCEPTED else "AAI"
        out.add("FTX", subject, None, line.reason_code, text or None, language)
    if line.unit_price is not None:
        out.add("PRI", ("AAA", num(line.unit_price)))
