"""Our 865: which of the buyer's changes were applied, segment by segment."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from parsers.document import (
    ItemId,
    LineChange,
    LineStatus,
    OrderResponse,
    ResponseKind,
    ResponseLine,
)
from parsers.x12 import read, segments, write_865

WHEN = datetime(2025, 3, 4, 10, 30)


def _line(no: int, change: LineChange, status: LineStatus, qty: int) -> ResponseLine:
    return ResponseLine(
        line_no=no,
        status=status,
        external_id=str(no),
        ordered_quantity=Decimal(qty),
        confirmed_quantity=Decimal(qty) if status is not LineStatus.REJECTED else None,
        unit="EA",
        change=change,
        item_ids=[ItemId("UP", "036000291452", "POC08")],
    )


def _865(*lines: ResponseLine, reason: str | None = None) -> bytes:
    response = OrderResponse(
        kind=ResponseKind.CHANGED,
        order_number="PO-X9",
        order_status="validated",
        response_number="9-30",
        issued_at=date(2025, 3, 4),
        order_date=date(2025, 3, 1),
        change_ref="2",
        lines=list(lines),
        reason=reason,
    )
    return write_865(
        response,
        sender_id="3012345000000",
        sender_qualifier="14",
        receiver_id="NORTHWIND",
        receiver_qualifier="ZZ",
        interchange_control=41,
        group_control=42,
        set_control=43,
        when=WHEN,
    )


def test_accepted_changes_segment_by_segment() -> None:
    data = _865(
        _line(1, LineChange.CHANGE, LineStatus.ACCEPTED, 6),
        _line(3, LineChange.ADD, LineStatus.ACCEPTED, 2),
    )
    body = [t.elements for t in segments(data)][3:-3]
    assert body == [
        ["BCA", "00", "AT", "PO-X9", "", "2", "20250301", "", "", "9-30", "20250304"],
        ["POC", "1", "CA", "6", "6", "EA", "", "", "UP", "036000291452"],
        ["ACK", "IA", "6", "EA"],
        ["POC", "3", "AI", "2", "2", "EA", "", "", "UP", "036000291452"],
        ["ACK", "IA", "2", "EA"],
        ["CTT", "2"],
    ]
    gs = next(t.elements for t in segments(data) if t.id == "GS")
    assert gs[1] == "CA"


def test_a_refused_change_is_ir_and_the_whole_ack_says_so() -> None:
    data = _865(
        _line(1, LineChange.DELETE, LineStatus.ACCEPTED, 0),
        _line(2, LineChange.CHANGE, LineStatus.REJECTED, 9),
    )
    tokens = [t.elements for t in segments(data)]
    bca = next(t for t in tokens if t[0] == "BCA")
    assert bca[2] == "AC"
    assert ["POC", "1", "DI", "0", "", "EA", "", "", "UP", "036000291452"] in tokens
    assert ["ACK", "IR"] in tokens


def test_all_refused_is_rj() -> None:
    tokens = [t.elements for t in segments(_865(reason="order shipped"))]
    assert next(t for t in tokens if t[0] == "BCA")[2] == "RJ"


def test_our_865_reads_back_with_pyx12_and_our_reader() -> None:
    import pyx12.x12file as pyx12

    data = _865(_line(1, LineChange.CHANGE, LineStatus.ACCEPTED, 6))
    reader = pyx12.X12Reader(io.StringIO(data.decode()))
    ids = [segment.get_seg_id() for segment in reader]
    assert reader.pop_errors() == []
    reader.cleanup()
    assert ids[3] == "BCA"
    [report] = read(data).interchanges
    assert report.errors == [] and report.groups[0].errors == []
