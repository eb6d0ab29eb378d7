"""write_ordrsp: EANCOM D96A ORDRSP, readable by us and by pydifact."""

from __future__ import annotations

import warnings
from datetime import date, datetime
from decimal import Decimal

from pydifact.segmentcollection import Interchange

from parsers.document import (
    ItemId,
    LineStatus,
    OrderResponse,
    ResponseKind,
    ResponseLine,
)
from parsers.edifact import ServiceChars, parse_una, read, write_ordrsp

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


def _d01b(**kwargs):
    from parsers.document import Envelope

    return _response(envelope=Envelope(message_type="ORDERS:D:01B:UN:EAN010"), **kwargs)


def test_a_d01b_order_is_answered_in_d01b_with_the_eancom_2002_association():
    segments = _segments(_write(_d01b()))
    assert segments[1] == "UNH+M-9+ORDRSP:D:01B:UN:EAN007"
    assert "LIN+10+5+4000862141404:SRV" in segments  # the GTIN code of the 2002 lists


def test_an_order_outside_eancom_is_answered_in_its_directory_without_association():
    from parsers.document import Envelope

    response = _response(envelope=Envelope(message_type="ORDERS:D:93A:UN:003"))
    assert _segments(_write(response))[1] == "UNH+M-9+ORDRSP:D:93A:UN"


def test_a_line_echoes_the_buyers_item_number_and_type_as_sent():
    response = _d01b()
    response.lines[0].item_ids = [ItemId("SRV", "13012345001066", "LIN03")]
    response.lines[0].ordered_quantity = Decimal(2)
    response.lines[0].unit = "CA"
    segments = _segments(_write(response))
    assert segments[10:14] == [
        "LIN+10+5+13012345001066:SRV",
        "PIA+1+ART-1:SA",
        "QTY+21:2:CA",
        "QTY+113:2:CA",
    ]


def test_a_rejected_line_echoes_every_id_the_buyer_sent():
    response = _response()
    response.lines[2].item_ids = [
        ItemId("IN", "B-99", "LIN03"),
        ItemId("SA", "NOPE-999", "PIA02"),
        ItemId("MF", "M-1", "PIA03"),
    ]
    segments = _segments(_write(response))
    assert "LIN+30+7+B-99:IN" in segments
    assert "PIA+1+NOPE-999:SA+M-1:MF" in segments


def test_parties_keep_the_code_list_the_order_named_them_with():
    from parsers.document import Party, PartyRole

    response = _response(
        buyer=Party(role=PartyRole.BUYER, id="C-778", qualifier="92"),
        delivery=Party(role=PartyRole.DELIVERY, id="5412345000020", qualifier="31B"),
        supplier=Party(role=PartyRole.SUPPLIER, id="3012345000000", qualifier="9"),
    )
    segments = _segments(_write(response))
    assert [s for s in segments if s.startswith("NAD")] == [
        "NAD+BY+C-778::92",
        "NAD+SU+3012345000000::9",
        "NAD+DP+5412345000020::31B",
    ]


def test_a_later_response_says_it_replaces_the_earlier_one():
    segments = _segments(_write(_response(purpose="replace")))
    assert segments[2] == "BGM+231+R-1+5"
    refused = _segments(_write(_response(ResponseKind.REJECTED, purpose="replace", lines=[])))
    assert refused[2] == "BGM+231+R-1+27"  # a refusal says so, whatever came before


def test_free_text_is_split_at_word_boundaries():
    message = "the quantity 7 of COF-250 is not a multiple of 6 (expected e.g. 12); " * 2
    response = _response()
    response.lines[1].message = message
    [ftx] = [s for s in _segments(_write(response)) if s.startswith("FTX+AAO++pack")]
    parts = ftx.split("+")[4].split(":")
    assert all(len(p) <= 70 for p in parts)
    assert " ".join(parts) == " ".join(message.split())  # nothing cut mid-word, nothing lost


def test_unoa_upper_cases_text_but_never_an_id():
    response = _response(order_number="po-4711a")
    response.lines[0].name = "ground coffee"
    data = _write(response, syntax="UNOA", recipient_id="buyer01")
    segments = _segments(data)
    assert segments[0].startswith("UNB+UNOA:3+4012345000094:14+buyer01:14+")
    assert "RFF+ON:po-4711a" in segments
    assert "IMD+F++:::GROUND COFFEE" in segments


def test_a_control_character_in_a_value_is_never_echoed():
    response = _response(order_number="PO\x00-1")
    response.lines[0].name = "Cof\x00fee\x07 250 g"
    data = _write(response)
    assert b"\x00" not in data and b"\x07" not in data
    assert b"RFF+ON:PO-1'" in data and b"IMD+F++:::Coffee 250 g'" in data


def test_without_a_release_character_the_una_keeps_nine_characters():
    chars = parse_una("UNA:+. *'")
    data = _write(_response(order_number="PO+1"), service_chars=chars)
    assert data.startswith(b"UNA:+. *'UNB+")
    report = read(data).interchanges[0]
    assert report.service_chars == chars and report.accepted
    assert b"RFF+ON:PO 1'" in data  # a separator in data cannot be released: blanked


def test_the_senders_line_ending_follows_each_terminator_once():
    data = _write(_response(), line_ending="\r\n")
    text = data.decode("latin-1")
    assert text.startswith("UNA:+.? '\r\nUNB+") and text.endswith("'\r\n")
    assert "\r\n\r\n" not in text and text.count("'\r\n") == 29  # UNA, 28 segments


def test_a_line_break_as_terminator_gets_no_second_one():
    chars = ServiceChars(terminator="\n")
    data = _write(_response(), service_chars=chars, line_ending="\n")
    assert b"\n\n" not in data
    report = read(data).interchanges[0]
    assert report.messages[0].segment_count == 26


def test_a_d01b_response_reads_back_with_pydifact():
    data = _write(_d01b())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = Interchange.from_str(data.decode("latin-1"))
    [message] = list(parsed.get_messages())
    assert message.type == "ORDRSP"
    assert ("LIN", ["10", "5", ["4000862141404", "SRV"]]) in [
        (s.tag, s.elements) for s in message.segments
    ]


def _shape(segments: list[str]) -> list[str]:
    tags: list[str] = []
    for segment in segments:
        if not tags or tags[-1] != segment[:3]:
            tags.append(segment[:3])
    return tags


def test_our_ordrsp_follows_the_structure_of_the_edifabric_sample(corpus):
    text = (corpus / "edifact-ordrsp" / "edifabric-PurchaseOrderResponse.txt").read_bytes()
    sample = [s.strip() for s in text.decode("utf-8-sig").split("'") if s.strip()]
    line = ResponseLine(
        line_no=1,
        status=LineStatus.ADJUSTED,
        external_id="1",
        sku="ART-1",
        name="Coffee",
        ordered_quantity=Decimal(4),
        confirmed_quantity=Decimal(3),
        unit_price=Decimal(2),
        item_ids=[ItemId("EN", "4000862141404", "LIN03")],
    )
    ours = _segments(_write(_response(currency=None, lines=[line])))
    # ours is the sample's structure with the segments we have nothing for left out
    remaining = iter(_shape(sample))
    assert all(tag in remaining for tag in _shape(ours)), (_shape(ours), _shape(sample))
