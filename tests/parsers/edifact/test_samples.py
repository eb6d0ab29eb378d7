"""The suite's own EDIFACT files (tests/data/edi): every envelope quirk the reader claims,
each in a file written for it, values checked by hand. The shared corpus
(``test_corpus.py``) runs in addition when it is there."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.document import IssueCode, PartyRole
from parsers.edifact import SyntaxErrorCode, read

E = SyntaxErrorCode
ORDERS = sorted((Path(__file__).parents[2] / "data" / "edi" / "edifact-orders").iterdir())


def _read(samples: Path, name: str, folder: str = "edifact-orders", **kwargs):  # noqa: ANN202
    return read((samples / folder / name).read_bytes(), **kwargs)


def check_orders_messages(result) -> None:  # noqa: ANN001 — shared with test_corpus
    assert result.interchanges
    for report in result.interchanges:
        assert report.messages and all(m.type == "ORDERS" for m in report.messages)


def check_well_formed(result, orders: int, lines: int) -> None:  # noqa: ANN001
    assert all(ic.accepted and not ic.all_errors for ic in result.interchanges)
    assert len(result.documents) == orders
    assert sum(len(d.lines) for d in result.documents) == lines


def check_broken(result, expected: list) -> None:  # noqa: ANN001
    found = [(e.code, e.segment_tag, e.position) for e in result.interchanges[0].all_errors]
    assert found == expected
    assert result.documents == []


@pytest.mark.parametrize("path", ORDERS, ids=lambda p: p.name)
def test_every_orders_sample_reads_into_orders_messages(path: Path) -> None:
    check_orders_messages(read(path.read_bytes()))


@pytest.mark.parametrize(
    ("name", "orders", "lines"),
    [
        ("equals-release-before-terminator.edi", 1, 1),
        ("three-interchanges.edi", 3, 3),
        ("two-delivery-dates-and-barcode-types.edi", 1, 3),
        ("unoc-with-utf8-replacement-characters.edi", 1, 2),
        ("unoe-cyrillic.edi", 1, 1),
    ],
)
def test_well_formed_samples_become_orders(samples: Path, name: str, orders: int, lines: int):
    check_well_formed(_read(samples, name), orders, lines)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("group-with-wrong-unt-count.edi", [(E.CONTROL_COUNT_DOES_NOT_MATCH, "UNT", 10)]),
        (
            "released-separators-wrong-unt.edi",
            [(E.CONTROL_COUNT_DOES_NOT_MATCH, "UNT", 10), (E.REFERENCES_DO_NOT_MATCH, "UNT", 10)],
        ),
        ("una-comma-decimal-without-unz.edi", [(E.MISSING, "UNZ", 16)]),
        # UNB 0020 is "42" but UNZ repeats the application reference "APPREF-9"
        ("hash-terminator-single-line.edi", [(E.REFERENCES_DO_NOT_MATCH, "UNZ", 12)]),
    ],
)
def test_broken_samples_are_reported_with_code_tag_and_position(samples: Path, name, expected):
    check_broken(_read(samples, name), expected)


def test_comma_decimal_una_and_dtm_203_when_trailer_errors_are_tolerated(samples: Path) -> None:
    name = "una-comma-decimal-without-unz.edi"
    doc = _read(samples, name, accept_trailer_errors=True).documents[0]
    assert (doc.order_number, doc.order_date) == ("PO-COMMA-1", date(2024, 3, 12))
    assert doc.delivery_date == date(2024, 3, 15)
    assert doc.party(PartyRole.SUPPLIER).id == "3012345000000"
    assert [(x.barcode, x.quantity, x.unit_price) for x in doc.lines] == [
        ("4006381333931", Decimal("12"), Decimal("3.75")),
        ("3012345001072", Decimal("2.5"), None),
    ]


def test_hash_terminator_leaves_the_apostrophe_as_data(samples: Path) -> None:
    name = "hash-terminator-single-line.edi"
    doc = _read(samples, name, accept_trailer_errors=True).documents[0]
    assert doc.party(PartyRole.BUYER).name == "O'Brien's Corner Shop"
    assert [(x.supplier_ref, x.quantity) for x in doc.lines] == [("COF-250", Decimal("24"))]


def test_equals_release_before_the_terminator(samples: Path) -> None:
    doc = _read(samples, "equals-release-before-terminator.edi").documents[0]
    assert doc.party(PartyRole.BUYER).name == "Baker='s shop"
    assert [(x.supplier_ref, x.quantity) for x in doc.lines] == [("TEA-GRN", Decimal("6"))]


def test_released_separators_and_released_release_characters(samples: Path) -> None:
    name = "released-separators-wrong-unt.edi"
    message = _read(samples, name).interchanges[0].messages[0]
    assert message.segment_count == 9 and message.ref == "501"
    [doc] = _read(samples, name, accept_trailer_errors=True).documents
    assert doc.party(PartyRole.BUYER).name == "Rock'n'Roll + Sons"
    invoicee = doc.party(PartyRole.INVOICEE)
    assert invoicee is not None and invoicee.name == "Accounts: floor 2? rear"


def test_utf8_under_unoc_with_replacement_characters_is_read_and_said(samples: Path) -> None:
    result = _read(samples, "unoc-with-utf8-replacement-characters.edi")
    doc = result.documents[0]
    assert doc.party(PartyRole.BUYER).name == "A+B Kühlhaus GmbH"  # "A?+B" released
    second = doc.lines[1]
    assert (second.external_id, second.supplier_ref, second.customer_ref) == (
        "2",
        "1007",
        "6001007",
    )
    assert second.name == "Kr\ufffduteressig 5% 10l"
    assert (second.quantity, second.unit) == (Decimal("1"), "GBND")
    assert result.interchanges[0].charset == "utf-8"
    assert any("replacement character" in w for w in result.warnings)
    assert any("declared but the bytes are UTF-8" in w for w in result.warnings)


def test_delivery_dates_currency_line_dates_and_barcode_types(samples: Path) -> None:
    doc = _read(samples, "two-delivery-dates-and-barcode-types.edi").documents[0]
    assert doc.delivery_date == date(2024, 3, 22)  # DTM 64 beats DTM 63
    assert doc.currency == "GBP"
    lines = [
        (x.barcode, x.barcode_type, x.supplier_ref, x.quantity, x.unit_price) for x in doc.lines
    ]
    assert lines == [
        ("9783161484100", "EN", "ISBN-1", Decimal("5"), Decimal("27.5")),
        ("036000291452", "UP", None, Decimal("1"), Decimal("10.87")),
        (None, None, "COF-250", Decimal("3"), Decimal("3.85")),
    ]
    assert doc.lines[0].customer_ref == "MY-0042"  # PIA+1 …:IN, the buyer's number
    assert doc.lines[0].requested_delivery == date(2024, 3, 25)


def test_several_interchanges_in_one_file_keep_each_envelope(samples: Path) -> None:
    result = _read(samples, "three-interchanges.edi")
    assert [ic.control_ref for ic in result.interchanges] == ["IC-M1", "IC-M2", "IC-M3"]
    assert [d.envelope.interchange_ref for d in result.documents] == ["IC-M1", "IC-M2", "IC-M3"]
    assert [(x.barcode, x.quantity) for x in result.documents[1].lines] == [
        ("0036000291452", Decimal("20"))
    ]


def test_unoe_cyrillic_decodes_and_keeps_bad_dates_and_no_quantity_as_issues(samples: Path):
    result = _read(samples, "unoe-cyrillic.edi")
    assert result.interchanges[0].charset == "iso-8859-5"
    doc = result.documents[0]
    assert doc.party(PartyRole.BUYER).name == "Магазин на углу"
    line = doc.lines[0]
    assert line.name == "Кофе молотый 250 г"
    assert [i.code for i in line.issues] == [IssueCode.INVALID_DATE, IssueCode.MISSING_QUANTITY]


@pytest.mark.parametrize(
    ("folder", "name", "kind"),
    [
        ("edifact-ordrsp", "ordrsp-unoc-latin1.edi", "ORDRSP"),
        ("edifact-contrl", "contrl-rejecting-two-interchanges.edi", "CONTRL"),
    ],
)
def test_ordrsp_and_contrl_samples_tokenise_and_are_not_orders(samples, folder, name, kind):
    result = _read(samples, name, folder)
    assert result.documents == []
    assert {m.type for ic in result.interchanges for m in ic.messages} == {kind}


def test_latin1_ordrsp_sample_decodes_as_unoc(samples: Path) -> None:
    report = _read(samples, "ordrsp-unoc-latin1.edi", "edifact-ordrsp").interchanges[0]
    assert report.charset == "iso-8859-1" and report.warnings == []
