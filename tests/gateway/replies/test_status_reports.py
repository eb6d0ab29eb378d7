"""What a partner receives at each change: one file per change, in its own format."""

from __future__ import annotations

from decimal import Decimal

from gateway.orders.transitions import move_orders
from gateway.replies.dispatch import dispatch_pending
from gateway.rules.lifecycle import OrderStatus
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE, COFFEE_CASE, JAM_STRAWBERRY, TEA_UPC
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
EANCOM, ANSI = "5412345000099", "SOUTHWIND"  # partners "eancom" and "ansi": the defaults


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


def test_an_edifact_partner_gets_its_first_ordrsp_on_validation(lifecycle_ws: Workspace) -> None:
    ws = lifecycle_ws
    oid = intake(ws, "eancom", "orders.edi", edifact_order("E-1", COFFEE, 3, sender=EANCOM))
    assert outbox_files(ws, "eancom", "ORDRSP_") == []  # only the CONTRL at intake
    move_orders(ws, [oid], S.VALIDATED, actor="admin:a")
    [ordrsp] = outbox_files(ws, "eancom", "ORDRSP_")
    text = ordrsp.read_text("latin-1")
    assert "RFF+ON:E-1'" in text
    assert "BGM+231+" in text and "+29'" in text  # accepted without amendment, original
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
    first = intake(ws, "ansi", "po1.x12", x12_order("X-1", COFFEE, 3, sender=ANSI))
    second = intake(ws, "ansi", "po2.x12", x12_order("X-2", COFFEE, 4, sender=ANSI))
    assert outbox_files(ws, "ansi", "855_") == []  # only the 997s at intake
    move_orders(ws, [first], S.VALIDATED, actor="admin:a")
    move_orders(ws, [second], S.REJECTED, actor="admin:a", reason="no stock")
    assert message_kinds(ws, first)[-1] == "855"
    assert message_kinds(ws, second)[-1] == "855"
    texts = {p.read_text("ascii") for p in outbox_files(ws, "ansi", "855_")}
    assert any("BAK*00*AD*X-1*" in t for t in texts)  # acknowledged with detail, no change
    assert any("BAK*00*RD*X-2*" in t for t in texts)  # rejected with detail
    assert not any("no stock" in t for t in texts)  # the admin's reason stays ours


def _kinds(paths: list) -> list[str]:
    return [p.name.split("_")[0] for p in paths]


def _new(ws: Workspace, partner: str, before: set) -> list:
    # named KIND_<order>_…_<our interchange number>: sorted in the order they were sent
    found = [p for p in ws.outbox(partner).iterdir() if p not in before]
    return sorted(found, key=lambda p: int(p.stem.rsplit("_", 1)[1]))


SSCC = "340123451234567895"


def _journey(ws: Workspace, partner: str, order: bytes) -> list[list[str]]:
    """Intake → validation (line 1 confirmed 3 of 4) → partial shipment (2 of line 1, in
    one package) → the rest → delivery: the documents the partner got at each step."""
    seen: set = set()
    steps: list[list[str]] = []

    def step() -> list:
        new = _new(ws, partner, seen)
        seen.update(new)
        steps.append(_kinds(new))
        return new

    oid = intake(ws, partner, "po", order)
    step()
    move_orders(ws, [oid], S.VALIDATED, actor="admin:a", lines={1: Decimal(3)})
    step()
    move_orders(ws, [oid], S.IN_PREPARATION, actor="admin:a")
    step()
    from gateway.orders.transitions import PackageSpec

    move_orders(
        ws, [oid], S.PARTIALLY_SHIPPED, actor="admin:a", lines={1: Decimal(2)},
        packages=[PackageSpec(SSCC)],
    )  # fmt: skip
    step()
    move_orders(ws, [oid], S.SHIPPED, actor="admin:a")
    step()
    move_orders(ws, [oid], S.DELIVERED, actor="admin:a")
    step()
    assert dispatch_pending(ws.sessions) == []  # each sent once
    return steps


def _two_lines_edifact() -> bytes:
    from tests.gateway.lifecycle_support import edifact_message

    return edifact_message(
        "ORDERS:D:01B:UN:EAN010",
        ["BGM+220+J-E1+9", "DTM+137:20250101:102"],
        [f"LIN+1++{COFFEE}:SRV", "QTY+21:4", f"LIN+2++{TEA_UPC}:SRV", "QTY+21:2"],
        sender=EANCOM,
    )


def _two_lines_x12() -> bytes:
    from tests.gateway.lifecycle_support import x12_set

    return x12_set(
        "850",
        ["BEG*00*SA*J-X1**20250101"],
        [f"PO1*1*4*EA*4.10**EN*{COFFEE}", f"PO1*2*2*EA*3**UP*{TEA_UPC}"],
        sender=ANSI,
    )


def test_an_edifact_partner_followed_from_intake_to_delivery(lifecycle_ws: Workspace) -> None:
    ws = lifecycle_ws
    steps = _journey(ws, "eancom", _two_lines_edifact())
    assert steps == [["CONTRL"], ["ORDRSP"], [], ["DESADV"], ["DESADV"], []]
    [ordrsp] = outbox_files(ws, "eancom", "ORDRSP_")
    first, rest = sorted(
        outbox_files(ws, "eancom", "DESADV_"), key=lambda p: int(p.stem.rsplit("_", 1)[1])
    )
    text = ordrsp.read_text("latin-1")
    assert "UNH+" in text and "ORDRSP:D:01B:UN:EAN007'" in text
    assert "BGM+231+" in text and "+4'" in text  # accepted with a change, the first response
    assert f"LIN+1+3+{COFFEE}:SRV'" in text  # the buyer's GTIN and its 2002 code
    assert "QTY+21:4:EA'" in text and "QTY+113:3:EA'" in text
    shipped_now = first.read_text("latin-1")
    assert "DESADV:D:01B:UN:EAN007'" in shipped_now and f"GIN+BJ+{SSCC}'" in shipped_now
    assert f"LIN+1++{COFFEE}:SRV'" in shipped_now and "QTY+12:2:EA'" in shipped_now
    assert f"LIN+2++{TEA_UPC}:SRV'" not in shipped_now  # not in this shipment
    remainder = rest.read_text("latin-1")
    assert "QTY+12:1:EA'" in remainder and "QTY+12:2:EA'" in remainder
    assert "GIN+" not in remainder


def test_an_x12_partner_followed_from_intake_to_delivery(lifecycle_ws: Workspace) -> None:
    from parsers import x12

    ws = lifecycle_ws
    steps = _journey(ws, "ansi", _two_lines_x12())
    assert steps == [["997"], ["855"], [], ["856"], ["856"], []]
    [ack] = outbox_files(ws, "ansi", "855_")
    tokens = [t.elements for t in x12.segments(ack.read_bytes())]
    assert next(t for t in tokens if t[0] == "BAK")[1:3] == ["00", "AC"]
    assert ["ACK", "IQ", "3", "EA"] in tokens and ["ACK", "IA", "2", "EA"] in tokens
    notices = sorted(outbox_files(ws, "ansi", "856_"), key=lambda p: int(p.stem.rsplit("_", 1)[1]))
    first = [t.elements for t in x12.segments(notices[0].read_bytes())]
    assert ["MAN", "GM", SSCC] in first and ["SN1", "1", "2", "EA", "2", "4", "EA"] in first
    rest = [t.elements for t in x12.segments(notices[1].read_bytes())]
    assert [t[:3] for t in rest if t[0] == "SN1"] == [["SN1", "1", "1"], ["SN1", "2", "2"]]


def test_a_validation_that_changes_nothing_the_partner_saw_sends_nothing(
    lifecycle_ws: Workspace,
) -> None:
    ws = lifecycle_ws  # "edi" is answered at intake
    oid = intake(ws, "edi", "orders.edi", edifact_order("E-3", COFFEE, 3))
    [first] = outbox_files(ws, "edi", "ORDRSP_")
    move_orders(ws, [oid], S.VALIDATED, actor="admin:a")
    assert outbox_files(ws, "edi", "ORDRSP_") == [first]


def test_a_later_response_replaces_the_first_when_something_changed(
    lifecycle_ws: Workspace,
) -> None:
    ws = lifecycle_ws
    oid = intake(ws, "edi", "orders.edi", edifact_order("E-4", COFFEE, 3))
    [first] = outbox_files(ws, "edi", "ORDRSP_")
    move_orders(ws, [oid], S.VALIDATED, actor="admin:a", lines={1: Decimal(2)})
    [later] = [p for p in outbox_files(ws, "edi", "ORDRSP_") if p != first]
    text = later.read_text("latin-1")
    bgm = next(s.strip() for s in text.split("'") if s.strip().startswith("BGM"))
    assert bgm.endswith("+5")  # 1225: replaces the response sent at intake
    assert "QTY+113:2" in text


def test_only_a_text_the_admin_chose_to_tell_reaches_the_edi_partner(
    lifecycle_ws: Workspace,
) -> None:
    ws = lifecycle_ws
    first = intake(ws, "eancom", "a.edi", edifact_order("E-5", COFFEE, 3, sender=EANCOM))
    second = intake(ws, "eancom", "b.edi", edifact_order("E-6", COFFEE, 3, sender=EANCOM))
    move_orders(ws, [first], S.REJECTED, actor="admin:a", reason="client en retard de paiement")
    move_orders(
        ws, [second], S.REJECTED, actor="admin:a", reason="Article discontinued",
        tell_partner=True,
    )  # fmt: skip
    texts = [p.read_text("latin-1") for p in outbox_files(ws, "eancom", "ORDRSP_")]
    assert not any("retard" in t for t in texts)
    assert any("FTX+AAO+++Article discontinued+EN'" in t for t in texts)


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


def test_a_status_report_counts_a_case_line_in_the_cases_ordered(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    oid = intake(ws, "shop", "po.csv", csv_order("PO-23", [(COFFEE_CASE, 2)]))
    for status in (S.VALIDATED, S.IN_PREPARATION):
        move_orders(ws, [oid], status, actor="admin:a")
    move_orders(ws, [oid], S.SHIPPED, actor="admin:a", lines={1: Decimal(18)})  # 1.5 cases
    [row] = read_csv(_newest(outbox_files(ws, "shop", "STATUS_")))
    assert (row["Ordered qty"], row["Confirmed qty"], row["Shipped qty"]) == ("2", "2", "1.5")
    assert row["Remaining"] == "0.5"


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
