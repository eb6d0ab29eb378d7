"""At 80 columns every listing fits: no identifier, number, barcode or status is cut.

Below about 100 columns a table becomes one block per record, its fields side by side
and broken only between two of them; a message wraps on a line of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gateway.cli.app import app, console
from gateway.cli.tables import WIDE, Column, print_records
from gateway.daemon.passes import process_external
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE_CASE, CONFIG, build_workspace, ean
from tests.gateway.lifecycle_support import csv_order, intake

PARTNER = "grossiste-alimentaire-du-sud-ouest"
NUMBER = "CMD-2026-000123456789-LYON-PART-DIEU"
UNKNOWN = ean("1301234599999")  # 14 digits, no such product
BROKEN = "export_erp_commandes_du_lundi_matin_version_finale.csv"
NARROW = {"COLUMNS": "80", "USER": "alice"}

runner = CliRunner()


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    config = CONFIG + f'\n[partners.{PARTNER}]\nname = "Grossiste"\n'
    config += 'grants = [{ customer = "C1", site = "S1" }]\n'
    ws = build_workspace(tmp_path / "ws", config=config)
    intake(ws, PARTNER, "order.csv", csv_order(NUMBER, [(COFFEE_CASE, 2), (UNKNOWN, 5)]))
    broken = tmp_path / BROKEN
    broken.write_bytes(b"\x00\x01 not an order at all \xff" * 40)
    assert process_external(ws, PARTNER, broken).outcome == "failed"
    yield ws
    ws.close()


def narrow(ws: Workspace, *args: str) -> str:
    result = runner.invoke(app, ["-w", str(ws.root), *args], env=NARROW)
    assert result.exit_code == 0, result.output
    assert max(map(len, result.output.splitlines())) <= 80, result.output
    assert "…" not in result.output
    return result.output


def assert_whole(out: str, *identifiers: str) -> None:
    """Each identifier appears with nothing of it cut or broken off."""
    for ident in identifiers:
        assert re.search(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", out), (ident, out)


@pytest.mark.parametrize(("columns", "table"), [(WIDE - 1, False), (WIDE, True)])
def test_below_100_columns_a_table_becomes_one_block_per_record(
    monkeypatch: pytest.MonkeyPatch, columns: int, table: bool
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    with console.capture() as shown:
        print_records([Column("id"), Column("status")], [["7", "validated"]])
    out = shown.get()
    assert ("┃ status" in out) is table
    assert ("id 7  status validated" in out) is not table


@pytest.mark.parametrize("columns", [WIDE - 1, WIDE])
def test_text_that_looks_like_an_emoji_code_shows_as_written(
    monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    # A file or a customer named ":coffee: corner" is data, not rich's emoji shorthand
    monkeypatch.setenv("COLUMNS", str(columns))
    with console.capture() as shown:
        print_records([Column("file"), Column("reason", whole=False)], [[":coffee:", ":x: no"]])
    assert ":coffee:" in shown.get() and ":x: no" in shown.get()
    assert "\u2615" not in shown.get() and "\u274c" not in shown.get()


def test_a_table_whose_identifiers_do_not_fit_becomes_blocks_on_a_wide_terminal_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    ids = [f"{PARTNER}-{n}" for n in range(4)]
    with console.capture() as shown:
        print_records([Column(f"c{n}") for n in range(4)], [ids])
    assert "┃" not in shown.get()
    assert_whole(shown.get(), *ids)


@pytest.mark.parametrize(("columns", "table"), [(115, False), (116, True)])
def test_headings_count_in_what_a_table_needs(
    monkeypatch: pytest.MonkeyPatch, columns: int, table: bool
) -> None:
    # short values under long headings: 1 border + "id" (2 + 3) + 10 headings of 8 (+ 3 each)
    monkeypatch.setenv("COLUMNS", str(columns))
    headings = ["accepted", "rejected", "received", "customer", "shipped_", "ordered_",
                "location", "duration", "category", "language"]  # fmt: skip
    with console.capture() as shown:
        print_records([Column("id"), *map(Column, headings)], [["1"] + ["2"] * 10])
    out = shown.get()
    assert ("┃" in out) is table
    if table:
        assert all(f" {h} " in out for h in headings), out


def test_orders_list_shows_partner_number_and_status_whole(ws: Workspace) -> None:
    out = narrow(ws, "orders", "list")
    assert_whole(out, PARTNER, NUMBER, "pending_validation", "C1", "S1")


def test_orders_show_shows_barcodes_and_statuses_whole(ws: Workspace) -> None:
    out = narrow(ws, "orders", "show", "1")
    assert_whole(out, COFFEE_CASE, UNKNOWN, NUMBER, PARTNER, "accepted", "rejected")
    assert f"'{UNKNOWN}'" in " ".join(out.split())  # the message names it, wrapped if need be


def test_files_list_shows_the_file_names_whole(ws: Workspace) -> None:
    out = narrow(ws, "files", "list")
    assert_whole(out, BROKEN, "order.csv", PARTNER, "failed", "processed")


def test_rejections_list_shows_barcode_order_and_partner_whole(ws: Workspace) -> None:
    out = narrow(ws, "rejections", "list")
    for whole in (UNKNOWN, NUMBER, PARTNER):
        assert whole in out


def test_status_wraps_the_last_error_and_keeps_the_partner_whole(ws: Workspace) -> None:
    out = narrow(ws, "status")
    assert_whole(out, PARTNER)
    block = out[out.index(PARTNER) :]
    assert BROKEN in block and "last error" in block
    assert block.count("\n") < 12  # one block, not a column eight rows high per record


def test_process_outcomes_show_partner_and_file_whole(ws: Workspace, tmp_path: Path) -> None:
    order = tmp_path / "commande_du_grossiste_alimentaire_2026-12-02.csv"
    order.write_bytes(csv_order("CMD-2026-000123456790-LYON-PART-DIEU", [(COFFEE_CASE, 1)]))
    out = narrow(ws, "process", str(order), "--partner", PARTNER)
    assert_whole(out, PARTNER, order.name, "processed")


def test_a_wide_terminal_keeps_the_table(ws: Workspace) -> None:
    result = runner.invoke(app, ["-w", str(ws.root), "orders", "list"], env={"COLUMNS": "200"})
    assert "┃ partner" in result.output and PARTNER in result.output


def test_xref_list_shows_partner_barcode_and_sku_whole(ws: Workspace) -> None:
    learned = ["xref", "add", "--partner", PARTNER, "--barcode", UNKNOWN, "--sku", "SUG-1K"]
    assert runner.invoke(app, ["-w", str(ws.root), *learned], env=NARROW).exit_code == 0
    assert_whole(narrow(ws, "xref", "list"), PARTNER, UNKNOWN, "SUG-1K")
