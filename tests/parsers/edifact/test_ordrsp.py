"""write_ordrsp: EANCOM D96A ORDRSP, readable by us and by pydifact."""

from __future__ import annotations

import warnings
from datetime import date, datetime
from decimal import Decimal

from pydifact.segmentcollection import Interchange

from parsers.document import (
    LineStatus,
    OrderResponse,
    ResponseKind,
    ResponseLine,
)
from parsers.edifact import ServiceChars, read, write_ordrsp

WHEN = datetime(2024, 1, 6, 8, 30)


def _response(kind=ResponseKind.CHANGED, **kwargs) -> OrderResponse:
    values = dict(
        kind=kind,
        order_number="PO-4711",
        order_status="pending_validation",
        response_number="R-1",
        issued_at=date(2024, 1, 6),
        order_date=date(2024, 1, 5),
        customer_gln="5412345000013",
        site_gln="4012345000094",
        delivery_gln="5412345000020",
        supplier_gln="4012345000094",
        currency="EUR",
        lines=[
            ResponseLine(
                line_no=1,
                status=LineStatus.ACCEPTED,
                external_id="10",
                barcode="4000862141404",
                sku="ART-1",
                ordered_quantity=Decimal("48"),
                unit_price=Decimal("14.50"),
            ),
            ResponseLine(
                line_no=2,
                status=LineStatus.ADJUSTED,
                external_id="20",
                barcode="036000291452",
                ordered_quantity=Decimal("10"),
                confirmed_quantity=Decimal("12"),
                reason_code="pack_multiple",
                message="rounded up to 2 packs of 6",
            ),
            ResponseLine(
                line_no=3,
                status=LineStatus.REJECTED,
                external_id="30",
                customer_ref="B-99",
                ordered_quantity=Decimal("2.5"),
                reason_code="unknown_product",
                message="not in the catalog",
            ),
        ],
    )
    values.update(kwargs)
    return OrderResponse(**values)


def _write(response: OrderResponse, **kwargs) -> bytes:
    args = dict(
        sender_id="4012345000094",
        sender_qualifier="14",
        recipient_id="5412345000013",
        recipient_qualifier="14",
        interchange_ref="I-9",
        message_ref="M-9",
        when=WHEN,
    )
    args.update(kwargs)
    return write_ordrsp(response, **args)


def _segments(data: bytes, encoding: str = "latin-1") -> list[str]:
    return data.decode(encoding)[9:].split("'")[:-1]


def test_changed_response_segments_follow_eancom():
    assert _segments(_write(_response())) == [
        "UNB+UNOC:3+4012345000094:14+5412345000013:14+240106:0830+I-9",
        "UNH+M-9+ORDRSP:D:96A:UN:EAN005",
        "BGM+231+R-1+4",
        "DTM+137:20240106:102",
        "RFF+ON:PO-4711",
        "DTM+171:20240105:102",
        "NAD+BY+5412345000013::9",
        "NAD+SU+4012345000094::9",
        "NAD+DP+5412345000020::9",
        "CUX+2:EUR:9",
        "LIN+10+5+4000862141404:EN",
        "PIA+1+ART-1:SA",
        "QTY+21:48",
        "QTY+113:48",
        "PRI+AAA:14.5",
        "LIN+20+3+036000291452:UP",
        "QTY+21:10",
        "QTY+113:12",
        "FTX+AAO++pack_multiple+rounded up to 2 packs of 6+EN",
        "LIN+30+7",
        "PIA+5+B-99:IN",
        "QTY+21:2.5",
        "QTY+113:0",
        "FTX+AAO++unknown_product+not in the catalog+EN",
        "UNS+S",
        "CNT+2:3",
        "UNT+26+M-9",
        "UNZ+1+I-9",
    ]


def test_accepted_and_rejected_responses_use_29_and_27():
    accepted = _segments(_write(_response(ResponseKind.ACCEPTED, lines=[])))
    rejected = _segments(
        _write(_response(ResponseKind.REJECTED, lines=[], reason="account closed"))
    )
    assert accepted[2] == "BGM+231+R-1+29"
    assert rejected[2] == "BGM+231+R-1+27"
    assert "FTX+AAO+++account closed+EN" in rejected


def test_a_status_report_tells_no_status_text_only_the_quantities():
    response = _response(ResponseKind.STATUS, order_status="shipped")
    response.lines[0].shipped_quantity = Decimal("48")
    segments = _segments(_write(response))
    assert segments[2] == "BGM+231+R-1+4"  # one line adjusted, one refused
    assert not any(s.startswith("FTX+AAI") for s in segments)
    assert "QTY+12:48" in segments


def test_service_characters_in_data_are_released():
    response = _response(order_number="PO+1:2'3?")
    data = _write(response)
    assert b"RFF+ON:PO?+1?:2?'3??'" in data
    message = read(data).interchanges[0].messages[0]
    assert message.segment_count == 26 and [e.code.value for e in message.errors] == ["17"]


def test_text_that_does_not_fit_the_character_set_is_replaced_safely():
    response = _response(
        lines=[
            ResponseLine(
                line_no=1,
                status=LineStatus.ACCEPTED,
                name="Crème brûlée 6×100g ✓",
                ordered_quantity=Decimal(1),
            )
        ]
    )
    unoa = _write(response, syntax="UNOA")
    assert b"IMD+F++:::CREME BRULEE 6??100G ??'" in unoa
    unoc = _write(response, syntax="UNOC")
    assert "IMD+F++:::Crème brûlée 6×100g ??".encode("latin-1") in unoc
    unow = _write(response, syntax="UNOW", syntax_version="4")
    assert "Crème brûlée 6×100g ✓".encode() in unow


def test_custom_service_chars_and_comma_decimal_mark():
    chars = ServiceChars(component="|", element="*", decimal=",", release="\\", terminator="~")
    data = _write(_response(), service_chars=chars)
    assert data.startswith(b"UNA|*,\\ ~UNB*UNOC|3*")
    assert b"QTY*21|2,5~" in data
    report = read(data).interchanges[0]
    assert report.service_chars == chars and report.all_errors[0].code.value == "17"


def test_counts_are_right_when_read_back_by_our_reader():
    report = read(_write(_response())).interchanges[0]
    assert report.accepted
    message = report.messages[0]
    assert (message.type, message.segment_count) == ("ORDRSP", 26)
    # only "not an order here" (17): no count or reference error
    assert [e.code.value for e in message.errors] == ["17"]


def test_reads_back_with_pydifact():
    data = _write(_response())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = Interchange.from_str(data.decode("latin-1"))
    messages = list(parsed.get_messages())
    assert [m.type for m in messages] == ["ORDRSP"]
    segments = [(s.tag, s.elements) for s in messages[0].segments]
    assert ("BGM", ["231", "R-1", "4"]) in segments
    assert ("LIN", ["30", "7"]) in segments
    assert ("QTY", [["113", "12"]]) in segments
