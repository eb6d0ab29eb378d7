"""Our 997 and 855: read back by our own reader, shaped like the suite's own samples
(tests/data/edi) and like the shared corpus's."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.document import LineStatus, OrderResponse, ResponseKind, ResponseLine
from parsers.x12 import Delimiters, SetErrorCode, read, segments, write_855, write_997

from .builders import group, interchange, order_set

WHEN = datetime(2024, 1, 3, 9, 15)


def _shape(data: bytes) -> list[str]:
    """Segment ids in order, with runs of the same id collapsed (loops of any length)."""
    ids: list[str] = []
    for segment in segments(data):
        if not ids or ids[-1] != segment.id:
            ids.append(segment.id)
    return ids


def _997_for(text: str, group_index: int = 0) -> bytes:
    result = read(text.encode("latin-1"))
    report = result.interchanges[0]
    return write_997(
        report,
        report.groups[group_index],
        sender_id="SUPPLIERCO",
        sender_qualifier="ZZ",
        interchange_control=42,
        group_control=43,
        set_control=44,
        when=WHEN,
    )


def test_997_for_a_clean_group_has_the_shape_of_our_sample(samples: Path) -> None:
    ours = _997_for(interchange([group([order_set()])]))
    sample = (samples / "x12-997" / "997-accepting-a-purchase-order.x12").read_bytes()
    assert _shape(ours) == _shape(sample)
    tokens = segments(ours)
    by_id = {t.id: t.elements for t in tokens}
    assert by_id["AK1"] == ["AK1", "PO", "1"]
    assert by_id["AK2"] == ["AK2", "850", "0001"]
    assert by_id["AK5"] == ["AK5", "A"]
    assert by_id["AK9"] == ["AK9", "A", "1", "1", "1"]
    assert by_id["SE"] == ["SE", str(len(tokens) - 4), "0044"]
    assert by_id["ISA"][8].strip() == "BUYERCO"  # addressed to the partner's ISA sender


def test_997_for_a_clean_group_has_the_shape_of_the_corpus_sample(corpus: Path) -> None:
    ours = _997_for(interchange([group([order_set()])]))
    sample = (corpus / "x12-997" / "bots-997_1.x12").read_bytes()
    assert _shape(ours) == _shape(sample)


def _997_with_errors() -> bytes:
    sets = [order_set("0001"), order_set("0002", lines=(("1", "X", "EA"),))]
    return _997_for(interchange([group(sets)]))


def test_997_with_errors_has_the_shape_of_our_sample(samples: Path) -> None:
    ours = _997_with_errors()
    sample = (samples / "x12-997" / "997-rejecting-an-invoice.x12").read_bytes()
    assert _shape(ours) == _shape(sample)
    by_id = {t.id: t.elements for t in segments(ours)}
    assert by_id["AK3"] == ["AK3", "PO1", "3", "", "8"]
    assert by_id["AK4"] == ["AK4", "2", "330", "6", "X"]
    assert by_id["AK5"] == ["AK5", "E", "5"]
    assert by_id["AK9"] == ["AK9", "E", "2", "2", "2"]


def test_997_with_errors_has_the_shape_of_the_edifabric_sample(corpus: Path) -> None:
    sample = (corpus / "x12-997" / "edifabric-997.txt").read_bytes()
    assert _shape(_997_with_errors()) == _shape(sample)


def test_997_rejects_a_broken_set_and_reports_the_group_partially_accepted() -> None:
    sets = [order_set("0001"), order_set("0002", se_count=9), order_set("0003")]
    ours = _997_for(interchange([group(sets, ge_count=4)]))
    tokens = [t.elements for t in segments(ours)]
    assert ["AK5", "R", "4"] in tokens
    assert ["AK9", "P", "4", "3", "2", "5"] in tokens


def test_997_is_read_back_by_our_reader_in_the_partners_delimiters() -> None:
    text = interchange([group([order_set()])], element="\x7f", terminator="\x15", line_ending="")
    ours = _997_for(text)
    result = read(ours)
    assert result.interchanges[0].delimiters == Delimiters("\x7f", ">", "\x15", None, "")
    assert result.problems() == []
    assert [str(ack) for ack in result.functional_acks] == ["997 for our group 1 (PO): A"]
    assert result.interchanges[0].groups[0].functional_id == "FA"


def test_997_for_5010_carries_the_version_in_ak103() -> None:
    text = interchange([group([order_set()], version="005010")], repetition="^", version="00501")
    by_id = {t.id: t.elements for t in segments(_997_for(text))}
    assert by_id["AK1"] == ["AK1", "PO", "1", "005010"]
    assert by_id["ISA"][11:13] == ["^", "00501"]


def _response(**overrides: object) -> OrderResponse:
    lines = [
        ResponseLine(
            line_no=1,
            status=LineStatus.ACCEPTED,
            external_id="item-1",
            barcode="012345678905",
            sku="SKU-1",
            name="400 pound anvil",
            ordered_quantity=Decimal(8),
            unit="EA",
            unit_price=Decimal("400.00"),
        ),
        ResponseLine(
            line_no=2,
            status=LineStatus.ADJUSTED,
            external_id="item-2",
            barcode="5412345000020",
            ordered_quantity=Decimal(5),
            confirmed_quantity=Decimal(6),
            unit="EA",
        ),
        ResponseLine(
            line_no=3,
            status=LineStatus.REJECTED,
            external_id="item-3",
            customer_ref="B*9",
            ordered_quantity=Decimal("1.5"),
            unit="KG",
        ),
    ]
    values: dict[str, object] = {
        "kind": ResponseKind.CHANGED,
        "order_number": "365465413",
        "order_status": "validated",
        "response_number": "R-77",
        "issued_at": date(2024, 1, 3),
        "order_date": date(2022, 8, 30),
        "lines": lines,
    }
    values.update(overrides)
    return OrderResponse(**values)  # type: ignore[arg-type]


def _855(response: OrderResponse, **kwargs: object) -> bytes:
    args: dict[str, object] = {
        "sender_id": "SUPPLIERCO",
        "sender_qualifier": "ZZ",
        "receiver_id": "BUYERCO",
        "receiver_qualifier": "ZZ",
        "interchange_control": 5,
        "group_control": 6,
        "set_control": 7,
        "when": WHEN,
    }
    args.update(kwargs)
    return write_855(response, **args)  # type: ignore[arg-type]


def _855_of_two_lines() -> bytes:
    first = _response().lines[0]
    second = ResponseLine(line_no=2, status=LineStatus.ACCEPTED, name="Detonator", external_id="2")
    response = _response(kind=ResponseKind.ACCEPTED, lines=[first, second])
    return _855(response, version="00501")  # two PO1/PID/ACK loops, like the samples


def test_855_has_the_shape_of_our_sample(samples: Path) -> None:
    sample = (samples / "x12-855" / "855-acknowledging-an-order.x12").read_bytes()
    assert _shape(_855_of_two_lines()) == _shape(sample)


def test_855_has_the_shape_of_the_stedi_sample(corpus: Path) -> None:
    ours = _855_of_two_lines()
    sample = (corpus / "x12-855" / "stedi-inbound.edi").read_bytes()
    sample_shape = [s for s in _shape(sample) if s not in ("REF", "N1", "N3", "N4")]
    assert _shape(ours) == sample_shape


def test_855_bak_echoes_the_order_and_says_what_changed() -> None:
    by_id = {t.id: t.elements for t in segments(_855(_response()))}
    assert by_id["BAK"] == [
        "BAK",
        "00",
        "AC",
        "365465413",
        "20220830",
        "",
        "",
        "",
        "R-77",
        "20240103",
    ]


@pytest.mark.parametrize(
    ("kind", "lines", "code"),
    [
        (ResponseKind.ACCEPTED, 1, "AD"),
        (ResponseKind.CHANGED, 3, "AC"),
        (ResponseKind.REJECTED, 3, "RD"),
        (ResponseKind.REJECTED, 0, "RJ"),
    ],
)
def test_855_bak02_follows_the_response_kind(kind: ResponseKind, lines: int, code: str) -> None:
    response = _response(kind=kind, lines=_response().lines[:lines])
    bak = next(t for t in segments(_855(response)) if t.id == "BAK")
    assert bak.elements[2] == code


def test_855_lines_echo_po1_and_acknowledge_each_line() -> None:
    tokens = [t.elements for t in segments(_855(_response()))]
    assert ["PO1", "item-1", "8", "EA", "400", "", "UP", "012345678905", "VN", "SKU-1"] in tokens
    assert ["PID", "F", "", "", "", "400 pound anvil"] in tokens
    acks = [t for t in tokens if t[0] == "ACK"]
    assert acks == [["ACK", "IA", "8", "EA"], ["ACK", "IQ", "6", "EA"], ["ACK", "IR", "0", "KG"]]
    assert ["CTT", "3", "14.5"] in tokens


def test_855_envelope_counts_and_fixed_width_isa() -> None:
    data = _855(_response())
    text = data.decode()
    assert text.index("~") == 105  # ISA is 106 characters with its terminator
    result = read(data)
    assert [e for i in result.interchanges for e in i.errors] == []
    [g] = result.interchanges[0].groups
    assert (g.functional_id, g.version, g.errors) == ("PR", "004010", [])
    assert [e.code for e in g.sets[0].errors] == [SetErrorCode.NOT_SUPPORTED]  # an 855


def test_855_uses_the_partners_delimiters_and_replaces_them_in_data() -> None:
    partner = Delimiters(element="~", component=">", segment="|", line_ending="\r\n")
    response = _response(order_number="PO~1|2")
    data = _855(response, delimiters=partner)
    assert b"PO 1 2" in data and b"B 9" not in data  # '*' is data here, not a delimiter
    assert b"BP~B*9" in data
    assert read(data).interchanges[0].delimiters == partner


def test_855_is_valid_for_pyx12() -> None:
    import io

    import pyx12.x12file as pyx12

    reader = pyx12.X12Reader(io.StringIO(_855(_response()).decode()))
    ids = [segment.get_seg_id() for segment in reader]
    reader.cleanup()
    assert ids[0] == "ISA" and ids[-1] == "IEA"
    assert reader.pop_errors() == []


def _pyx12_ids(data: bytes) -> list[str]:
    import io

    import pyx12.x12file as pyx12

    reader = pyx12.X12Reader(io.StringIO(data.decode("latin-1")))
    ids = [segment.get_seg_id() for segment in reader]
    errors = reader.pop_errors()
    reader.cleanup()
    assert errors == []
    return ids


@pytest.mark.parametrize(
    ("gs08", "isa12", "dates"),
    [("004010", "00300", 8), ("003020", "00302", 6), ("005010", "00501", 8)],
)
def test_855_answers_in_the_group_version_received(gs08: str, isa12: str, dates: int) -> None:
    data = _855(_response(), version=gs08, interchange_version=isa12)
    by_id = {t.id: t.elements for t in segments(data)}
    assert by_id["ISA"][12] == isa12 and by_id["GS"][8] == gs08
    assert len(by_id["BAK"][4]) == dates and len(by_id["GS"][4]) == dates


def test_855_gs02_and_gs03_answer_the_850s_gs03_and_gs02() -> None:
    data = _855(_response(), application_sender="SUPPLIER-APP", application_receiver="BUYER-APP")
    gs = next(t.elements for t in segments(data) if t.id == "GS")
    assert gs[2:4] == ["SUPPLIER-APP", "BUYER-APP"]


def test_a_newline_terminator_gives_no_empty_segments() -> None:
    partner = Delimiters(element="*", component=">", segment="\n", line_ending="\n")
    data = _855(_response(), delimiters=partner)
    assert b"\n\n" not in data
    result = read(data)
    assert result.interchanges[0].errors == [] and result.warnings == []
    assert [s.id for s in segments(data)].count("PO1") == 3


def test_a_crlf_after_the_terminator_is_written_once() -> None:
    partner = Delimiters(segment="~", line_ending="\r\n")
    text = _855(_response(), delimiters=partner).decode()
    assert text.endswith("~\r\n") and "\r\n\r\n" not in text and text.count("~\r\n") == 15


@pytest.mark.parametrize("qualifier", ["15", "92", "9", "ZZ", "UL"])
def test_855_names_the_ship_to_with_the_qualifier_the_850_used(qualifier: str) -> None:
    from parsers.document import Party, PartyRole

    delivery = Party(role=PartyRole.DELIVERY, name="Store 12", qualifier=qualifier, id="1234567")
    tokens = [t.elements for t in segments(_855(_response(delivery=delivery)))]
    assert ["N1", "ST", "Store 12", qualifier, "1234567"] in tokens


def test_855_buyer_as_received_and_seller_from_master_data() -> None:
    from parsers.document import Party, PartyRole

    response = _response(
        buyer=Party(role=PartyRole.BUYER, name="Corner Shop", qualifier="92", id="B-1"),
        supplier=Party(
            role=PartyRole.SUPPLIER, name="Test Supplier", qualifier="UL", id="3012345000000"
        ),
    )
    tokens = [t.elements for t in segments(_855(response))]
    assert ["N1", "BY", "Corner Shop", "92", "B-1"] in tokens
    assert ["N1", "SE", "Test Supplier", "UL", "3012345000000"] in tokens


def test_855_rejected_line_echoes_the_ids_the_buyer_sent() -> None:
    from parsers.document import ItemId

    response = _response()
    response.lines[2].item_ids = [ItemId("VP", "NOPE-999", "PO107")]
    response.lines[2].ordered_quantity, response.lines[2].unit = Decimal(5), "EA"
    response.lines[2].unit_price = Decimal("2.20")
    tokens = [t.elements for t in segments(_855(response))]
    assert ["PO1", "item-3", "5", "EA", "2.2", "", "VP", "NOPE-999"] in tokens


def test_855_text_is_folded_to_ascii() -> None:
    response = _response()
    response.lines[0].name = "Sel de Guérande 1 kg – Straße"
    data = _855(response)
    assert data.isascii()
    assert ["PID", "F", "", "", "", "Sel de Guerande 1 kg - Strasse"] in [
        t.elements for t in segments(data)
    ]


def test_a_later_855_says_it_replaces_the_first() -> None:
    bak = next(t for t in segments(_855(_response(purpose="replace"))) if t.id == "BAK")
    assert bak.elements[1] == "05"


def test_855_case_line_is_acknowledged_in_cases() -> None:
    from parsers.document import ItemId

    line = ResponseLine(
        line_no=1,
        status=LineStatus.ACCEPTED,
        external_id="2",
        ordered_quantity=Decimal(2),
        confirmed_quantity=Decimal(2),
        unit="CA",
        unit_price=Decimal(40),
        item_ids=[ItemId("UK", "13012345001066", "PO107")],
    )
    tokens = [
        t.elements for t in segments(_855(_response(kind=ResponseKind.ACCEPTED, lines=[line])))
    ]
    assert ["PO1", "2", "2", "CA", "40", "", "UK", "13012345001066"] in tokens
    assert ["ACK", "IA", "2", "CA"] in tokens


def test_855_and_997_read_back_with_pyx12_raw_segments() -> None:
    assert _pyx12_ids(_855(_response()))[:3] == ["ISA", "GS", "ST"]
    assert "AK9" in _pyx12_ids(_997_for(interchange([group([order_set()])])))
