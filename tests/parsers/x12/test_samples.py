"""The suite's own X12 files (tests/data/edi): every envelope quirk the reader claims, each
in a file written for it, values checked by hand. The shared corpus (``test_corpus.py``)
runs in addition when it is there."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.document import PartyRole
from parsers.x12 import InterchangeErrorCode, SetAckCode, read, recognise, segments

SAMPLES_850 = sorted((Path(__file__).parents[2] / "data" / "edi" / "x12-850").iterdir())
#: file → lines per order
EXPECTED_ORDERS = {
    "850-5010-alphanumeric-line-ids.x12": [2],
    "850-nbsp-padded-isa-and-wrong-iea.x12": [1],
    "850-newline-terminated.x12": [2],
    "850-repeated-set-control-numbers.x12": [1, 1, 1, 1],
    "850-replacement-with-buyer-parts.x12": [2],
    "850-tilde-terminated.x12": [2],
    "850-upc-without-line-ids.x12": [2],
}


def _read(samples: Path, name: str, folder: str = "x12-850"):  # noqa: ANN202
    return read((samples / folder / name).read_bytes())


def test_every_850_sample_has_its_expected_orders() -> None:
    assert sorted(p.name for p in SAMPLES_850) == sorted(EXPECTED_ORDERS)


def check_850(data: bytes, lines_per_order: list[int]) -> None:  # shared with test_corpus
    assert recognise(data)
    result = read(data)
    assert [len(d.lines) for d in result.documents] == lines_per_order
    for document in result.documents:
        assert document.order_number
        assert document.envelope.message_type == "850"
        assert all(line.location.segment == "PO1" for line in document.lines)


def check_not_an_order(data: bytes, set_id: str, sets: int) -> None:
    """An 855 or 997 tokenises, holds no order, and a 997 is read for what it says."""
    tokens = segments(data)
    assert tokens[0].id == "ISA" and tokens[-1].id == "IEA"
    assert sum(t.id == "ST" and t.elements[1] == set_id for t in tokens) == sets
    result = read(data)
    assert result.documents == []
    assert not [e for i in result.interchanges for e in i.errors]
    if set_id == "997":
        # acknowledgments are read for what they say, not refused as unsupported sets
        assert len(result.functional_acks) == sets
        assert all(ack.code in ("A", "E", "P", "R") for ack in result.functional_acks)
        assert all(ic.only_acknowledgments for ic in result.interchanges)
        assert result.problems() == []
    else:
        assert all(s.ack_code is SetAckCode.REJECTED for s in result.sets())
        assert not any(ic.only_acknowledgments for ic in result.interchanges)


@pytest.mark.parametrize("path", SAMPLES_850, ids=lambda p: p.name)
def test_every_850_sample_is_recognised_and_read_into_orders(path: Path) -> None:
    check_850(path.read_bytes(), EXPECTED_ORDERS[path.name])


def test_850_lines_read_by_hand(samples: Path) -> None:
    [order] = _read(samples, "850-tilde-terminated.x12").documents
    assert (order.order_number, order.function, order.order_type) == ("PO-X-NL", "original", "SA")
    assert (order.order_date, order.delivery_date) == (date(2024, 3, 12), date(2024, 3, 29))
    assert order.references["DP"] == "038"
    delivery = order.party(PartyRole.DELIVERY)
    assert delivery is not None
    assert (delivery.name, delivery.qualifier, delivery.id) == (
        "CORNER SHOP LYON",
        "9",
        "3012345000017",
    )
    first = order.lines[0]
    assert (first.external_id, first.quantity, first.unit, first.unit_price) == (
        "1",
        Decimal("120"),
        "EA",
        Decimal("9.25"),
    )
    assert (first.supplier_ref, first.customer_ref, first.name) == (
        "COF-250",  # VN
        "MY-0042",  # CB
        "GROUND COFFEE",
    )
    assert first.location.line == 8  # the PO1 is the 8th segment of the file


def test_newline_terminated_copy_reads_the_same_order(samples: Path) -> None:
    tilde = _read(samples, "850-tilde-terminated.x12")
    newline = _read(samples, "850-newline-terminated.x12")
    assert b"~" not in (samples / "x12-850" / "850-newline-terminated.x12").read_bytes()
    assert [(x.quantity, x.supplier_ref) for x in tilde.documents[0].lines] == [
        (x.quantity, x.supplier_ref) for x in newline.documents[0].lines
    ]
    assert newline.warnings == [] and newline.problems() == []


def test_5010_alphanumeric_line_ids_and_zero_padded_quantities(samples: Path) -> None:
    result = _read(samples, "850-5010-alphanumeric-line-ids.x12")
    [order] = result.documents
    assert order.envelope.version == "005010"
    assert order.envelope.application_sender == "NORTHWIND"
    assert [(x.external_id, x.quantity) for x in order.lines] == [
        ("item-1", Decimal("8")),
        ("item-2", Decimal("4")),
    ]
    assert order.lines[0].supplier_ref == "COF-250"  # VC wins over SK
    assert any("GS01 is 'OW'" in w for w in result.warnings)


def test_upc_barcodes_without_line_ids(samples: Path) -> None:
    [order] = _read(samples, "850-upc-without-line-ids.x12").documents
    assert [(x.external_id, x.barcode, x.barcode_type) for x in order.lines] == [
        (None, "036000291452", "UP"),
        (None, "040063813339", "UP"),
    ]


def test_replacement_order_with_buyer_part_numbers_and_line_dates(samples: Path) -> None:
    result = _read(samples, "850-replacement-with-buyer-parts.x12")
    [order] = result.documents
    assert order.function == "replace"  # BEG01 05
    assert order.currency == "USD"
    assert order.lines[0].customer_ref == "0459001004"  # BP
    assert order.lines[0].requested_delivery == date(2024, 3, 20)
    assert order.lines[0].name == "COFFEE, GROUND 250G"
    assert not any("CTT" in w for w in result.warnings)  # CTT*2*20 is right


def test_iea_control_number_mismatch_is_located_and_nbsp_padding_trimmed(samples: Path) -> None:
    result = _read(samples, "850-nbsp-padded-isa-and-wrong-iea.x12")
    [interchange] = result.interchanges
    [error] = interchange.errors
    assert error.code is InterchangeErrorCode.CONTROL_NUMBER_MISMATCH
    assert (error.location.line, error.location.segment) == (9, "IEA")
    assert interchange.sender_id == "000123456"
    assert any("U+00A0" in w for w in result.warnings)
    assert "UTF-8 byte order mark before ISA ignored" in result.warnings
    assert len(result.documents) == 1  # the order itself is fine


def test_repeated_set_control_numbers_are_reported_not_rejected(samples: Path) -> None:
    result = _read(samples, "850-repeated-set-control-numbers.x12")
    codes = [s.ack_code for s in result.sets()]
    assert codes == [SetAckCode.ACCEPTED, SetAckCode.ACCEPTED_WITH_ERRORS] * 2
    assert any("CTT02" in w for w in result.warnings)  # CTT*1*1 for a quantity of 4
    assert result.interchanges[0].delimiters.component == "+"  # ISA16


@pytest.mark.parametrize(
    ("folder", "name", "set_id", "sets"),
    [
        ("x12-855", "855-acknowledging-an-order.x12", "855", 1),
        ("x12-997", "997-accepting-a-purchase-order.x12", "997", 1),
        ("x12-997", "997-asking-for-a-ta1.x12", "997", 3),
        ("x12-997", "997-rejecting-an-invoice.x12", "997", 1),
    ],
)
def test_855_and_997_samples_tokenise_and_are_not_orders(
    samples: Path, folder: str, name: str, set_id: str, sets: int
) -> None:
    check_not_an_order((samples / folder / name).read_bytes(), set_id, sets)
