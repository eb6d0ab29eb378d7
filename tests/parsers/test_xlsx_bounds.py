"""Workbooks over their sender's bounds are refused before calamine reads a cell.

Every workbook here is written at the XML level (``tests/parsers/workbook_xml.py``):
no spreadsheet program saves a lone cell at XFD1048576, yet a 2 KB file can hold one.
"""

from __future__ import annotations

import pytest

from parsers import xlsx
from parsers.errors import TooLarge
from tests.parsers.workbook_xml import inline, number, one_huge_string, order_rows, workbook

COFFEE = "4006381333931"
LIMITS = xlsx.SheetLimits(rows=1_000, columns=20, cells=5_000, shared_strings=1_000_000)


def test_a_workbook_within_the_bounds_is_read():
    data = workbook(order_rows([(COFFEE, "3")]))
    [doc] = xlsx.read(data, limits=LIMITS).documents
    assert [line.quantity for line in doc.lines] == [3]


def test_one_cell_at_the_last_excel_cell_is_refused_unread():
    data = workbook(
        order_rows([(COFFEE, "3")]) + '<row r="1048576">' + number("XFD1048576", "1") + "</row>"
    )
    assert len(data) < 3_000
    with pytest.raises(TooLarge, match="reaches row 1,048,576, past the 1,000 rows allowed"):
        xlsx.read(data, limits=LIMITS)


def test_a_cell_past_the_last_column_allowed_is_refused():
    data = workbook(order_rows([(COFFEE, "3")]) + '<row r="3">' + number("AZ3", "1") + "</row>")
    with pytest.raises(TooLarge, match="reaches column 52, past the 20 columns allowed"):
        xlsx.read(data, limits=LIMITS)


def test_rows_and_cells_without_references_are_counted_where_a_reader_puts_them():
    rows = "".join("<row>" + "<c><v>1</v></c>" * 3 + "</row>" for _ in range(1_001))
    with pytest.raises(TooLarge, match="reaches row 1,001"):
        xlsx.read(workbook(rows), limits=LIMITS)
    wide = "<row>" + "<c><v>1</v></c>" * 21 + "</row>"
    with pytest.raises(TooLarge, match="reaches column 21"):
        xlsx.read(workbook(wide), limits=LIMITS)


def test_a_used_range_of_too_many_cells_is_refused():
    data = workbook(order_rows([(COFFEE, "3")]) + '<row r="900">' + number("T900", "1") + "</row>")
    with pytest.raises(TooLarge, match="spans 900 rows × 20 columns, more than the 5,000 cells"):
        xlsx.read(data, limits=LIMITS)


def test_a_declared_dimension_past_the_bounds_is_refused():
    data = workbook(order_rows([(COFFEE, "3")]), dimension="A1:XFD1048576")
    with pytest.raises(TooLarge, match="past the 1,000 rows allowed"):
        xlsx.read(data, limits=LIMITS)


def test_references_with_absurd_digit_counts_are_refused_not_a_value_error():
    data = workbook('<row r="' + "9" * 5000 + '">' + inline("A1", "x") + "</row>")
    with pytest.raises(TooLarge):
        xlsx.read(data, limits=LIMITS)


def test_shared_strings_larger_than_allowed_are_refused_before_they_are_read():
    data = workbook(order_rows([(COFFEE, "3")]), shared_strings=one_huge_string(2_000_000))
    assert len(data) < 50_000  # it compresses: the size on disk says nothing
    with pytest.raises(TooLarge, match="shared strings"):
        xlsx.read(data, limits=LIMITS)


def test_a_tag_cut_by_a_read_chunk_is_still_counted():
    # Padding puts the far cell's tag across the 1 MiB boundary of the streamed read.
    pad = '<row r="2">' + inline("A2", "p" * ((1 << 20) - 200)) + "</row>"
    far = '<row r="5000">' + number("B5000", "1") + "</row>"
    data = workbook(order_rows([]) + pad + far)
    with pytest.raises(TooLarge, match="reaches row 5,000"):
        xlsx.read(data, limits=LIMITS)


@pytest.mark.parametrize("value", ["NaN", "INF", "-INF", "1E+400"])
def test_a_quantity_cell_that_is_no_finite_number_is_a_line_issue(value):
    data = workbook(order_rows([(COFFEE, "2"), (COFFEE, value)]))
    [doc] = xlsx.read(data, limits=LIMITS).documents
    good, bad = doc.lines
    assert good.quantity == 2 and not good.issues
    assert bad.quantity is None
    assert [issue.code.value for issue in bad.issues] == ["invalid_quantity"]


@pytest.mark.parametrize(
    "far",
    [
        '<row\nr="5000"><c r="B5000"><v>1</v></c></row>',  # a line break, not a space
        '<row r="5000"><c  r="B5000"><v>1</v></c></row>',  # two spaces
        "<row r='5000'><c r='B5000'><v>1</v></c></row>",  # single quotes
        '<row spans="1:2" r="5000"><c t="n" r="B5000"><v>1</v></c></row>',  # r not first
        '<x:row r="5000"><x:c r="B5000"><x:v>1</x:v></x:c></x:row>',  # a namespace prefix
    ],
)
def test_a_far_row_in_another_form_than_its_neighbours_is_still_found(far):
    # The rows around it are in the form writers use, which is read by literal patterns;
    # this one's form is not, and must not slip past them.
    data = workbook(order_rows([(COFFEE, "3")] * 50) + far)
    with pytest.raises(TooLarge, match="reaches row 5,000"):
        xlsx.read(data, limits=LIMITS)
