"""Lines read on the fast (pending) path read exactly as the general path reads them.

A line whose LIN/PIA/IMD/QTY/PRI have their usual shapes is built in one call; any other
segment turns it into an ordinary line part-way.  Each test pairs a usual line with the
same line in a shape that leaves the fast path, or checks a fact of the shortcut itself.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from parsers.document import IssueCode
from parsers.edifact import read

from .builders import interchange, orders_message

_USUAL = ["PIA+1+SKU-1:SA", "IMD+F++:::Blue mug", "QTY+21:5", "PRI+AAA:2.50"]


def _lines(*body: str):
    message = orders_message(body=["BGM+220+PO-1+9", *body, "UNS+S"])
    result = read(interchange(message).encode())
    assert result.documents, result.interchanges[0].all_errors
    return result.documents[0].lines


def _facts(line) -> dict:
    facts = asdict(line)
    facts.pop("location")
    facts.pop("line_no")
    facts.pop("external_id")
    return facts


def test_usual_line_reads_every_field_and_where_it_came_from():
    (line,) = _lines("LIN+1++4000862141404:EN", *_USUAL)
    assert (line.barcode, line.barcode_type, line.supplier_ref) == ("4000862141404", "EN", "SKU-1")
    assert (line.name, line.quantity, line.quantity_text) == ("Blue mug", Decimal(5), "5")
    assert line.unit_price == Decimal("2.50") and line.issues == []
    assert line.columns == {
        "barcode": "LIN03-1",
        "supplier_ref": "PIA02-1",
        "name": "IMD03-4",
        "quantity": "QTY01-2",
        "unit_price": "PRI01-2",
    }


def test_segment_after_the_usual_ones_adds_to_the_line_it_follows():
    usual, with_date = _lines(
        "LIN+1++4000862141404:EN",
        *_USUAL,
        "LIN+2++4000862141404:EN",
        *_USUAL,
        "DTM+2:20240301:102",
    )
    assert with_date.requested_delivery == date(2024, 3, 1)
    assert with_date.columns == {**usual.columns, "requested_delivery": "DTM01-2"}
    assert _facts(with_date) | {"requested_delivery": None, "columns": usual.columns} == _facts(
        usual
    )


def test_lines_with_the_same_layout_have_equal_but_independent_columns_on_the_general_path():
    first, second = _lines(
        "LIN+1++4000862141404:EN",
        *_USUAL,
        "LIN+2++4000862141404:EN",
        *_USUAL,
        "FTX+AAI+++fragile",
    )
    assert second.comment == "fragile"
    assert first.columns == second.columns


def test_repeated_quantity_and_price_segments_read_the_same_on_every_line():
    lines = _lines(*[s for n in range(1, 4) for s in (f"LIN+{n}++400086214140{n}:EN", *_USUAL)])
    assert [(ln.line_no, ln.quantity, ln.unit_price) for ln in lines] == [
        (n, Decimal(5), Decimal("2.50")) for n in (1, 2, 3)
    ]
    assert [ln.location.line for ln in lines] == [5, 10, 15]  # after UNA, UNB, UNH and BGM


def test_second_qty_21_replaces_the_first_as_before():
    (line,) = _lines("LIN+1++4000862141404:EN", *_USUAL, "QTY+21:7:PCE")
    assert (line.quantity, line.quantity_text, line.unit) == (Decimal(7), "7", "PCE")


def test_qty_1_after_qty_21_is_ignored():
    (line,) = _lines("LIN+1++4000862141404:EN", *_USUAL, "QTY+1:9")
    assert line.quantity == Decimal(5)


def test_later_gross_price_does_not_replace_a_net_price():
    (line,) = _lines("LIN+1++4000862141404:EN", *_USUAL, "PRI+AAB:9.99", "PRI+AAA:1")
    assert line.unit_price == Decimal("2.50")


def test_second_supplier_reference_is_kept_among_the_ids_as_on_the_general_path():
    # The general path (a line already built, here by the FTX before its PIAs) keeps
    # every SA reference in item_ids; a usual line followed by another SA must too.
    (usual,) = _lines("LIN+1++4000862141404:EN", *_USUAL, "PIA+1+SKU-2:SA")
    (general,) = _lines("LIN+1++4000862141404:EN", "FTX+AAI+++x", *_USUAL, "PIA+1+SKU-2:SA")
    assert usual.supplier_ref == "SKU-1"
    assert [tuple(i) for i in usual.item_ids] == [
        ("EN", "4000862141404", "LIN03"),
        ("SA", "SKU-1", "PIA02"),
        ("SA", "SKU-2", "PIA02"),
    ]
    assert usual.item_ids == general.item_ids


def test_bad_quantity_after_a_usual_start_is_a_line_issue():
    (line,) = _lines("LIN+1++4000862141404:EN", "PIA+1+SKU-1:SA", "QTY+21:5x")
    assert [i.code for i in line.issues] == [IssueCode.INVALID_QUANTITY]
    assert (line.supplier_ref, line.quantity_text) == ("SKU-1", "5x")


def test_usual_line_without_quantity_is_flagged_like_any_other():
    first, second = _lines(
        "LIN+1++4000862141404:EN", "PIA+1+SKU-1:SA", "LIN+2++4000862141405:EN", *_USUAL
    )
    assert [i.code for i in first.issues] == [IssueCode.MISSING_QUANTITY]
    assert second.issues == []


def test_usual_line_without_product_identifier_is_flagged():
    (line,) = _lines("LIN+1", "QTY+21:5")
    assert [i.code for i in line.issues] == [IssueCode.MISSING_PRODUCT_ID]


def test_issues_of_fast_lines_are_their_own_lists():
    first, second = _lines(
        *[s for n in range(1, 3) for s in (f"LIN+{n}++400086214140{n}:EN", *_USUAL)]
    )
    assert first.issues is not second.issues
