"""The shared conformance corpus: every 850 is handled, 855s and 997s tokenise.

It runs in addition to the suite's own samples (``test_samples.py``), with their checks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from parsers.document import PartyRole
from parsers.x12 import InterchangeErrorCode, SetAckCode, read

from .test_samples import check_850, check_not_an_order

CORPUS_850 = [
    "bots-850-004010-02.x12",
    "bots-850-004010-ascii1.x12",
    "bots-850-004010VICS-01.x12",
    "bots-850-004030-01.x12",
    "indice-x12.850.edi",
    "nodex12-850.edi",
    "nodex12-850_2.edi",
    "oboe-5-850.x12",
    "oopfactory-Example1_PGWGlass.txt",
    "oopfactory-Example3_Adobe_CLP.txt",
    "oopfactory-Example4_Adobe_ShrinkWrapped.txt",
    "stedi-input.edi",
]
#: file → (orders, lines per order)
EXPECTED_ORDERS = {
    "bots-850-004010-02.x12": [1, 1, 1, 1],
    "bots-850-004010-ascii1.x12": [4],
    "bots-850-004010VICS-01.x12": [64, 58, 25, 22],
    "bots-850-004030-01.x12": [2],
    "indice-x12.850.edi": [1],
    "nodex12-850.edi": [6],
    "nodex12-850_2.edi": [6],
    "oboe-5-850.x12": [1],
    "oopfactory-Example1_PGWGlass.txt": [4],
    "oopfactory-Example3_Adobe_CLP.txt": [2],
    "oopfactory-Example4_Adobe_ShrinkWrapped.txt": [1],
    "stedi-input.edi": [2],
}


def _read(corpus: Path, folder: str, name: str):  # noqa: ANN202 - test helper
    return read((corpus / folder / name).read_bytes())


def test_the_corpus_list_is_complete(corpus: Path) -> None:
    assert sorted(p.name for p in (corpus / "x12-850").iterdir()) == sorted(CORPUS_850)


@pytest.mark.parametrize("name", CORPUS_850)
def test_every_corpus_850_is_recognised_and_read_into_orders(corpus: Path, name: str) -> None:
    check_850((corpus / "x12-850" / name).read_bytes(), EXPECTED_ORDERS[name])


def test_nodex12_850_lines_read_by_hand(corpus: Path) -> None:
    [order] = _read(corpus, "x12-850", "nodex12-850.edi").documents
    assert order.order_number == "08292233294"
    assert order.function == "original"
    assert order.order_type == "SA"
    assert str(order.order_date) == "2010-11-27"
    assert str(order.delivery_date) == "2010-12-14"
    assert order.references["DP"] == "038"
    delivery = order.party(PartyRole.DELIVERY)
    assert delivery is not None
    assert (delivery.name, delivery.qualifier, delivery.id) == ("XYZ RETAIL", "9", "0003947268292")
    first = order.lines[0]
    assert first.external_id == "1"
    assert first.quantity == Decimal("120")
    assert first.unit == "EA"
    assert first.unit_price == Decimal("9.25")
    assert first.supplier_ref == "AB3542"  # VN
    assert first.customer_ref == "065322-117"  # CB
    assert first.name == "SMALL WIDGET"
    assert first.location.line == 15  # the PO1 is the 15th segment of the file
    assert order.lines[5].quantity == Decimal("696")


def test_newline_terminated_copy_reads_the_same_order(corpus: Path) -> None:
    tilde = _read(corpus, "x12-850", "nodex12-850.edi").documents[0]
    newline = _read(corpus, "x12-850", "nodex12-850_2.edi").documents[0]
    assert [(line.quantity, line.supplier_ref) for line in tilde.lines] == [
        (line.quantity, line.supplier_ref) for line in newline.lines
    ]


def test_stedi_5010_alphanumeric_line_ids_and_padded_quantities(corpus: Path) -> None:
    result = _read(corpus, "x12-850", "stedi-input.edi")
    [order] = result.documents
    assert order.envelope.version == "005010"
    assert order.envelope.application_sender == "READDEMO"
    assert [(line.external_id, line.quantity) for line in order.lines] == [
        ("item-1", Decimal("8")),
        ("item-2", Decimal("4")),
    ]
    assert order.lines[0].supplier_ref == "VND1234567"  # VC wins over SK
    assert any("GS01 is 'OW'" in w for w in result.warnings)


def test_upc_barcodes_and_line_ids_absent(corpus: Path) -> None:
    [order] = _read(corpus, "x12-850", "bots-850-004010-ascii1.x12").documents
    assert [(line.external_id, line.barcode, line.barcode_type) for line in order.lines[:2]] == [
        (None, "123456789012", "UP"),
        (None, "234567890123", "UP"),
    ]


def test_pgw_glass_replace_order_with_buyer_part_numbers_and_line_dates(corpus: Path) -> None:
    result = _read(corpus, "x12-850", "oopfactory-Example1_PGWGlass.txt")
    [order] = result.documents
    assert order.function == "replace"  # BEG01 05
    assert order.currency == "USD"
    assert order.lines[0].customer_ref == "0459001004"  # BP
    assert str(order.lines[0].requested_delivery) == "2010-08-20"
    assert order.lines[0].name == "FUSE, BUSSMAN FNA-4/10"
    assert not any("CTT" in w for w in result.warnings)  # CTT*4*20 is right


def test_indice_iea_control_number_mismatch_is_located(corpus: Path) -> None:
    result = _read(corpus, "x12-850", "indice-x12.850.edi")
    [interchange] = result.interchanges
    [error] = interchange.errors
    assert error.code is InterchangeErrorCode.CONTROL_NUMBER_MISMATCH
    assert (error.location.line, error.location.segment) == (15, "IEA")
    assert interchange.sender_id == "000123456"  # NBSP padding trimmed
    assert len(result.documents) == 1  # the order itself is fine


def test_bots_duplicate_set_control_numbers_are_reported_not_rejected(corpus: Path) -> None:
    result = _read(corpus, "x12-850", "bots-850-004010-02.x12")
    codes = [s.ack_code for s in result.sets()]
    assert codes == [SetAckCode.ACCEPTED, SetAckCode.ACCEPTED_WITH_ERRORS] * 2
    assert any("CTT02" in w for w in result.warnings)  # CTT*1*1 for a quantity of 4


@pytest.mark.parametrize(
    ("folder", "name", "set_id", "sets"),
    [
        ("x12-855", "bots-855-004010UCS-01.x12", "855", 6),
        ("x12-855", "nodex12-855.edi", "855", 1),
        ("x12-855", "oboe-lfTestCase.edi", "855", 12),
        ("x12-855", "oopfactory-855SSimmons.txt", "855", 2),
        ("x12-855", "stedi-inbound.edi", "855", 1),
        ("x12-997", "bots-997-004010VICS-01.x12", "997", 1),
        ("x12-997", "bots-997_1.x12", "997", 1),
        ("x12-997", "bots-997_9.x12", "997", 3),
        ("x12-997", "edifabric-997.txt", "997", 1),
    ],
)
def test_855_and_997_samples_tokenise_and_are_not_orders(
    corpus: Path, folder: str, name: str, set_id: str, sets: int
) -> None:
    check_not_an_order((corpus / folder / name).read_bytes(), set_id, sets)
