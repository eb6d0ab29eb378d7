"""Which replies a file gets: a partner's ``reply_formats`` decide, whatever it sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE, CONFIG, build_workspace
from tests.gateway.lifecycle_support import (
    edifact_order,
    intake,
    outbox_files,
    read_csv,
    x12_order,
    xlsx_order,
)

CSV_REPLIES = (
    CONFIG
    + """
[partners.csvonly]
name = "Answered in CSV whatever it sends"
language = "fr"
reply_formats = ["csv"]
edi_ids = ["14:5412345000013", "ZZ:NORTHWIND"]
grants = [{ customer = "C1", site = "S1" }]

[partners.both]
name = "Answered in its own format and in CSV"
language = "en"
reply_formats = ["auto", "csv"]
edi_ids = ["14:5412345000013"]
respond_at = "intake"
grants = [{ customer = "C1", site = "S1" }]
"""
)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    ws = build_workspace(tmp_path / "ws", config=CSV_REPLIES)
    yield ws
    ws.close()


def test_an_xlsx_order_from_a_csv_partner_is_answered_in_csv(ws: Workspace) -> None:
    intake(ws, "csvonly", "bon.xlsx", xlsx_order("X-1", [(COFFEE, 3)]))
    (ack,) = outbox_files(ws, "csvonly", "ACK_")
    assert ack.suffix == ".csv"
    rows = read_csv(ack)
    assert [r["N° commande"] for r in rows if r["N° ligne"]] == ["X-1"]
    # French Excel opens it cleanly: ';' between cells
    assert ack.read_bytes().decode("utf-8-sig").splitlines()[0].count(";") > 3
    assert not outbox_files(ws, "csvonly", "ACK_bon_1.xlsx")


def test_an_edifact_order_from_a_csv_partner_is_answered_in_csv_and_acknowledged(
    ws: Workspace,
) -> None:
    intake(ws, "csvonly", "po.edi", edifact_order("E-1", COFFEE, 2))
    (ack,) = outbox_files(ws, "csvonly", "ACK_")
    assert ack.name.endswith(".csv") and read_csv(ack)[0]["N° commande"] == "E-1"
    # The interchange itself is still acknowledged in EDI; no ORDRSP was asked for.
    assert outbox_files(ws, "csvonly", "CONTRL_")
    assert not outbox_files(ws, "csvonly", "ORDRSP_")


def test_an_x12_order_from_a_csv_partner_gets_its_997_and_a_csv_ack(ws: Workspace) -> None:
    intake(ws, "csvonly", "po.x12", x12_order("N-1", COFFEE, 4))
    assert outbox_files(ws, "csvonly", "997_") and not outbox_files(ws, "csvonly", "855_")
    (ack,) = outbox_files(ws, "csvonly", "ACK_")
    assert read_csv(ack)[0]["N° commande"] == "N-1"


def test_auto_and_csv_answer_in_both_the_english_csv_in_its_own_dialect(ws: Workspace) -> None:
    intake(ws, "both", "po.edi", edifact_order("B-1", COFFEE, 2))
    assert outbox_files(ws, "both", "ORDRSP_")
    (ack,) = outbox_files(ws, "both", "ACK_")
    header = ack.read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.count(",") > 3 and ";" not in header
