"""The buyer's changes end to end: order in, change in, answer out, order state right,
the same change twice applied once — EANCOM ORDCHG, X12 860, replacing and cancelling
orders."""

from __future__ import annotations

from pathlib import Path

from gateway.daemon.passes import process_external
from gateway.orders.queries import get_order, list_orders
from gateway.orders.transitions import move_orders
from gateway.rules.lifecycle import OrderStatus
from gateway.workspace import Workspace
from parsers import x12
from tests.gateway.conftest import COFFEE, SUGAR, TEA_UPC
from tests.gateway.lifecycle_support import (  # noqa: F401 — fixtures
    edifact_message,
    intake,
    lifecycle_ws_fixture,
    outbox_new,
    sqlite_lifecycle_ws_fixture,
    x12_set,
)

S = OrderStatus
ORDERS = "ORDERS:D:96A:UN:EAN008"
ORDCHG = "ORDCHG:D:96A:UN:EAN005"


def _order_edi(number: str, *, function: str = "9") -> bytes:
    return edifact_message(
        ORDERS,
        [f"BGM+220+{number}+{function}", "DTM+137:20250101:102"],
        [f"LIN+1++{COFFEE}:EN", "QTY+21:4", f"LIN+2++{TEA_UPC}:UP", "QTY+21:2"],
    )


def _ordchg(number: str, change: str, lines: list[str], function: str = "4") -> bytes:
    head = [f"BGM+230+{change}+{function}", "DTM+137:20250102:102", f"RFF+ON:{number}"]
    return edifact_message(ORDCHG, head, lines)


def _send(ws: Workspace, partner: str, name: str, data: bytes):  # noqa: ANN202
    src = ws.root / "incoming" / name
    src.parent.mkdir(exist_ok=True)
    src.write_bytes(data)
    before = set(ws.outbox(partner).iterdir())
    out = process_external(ws, partner, src)
    assert out.outcome == "processed", out.reason
    return out, outbox_new(ws, partner, before)


def _segments(path: Path) -> list[str]:
    return [s.strip() for s in path.read_text("latin-1")[9:].split("'") if s.strip()]


def _lines(ws: Workspace, order_id: int) -> list[tuple[int, object, str]]:
    order = get_order(ws, order_id)
    assert order is not None
    return [(ln["line_no"], ln["quantity"], ln["outcome"]) for ln in order["lines"]]


CHANGE_ALL = [
    f"LIN+1+3+{COFFEE}:EN",
    "QTY+21:6",
    f"LIN+2+2+{TEA_UPC}:UP",
    f"LIN+3+1+{SUGAR}:EN",
    "QTY+21:10",
]


def test_an_ordchg_changes_adds_and_deletes_lines_and_is_answered(lifecycle_ws: Workspace):
    ws = lifecycle_ws
    oid = intake(ws, "edi", "po.edi", _order_edi("PO-C1"))
    out, new = _send(ws, "edi", "chg.edi", _ordchg("PO-C1", "CHG-1", CHANGE_ALL))
    assert [o.id for o in out.orders] == [oid]
    assert [p.name.split("_")[0] for p in new] == ["CONTRL", "ORDRSP"]
    answer = _segments(new[1])
    assert "RFF+ON:PO-C1" in answer and answer[2].endswith("+29")  # all accepted
    assert [s for s in answer if s.startswith("LIN")] == [
        f"LIN+1+3+{COFFEE}:EN",
        f"LIN+2+2+{TEA_UPC}:UP",
        f"LIN+3+1+{SUGAR}:EN",
    ]
    assert "QTY+113:0" in answer  # nothing confirmed of the deleted line
    assert _lines(ws, oid) == [(1, 6, "accepted"), (2, 2, "rejected"), (3, 10, "accepted")]
    order = get_order(ws, oid)
    assert order is not None and order["lines"][1]["reason_code"] == "line_deleted"
    assert len(list_orders(ws)) == 1  # the same order, changed


def test_the_same_change_twice_is_applied_once(lifecycle_ws: Workspace):
    ws = lifecycle_ws
    oid = intake(ws, "edi", "po.edi", _order_edi("PO-C2"))
    change = [f"LIN+3+1+{SUGAR}:EN", "QTY+21:10"]
    _send(ws, "edi", "chg1.edi", _ordchg("PO-C2", "CHG-2", change))
    # the translator sends it again, in another interchange
    _, new = _send(ws, "edi", "chg2.edi", _ordchg("PO-C2", "CHG-2", change))
    assert [p.name.split("_")[0] for p in new] == ["CONTRL"]  # acknowledged, not re-answered
    assert _lines(ws, oid) == [(1, 4, "accepted"), (2, 2, "accepted"), (3, 10, "accepted")]


def test_a_change_refused_by_the_checks_keeps_the_line_and_says_why(
    sqlite_lifecycle_ws: Workspace,
):
    ws = sqlite_lifecycle_ws
    oid = intake(ws, "edi", "po.edi", _order_edi("PO-C3"))
    _, new = _send(
        ws, "edi", "c.edi", _ordchg("PO-C3", "CHG-3", [f"LIN+1+3+{COFFEE}:EN", "QTY+21:0"])
    )
    answer = _segments(new[1])
    assert answer[2].endswith("+27") and f"LIN+1+7+{COFFEE}:EN" in answer
    assert any(s.startswith("FTX+AAO++non_positive_quantity") for s in answer)
    assert _lines(ws, oid)[0] == (1, 4, "accepted")


def test_a_change_after_shipping_is_refused_with_a_reason(lifecycle_ws: Workspace):
    ws = lifecycle_ws
    oid = intake(ws, "edi", "po.edi", _order_edi("PO-C4"))
    for status in (S.VALIDATED, S.IN_PREPARATION, S.SHIPPED):
        move_orders(ws, [oid], status, actor="admin:a")
    _, new = _send(ws, "edi", "late.edi", _ordchg("PO-C4", "CHG-4", CHANGE_ALL))
    assert _segments(new[-1])[2].endswith("+27")
    said = b"FTX+AAO+++order ?'PO-C4?' is already shipped?: the change was not applied+EN'"
    assert said in new[-1].read_bytes()
    assert _lines(ws, oid) == [(1, 4, "accepted"), (2, 2, "accepted")]


def test_a_change_to_an_order_never_received_is_refused(sqlite_lifecycle_ws: Workspace):
    ws = sqlite_lifecycle_ws
    _, new = _send(ws, "edi", "c.edi", _ordchg("PO-NONE", "CHG-5", CHANGE_ALL))
    answer = _segments(new[-1])
    assert answer[2].endswith("+27") and "RFF+ON:PO-NONE" in answer
    assert list_orders(ws) == []


def test_an_ordchg_cancelling_the_order_cancels_it(lifecycle_ws: Workspace):
    ws = lifecycle_ws
    oid = intake(ws, "edi", "po.edi", _order_edi("PO-C6"))
    _, new = _send(ws, "edi", "c.edi", _ordchg("PO-C6", "CHG-6", [], function="1"))
    order = get_order(ws, oid)
    assert order is not None and order["status"] == "cancelled"
    assert order["events"][-1]["actor"] == "partner:edi"
    assert _segments(new[-1])[2].endswith("+29")  # the cancellation is accepted


def test_an_orders_with_the_replace_purpose_changes_the_order_it_replaces(
    lifecycle_ws: Workspace,
):
    ws = lifecycle_ws
    oid = intake(ws, "edi", "po.edi", _order_edi("PO-C7"))
    replacing = edifact_message(
        ORDERS,
        ["BGM+220+PO-C7+5", "DTM+137:20250101:102"],
        [f"LIN+1++{COFFEE}:EN", "QTY+21:8", f"LIN+2++{TEA_UPC}:UP", "QTY+21:2"],
    )
    out, new = _send(ws, "edi", "r.edi", replacing)
    assert [o.id for o in out.orders] == [oid] and len(list_orders(ws)) == 1
    answer = _segments(new[-1])
    assert [s for s in answer if s.startswith("LIN")] == [f"LIN+1+3+{COFFEE}:EN"]
    assert _lines(ws, oid) == [(1, 8, "accepted"), (2, 2, "accepted")]


def test_a_replacing_order_for_an_order_never_received_is_a_new_order(
    sqlite_lifecycle_ws: Workspace,
):
    ws = sqlite_lifecycle_ws
    oid = intake(ws, "edi", "r.edi", _order_edi("PO-C8", function="5"))
    assert _lines(ws, oid) == [(1, 4, "accepted"), (2, 2, "accepted")]


# --- X12 -------------------------------------------------------------------------------------
def _850(number: str, purpose: str = "00") -> bytes:
    return x12_set(
        "850",
        [f"BEG*{purpose}*SA*{number}**20250101"],
        [f"PO1*1*4*EA*4.10**EN*{COFFEE}", f"PO1*2*2*EA*3**UP*{TEA_UPC}"],
    )


def _860(number: str, sequence: str, lines: list[str], purpose: str = "04") -> bytes:
    return x12_set(
        "860", [f"BCH*{purpose}*SA*{number}**{sequence}*20250101"], lines, functional_id="PC"
    )


def _tokens(path: Path) -> list[list[str]]:
    return [s.elements for s in x12.segments(path.read_bytes())]


def test_an_860_changes_the_po_and_is_answered_with_an_865(lifecycle_ws: Workspace):
    ws = lifecycle_ws
    oid = intake(ws, "x12buyer", "po.x12", _850("PX-1"))
    change = [f"POC*1*QI*6*6*EA*4.10**EN*{COFFEE}", f"POC*3*AI*10*10*EA***EN*{SUGAR}"]
    _, new = _send(ws, "x12buyer", "chg.x12", _860("PX-1", "1", change))
    assert [p.name.split("_")[0] for p in new] == ["865", "997"]
    tokens = _tokens(new[0])
    bca = next(t for t in tokens if t[0] == "BCA")
    assert bca[1:6] == ["00", "AT", "PX-1", "", "1"]
    assert [t[:3] for t in tokens if t[0] == "POC"] == [["POC", "1", "CA"], ["POC", "3", "AI"]]
    assert [t for t in tokens if t[0] == "ACK"] == [
        ["ACK", "IA", "6", "EA"],
        ["ACK", "IA", "10", "EA"],
    ]
    gs = next(t for t in tokens if t[0] == "GS")
    assert gs[1] == "CA" and gs[3] == "NORTHWIND"  # to the 860's GS02
    assert _lines(ws, oid) == [(1, 6, "accepted"), (2, 2, "accepted"), (3, 10, "accepted")]
    [report] = x12.read(new[0].read_bytes()).interchanges
    assert report.errors == []


def test_the_same_860_twice_is_applied_once(lifecycle_ws: Workspace):
    ws = lifecycle_ws
    oid = intake(ws, "x12buyer", "po.x12", _850("PX-2"))
    change = [f"POC*3*AI*10*10*EA***EN*{SUGAR}"]
    _send(ws, "x12buyer", "a.x12", _860("PX-2", "7", change))
    _, new = _send(ws, "x12buyer", "b.x12", _860("PX-2", "7", change))
    assert [p.name.split("_")[0] for p in new] == ["997"]
    assert len(_lines(ws, oid)) == 3


def test_an_850_cancelling_the_po_cancels_it(lifecycle_ws: Workspace):
    ws = lifecycle_ws
    oid = intake(ws, "x12buyer", "po.x12", _850("PX-3"))
    _, new = _send(ws, "x12buyer", "c.x12", _850("PX-3", purpose="01"))
    order = get_order(ws, oid)
    assert order is not None and order["status"] == "cancelled"
    [answer] = [p for p in new if p.name.startswith("865_")]
    assert next(t for t in _tokens(answer) if t[0] == "BCA")[2] == "AT"


def test_an_850_replacing_the_po_changes_its_quantities(lifecycle_ws: Workspace):
    ws = lifecycle_ws
    oid = intake(ws, "x12buyer", "po.x12", _850("PX-4"))
    replacing = x12_set(
        "850",
        ["BEG*05*SA*PX-4**20250101"],
        [f"PO1*1*9*EA*4.10**EN*{COFFEE}"],
    )
    _, new = _send(ws, "x12buyer", "r.x12", replacing)
    assert _lines(ws, oid) == [(1, 9, "accepted"), (2, 2, "rejected")]
    [answer] = [p for p in new if p.name.startswith("865_")]
    assert [t[2] for t in _tokens(answer) if t[0] == "POC"] == ["CA", "DI"]
