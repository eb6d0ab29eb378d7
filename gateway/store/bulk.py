"""Bulk inserts through the driver's fastest path, for master data and big orders.

SQLAlchemy's executemany builds and processes a parameter dict per row; for hundreds of
thousands of rows the driver's own ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) is
several times faster; a handful of rows (a small order's lines) go as one multi-row
INSERT. Values must already be what the column stores: JSON columns take JSON text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, insert

# sqlite3 has no Decimal adapter: a Decimal goes as text, which NUMERIC affinity stores as
# the same integer or real SQLAlchemy's own binding would.
sqlite3.register_adapter(Decimal, str)


#: Up to this many rows PostgreSQL takes them in one INSERT: one round trip, and
#: prepared by the driver once seen often; ``COPY`` costs two (its start, then its end).
#: Its per-row cost wins soon: CPU a transaction, min / median of 7 rounds, loopback —
#: 1 row 142 / 223 µs against COPY's 177 / 277; 5 rows 150 / 159 against 163 / 186;
#: 20 rows 308 / 370 against 213 / 260.
FEW_ROWS = 5


def bound_decimals(conn: Connection, column: list[Any]) -> list[Any]:
    """A column's Decimals as the driver binds them, converted in one pass: on SQLite their
    text (as the adapter above gives it), other values as they are; other engines take
    Decimals themselves.

    Through the adapter, each Decimal is a call back into Python from the driver's C loop:
    0.2 s of the 1.1 s insert of a 100,000-line order (CPU; three quantity columns), against
    0.02 s a column here."""
    if conn.dialect.name != "sqlite":
        return column
    return [str(v) if v.__class__ is Decimal else v for v in column]


def bulk_insert(conn: Connection, table: Table, cols: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert ``rows`` (tuples in ``cols`` order) into ``table`` inside ``conn``'s transaction."""
    if not rows:
        return
    dbapi = conn.connection.driver_connection
    assert dbapi is not None, "a connection inside a transaction has its driver connection"
    names = ", ".join(cols)
    if conn.dialect.name == "sqlite":
        marks = ", ".join("?" for _ in cols)
        dbapi.cursor().executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)
    elif conn.dialect.name == "postgresql" and len(rows) <= FEW_ROWS:
        marks = "(" + ", ".join("%s" for _ in cols) + ")"
        values = ", ".join(marks for _ in rows)
        with dbapi.cursor() as cur:
            cur.execute(
                f"INSERT INTO {table.name} ({names}) VALUES {values}", [v for r in rows for v in r]
            )
    elif conn.dialect.name == "postgresql":
        with dbapi.cursor() as cur, cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
    else:
        conn.execute(insert(table), [dict(zip(cols, r, strict=True)) for r in rows])
