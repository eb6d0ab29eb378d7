"""An order's lines stored from their columns: what is read back is what was held,
a column NULL on every line included (it is left out of the insert), and quantities and
prices are stored as the driver stores a Decimal it is given."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from gateway.store.line_table import COLUMNS, LineTable
from gateway.store.models import OrderLine, table_of


def line(**values: Any) -> dict[str, Any]:
    """A line's row: every column NULL (suggestions empty) but those given."""
    return dict.fromkeys(COLUMNS) | {"suggestions": [], "outcome": "accepted"} | values


LINES = [
    line(line_no=1, source_line=2, barcode="3012345000016", description="Café moulu",
         product_id=11, sku="COF-250", ordered_quantity=Decimal("3"), quantity=Decimal("3"),
         confirmed_quantity=Decimal("3"), matched_by="barcode", confidence=1.0),
    line(line_no=2, source_line=3, supplier_ref="NOPE-1", ordered_quantity=Decimal("2.50"),
         outcome="rejected", reason_code="unknown_sku", message="Ligne 3 : inconnue",
         hint="Vérifiez la référence", suggestions=["COF-250 Café moulu"],
         item_ids=[{"kind": "ean", "value": "1"}]),
]  # fmt: skip


@pytest.fixture
def session() -> Session:
    engine = create_engine("sqlite://")
    table_of(OrderLine).create(engine)  # the foreign keys' tables are not needed here
    return Session(engine)


def read_back(session: Session) -> list[dict[str, Any]]:
    t = table_of(OrderLine)
    rows = session.execute(select(t).order_by(t.c.line_no)).mappings()
    return [{k: v for k, v in r.items() if k in COLUMNS} for r in rows]


def test_lines_read_back_as_they_were_held(session: Session) -> None:
    LineTable.of_rows(LINES).insert(session, order_id=7)
    assert read_back(session) == LINES


@pytest.mark.parametrize("lines", [LINES[:1], LINES[1:]], ids=["accepted", "rejected"])
def test_a_column_null_on_every_line_reads_back_null(
    session: Session, lines: list[dict[str, Any]]
) -> None:
    LineTable.of_rows(lines).insert(session, order_id=7)
    assert read_back(session) == lines


def test_no_column_left_out_has_a_value_of_its_own() -> None:
    # Left out, a column gets its default: only suggestions has one, and it is never left
    # out (no suggestion is stored as "[]")
    defaulted = [
        c.name
        for c in table_of(OrderLine).c
        if c.name in COLUMNS and (c.default is not None or c.server_default is not None)
    ]
    assert defaulted == ["suggestions"]


QUANTITIES = [Decimal("3"), Decimal("2.50"), Decimal("0.0001"), Decimal("1E+2"), None, 7]


def test_quantities_are_stored_as_the_driver_stores_a_decimal(session: Session) -> None:
    # Converted before the insert (not by the driver's adapter, value by value): the same
    # stored types and values — 2.50 as the real 2.5, 3 as the integer 3, 1E+2 as 100
    lines = [
        line(line_no=n, ordered_quantity=q, quantity=q, confirmed_quantity=q, unit_price=q)
        for n, q in enumerate(QUANTITIES, 1)
    ]
    LineTable.of_rows(lines).insert(session, order_id=7)
    columns = ("ordered_quantity", "quantity", "confirmed_quantity", "unit_price")
    stored = session.execute(
        text(
            "SELECT "
            + ", ".join(f"typeof({c}), {c}" for c in columns)
            + " FROM order_lines ORDER BY line_no"
        )
    ).all()
    raw = session.connection().connection.driver_connection
    assert raw is not None
    raw.execute("CREATE TEMP TABLE given (q NUMERIC)")
    raw.executemany("INSERT INTO given VALUES (?)", [(q,) for q in QUANTITIES])
    by_driver = raw.execute("SELECT typeof(q), q FROM given ORDER BY rowid").fetchall()
    assert [tuple(r) for r in stored] == [tuple(r) * len(columns) for r in by_driver]
    assert by_driver[1] == ("real", 2.5) and by_driver[0] == ("integer", 3)


@pytest.mark.parametrize("lines", [LINES, LINES[:1]], ids=["some-lists", "no-list"])
def test_lists_are_stored_as_json_text_an_empty_one_as_none_or_an_empty_list(
    session: Session, lines: list[dict[str, Any]]
) -> None:
    LineTable.of_rows(lines).insert(session, order_id=7)
    stored = session.execute(text("SELECT suggestions, item_ids FROM order_lines ORDER BY line_no"))
    assert [tuple(r) for r in stored] == [
        ('["COF-250 Café moulu"]', '[{"kind": "ean", "value": "1"}]')
        if ln["item_ids"]
        else ("[]", None)
        for ln in lines
    ]
