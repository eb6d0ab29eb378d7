"""Bulk inserts on SQLite: quantities go to the driver as the text its Decimal adapter
would give them, each distinct object converted once."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from gateway.store.bulk import decimals_as_text


def test_a_decimal_becomes_the_text_the_adapter_gives_it() -> None:
    values = [Decimal("12.50"), Decimal("12.5"), Decimal("1E+1"), Decimal("-0.0001")]
    assert decimals_as_text(values) == [str(v) for v in values]


def test_equal_decimals_keep_their_own_text() -> None:
    # Equal, yet written otherwise: each object is converted, never each value
    assert decimals_as_text([Decimal("2.0"), Decimal("2")]) == ["2.0", "2"]


def test_anything_but_a_decimal_is_left_as_it_is() -> None:
    assert decimals_as_text([None, 3, 1.5, "7", True]) == [None, 3, 1.5, "7", True]


def test_sqlite_stores_the_text_as_it_stores_an_adapted_decimal() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (q NUMERIC(18, 4), adapted NUMERIC(18, 4))")
    values = [Decimal("12"), Decimal("12.50"), Decimal("0.125"), None]
    db.executemany(
        "INSERT INTO t VALUES (?, ?)", zip(decimals_as_text(values), values, strict=True)
    )
    rows = db.execute("SELECT q, typeof(q), adapted, typeof(adapted) FROM t").fetchall()
    assert all(q == adapted and kind == kind_adapted for q, kind, adapted, kind_adapted in rows)
