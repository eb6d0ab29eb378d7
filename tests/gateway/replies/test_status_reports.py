"""What a partner receives at each change: one file per change, in its own format."""

from __future__ import annotations

from decimal import Decimal

from gateway.orders.transitions import move_orders
from gateway.replies.dispatch import dispatch_pending
from gateway.rules.lifecycle import OrderStatus
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE, JAM_STRAWBERRY, TEA_UPC
from tests.gateway.lifecycle_support import (  # noqa: F401 — fixtures
    csv_order,
    edifact_order,
    intake,
    lifecycle_ws_fixture,
    message_kinds,
    outbox_files,
    read_csv,
    read_xlsx,
    sqlite_lifecycle_ws_fixture,
    x12_order,
    xlsx_order,
)

S = OrderStatus
PATH = [S.VALIDATED, S.IN_PREPARATION, S.SHIPPED, S.DELIVERED]


def test_a_csv_partner_gets_one_status_file_per_change_with_its_quantities(
    lifecycle_ws: Workspace,
) -> None:
    ws = lifecycle_ws
    oid = intake(ws, "shop", "po.csv", csv_order("PO-7", [(COFFEE, 5), (JAM_STRAWBERRY, 2)]))
    for status in PATH:
        lines = {1: Decimal(4)} if status is S.SHIPPED else None
        move_orders(ws, [oid], status, actor="admin:a", lines=lines)
        files = outbox_files(ws, "shop", "STATUS_")
        assert len(files) == PATH.index(status) + 1  # exactly one new file per change
        rows = read_csv(files[-1]) if len(files) == 1 else read_csv(_newest(files))
        assert {r["Status code"] for r in rows} == {status.value}
        assert [r["Order number"] for r in rows] == ["PO-7", "PO-7"]
    shipped = read_csv(_newest(outbox_files(ws, "shop", "STATUS_")))
    assert [(r["Ordered qty"], r["Confirmed qty"], r["Shipped qty"]) for r in shipped] == [
        ("5", "5", "4"),
        ("2", "2", "2"),
    ]
    assert shipped[0]["Status"] == "Delivered"


def _newest(files: list) -> object:
    # STATUS_<number>_<order>_<event>: the event id orders the changes
    return max(files, key=lambda p: int(p.stem.rsplit("_", 1)[1]))


def test_an_xlsx_partner_gets_xlsx_status_reports_in_french(lifecycle_ws: Workspace) -> None:
    ws = lifecycle_ws
    oid = intake(ws, "hotel", "cde.xlsx", xlsx_order("H-1", [(COFFEE, 3), (TEA_UPC, 1)]))
    move_orders(ws, [oid], S.VALIDATED, actor="admin:a")
    move_orders(
        ws, [oid], S.CANCELLED, actor="admin:a", reason="rupture fournisseur", tell_partner=True
    )
    files = outbox_files(ws, "hotel", "STATUS_")
    assert [p.suffix for p in files] == [".xlsx", ".xlsx"]
    rows = read_xlsx(_newest(files))
    assert {r["Statut"] for r in rows} == {"Annulée"}
    assert {r["Motif"] for r in rows} == {"rupture fournisseur"}
    assert [r["Qté commandée"] for r in rows] == [3, 1]


def test_a_report_is_written_once_even_when_the_dispatcher_runs_again(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    oid = intake(ws, "shop", "po.csv", csv_order("PO-8", [(COFFEE, 1)]))
    move_orders(ws, [oid], S.VALIDATED, actor="admin:a")
    assert dispatch_pending(ws.sessions) == []
    assert len(outbox_files(ws, "shop", "STATUS_")) == 1


def test_a_refused_transition_sends_nothing(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    oid = intake(ws, "shop", "po.csv", csv_order("PO-9", [(COFFEE, 1)]))
    move_orders(ws, [oid], S.DELIVERED, actor="admin:a")
    assert outbox_files(ws, "shop", "STATUS_") == []


def test_an_edifact_partner_gets_an_ordrsp_on_validation(lifecycle_ws: Workspace) -> None:
    ws = lifecycle_ws
    oid = intake(ws, "edi", "orders.edi", edifact_order("E-1", COFFEE, 3))
    before = outbox_files(ws, "edi", "ORDRSP_")
    move_orders(ws, [oid], S.VALIDATED, actor="admin:a")
    new = [p for p in outbox_files(ws, "edi", "ORDRSP_") if p not in before]
    assert len(new) == 1
    text = new[0].read_text("latin-1")
    assert "RFF+ON:E-1'" in text
    assert "BGM+231+" in text and "+29'" in text  # accepted without amendment
    assert message_kinds(ws, oid)[-1] == "ordrsp"


def test_an_edifact_partner_gets_no_ordrsp_for_preparation(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    oid = intake(ws, "edi", "orders.edi", edifact_order("E-2", COFFEE, 3))
    move_orders(ws, [oid], S.VALIDATED, actor="admin:a")
    count = len(outbox_files(ws, "edi", "ORDRSP_"))
    move_orders(ws, [oid], S.IN_PREPARATION, actor="admin:a")
    assert len(outbox_files(ws, "edi", "ORDRSP_")) == count


def test_an_x12_partner_gets_an_855_on_validation_and_on_rejection(
    lifecycle_ws: Workspace,
) -> None:
    ws = lifecycle_ws
    first = intake(ws, "x12buyer", "po1.x12", x12_order("X-1", COFFEE, 3))
    second = intake(ws, "x12buyer", "po2.x12", x12_order("X-2", COFFEE, 4))
    move_orders(ws, [first], S.VALIDATED, actor="admin:a")
    move_orders(ws, [second], S.REJECTED, actor="admin:a", reason="no stock")
    assert message_kinds(ws, first)[-1] == "855"
    assert message_kinds(ws, second)[-1] == "855"
    texts = {p.read_text("ascii") for p in outbox_files(ws, "x12buyer", "855_")}
    assert any("BAK*00*AD*X-1*" in t for t in texts)  # acknowledged with detail, no change
    assert any("BAK*00*RD*X-2*" in t for t in texts)  # rejected with detail


def test_a_status_report_says_what_remains_and_why_the_shipment_differs(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    oid = intake(ws, "shop", "po.csv", csv_order("PO-20", [(COFFEE, 5), (JAM_STRAWBERRY, 2)]))
    for status in (S.VALIDATED, S.IN_PREPARATION):
        move_orders(ws, [oid], status, actor="admin:a")
    move_orders(ws, [oid], S.SHIPPED, actor="admin:a", lines={1: Decimal(4)})
    rows = read_csv(_newest(outbox_files(ws, "shop", "STATUS_")))
    assert [
        (r["Ordered qty"], r["Confirmed qty"], r["Shipped qty"], r["Remaining"]) for r in rows
    ] == [
        ("5", "5", "4", "1"),
        ("2", "2", "2", "0"),
    ]
    assert rows[0]["Reason"] == "4 shipped of 5 confirmed"
    assert rows[1]["Reason"] == ""


def test_an_admins_reason_stays_internal_unless_told_to_the_partner(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    first = intake(ws, "shop", "a.csv", csv_order("PO-21", [(COFFEE, 1)]))
    second = intake(ws, "shop", "b.csv", csv_order("PO-22", [(COFFEE, 1)]))
    move_orders(ws, [first], S.REJECTED, actor="admin:a", reason="client en retard de paiement")
    move_orders(ws, [second], S.REJECTED, actor="admin:a", reason="out of stock", tell_partner=True)
    reports = {p.name.split("_")[1]: read_csv(p) for p in outbox_files(ws, "shop", "STATUS_")}
    assert [r["Reason"] for r in reports["PO-21"]] == [""]
    assert [r["Reason"] for r in reports["PO-22"]] == ["out of stock"]


def test_an_x12_partner_reads_no_internal_reason_in_its_855(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    oid = intake(ws, "x12buyer", "po9.x12", x12_order("X-9", COFFEE, 1))
    before = set(outbox_files(ws, "x12buyer", "855_"))
    move_orders(ws, [oid], S.REJECTED, actor="admin:a", reason="customer owes us money")
    [new] = [p for p in outbox_files(ws, "x12buyer", "855_") if p not in before]
    assert "owes" not in new.read_text("ascii").lower()
