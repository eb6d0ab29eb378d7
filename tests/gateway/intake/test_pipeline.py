"""The path of one file, end to end, on SQLite and on a real PostgreSQL.

Each test drops real bytes in a partner's inbox, runs the pipeline once, and looks at
what a partner and an admin would see: orders, lines, replies, archive and failed/.
"""

from __future__ import annotations

import csv
import io
import itertools

import openpyxl
import pytest
from sqlalchemy import event

from gateway.daemon.passes import run_once
from gateway.orders.queries import get_order, list_orders
from gateway.workspace import Workspace
from tests.gateway.conftest import (
    CHEESE,
    COFFEE,
    COFFEE_CASE,
    OLD,
    SUGAR,
    TEA_UPC,
    WINE,
)


def order_csv(rows: list[list[str]], *, sep: str = ";", encoding: str = "utf-8") -> bytes:
    head = ["N° commande", "Code-barre", "Référence", "Désignation", "Quantité"]
    text = "\r\n".join(sep.join(r) for r in [head, *rows]) + "\r\n"
    return text.encode(encoding)


def run(ws: Workspace):  # noqa: ANN201
    return run_once(ws, settle=0)


def only_order(ws: Workspace) -> dict:
    orders = list_orders(ws)
    assert len(orders) == 1, orders
    return orders[0]


def lines_by_no(order: dict) -> dict[int, dict]:
    return {ln["line_no"]: ln for ln in order["lines"]}


# --- resolution paths ------------------------------------------------------------------------
def test_barcode_line_is_accepted_and_says_how_it_matched(workspace, drop):
    drop(workspace, "shop", "o.csv", order_csv([["PO-1", COFFEE, "", "", "3"]]))
    [outcome] = run(workspace)
    assert outcome.outcome == "processed"
    order = only_order(workspace)
    assert order["status"] == "pending_validation"
    assert (order["customer"], order["site"]) == ("C1", "S1")
    [line] = order["lines"]
    assert (line["sku"], line["quantity"], line["outcome"], line["matched_by"]) == (
        "COF-250",
        3,
        "accepted",
        "barcode",
    )


def test_case_barcode_multiplies_quantity_by_pack(workspace, drop):
    drop(workspace, "shop", "o.csv", order_csv([["PO-1", COFFEE_CASE, "", "", "2"]]))
    run(workspace)
    [line] = only_order(workspace)["lines"]
    assert (line["sku"], line["ordered_quantity"], line["quantity"]) == ("COF-250", 2, 24)


def test_upc_barcode_matches_its_ean13_form(workspace, drop):
    drop(workspace, "shop", "o.csv", order_csv([["PO-1", "0" + TEA_UPC, "", "", "1"]]))
    run(workspace)
    [line] = only_order(workspace)["lines"]
    assert (line["sku"], line["matched_by"]) == ("TEA-GRN", "barcode")


def test_supplier_reference_customer_reference_and_names_resolve(workspace, drop):
    rows = [
        ["PO-1", "", "sug-1k", "", "10"],  # our SKU, any case
        ["PO-1", "", "MY-0042", "", "1"],  # the customer's own code in the reference column
        ["PO-1", "", "", "Green tea sencha 100g", "2"],  # exact after normalisation
        ["PO-1", "", "", "Grnd cofee arabica 250", "1"],  # fuzzy, clearly ahead
    ]
    drop(workspace, "shop", "o.csv", order_csv(rows))
    run(workspace)
    lines = lines_by_no(only_order(workspace))
    assert (lines[1]["sku"], lines[1]["matched_by"]) == ("SUG-1K", "sku")
    assert (lines[2]["sku"], lines[2]["matched_by"]) == ("JAM-STR", "customer_ref")
    assert (lines[3]["sku"], lines[3]["matched_by"]) == ("TEA-GRN", "name")
    assert (lines[4]["sku"], lines[4]["matched_by"]) == ("COF-250", "name")
    assert lines[4]["confidence"] < 1


# --- rejections ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("row", "code", "words"),
    [
        (["PO-1", "4006381333932", "", "", "1"], "invalid_barcode", "check digit"),
        (["PO-1", "4000000000006", "", "", "1"], "unknown_barcode", "4000000000006"),
        (["PO-1", "", "NOPE-1", "", "1"], "unknown_sku", "NOPE-1"),
        (["PO-1", "", "", "jam 370 g", "1"], "ambiguous_name", "Strawberry jam"),
        (["PO-1", "", "", "Green tea Sencha 250 g", "1"], "unknown_product", "nearest products"),
        (["PO-1", OLD, "", "", "1"], "product_inactive", "OLD-1"),
        (["PO-1", COFFEE, "", "", "0"], "non_positive_quantity", "greater than zero"),
        (["PO-1", COFFEE, "", "", "1,5"], "fractional_quantity", "whole number"),
        (["PO-1", SUGAR, "", "", "15"], "not_a_multiple", "multiple of 10"),
        (["PO-1", COFFEE, "", "", "lots"], "invalid_quantity", "lots"),
        (["PO-1", COFFEE, "", "", ""], "missing_quantity", ""),
        (["PO-1", COFFEE, "TEA-GRN", "", "1"], "identifier_conflict", "TEA-GRN"),
        (["PO-1", "", "", "", "4"], "missing_product_id", ""),
    ],
)
def test_each_rejection_reason_names_line_value_and_expectation(workspace, drop, row, code, words):
    drop(workspace, "shop", "o.csv", order_csv([["PO-1", CHEESE, "", "", "1"], row]))
    run(workspace)
    order = only_order(workspace)
    bad = lines_by_no(order)[2]
    assert bad["outcome"] == "rejected"
    assert bad["reason_code"] == code
    assert "line 3" in bad["message"]  # the file line: header is line 1
    assert words in bad["message"]
    assert order["status"] == "pending_validation"  # line 1 is still usable


def test_unknown_name_lists_three_nearest_products(workspace, drop):
    drop(workspace, "shop", "o.csv", order_csv([["PO-1", "", "", "jam", "1"]]))
    run(workspace)
    [line] = only_order(workspace)["lines"]
    assert line["outcome"] == "rejected"
    assert any("Strawberry jam" in s for s in line["suggestions"])
    assert len(line["suggestions"]) <= 3


def test_product_outside_customer_assortment_is_refused(workspace, drop):
    # hotel orders for C2, whose assortment holds coffee, tea and strawberry jam only
    rows = [["PO-7", COFFEE, "", "", "1"], ["PO-7", WINE, "", "", "6"]]
    drop(workspace, "hotel", "o.csv", order_csv(rows))
    run(workspace)
    lines = lines_by_no(only_order(workspace))
    assert lines[1]["outcome"] == "accepted"
    assert lines[2]["reason_code"] == "not_in_assortment"
    assert "n'est pas disponible pour Hotel Belle Vue" in lines[2]["message"]  # not "C2"
    assert "Hotel Belle Vue" in lines[2]["hint"]


def test_round_up_policy_adjusts_quantity_and_says_so(workspace, drop):
    drop(workspace, "rounder", "o.csv", order_csv([["PO-1", SUGAR, "", "", "15"]]))
    run(workspace)
    order = only_order(workspace)
    [line] = order["lines"]
    assert (line["outcome"], line["quantity"], line["confirmed_quantity"]) == ("adjusted", 15, 20)
    assert line["reason_code"] == "rounded_to_multiple"
    assert order["status"] == "validated"  # rounder is auto-validate


def test_order_with_no_usable_line_is_rejected(workspace, drop):
    drop(workspace, "shop", "o.csv", order_csv([["PO-1", "4000000000006", "", "", "1"]]))
    run(workspace)
    order = only_order(workspace)
    assert order["status"] == "rejected"
    assert order["reason_code"] == "no_usable_line"


# --- who orders for whom ------------------------------------------------------------------------
def test_partner_without_grant_for_customer_is_refused(workspace, drop):
    data = f"Client;Code-barre;Quantité\nC2;{COFFEE};1\n".encode()
    drop(workspace, "shop", "o.csv", data)
    run(workspace)
    order = only_order(workspace)
    assert order["status"] == "rejected"
    assert order["reason_code"] == "not_granted"
    assert "Hotel Belle Vue" in order["reason"]  # the customer's name, not its code
    assert "shop" not in order["reason"] and "C2" not in order["reason"]


def test_partner_with_several_grants_must_name_the_customer(workspace, drop):
    drop(workspace, "multi", "o.csv", order_csv([["PO-1", COFFEE, "", "", "1"]]))
    run(workspace)
    assert only_order(workspace)["reason_code"] == "no_customer"


def test_customer_named_by_gln_and_site_by_default(workspace, drop):
    data = f"Client;Code-barre;Quantité\n3098765000028;{COFFEE};1\n".encode()
    drop(workspace, "hotel", "o.csv", data)
    run(workspace)
    order = only_order(workspace)
    assert (order["customer"], order["site"], order["status"]) == ("C2", "S1", "pending_validation")


def test_unknown_customer_is_refused_with_its_value(workspace, drop):
    drop(workspace, "multi", "o.csv", f"Client;Code-barre;Quantité\nZZ9;{COFFEE};1\n".encode())
    run(workspace)
    order = only_order(workspace)
    assert order["reason_code"] == "unknown_customer"
    assert "ZZ9" in order["reason"]


# --- duplicates and many orders ---------------------------------------------------------------
def test_same_bytes_twice_are_not_processed_again(workspace, drop):
    data = order_csv([["PO-1", COFFEE, "", "", "1"]])
    drop(workspace, "shop", "a.csv", data)
    run(workspace)
    drop(workspace, "shop", "b.csv", data)
    [outcome] = run(workspace)
    assert outcome.outcome == "duplicate"
    assert len(list_orders(workspace)) == 1
    reason = (workspace.failed_dir("shop") / "b.csv.reason.txt").read_text()
    assert "a.csv" in reason and "duplicate" in reason


def test_same_order_number_again_is_refused_as_duplicate_in_the_customers_words(workspace, drop):
    drop(workspace, "strict", "a.csv", order_csv([["PO-1", COFFEE, "", "", "1"]]))
    drop(workspace, "strict", "b.csv", order_csv([["PO-1", COFFEE, "", "", "2"]]))
    run(workspace)
    first, second = sorted(list_orders(workspace), key=lambda o: o["id"])
    assert first["status"] == "pending_validation"
    assert second["status"] == "rejected"
    assert second["reason_code"] == "duplicate_order"
    # the customer's number and the date; never the gateway's own order id
    assert "'PO-1' was already received on" in second["reason"]
    assert "#" not in second["reason"] and "n°" not in second["reason"]


def test_same_order_number_again_amends_a_spreadsheet_order_by_default(workspace, drop):
    drop(workspace, "shop", "a.csv", order_csv([["PO-1", COFFEE, "", "", "1"]]))
    drop(workspace, "shop", "b.csv", order_csv([["PO-1", COFFEE, "", "", "2"]]))
    run(workspace)
    [order] = list_orders(workspace)
    assert order["status"] == "pending_validation"
    assert [(ln["line_no"], ln["ordered_quantity"]) for ln in order["lines"]] == [(1, 2)]


def test_a_file_with_several_order_numbers_gives_several_orders(workspace, drop):
    rows = [
        ["A-1", COFFEE, "", "", "1"],
        ["A-2", TEA_UPC, "", "", "2"],
        ["A-1", CHEESE, "", "", "1"],
    ]
    drop(workspace, "shop", "o.csv", order_csv(rows))
    [outcome] = run(workspace)
    assert [o.order_number for o in outcome.orders] == ["A-1", "A-2"]
    orders = {o["order_number"]: o for o in list_orders(workspace)}
    assert len(orders["A-1"]["lines"]) == 2 and len(orders["A-2"]["lines"]) == 1


# --- replies and files ---
def test_csv_ack_comes_back_in_senders_dialect_once(workspace, drop):
    rows = [["PO-1", COFFEE, "", "Café", "2"], ["PO-1", "4000000000006", "", "Thé", "1"]]
    drop(workspace, "shop", "commande.csv", order_csv(rows, encoding="cp1252"))
    run(workspace)
    acks = list(workspace.outbox("shop").glob("ACK_*.csv"))
    assert len(acks) == 1
    text = acks[0].read_bytes().decode("cp1252")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(table) == 4  # the header, the order's row, its two lines
    assert "Café" in text and "unknown_barcode" in text


def test_original_is_archived_by_date_and_nothing_left_in_inbox(workspace, drop):
    drop(workspace, "shop", "o.csv", order_csv([["PO-1", COFFEE, "", "", "1"]]))
    [outcome] = run(workspace)
    assert outcome.moved_to is not None and outcome.moved_to.exists()
    rel = outcome.moved_to.relative_to(workspace.root / "archive" / "shop")
    assert len(rel.parts) == 4  # YYYY/MM/DD/name
    assert [p for p in workspace.inbox("shop").iterdir() if p.is_file()] == []
    assert list(workspace.processing("shop").iterdir()) == []


def test_rejection_report_for_admins_lists_rejected_lines(workspace, drop):
    rows = [["PO-1", COFFEE, "", "", "1"], ["PO-1", "", "NOPE-1", "", "1"]]
    drop(workspace, "shop", "o.csv", order_csv(rows))
    run(workspace)
    [report] = workspace.reports_dir("shop").glob("REJECTED_*.xlsx")
    sheet = openpyxl.load_workbook(report).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = " ".join(str(v) for row in values for v in row if v is not None)
    assert "NOPE-1" in flat and "unknown_sku" in flat
    assert "COF-250" not in flat


def test_xlsx_order_gets_xlsx_ack_with_rejections_highlighted(workspace, drop):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["EAN", "Désignation", "Qté"])
    ws.append([int(COFFEE), "Café", 2])
    ws.append([4000000000006, "Inconnu", 1])
    buf = io.BytesIO()
    wb.save(buf)
    drop(workspace, "shop", "commande.xlsx", buf.getvalue())
    run(workspace)
    [ack] = workspace.outbox("shop").glob("ACK_*.xlsx")
    book = openpyxl.load_workbook(ack)
    text = " ".join(
        str(c.value) for sh in book.worksheets for row in sh.iter_rows() for c in row if c.value
    )
    assert "4000000000006" in text and "unknown_barcode" in text
    fills = {
        c.fill.fgColor.rgb
        for sh in book.worksheets
        for row in sh.iter_rows()
        for c in row
        if c.value == "unknown_barcode"
    }
    assert fills and fills != {"00000000"}


def test_formulas_in_order_text_are_neutralised_in_replies(workspace, drop):
    evil = '=HYPERLINK("http://x.test","click")'
    drop(workspace, "shop", "o.csv", order_csv([["PO-1", "", "", evil, "1"]], sep=","))
    run(workspace)
    [ack] = workspace.outbox("shop").glob("ACK_*.csv")
    for row in csv.reader(io.StringIO(ack.read_text(encoding="utf-8-sig"))):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    [report] = workspace.reports_dir("shop").glob("REJECTED_*.xlsx")
    for row in openpyxl.load_workbook(report).active.iter_rows():
        for c in row:
            assert c.data_type != "f", c.value


def test_lines_are_resolved_in_the_files_transaction_on_postgresql_only(workspace, drop):
    # PostgreSQL takes no lock for reading: one transaction a file. SQLite's write
    # transaction holds the one write lock from its BEGIN: the catalog is read before.
    transactions, seen = itertools.count(1), {}
    current = [0]

    def began(_conn) -> None:  # noqa: ANN001
        current[0] = next(transactions)

    def statement(_conn, _cursor, text: str, *_args) -> None:  # noqa: ANN001, ANN002
        for what, marker in (
            ("resolve", "SELECT barcodes.gtin14"),
            ("store", "INSERT INTO orders"),
        ):
            if marker in text:
                seen.setdefault(what, current[0])

    drop(workspace, "shop", "o.csv", order_csv([["PO-1", COFFEE, "", "", "1"]]))
    event.listen(workspace.engine, "begin", began)
    event.listen(workspace.engine, "before_cursor_execute", statement)
    try:
        [outcome] = run(workspace)
    finally:
        event.remove(workspace.engine, "begin", began)
        event.remove(workspace.engine, "before_cursor_execute", statement)
    assert outcome.orders and set(seen) == {"resolve", "store"}
    one = workspace.engine.dialect.name == "postgresql"
    assert (seen["resolve"] == seen["store"]) is one


# --- bad files ---
def _truncated_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["EAN", "Qté"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()[:300]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("garbage.csv", bytes(range(256)) * 20, ""),
        ("empty.csv", b"", "empty"),
        ("truncated.xlsx", _truncated_xlsx(), ""),
        ("header-only.csv", "Code-barre;Quantité\r\n".encode(), ""),
    ],
    # Named by the file: the bytes would make ids thousands of characters long, and a
    # workbook's zip timestamps would make them differ between pytest-xdist's workers.
    ids=["garbage", "empty", "truncated-xlsx", "header-only"],
)
def test_unreadable_file_goes_to_failed_with_reason_and_next_file_still_processed(
    workspace, drop, name, data, words
):
    drop(workspace, "shop", name, data)
    drop(workspace, "shop", "zz-good.csv", order_csv([["PO-9", COFFEE, "", "", "1"]]))
    outcomes = {o.name: o for o in run(workspace)}
    assert outcomes[name].outcome == "failed"
    assert (workspace.failed_dir("shop") / name).exists()
    reason = (workspace.failed_dir("shop") / f"{name}.reason.txt").read_text()
    assert words in reason.lower()
    assert "Traceback" not in reason
    assert outcomes["zz-good.csv"].outcome == "processed"
    assert [o["order_number"] for o in list_orders(workspace)] == ["PO-9"]
    errors = list(workspace.outbox("shop").glob("ERROR_*.txt"))
    assert len(errors) == 1


def test_get_order_shows_history_events(workspace, drop):
    drop(workspace, "shop", "o.csv", order_csv([["PO-1", COFFEE, "", "", "1"]]))
    run(workspace)
    order = get_order(workspace, only_order(workspace)["id"])
    assert [e["to_status"] for e in order["events"]] == ["received", "pending_validation"]
    assert order["events"][0]["actor"] == "partner:shop"


# --- crash recovery ------------------------------------------------------------------------------
def test_committed_file_left_in_processing_is_finished_not_redone(workspace, drop, monkeypatch):
    import gateway.replies.outbox as outbox

    drop(workspace, "shop", "o.csv", order_csv([["PO-1", COFFEE, "", "", "1"]]))

    def crash(*_a, **_k):
        raise SystemExit("killed after commit")

    monkeypatch.setattr(outbox, "dispatch_committed", crash)
    with pytest.raises(SystemExit):
        run(workspace)
    monkeypatch.undo()
    assert list(workspace.processing("shop").iterdir())  # claimed, committed, not finished
    assert list(workspace.outbox("shop").iterdir()) == []
    [outcome] = run(workspace)
    assert outcome.outcome == "recovered"
    assert len(list_orders(workspace)) == 1
    assert len(list(workspace.outbox("shop").glob("ACK_*"))) == 1
    assert list(workspace.processing("shop").iterdir()) == []


def test_absurd_quantity_is_rejected_and_the_file_still_stored(workspace, drop):
    rows = [["PO-1", COFFEE, "", "", "99999999999999999999999"], ["PO-1", CHEESE, "", "", "1"]]
    drop(workspace, "shop", "o.csv", order_csv(rows))
    [outcome] = run(workspace)
    assert outcome.outcome == "processed"
    lines = lines_by_no(only_order(workspace))
    assert lines[1]["reason_code"] == "invalid_value" and "too large" in lines[1]["message"]
    assert lines[2]["outcome"] == "accepted"


def test_french_partner_reads_barcode_problems_in_french(workspace, drop):
    drop(workspace, "hotel", "o.csv", order_csv([["PO-FR", "4006381333932", "", "", "1"]]))
    run(workspace)
    [line] = only_order(workspace)["lines"]
    assert "chiffre de contrôle devrait être 1, pas 2" in line["message"]
