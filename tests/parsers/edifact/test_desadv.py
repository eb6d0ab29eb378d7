"""write_desadv: the EANCOM despatch advice of one shipment, readable by us and pydifact."""

from __future__ import annotations

import warnings
from datetime import date, datetime
from decimal import Decimal

import pytest
from pydifact.segmentcollection import Interchange

from parsers.document import (
    Envelope,
    ItemId,
    LineStatus,
    OrderResponse,
    Package,
    Party,
    PartyRole,
    ResponseKind,
    ResponseLine,
    Shipment,
)
from parsers.edifact import read, write_desadv
from parsers.gtin import GtinError

WHEN = datetime(2025, 3, 4, 10, 0)
SSCC = "340123451234567895"


def _response(message_type: str = "ORDERS:D:96A:UN:EAN008") -> OrderResponse:
    return OrderResponse(
        kind=ResponseKind.STATUS,
        order_number="PO-9",
        order_status="partially_shipped",
        response_number="7-12",
        issued_at=date(2025, 3, 4),
        order_date=date(2025, 3, 1),
        delivery_date=date(2025, 3, 6),
        buyer=Party(role=PartyRole.BUYER, id="5412345000013", qualifier="9"),
        delivery=Party(role=PartyRole.DELIVERY, id="5412345000020", qualifier="9"),
        supplier=Party(role=PartyRole.SUPPLIER, id="3012345000000", qualifier="9"),
        envelope=Envelope(message_type=message_type),
        lines=[
            ResponseLine(
                line_no=1,
                status=LineStatus.ACCEPTED,
                external_id="1",
                ordered_quantity=Decimal(2),
                unit="CA",
                item_ids=[ItemId("EN", "4006381333931", "LIN03")],
            ),
            ResponseLine(
                line_no=2,
                status=LineStatus.ACCEPTED,
                external_id="2",
                sku="TEA-GRN",
                ordered_quantity=Decimal(5),
                item_ids=[ItemId("EN", "0036000291452", "LIN03")],
            ),
        ],
    )


def _write(response: OrderResponse, shipment: Shipment) -> bytes:
    return write_desadv(
        response,
        shipment,
        sender_id="3012345000000",
        sender_qualifier="14",
        recipient_id="5412345000013",
        recipient_qualifier="14",
        interchange_ref="41",
        message_ref="42",
        when=WHEN,
    )


def _segments(data: bytes) -> list[str]:
    return data.decode("latin-1")[9:].split("'")[:-1]


def test_a_partial_shipment_in_one_package_segment_by_segment():
    shipment = Shipment(
        number="7-12",
        shipped_at=date(2025, 3, 4),
        lines={1: Decimal(1)},
        packages=[Package(sscc=SSCC, lines={1: Decimal(1)})],
        final=False,
    )
    assert _segments(_write(_response(), shipment)) == [
        "UNB+UNOC:3+3012345000000:14+5412345000013:14+250304:1000+41",
        "UNH+42+DESADV:D:96A:UN:EAN005",
        "BGM+351+7-12+9",
        "DTM+137:20250304:102",
        "DTM+11:20250304:102",
        "DTM+2:20250306:102",
        "RFF+ON:PO-9",
        "DTM+171:20250301:102",
        "NAD+BY+5412345000013::9",
        "NAD+SU+3012345000000::9",
        "NAD+DP+5412345000020::9",
        "CPS+1",
        "CPS+2+1",
        "PAC+1",
        "PCI+33E",
        f"GIN+BJ+{SSCC}",
        "LIN+1++4006381333931:EN",
        "QTY+12:1:CA",
        "QTY+21:2:CA",
        "CNT+2:1",
        "UNT+20+42",
        "UNZ+1+41",
    ]


def test_lines_in_no_package_come_under_the_consignment():
    shipment = Shipment(number="S", shipped_at=date(2025, 3, 4), lines={2: Decimal(5)})
    segments = _segments(_write(_response("ORDERS:D:01B:UN:EAN010"), shipment))
    assert segments[1] == "UNH+42+DESADV:D:01B:UN:EAN007"
    at = segments.index("CPS+1")
    assert segments[at + 1 : at + 4] == [
        "LIN+2++0036000291452:EN",
        "PIA+1+TEA-GRN:SA",
        "QTY+12:5",
    ]


def test_an_sscc_with_a_wrong_check_digit_is_refused():
    shipment = Shipment(
        number="S",
        shipped_at=date(2025, 3, 4),
        lines={1: Decimal(1)},
        packages=[Package(sscc="340123451234567894", lines={1: Decimal(1)})],
    )
    with pytest.raises(GtinError, match="should be 5, not 4"):
        _write(_response(), shipment)


def test_our_desadv_reads_back_with_our_reader_and_pydifact():
    shipment = Shipment(
        number="7-12",
        shipped_at=date(2025, 3, 4),
        lines={1: Decimal(2), 2: Decimal(5)},
        packages=[Package(sscc=SSCC, lines={1: Decimal(2), 2: Decimal(5)})],
    )
    data = _write(_response(), shipment)
    report = read(data).interchanges[0]
    assert report.accepted
    [message] = report.messages
    # sound counts and references: only "not an order here" (17)
    assert (message.type, [e.code.value for e in message.errors]) == ("DESADV", ["17"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = Interchange.from_str(data.decode("latin-1"))
    [msg] = list(parsed.get_messages())
    tags = [s.tag for s in msg.segments]
    assert (
        msg.type == "DESADV"
        and tags.count("LIN") == 2
        and ("GIN", ["BJ", SSCC]) in [(s.tag, s.elements) for s in msg.segments]
    )
