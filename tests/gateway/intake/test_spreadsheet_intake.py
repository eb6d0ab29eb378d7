"""Spreadsheet orders as people make them, through the whole pipeline, and what the
partner reads back: one language per reply, nothing internal, what to do.

Each test writes the file a customer would send (openpyxl for XLSX, bytes for CSV),
drops it in a real workspace and reads what lands in the partner's outbox and in the
admin's reports.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from gateway.cli.app import app
from gateway.daemon.passes import run_once
from gateway.orders.queries import list_orders
from gateway.workspace import Workspace
from tests.gateway.conftest import (
    COFFEE,
    COFFEE_CASE,
    CONFIG,
    JAM_STRAWBERRY,
    TEA_UPC,
    WINE,
    build_workspace,
)

#: Partners whose mapping profile is missing, or makes the reader crash: our side's fault
CONFIG_WITH_BROKEN_SETUPS = (
    CONFIG
    + """
[partners.nomap]
name = "Partner whose mapping profile is missing"
language = "fr"
mapping = "no-such-profile"
grants = [{ customer = "C2", site = "S1" }]

[partners.crashy]
name = "Partner whose profile makes the reader crash"
language = "fr"
mapping = "rot13"
grants = [{ customer = "C2", site = "S1" }]
"""
)


@pytest.fixture
def ws(tmp_path: Path):  # noqa: ANN201
    ws = build_workspace(tmp_path / "ws", config=CONFIG_WITH_BROKEN_SETUPS)
    ws.mappings_dir.mkdir(exist_ok=True)
    # rot13 is a codec, but not a text encoding: decoding with it raises inside the reader
    (ws.mappings_dir / "rot13.toml").write_text('[spreadsheet]\nencoding = "rot13"\n')
    yield ws
    ws.close()


def drop(ws: Workspace, partner: str, name: str, data: bytes) -> None:
    path = ws.inbox(partner) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def run(ws: Workspace):  # noqa: ANN201
    return run_once(ws, settle=0)


def xlsx(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def hotel_form(quantity_header: str = "Quantité") -> bytes:
    """The issue's form: a header block, an order over two sheets, a note under the table."""
    book = openpyxl.Workbook()
    grocery = book.active
    grocery.title = "Épicerie"
    for row in (
        ["Hôtel Belle Vue — bon de commande"],
        ["N° de commande : HB-5540"],
        ["Site de livraison :", "S2"],
        ["Date :", datetime(2026, 12, 2)],
        [],
        ["Code-barre", "Désignation", quantity_header],
        [COFFEE, "Café moulu", 2],
        [COFFEE_CASE, "Café moulu, carton", 2],
        [],
        ["Merci de livrer avant vendredi 10h. Contact : Marie 06 12 34 56 78"],
    ):
        grocery.append(row)
    drinks = book.create_sheet("Boissons")
    drinks.append(["Code-barre", "Désignation", quantity_header])
    drinks.append([TEA_UPC, "Thé vert", 3])
    drinks.append([WINE, "Vin rouge", 6])  # not in Hotel Belle Vue's assortment
    book.create_sheet("Notes").append(["Rappel : commander le vin le mois prochain"])
    return xlsx(book)


def only_order(ws: Workspace) -> dict:
    [order] = list_orders(ws)
    return order


def outbox_text(ws: Workspace, partner: str) -> dict[str, str]:
    """Every file the partner received, as text (workbooks cell by cell)."""
    texts = {}
    for path in ws.outbox(partner).iterdir():
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            cells = [
                str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value
            ]
            texts[path.name] = "\n".join(cells)
        else:
            texts[path.name] = path.read_bytes().decode("utf-8-sig")
    return texts


def sheet_rows(path: Path, title: str) -> list[dict]:
    rows = list(openpyxl.load_workbook(path)[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def ack_of(ws: Workspace, partner: str, suffix: str) -> Path:
    [ack] = ws.outbox(partner).glob(f"ACK_*{suffix}")
    return ack


# --- reading ------------------------------------------------------------------------------------
def test_the_header_block_gives_the_order_its_number_site_and_date(ws):
    drop(ws, "hotel", "cde.xlsx", hotel_form())
    run(ws)
    order = only_order(ws)
    # the partner's default site is S1: the block's S2 wins
    assert (order["order_number"], order["site"], order["order_date"]) == (
        "HB-5540",
        "S2",
        "2026-12-02",
    )


def test_an_order_over_two_sheets_keeps_the_lines_of_both(ws):
    drop(ws, "hotel", "cde.xlsx", hotel_form())
    run(ws)
    lines = only_order(ws)["lines"]
    assert [ln["sku"] for ln in lines] == ["COF-250", "COF-250", "TEA-GRN", "WIN-BDX"]


def test_the_note_under_the_table_is_the_orders_comment_never_a_line(ws):
    drop(ws, "hotel", "cde.xlsx", hotel_form())
    run(ws)
    result = CliRunner().invoke(app, ["-w", str(ws.root), "orders", "show", "1", "--json"])
    shown = json.loads(result.output)
    assert shown["comment"] == "Merci de livrer avant vendredi 10h. Contact : Marie 06 12 34 56 78"
    assert len(shown["lines"]) == 4
    summary = sheet_rows(ack_of(ws, "hotel", ".xlsx"), "Synthèse")
    assert summary[0]["Commentaire"] == shown["comment"]


def test_a_sheet_without_an_order_table_is_listed_in_the_ack_and_by_inspect(ws, tmp_path):
    drop(ws, "hotel", "cde.xlsx", hotel_form())
    run(ws)
    notes, title = sheet_rows(ack_of(ws, "hotel", ".xlsx"), "Non lu")
    assert (notes["Feuille"], notes["Code motif"]) == ("Notes", "sheet_without_table")
    assert notes["Message"] == (
        "feuille 'Notes' : pas de tableau de commande dans cette feuille, non lue"
    )
    assert (title["Ligne du fichier"], title["Code motif"]) == (1, "text_above")
    form = tmp_path / "cde.xlsx"
    form.write_bytes(hotel_form())
    result = CliRunner().invoke(
        app, ["-w", str(ws.root), "inspect", str(form), "--partner", "hotel", "--json"]
    )
    assert any("'Notes'" in w for w in json.loads(result.output)["warnings"])


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_typo_in_the_quantity_header_names_the_column_and_suggests_the_right_one(ws, kind):
    if kind == "xlsx":
        drop(ws, "hotel", "cde.xlsx", hotel_form(quantity_header="Qantité"))
    else:
        drop(ws, "hotel", "cde.csv", f"N° commande;Code-barre;Qantité\nA-1;{COFFEE};2\n".encode())
    [outcome] = run(ws)
    assert outcome.outcome == "failed"
    [error] = ws.outbox("hotel").glob("ERROR_*.txt")
    text = error.read_text("utf-8")
    assert (
        "n'a pas de colonne de quantité : vouliez-vous écrire 'Quantité' au lieu de 'Qantité'"
        in text
    )
    where = "feuille 'Épicerie', ligne 6" if kind == "xlsx" else "ligne 1"
    assert where in text


# --- the acknowledgement ----------------------------------------------------------------------
def test_a_carton_line_spells_out_its_conversion(ws):
    drop(ws, "hotel", "cde.xlsx", hotel_form())
    run(ws)
    carton = sheet_rows(ack_of(ws, "hotel", ".xlsx"), "Lignes")[1]
    # both in the cartons the customer ordered; the message spells out the units
    assert (carton["Qté commandée"], carton["Qté retenue"]) == (2, 2)
    assert carton["Message"] == "2 cartons de 12 = 24"


def test_lines_promise_nothing_before_validation_and_refused_ones_say_what_to_do(ws):
    drop(ws, "hotel", "cde.xlsx", hotel_form())
    run(ws)
    lines = sheet_rows(ack_of(ws, "hotel", ".xlsx"), "Lignes")
    assert [ln["Statut"] for ln in lines] == ["Reçue — en attente de validation"] * 3 + ["Refusée"]
    wine = lines[3]
    assert "n'est pas disponible pour Hotel Belle Vue" in wine["Message"]  # not "C2"
    assert wine["À faire"] == (
        "Ce produit n'est pas disponible pour Hotel Belle Vue : demandez à votre commercial "
        "de l'ajouter."
    )
    [summary] = sheet_rows(ack_of(ws, "hotel", ".xlsx"), "Synthèse")
    assert summary["Réponse"] == "Retenue en partie : lignes refusées"


def test_a_csv_ack_has_an_order_row_saying_it_awaits_validation(ws):
    drop(ws, "hotel", "cde.csv", f"N° commande;Code-barre;Quantité\nA-1;{COFFEE};2\n".encode())
    run(ws)
    ack = ack_of(ws, "hotel", ".csv").read_bytes().decode("utf-8-sig")
    header, order_row, line = list(csv.reader(io.StringIO(ack), delimiter=";"))
    assert order_row[8] == "Reçue — en attente de validation"
    assert "1 ligne(s) : 1 retenue(s), 0 refusée(s)" in order_row[10]
    assert order_row[11].startswith("Rien à faire")
    assert line[8] == "Reçue — en attente de validation"


def test_a_name_match_is_disclosed(ws):
    drop(
        ws,
        "hotel",
        "cde.csv",
        "N° commande;Désignation;Quantité\nA-1;strawberry jams 370g;2\n".encode(),
    )
    run(ws)
    [line] = only_order(ws)["lines"]
    assert (line["sku"], line["matched_by"]) == ("JAM-STR", "name")
    assert line["message"] == "interprété comme : Strawberry jam 370 g"


def test_a_wrong_check_digit_suggests_the_barcode_one_digit_away(ws):
    wrong = JAM_STRAWBERRY[:-1] + str((int(JAM_STRAWBERRY[-1]) + 1) % 10)
    drop(ws, "hotel", "cde.csv", f"N° commande;Code-barre;Quantité\nA-1;{wrong};2\n".encode())
    run(ws)
    [line] = only_order(ws)["lines"]
    assert line["hint"] == (
        f"Vérifiez le code-barre : vouliez-vous dire {JAM_STRAWBERRY} "
        "(JAM-STR Strawberry jam 370 g) ?"
    )


# --- one language, nothing internal, failures on our side -------------------------------------
#: Words of English sentences the gateway writes; product names in the test catalog hold none
ENGLISH = re.compile(
    r"\b(the|is|not|line|column|expected|found|received|awaiting|rejected|accepted|order)\b", re.I
)


def test_every_reply_to_a_french_partner_is_in_french(ws):
    drop(ws, "hotel", "cde.xlsx", hotel_form())
    drop(ws, "hotel", "typo.csv", f"N° commande;Code-barre;Qantité\nA-1;{COFFEE};2\n".encode())
    rows = f"N° commande;Code-barre;Désignation;Quantité\nB-1;{COFFEE[:-1]}0;;1\nB-1;;Plutonium;1\n"
    drop(ws, "hotel", "bad.csv", rows.encode())
    run(ws)
    texts = outbox_text(ws, "hotel")
    assert len(texts) == 3  # an XLSX ack, a CSV ack, an error notice
    for name, text in texts.items():
        english = ENGLISH.findall(text)
        assert not english, (name, english)


def test_a_missing_mapping_profile_goes_to_the_admin_and_the_partner_hears_we_are_on_it(ws):
    drop(ws, "nomap", "cde.csv", f"N° commande;Code-barre;Quantité\nA-1;{COFFEE};2\n".encode())
    [outcome] = run(ws)
    assert outcome.outcome == "failed"
    assert list(ws.outbox("nomap").glob("ERROR_*")) == []
    [notice] = ws.outbox("nomap").glob("RECEIVED_*.txt")
    assert notice.read_text("utf-8").startswith("Nous avons bien reçu votre fichier cde.csv.")
    [report] = ws.reports_dir("nomap").glob("FAILED_*.txt")
    assert "no-such-profile" in report.read_text("utf-8")
    assert (ws.failed_dir("nomap") / "cde.csv").exists()


def test_a_reader_crash_goes_to_the_admin_and_the_partner_hears_we_are_on_it(ws, caplog):
    drop(ws, "crashy", "cde.csv", f"N° commande;Code-barre;Quantité\nA-1;{COFFEE};2\n".encode())
    [outcome] = run(ws)
    assert outcome.outcome == "failed"
    assert "reader crashed" in caplog.text
    [notice] = ws.outbox("crashy").glob("RECEIVED_*.txt")
    assert "rien à faire pour l'instant" in notice.read_text("utf-8")
    [report] = ws.reports_dir("crashy").glob("FAILED_*.txt")
    assert "LookupError" in report.read_text("utf-8")


def test_nothing_internal_reaches_a_partner(ws):
    drop(ws, "nomap", "a.csv", f"N° commande;Code-barre;Quantité\nA-1;{COFFEE};2\n".encode())
    drop(ws, "crashy", "b.csv", f"N° commande;Code-barre;Quantité\nA-1;{COFFEE};2\n".encode())
    drop(ws, "hotel", "c.xlsx", hotel_form())
    drop(ws, "hotel", "d.csv", b"\x00\x01garbage" * 50)
    drop(ws, "shop", "e.csv", f"Client;Code-barre;Quantité\nC2;{COFFEE};1\n".encode())  # no grant
    drop(ws, "multi", "f.csv", f"Code-barre;Quantité\n{COFFEE};1\n".encode())  # no customer
    run(ws)
    partners = ["nomap", "crashy", "hotel", "shop", "multi"]
    internal = [str(ws.root), "Traceback", "Error", "Exception", "rot13", "no-such-profile"]
    for partner in partners:
        others = [p for p in ws.config.partners if p != partner]
        for name, text in outbox_text(ws, partner).items():
            for word in internal + [f"partner {p}" for p in others] + ["partenaire"]:
                assert word not in text, (partner, name, word)
            assert not re.search(r"\bC[12]\b", text), (partner, name)  # names, not our codes
