"""What spreadsheet acknowledgements list of what the reader left aside."""

from __future__ import annotations

from gateway.replies.tabular import SKIPPED_LISTED, skipped_rows
from parsers.document import Location, SkipKind, Skipped


def beside(line: int) -> Skipped:
    return Skipped(kind=SkipKind.CELL_BESIDE, location=Location(line=line), text="vu")


def test_each_thing_left_aside_is_a_row_in_the_partners_words():
    [row] = skipped_rows([Skipped(kind=SkipKind.TOTAL_ROW, location=Location(line=14))], "fr")
    assert (row.row, row.code, row.message) == (
        14,
        "total_row",
        "ligne 14 : ligne de total, non lue",
    )


def test_many_of_a_kind_are_listed_up_to_a_limit_then_counted():
    rows = skipped_rows([beside(n) for n in range(2, 2 + SKIPPED_LISTED + 30)], "en")
    assert len(rows) == SKIPPED_LISTED + 1
    assert rows[-1].message == "and 30 more of the same kind, not listed"
