"""Our 856: the ship notice of one shipment, segment by segment, readable by pyx12 and us."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest

from parsers.document import (
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
from parsers.gtin import GtinError
from parsers.x12 import read, segments, write_856

WHEN = datetime(2025, 3, 4, 10, 30)
SSCC = "340123451234567895"


def _response() -> OrderResponse:
    return OrderResponse(
        kind=ResponseKind.STATUS,
        order_number="PO-X9",
        order_status="partially_shipped",
        response_number="9-21",
        issued_at=date(2025, 3, 4),
        order_date=date(2025, 3, 1),
        delivery=Party(role=PartyRole.DELIVERY, name="Store 12", qualifier="92", id="ST-12"),
        supplier=Party(role=PartyRole.SUPPLIER, name="Test Supplier", id="3012345000000"),
        lines=[
            ResponseLine(
                line_no=1,
                status=LineStatus.ACCEPTED,
                external_id="1",
                ordered_quantity=Decimal(2),
                shipped_quantity=Decimal(1),
                unit="CA",
                item_ids=[ItemId("UK", "14006381333938", "PO107")],
            ),
            ResponseLine(
                line_no=2,
                status=LineStatus.ACCEPTED,
                external_id="2",
                ordered_quantity=Decimal(4),
                unit="EA",
                item_ids=[ItemId("UP", "036000291452", "PO107")],
            ),
        ],
    )


def _856(shipment: Shipment) -> bytes:
    return write_856(
        _response(),
        shipment,
        sender_id="3012345000000",
        sender_qualifier="14",
        receiver_id="NORTHWIND",
        receiver_qualifier="ZZ",
        interchange_control=31,
        group_control=32,
        set_control=33,
        when=WHEN,
    )


def test_a_partial_shipment_in_one_package_segment_by_segment() -> None:
    shipment = Shipment(
        number="9-21",
        shipped_at=date(2025, 3, 4),
        lines={1: Decimal(1)},
        packages=[Package(sscc=SSCC, lines={1: Decimal(1)})],
        final=False,
    )
    body = [t.elements for t in segments(_856(shipment))][3:-3]
    assert body == [
        ["BSN", "00", "9-21", "20250304", "1030", "0001"],
        ["HL", "1", "", "S"],
        ["DTM", "011", "20250304"],
        ["N1", "ST", "Store 12", "92", "ST-12"],
        ["N1", "SF", "Test Supplier", "UL", "3012345000000"],
        ["HL", "2", "1", "O"],
        ["PRF", "PO-X9", "", "", "20250301"],
        ["HL", "3", "2", "P"],
        ["MAN", "GM", SSCC],
        ["HL", "4", "3", "I"],
        ["LIN", "1", "UK", "14006381333938"],
        ["SN1", "1", "1", "CA", "1", "2", "CA"],
        ["CTT", "1"],
    ]


def test_lines_in_no_package_hang_under_the_order() -> None:
    shipment = Shipment(number="S-1", shipped_at=date(2025, 3, 4), lines={2: Decimal(4)})
    tokens = [t.elements for t in segments(_856(shipment))]
    assert ["HL", "3", "2", "I"] in tokens and ["LIN", "2", "UP", "036000291452"] in tokens


def test_an_sscc_with_a_wrong_check_digit_is_refused() -> None:
    bad = Package(sscc="340123451234567890", lines={1: Decimal(1)})
    shipment = Shipment(
        number="S", shipped_at=date(2025, 3, 4), lines={1: Decimal(1)}, packages=[bad]
    )
    with pytest.raises(GtinError):
        _856(shipment)


def test_our_856_reads_back_with_pyx12_and_our_reader() -> None:
    import pyx12.x12file as pyx12

    shipment = Shipment(
        number="S-2",
        shipped_at=date(2025, 3, 4),
        lines={1: Decimal(1), 2: Decimal(4)},
        packages=[Package(sscc=SSCC)],
    )
    data = _856(shipment)
    reader = pyx12.X12Reader(io.StringIO(data.decode()))
    ids = [segment.get_seg_id() for segment in reader]
    assert reader.pop_errors() == []
    reader.cleanup()
    assert ids[:4] == ["ISA", "GS", "ST", "BSN"] and ids[-1] == "IEA"
    result = read(data)
    [report] = result.interchanges
    assert report.errors == []
    [g] = report.groups
    assert (g.functional_id, g.errors, g.sets[0].set_id) == ("SH", [], "856")
