"""The rest of the admin's loop: the same bytes again, follow-up files, learned
cross-references, the views of files and rejections, and reply deadlines."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from gateway.admin.files import list_files, show_file
from gateway.admin.rejections import NotFixable, fix_rejection, list_rejections
from gateway.admin.xrefs import add_xref, learned_references
from gateway.catalog.importer import Kind
from gateway.daemon.passes import process_external
from gateway.errors import NotFound
from gateway.orders.deadlines import log_newly_overdue, overdue_counts
from gateway.orders.queries import get_order, list_orders
from gateway.orders.transitions import move_orders
from gateway.rules.lifecycle import OrderStatus
from gateway.rules.xrefs import XrefKind, XrefScope
from gateway.store.models import Order
from gateway.workspace import Workspace
from tests.gateway.admin.support import LOOP_CONFIG, drop_file, import_rows, outbox
from tests.gateway.conftest import (
    COFFEE,
    JAM_APRICOT,
    JAM_STRAWBERRY,
    TEA_UPC,
    build_workspace,
    ean,
)
from tests.gateway.lifecycle_support import csv_order, read_csv

ADMIN = "admin:marie"
UNKNOWN = ean("301234599990")  # a valid barcode the catalog does not have
DEADLINES = LOOP_CONFIG.replace(
    '[partners.hotel]\nname = "Hotel Belle Vue"',
    '[partners.hotel]\nname = "Hotel Belle Vue"\nresponse_deadline = "24h"',
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ws(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    ws = build_workspace(tmp_path / "ws", database=url, config=DEADLINES)
    yield ws
    ws.close()


def send(ws: Workspace, partner: str, name: str, data: bytes):  # noqa: ANN201
    return process_external(ws, partner, drop_file(ws, partner, name, data))


def refs_csv(number: str, lines: list[tuple[str, int]]) -> bytes:
    rows = ["N° commande;Réf. client;Quantité", *(f"{number};{ref};{q}" for ref, q in lines)]
    return ("\n".join(rows) + "\n").encode("utf-8")


# --- the same bytes again ---------------------------------------------------------------
def test_bytes_that_failed_may_be_dropped_again_and_are_processed_linked(ws: Workspace) -> None:
    data = csv_order("TY-1", [(COFFEE, 2)])
    first = send(ws, "typo", "t.csv", data)
    assert first.outcome == "failed"
    ws.mappings_dir.mkdir(exist_ok=True)
    (ws.mappings_dir / "excel-frr.toml").write_text("[spreadsheet]\n", encoding="utf-8")
    again = send(ws, "typo", "t.csv", data)
    assert again.outcome == "processed" and len(again.orders) == 1
    shown = show_file(ws, again.inbound_id or 0)
    assert shown["attempt_of"] == first.inbound_id
    assert [(a["id"], a["outcome"]) for a in shown["chain"]] == [
        (first.inbound_id, "failed"), (again.inbound_id, "processed"),
    ]  # fmt: skip


def test_bytes_that_made_orders_stay_a_duplicate_and_the_partner_is_told_which(
    ws: Workspace,
) -> None:
    data = csv_order("D-1", [(COFFEE, 2)])
    first = send(ws, "shop", "order.csv", data)
    second = send(ws, "shop", "order (copy).csv", data)
    assert second.outcome == "duplicate" and len(list_orders(ws)) == 1
    [notice] = [n for n in outbox(ws, "shop") if n.startswith("DUPLICATE_")]
    text = (ws.outbox("shop") / notice).read_text(encoding="utf-8")
    assert "order (copy).csv" in text and "order.csv" in text and "1 order(s)" in text
    dup = show_file(ws, second.inbound_id or 0)
    assert dup["duplicate_of"] == first.inbound_id and dup["outcome"] == "duplicate"
    assert [r["kind"] for r in dup["replies"]] == ["duplicate_notice"]


# --- follow-up files ------------------------------------------------------------------------
def test_a_follow_up_with_the_same_number_amends_the_pending_order(ws: Workspace) -> None:
    first = send(
        ws, "hotel", "v1.csv", csv_order("HB-1", [(COFFEE, 2), (TEA_UPC, 1), (JAM_APRICOT, 3)])
    )
    [order] = first.orders
    # the customer sends only the two corrected lines
    second = send(ws, "hotel", "v2.csv", csv_order("HB-1", [(COFFEE, 6), (JAM_STRAWBERRY, 3)]))
    assert [o.id for o in second.orders] == [order.id]
    amended = get_order(ws, order.id)
    assert amended is not None and amended["status"] == "pending_validation"
    lines = {ln["line_no"]: ln for ln in amended["lines"]}
    assert (lines[1]["sku"], lines[1]["ordered_quantity"]) == ("COF-250", 6)
    assert (lines[2]["sku"], lines[2]["ordered_quantity"]) == ("TEA-GRN", 1)  # untouched
    assert lines[3]["outcome"] == "rejected"  # not mentioned again: stays as it was
    assert (lines[4]["sku"], lines[4]["outcome"]) == ("JAM-STR", "accepted")  # added
    assert [e["kind"] for e in amended["events"]][-1] == "amended"
    [ack] = [n for n in outbox(ws, "hotel") if n.startswith("ACK_v2")]
    rows = [r for r in read_csv(ws.outbox("hotel") / ack) if r["N° ligne"]]
    assert len(rows) == 4  # the reply lists the whole order
    messages = [r["Message"] for r in rows]
    assert "quantité 2 → 6 (v2.csv)" in messages and "ligne ajoutée par v2.csv" in messages


def test_a_refused_line_now_readable_is_revived_by_a_follow_up(ws: Workspace) -> None:
    first = send(ws, "hotel", "v1.csv", csv_order("HB-2", [(COFFEE, 2), (UNKNOWN, 1)]))
    [order] = first.orders
    send(ws, "hotel", "v2.csv", csv_order("HB-2", [(COFFEE, 2), (TEA_UPC, 1)]))
    amended = get_order(ws, order.id)
    assert amended is not None
    assert [ln["outcome"] for ln in amended["lines"]] == ["accepted", "rejected", "accepted"]


def test_a_follow_up_after_validation_is_refused_in_the_customers_words(ws: Workspace) -> None:
    first = send(ws, "hotel", "v1.csv", csv_order("HB-3", [(COFFEE, 2)]))
    move_orders(ws, [first.orders[0].id], OrderStatus.VALIDATED, actor=ADMIN)
    second = send(ws, "hotel", "v2.csv", csv_order("HB-3", [(COFFEE, 6)]))
    [refused] = second.orders
    assert refused.id != first.orders[0].id and refused.status == "rejected"
    order = get_order(ws, refused.id)
    assert order is not None
    assert "'HB-3' a déjà été reçue le" in order["reason"] and "(validée)" in order["reason"]
    assert "ne peut plus être modifiée" in order["reason"] and "#" not in order["reason"]


def test_two_partners_sharing_a_customer_keep_their_own_order_numbers(ws: Workspace) -> None:
    a = send(ws, "shop", "a.csv", csv_order("SAME-1", [(COFFEE, 1)]))
    b = send(ws, "multi", "b.csv", csv_order("SAME-1", [(COFFEE, 2)], customer="C1"))
    assert a.orders[0].status == b.orders[0].status == "pending_validation"
    assert a.orders[0].id != b.orders[0].id


# --- learned cross-references ----------------------------------------------------------------
def test_rejections_fix_learns_a_customer_reference_that_the_next_file_matches(
    ws: Workspace,
) -> None:
    first = send(ws, "hotel", "r1.csv", refs_csv("HB-4", [("HOTEL-77", 2)]))
    [group] = list_rejections(ws, partner="hotel")
    assert group["reason_code"] == "unknown_customer_ref"
    [rejected] = group["lines"]
    assert "rejections fix" in rejected["fix"]["commands"][0]
    report = fix_rejection(ws, rejected["line_id"], sku="TEA-GRN", actor=ADMIN, replay=True)
    assert (report.xref.kind, report.xref.scope, report.xref.owner) == (
        "reference",
        "customer",
        "C2",
    )
    assert report.replay is not None and report.replay.result.value == "changed"
    revived = get_order(ws, first.orders[0].id)
    assert revived is not None and revived["lines"][0]["matched_by"] == "learned"
    # the next file with that code matches without the admin
    second = send(ws, "hotel", "r2.csv", refs_csv("HB-5", [("hotel-77", 1)]))
    line = get_order(ws, second.orders[0].id)["lines"][0]  # type: ignore[index]
    assert (line["sku"], line["matched_by"], line["outcome"]) == ("TEA-GRN", "learned", "accepted")
    assert [x.created_by for x in learned_references(ws)] == [ADMIN]


def test_a_learned_reference_never_beats_a_barcode_that_resolves(ws: Workspace) -> None:
    add_xref(
        ws,
        kind=XrefKind.BARCODE,
        written=COFFEE,
        sku="TEA-GRN",
        scope=XrefScope.EVERYONE,
        owner="",
        actor=ADMIN,
    )
    out = send(ws, "shop", "b.csv", csv_order("BC-1", [(COFFEE, 1)]))
    line = get_order(ws, out.orders[0].id)["lines"][0]  # type: ignore[index]
    assert (line["sku"], line["matched_by"]) == ("COF-250", "barcode")


def test_a_learned_reference_to_an_inactive_product_says_it_is_no_longer_sold(
    ws: Workspace,
) -> None:
    add_xref(
        ws,
        kind=XrefKind.REFERENCE,
        written="OLD-ONE",
        sku="OLD-1",
        scope=XrefScope.PARTNER,
        owner="hotel",
        actor=ADMIN,
    )
    out = send(ws, "hotel", "i.csv", refs_csv("HB-6", [("OLD-ONE", 1)]))
    line = get_order(ws, out.orders[0].id)["lines"][0]  # type: ignore[index]
    assert (line["matched_by"], line["reason_code"]) == ("learned", "product_inactive")


def test_the_customers_own_mapping_wins_over_everyones(ws: Workspace) -> None:
    add_xref(
        ws,
        kind=XrefKind.REFERENCE,
        written="X-1",
        sku="TEA-GRN",
        scope=XrefScope.EVERYONE,
        owner="",
        actor=ADMIN,
    )
    add_xref(
        ws,
        kind=XrefKind.REFERENCE,
        written="X-1",
        sku="COF-250",
        scope=XrefScope.CUSTOMER,
        owner="C2",
        actor=ADMIN,
    )
    out = send(ws, "hotel", "s.csv", refs_csv("HB-7", [("X-1", 1)]))
    assert get_order(ws, out.orders[0].id)["lines"][0]["sku"] == "COF-250"  # type: ignore[index]


def test_a_rejection_a_cross_reference_does_not_fix_is_refused_with_the_fix(ws: Workspace) -> None:
    send(ws, "hotel", "a.csv", csv_order("HB-8", [(JAM_APRICOT, 3)]))
    [group] = list_rejections(ws, reason="not_in_assortment")
    [line] = group["lines"]
    assert (
        "C2;JAM-APR" in line["fix"]["text"] and "import assortments" in line["fix"]["commands"][0]
    )
    with pytest.raises(NotFixable, match="assortment"):
        fix_rejection(ws, line["line_id"], sku="JAM-APR", actor=ADMIN)


def test_rejections_list_groups_by_reason_and_refuses_unknown_reasons(ws: Workspace) -> None:
    send(
        ws,
        "hotel",
        "a.csv",
        csv_order("HB-9", [(JAM_APRICOT, 3), (UNKNOWN, 1), (COFFEE, 1)]),
    )
    groups = list_rejections(ws)
    assert sorted(g["reason_code"] for g in groups) == ["not_in_assortment", "unknown_barcode"]
    import_rows(ws, Kind.ASSORTMENTS, ["customer;sku", "C2;JAM-APR"])
    with pytest.raises(NotFound, match="unknown reason 'nope'"):
        list_rejections(ws, reason="nope")


# --- views --------------------------------------------------------------------------------------
def test_files_list_shows_failed_and_duplicate_files_only_when_asked(ws: Workspace) -> None:
    ok = send(ws, "shop", "ok.csv", csv_order("F-1", [(COFFEE, 1)]))
    send(ws, "shop", "ok again.csv", csv_order("F-1", [(COFFEE, 1)]))
    bad = send(ws, "typo", "bad.csv", csv_order("F-2", [(COFFEE, 1)]))
    assert [f["id"] for f in list_files(ws, failed=True)] == [bad.inbound_id]
    assert [f["duplicate_of"] for f in list_files(ws, duplicates=True)] == [ok.inbound_id]
    assert {f["name"] for f in list_files(ws, partner="shop")} == {"ok.csv", "ok again.csv"}
    with pytest.raises(NotFound, match="unknown partner 'nobody'"):
        list_files(ws, partner="nobody")


def test_files_show_lists_the_replies_and_where_the_original_is(ws: Workspace) -> None:
    out = send(ws, "shop", "o.csv", csv_order("F-3", [(COFFEE, 1)]))
    shown = show_file(ws, out.inbound_id or 0)
    assert shown["original_present"] and shown["original"].endswith("o.csv")
    assert [r["kind"] for r in shown["replies"]] == ["ack"]
    assert [o["order_number"] for o in shown["orders_made"]] == ["F-3"]


def test_orders_list_filters_by_the_customers_number_and_refuses_an_unknown_status(
    ws: Workspace,
) -> None:
    send(ws, "shop", "a.csv", csv_order("N-1", [(COFFEE, 1)]))
    send(ws, "shop", "b.csv", csv_order("N-2", [(COFFEE, 1)]))
    assert [o["order_number"] for o in list_orders(ws, number="N-2")] == ["N-2"]
    with pytest.raises(NotFound, match="pending_validation"):
        list_orders(ws, status="pending")


# --- reply deadlines --------------------------------------------------------------------------
def test_an_order_past_its_deadline_is_overdue_and_warned_about_once(
    ws: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    late = send(ws, "hotel", "late.csv", csv_order("L-1", [(COFFEE, 1)])).orders[0].id
    send(ws, "hotel", "fresh.csv", csv_order("L-2", [(COFFEE, 1)]))
    send(ws, "shop", "nodeadline.csv", csv_order("L-3", [(COFFEE, 1)]))
    with ws.sessions.begin() as s:
        s.execute(
            update(Order)
            .where(Order.id == late)
            .values(due_at=datetime.now(UTC) - timedelta(hours=1))
        )
    assert [o["id"] for o in list_orders(ws, overdue=True)] == [late]
    assert overdue_counts(ws) == {"hotel": 1}
    with caplog.at_level(logging.WARNING, logger="gateway.orders.deadlines"):
        assert log_newly_overdue(ws) == [late]
        assert log_newly_overdue(ws) == []
    assert [r.getMessage() for r in caplog.records if "overdue" in r.getMessage()][0].startswith(
        "order overdue partner=hotel"
    )
    move_orders(ws, [late], OrderStatus.VALIDATED, actor=ADMIN)
    assert list_orders(ws, overdue=True) == []
