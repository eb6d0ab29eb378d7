"""The column path gives every line the outcome the per-line path gives it.

The same files go through two partners alike in everything but ``column_path_lines``:
one takes every file line by line, the other every file by columns. Every stored line
(outcome, reason code, message, hint, product, quantities…), every order and every reply
the partner reads must be the same, for each kind of line the rules tell apart.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from gateway.daemon.passes import process_external
from gateway.intake.pipeline import FileOutcome
from gateway.store.models import Order, OrderLine
from gateway.workspace import Workspace
from parsers import columnar, xlsx
from tests.gateway.conftest import (
    CHEESE,
    COFFEE,
    COFFEE_CASE,
    CONFIG,
    JAM_APRICOT,
    JAM_STRAWBERRY,
    OLD,
    SUGAR,
    TEA_UPC,
    WINE,
    build_workspace,
    ean,
)

#: Partners alike but for the path their files take (C1: no assortment; C2: one)
PAIRS = {
    "shop": 'grants = [{ customer = "C1", site = "S1" }]',
    "hotel": 'language = "fr"\ndefault_site = "S1"\ngrants = [{ customer = "C2", site = "S1" }]',
    "rounder": 'quantity_policy = "round_up"\ngrants = [{ customer = "C1", site = "S1" }]',
    # Answered at intake in every format a partner can read: the acks and the EDI responses
    "answered": 'language = "fr"\nreply_formats = ["csv", "xlsx", "edifact", "x12"]\n'
    'respond_at = "intake"\ngrants = [{ customer = "C1", site = "S1" }]',
}
PATHS = {"rows": 1_000_000, "columns": 1}
BOTH_PATHS = CONFIG + "".join(
    f'\n[partners.{name}_{path}]\nname = "{name}"\ncolumn_path_lines = {lines}\n{setup}\n'
    for name, setup in PAIRS.items()
    for path, lines in PATHS.items()
)

HEADER = "N° commande;Code-barre;Référence;Réf. client;Désignation;Quantité commandée"
#: Every kind of line the column reader reads: the rules still tell them all apart
PLAIN = [
    f"PO-18;{COFFEE};;;Café moulu;3",
    f"PO-18;{COFFEE};;;Café moulu;3",  # the same line twice
    f"PO-18;{COFFEE_CASE};;;;2",  # a case of 12
    f"PO-18;{TEA_UPC};;;;1",
    f"PO-18;{ean('301234500199')};;;;1",  # unknown barcode
    f"PO-18;{COFFEE[:-1]}2;;;;1",  # wrong check digit
    "PO-18;;COF-250;;;4",
    "PO-18;;cof-250 ;;;5",
    "PO-18;;MY-0042;;;2",  # their reference in our reference's column
    "PO-18;;;MY-0042;;2",
    "PO-18;;NOPE-1;;;2",  # unknown reference
    "PO-18;;;THEIRS-9;;2",  # unknown customer reference
    f"PO-18;{OLD};;;;1",  # no longer sold
    f"PO-18;{SUGAR};;;;7",  # sold by 10
    f"PO-18;{SUGAR};;;;20",
    f"PO-18;{CHEESE};;;;1,5",  # by 0.5 kg
    f"PO-18;{CHEESE};;;;1,25",
    f"PO-18;{WINE};;;;12",
    f"PO-18;{WINE};;;;12,0",
    f"PO-18;{JAM_STRAWBERRY};;;;2",  # in C2's assortment
    f"PO-18;{JAM_APRICOT};;;;2",  # not in it
    "PO-18;;COF-250;;;2,5",  # half a countable item
    "PO-18;;COF-250;;;0",
    "PO-18;;COF-250;;;99999999999999",
    f"PO-18;{COFFEE};TEA-GRN;;;1",  # two identifiers, two products
    f"PO-18;{COFFEE};COF-250;;;1",  # two identifiers, one product
    f"PO-18;{ean('301234500199')};COF-250;;;1",  # an unknown barcode, a known reference
    f"PO-18;{COFFEE[:-1]}2;;MY-0042;;1",  # a wrong check digit, a known customer reference
]
#: What only the row reader reads: names alone, a word for a quantity, a blank line,
#: a total row, a note under the table
MIXED = [
    *PLAIN,
    "PO-18;;;;Strawberry jam 370 g;2",
    "PO-18;;;;jam 370 g;1",
    "PO-18;;;;Chocolate spread;1",
    f"PO-18;{COFFEE};;;;douze",
    "",
    ";;;;Total;40",
    ";;;;Merci de livrer avant vendredi 10h. Contact : Marie;",
]
#: Several orders, prices in a currency, decimals written two ways, text a spreadsheet
#: would run as a formula, lines refused with a message and a hint
PRICED_HEADER = f"{HEADER};Prix unitaire;Devise"
PRICED = [
    f"PO-20;{COFFEE};;;=SUM(A1:A9);12,50;3,10;EUR",
    f"PO-20;{COFFEE};;;-5 en promo;12,5;3,1;EUR",
    f"PO-21;{COFFEE_CASE};;;@cmd;2;12,000;EUR",
    f"PO-21;{SUGAR};;;+sucre;7;;EUR",
    f'PO-20;{ean("301234500199")};;;"Comté ""AOP""; affiné";3;;EUR',
    "PO-21;;NOPE-1;;inconnu;2;0,99;EUR",
    f"PO-22;{CHEESE};;;;1,25;;EUR",
]
#: Lines with a price: the same product and quantity at several prices, none, too much
#: (the row reader reads a price column, and the column path evaluates what it read)
PRICES = [
    f"PO-18;{COFFEE};;;;3;4,20",
    f"PO-18;{COFFEE};;;;3;4,2",
    f"PO-18;{COFFEE};;;;3;4,20",
    f"PO-18;{COFFEE};;;;3;",
    "PO-18;;COF-250;;;3;4,20",
    f"PO-18;{COFFEE_CASE};;;;1;50",
    f"PO-18;{SUGAR};;;;20;1,10",
    f"PO-18;{SUGAR};;;;7;1,10",
    f"PO-18;{OLD};;;;1;2",
    f"PO-18;{TEA_UPC};;;;1;3",
    f"PO-18;{TEA_UPC};;;;1;99999999999999",  # the line above but for its price
]
FILES = {
    "plain": "\r\n".join([HEADER, *PLAIN]) + "\r\n",
    "mixed": "\r\n".join([HEADER, *MIXED]) + "\r\n",
    "priced": "\r\n".join([PRICED_HEADER, *PRICED]) + "\r\n",
    "prices": "\r\n".join([f"{HEADER};Prix unitaire", *PRICES]) + "\r\n",
}


def workbook(lines: list[str]) -> bytes:
    """The lines as a worksheet, typed as people type them: whole quantities and the
    barcodes as numbers, the rest as text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    for line in lines:
        row: list[object] = [c or None for c in line.split(";")]
        for i in (1, 5):
            if isinstance(row[i], str) and str(row[i]).isdigit():
                row[i] = int(str(row[i]))
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WORKBOOKS = {"plain": workbook(PLAIN), "mixed": workbook([ln for ln in MIXED if ln])}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ws(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    ws = build_workspace(tmp_path / "ws", database=url, config=BOTH_PATHS)
    yield ws
    ws.close()


def stored(ws: Workspace, out: FileOutcome) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The file's orders and lines as stored, without their ids."""
    with ws.sessions() as s:
        orders = s.scalars(select(Order).where(Order.inbound_file_id == out.inbound_id)).all()
        heads = [
            {"number": o.order_number, "status": o.status, "code": o.reason_code,
             "reason": o.reason, "comment": o.comment, "customer": o.customer_code}
            for o in orders
        ]  # fmt: skip
        t = OrderLine.__table__
        rows = s.execute(
            select(t)
            .where(t.c.order_id.in_([o.id for o in orders]))
            .order_by(t.c.order_id, t.c.line_no)
        )
        lines = [{k: v for k, v in r._mapping.items() if k not in ("id", "order_id")} for r in rows]
    return heads, lines


def replies(out: FileOutcome) -> list[bytes]:
    """What the partner reads back, but the moments it was written (a workbook's, an
    interchange's): the acknowledgements, the EDI responses, the admin's report."""
    return [_timeless(p.suffix, p.read_bytes()) for p in sorted(out.replies)]


def _timeless(suffix: str, data: bytes) -> bytes:
    if suffix == ".xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return b"".join(book.read(n) for n in book.namelist() if n != "docProps/core.xml")
    if suffix in (".edi", ".x12"):
        # When the interchange was prepared (UNB, ISA, GS), and the response's number (BGM,
        # BAK08: the order's id, which differs between the two partners' orders)
        moments = (
            rb"(UNB\+(?:[^+]*\+){3})[0-9:]+",
            rb"(ISA\*(?:[^*]*\*){8})[0-9]{6}\*[0-9]{4}",
            rb"(GS\*(?:[^*]*\*){3})[0-9]+\*[0-9]+",
            rb"(BGM\+[0-9]+\+)[^+']+",
            rb"(BAK\*(?:[^*]*\*){7})[^*~]*",
        )
        for moment in moments:
            data = re.sub(moment, rb"\1", data)
    return data


#: Each file to send, by name: the CSV tables (cp1252, as the partners write them) and
#: the same tables as workbooks
SENT = {f"{name}.csv": text.encode("cp1252") for name, text in FILES.items()} | {
    f"{name}.xlsx": data for name, data in WORKBOOKS.items()
}


@pytest.mark.parametrize("partner", sorted(PAIRS))
@pytest.mark.parametrize("file", sorted(SENT))
def test_every_line_fares_alike_by_columns_and_line_by_line(
    ws: Workspace, tmp_path: Path, partner: str, file: str
) -> None:
    path = tmp_path / file
    path.write_bytes(SENT[file])
    by_rows = process_external(ws, f"{partner}_rows", path)
    by_columns = process_external(ws, f"{partner}_columns", path)

    assert (by_columns.outcome, by_columns.reason) == (by_rows.outcome, by_rows.reason)
    heads, lines = stored(ws, by_rows)
    assert stored(ws, by_columns) == (heads, lines)
    assert replies(by_columns) == replies(by_rows)
    # The files hold what they say: every kind of outcome, the whole file stored
    sent = {
        "plain": len(PLAIN),
        "mixed": len(PLAIN) + 4,
        "priced": len(PRICED),
        "prices": len(PRICES),
    }
    assert len(lines) == sent[file.split(".")[0]]
    assert {ln["outcome"] for ln in lines} >= {"accepted", "rejected"}


def test_the_plain_workbook_is_read_by_columns_and_the_mixed_one_by_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers: list[object] = []
    sheet_columns = columnar.sheet_columns

    def spy(*args: Any) -> Any:
        answers.append(sheet_columns(*args))
        return answers[-1]

    monkeypatch.setattr(columnar, "sheet_columns", spy)
    xlsx.read(WORKBOOKS["plain"], column_rows=1)
    xlsx.read(WORKBOOKS["mixed"], column_rows=1)
    assert [a is not None for a in answers] == [True, False]


def test_the_plain_file_is_read_by_columns_and_the_mixed_one_by_rows() -> None:
    assert columnar.read(FILES["plain"].encode("cp1252")) is not None
    assert columnar.read(FILES["mixed"].encode("cp1252")) is None
