"""The shared conformance corpus: every file handled, values checked by hand, none raises.

It runs in addition to the suite's own samples (``test_samples.py``), with their checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parsers.document import IssueCode, PartyRole
from parsers.edifact import SyntaxErrorCode, read

from .test_samples import check_broken, check_orders_messages, check_well_formed

E = SyntaxErrorCode
ORDERS_FILES = [
    "bots-1.edi",
    "bots-orders02.edi",
    "bots-test.edi",
    "daxaholic-sample_esc_release_char_before_seg_delimiter_single_line.edi",
    "daxaholic-sample_hash_seg_delimiter_single_line.edi",
    "edifabric-PurchaseOrders.txt",
    "edireader-ORDERS-D01B-UNOE.edi",
    "oboe-orders.escape",
    "phpedifact-example_order_ok.edi",
    "pydifact-order.edi",
    "smooks-ORDERS_D.03B_Interchange.txt",
    "staedi-orders-with-group.edi",
    "vscodeedi-bug-edifact-escape.edifact",
    "vscodeedi-sample-orders.edifact",
]


def _read(corpus, name, folder="edifact-orders", **kwargs):
    return read((corpus / folder / name).read_bytes(), **kwargs)


def test_the_corpus_list_is_complete(corpus):
    assert sorted(p.name for p in (corpus / "edifact-orders").iterdir()) == sorted(ORDERS_FILES)


@pytest.mark.parametrize("name", ORDERS_FILES)
def test_every_orders_file_reads_without_raising(corpus, name):
    check_orders_messages(_read(corpus, name))


@pytest.mark.parametrize(
    ("name", "orders", "lines"),
    [
        ("bots-1.edi", 12, 18),
        ("bots-orders02.edi", 24, 66),
        ("bots-test.edi", 4, 8),
        ("edifabric-PurchaseOrders.txt", 2, 2),
        ("edireader-ORDERS-D01B-UNOE.edi", 1, 1),
        ("phpedifact-example_order_ok.edi", 1, 146),
        ("smooks-ORDERS_D.03B_Interchange.txt", 1, 4),
        ("vscodeedi-bug-edifact-escape.edifact", 1, 0),
        ("vscodeedi-sample-orders.edifact", 1, 3),
    ],
)
def test_well_formed_files_become_orders(corpus, name, orders, lines):
    check_well_formed(_read(corpus, name), orders, lines)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("staedi-orders-with-group.edi", [(E.CONTROL_COUNT_DOES_NOT_MATCH, "UNT", 20)]),
        (
            "oboe-orders.escape",
            [(E.CONTROL_COUNT_DOES_NOT_MATCH, "UNT", 17), (E.REFERENCES_DO_NOT_MATCH, "UNT", 17)],
        ),
        ("pydifact-order.edi", [(E.MISSING, "UNZ", 18)]),
        # UNB 0020 is "1" but UNZ repeats the application reference "1234567"
        (
            "daxaholic-sample_hash_seg_delimiter_single_line.edi",
            [(E.REFERENCES_DO_NOT_MATCH, "UNZ", 12)],
        ),
    ],
)
def test_broken_files_are_reported_with_code_tag_and_position(corpus, name, expected):
    check_broken(_read(corpus, name), expected)


def test_broken_files_still_give_their_orders_when_trailer_errors_are_tolerated(corpus):
    doc = _read(corpus, "pydifact-order.edi", accept_trailer_errors=True).documents[0]
    # UNA ":+,? '" (comma decimal mark), DTM format 203, GLN parties
    assert (doc.order_number, doc.order_date) == ("801715918011", date(2015, 8, 3))
    assert doc.delivery_date == date(2015, 8, 6)
    assert doc.party(PartyRole.SUPPLIER).id == "5020436000004"
    assert [(line.barcode, line.quantity) for line in doc.lines] == [
        ("5020436373085", Decimal("8")),
        ("5020436373108", Decimal("8")),
    ]


def test_release_character_equals_before_terminator(corpus):
    name = "daxaholic-sample_esc_release_char_before_seg_delimiter_single_line.edi"
    doc = _read(corpus, name, accept_trailer_errors=True).documents[0]
    buyer = doc.party(PartyRole.BUYER)
    assert buyer.name == "Customer='s name"
    assert [(line.supplier_ref, line.quantity) for line in doc.lines] == [
        ("Product Screws", Decimal("1000"))
    ]


def test_heavy_release_use_in_oboe_file(corpus):
    message = _read(corpus, "oboe-orders.escape").interchanges[0].messages[0]
    assert message.segment_count == 16 and message.ref == "17420"


def test_php_order_lines_by_hand(corpus):
    result = _read(corpus, "phpedifact-example_order_ok.edi")
    doc = result.documents[0]
    assert doc.party(PartyRole.BUYER).name.startswith("A+A K")  # "A?+A" released
    third = doc.lines[2]
    assert (third.external_id, third.supplier_ref, third.customer_ref) == ("3", "1011", "6001011")
    assert third.name == "Kr\ufffduteressig 5% 10l Branntweinessig Kanister"
    assert (third.quantity, third.unit) == (Decimal("1"), "GBND")
    assert doc.lines[-1].supplier_ref == "983253" and doc.lines[-1].quantity == 2
    assert result.interchanges[0].charset == "utf-8"
    assert any("replacement character" in w for w in result.warnings)


def test_edifabric_order_by_hand(corpus):
    doc = _read(corpus, "edifabric-PurchaseOrders.txt").documents[0]
    assert (doc.order_number, doc.currency, doc.order_date) == ("128576", "GBP", date(2002, 8, 30))
    line = doc.lines[0]
    assert (line.barcode, line.customer_ref, line.quantity) == (
        "4000862141404",
        "ABC1234",
        Decimal("48"),
    )
    assert line.unit_price == Decimal("14.58")
    assert line.requested_delivery == date(2002, 9, 15)


def test_vscode_sample_by_hand(corpus):
    doc = _read(corpus, "vscodeedi-sample-orders.edifact").documents[0]
    assert doc.delivery_date == date(2014, 4, 14)  # DTM 64 beats DTM 63
    lines = [
        (x.barcode, x.barcode_type, x.supplier_ref, x.quantity, x.unit_price) for x in doc.lines
    ]
    assert lines == [
        ("9783898307529", "EN", "3899408268X-39", Decimal("5"), Decimal("27.5")),
        ("390787706322", "UP", None, Decimal("1"), Decimal("10.87")),
        (None, None, "3899408268X-39", Decimal("3"), Decimal("3.85")),
    ]


def test_bots_multi_interchange_file_keeps_each_envelope(corpus):
    result = _read(corpus, "bots-orders02.edi")
    assert len(result.interchanges) == 24
    assert result.documents[0].envelope.interchange_ref == "I1L0401010000T"
    assert [(x.barcode, x.quantity) for x in result.documents[0].lines] == [
        ("8712345004002", Decimal("50")),
        ("8712345005009", Decimal("10")),
        ("8712345006006", Decimal("5")),
    ]


def test_unoe_cyrillic_file_decodes_and_keeps_lorem_quantities_as_issues(corpus):
    result = _read(corpus, "edireader-ORDERS-D01B-UNOE.edi")
    assert result.interchanges[0].charset == "iso-8859-5"
    line = result.documents[0].lines[0]
    assert line.name.startswith("Лорем ипсум долор")
    # lorem ipsum even in the dates and no QTY+21: kept on the line as issues
    assert [i.code for i in line.issues] == [IssueCode.INVALID_DATE, IssueCode.MISSING_QUANTITY]


@pytest.mark.parametrize(
    ("folder", "name", "kind"),
    [
        ("edifact-ordrsp", "edifabric-PurchaseOrderResponse.txt", "ORDRSP"),
        ("edifact-ordrsp", "indice-edifact.ORDRSP.edi", "ORDRSP"),
        ("edifact-ordrsp", "edireader-ORDERS-D01B-UNOC.edi", "ORDRSP"),
        ("edifact-contrl", "edifabric-CONTRL.txt", "CONTRL"),
    ],
)
def test_ordrsp_and_contrl_files_tokenise_and_are_not_orders(corpus, folder, name, kind):
    result = _read(corpus, name, folder)
    assert result.documents == []
    assert {m.type for ic in result.interchanges for m in ic.messages} == {kind}


def test_latin1_ordrsp_file_decodes_as_unoc(corpus):
    report = _read(corpus, "edireader-ORDERS-D01B-UNOC.edi", "edifact-ordrsp").interchanges[0]
    assert report.charset == "iso-8859-1" and report.warnings == []
