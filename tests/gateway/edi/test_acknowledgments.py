"""A partner's 997, TA1 or CONTRL is matched to what we sent, and shown on the order.

Each test sends a real order through the pipeline, reads the control numbers from the
reply we wrote, and answers it the way the partner's translator would.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from gateway.cli.app import app
from gateway.daemon.passes import process_external
from gateway.orders.queries import get_order
from gateway.orders.transitions import move_orders
from gateway.rules.lifecycle import OrderStatus
from gateway.workspace import Workspace
from parsers import edifact, x12
from tests.gateway.conftest import COFFEE
from tests.gateway.lifecycle_support import (  # noqa: F401 — fixtures
    edifact_order,
    intake,
    lifecycle_ws_fixture,
    outbox_files,
    x12_order,
)

_ISA = (
    "ISA*00*          *00*          *ZZ*NORTHWIND      *14*3012345000000  "
    "*250102*0800*U*00401*{control:09d}*0*P*>~\n"
)


def _our_x12_refs(path: Path) -> tuple[str, str, str]:
    """ISA13, GS06 and ST02 of an X12 message we wrote."""
    [ic] = x12.read(path.read_bytes()).interchanges
    [group] = ic.groups
    return ic.control_ref, group.control_number, group.sets[0].control_number


def _partner_997(control: int, gs06: str, st02: str, code: str) -> bytes:
    body = [f"AK1*PR*{gs06}", f"AK2*855*{st02}", f"AK5*{code}", f"AK9*{code}*1*1*1"]
    sets = ["ST*997*0001", *body, f"SE*{len(body) + 2}*0001"]
    segments = [
        f"GS*FA*NORTHWIND*3012345000000*20250102*0800*{control}*X*004010",
        *sets,
        f"GE*1*{control}",
        f"IEA*1*{control:09d}",
    ]
    return (_ISA.format(control=control) + "~\n".join(segments) + "~\n").encode()


def _partner_ta1(control: int, isa13: str, code: str) -> bytes:
    segments = [f"TA1*{isa13}*250101*1200*{code}*000", f"IEA*0*{control:09d}"]
    return (_ISA.format(control=control) + "~\n".join(segments) + "~\n").encode()


def _drop(ws: Workspace, name: str, data: bytes, partner: str = "x12buyer") -> None:
    path = ws.root / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    out = process_external(ws, partner, path)
    assert out.outcome == "processed" and out.replies == [], out


def _replies(ws: Workspace, order_id: int) -> list[tuple[str, str | None]]:
    order = get_order(ws, order_id)
    assert order is not None
    return [(r["filename"].split("_")[0], r["acknowledgment"]) for r in order["replies"]]


def test_a_997_rejecting_our_855_shows_on_the_order_and_warns(lifecycle_ws, caplog) -> None:
    ws = lifecycle_ws
    oid = intake(ws, "x12buyer", "po.x12", x12_order("PO-K1", COFFEE, 3))
    [our_855] = outbox_files(ws, "x12buyer", "855_")
    _, gs06, st02 = _our_x12_refs(our_855)
    with caplog.at_level(logging.INFO, logger="gateway.edi.legacy"):
        _drop(ws, "ack.x12", _partner_997(501, gs06, st02, "R"))
    assert _replies(ws, oid) == [("855", "rejected")]
    [reply] = get_order(ws, oid)["replies"]
    assert reply["acknowledgment_detail"] == f"997 for our group {gs06} (PR): R; set 855 {st02}: R"
    [record] = [r for r in caplog.records if "acknowledgment received" in r.getMessage()]
    assert record.levelno == logging.WARNING and record.getMessage().endswith(our_855.name)


def test_a_ta1_does_not_undo_what_a_997_said(lifecycle_ws) -> None:
    ws = lifecycle_ws
    oid = intake(ws, "x12buyer", "po.x12", x12_order("PO-K2", COFFEE, 3))
    [our_855] = outbox_files(ws, "x12buyer", "855_")
    isa13, gs06, st02 = _our_x12_refs(our_855)
    _drop(ws, "ta1.x12", _partner_ta1(601, isa13, "A"))
    assert _replies(ws, oid) == [("855", "accepted")]
    _drop(ws, "997.x12", _partner_997(602, gs06, st02, "E"))
    assert _replies(ws, oid) == [("855", "accepted with errors")]
    _drop(ws, "ta1-again.x12", _partner_ta1(603, isa13, "A"))
    assert _replies(ws, oid) == [("855", "accepted with errors")]


def test_each_855_of_an_order_is_acknowledged_on_its_own(lifecycle_ws) -> None:
    ws = lifecycle_ws
    oid = intake(ws, "x12buyer", "po.x12", x12_order("PO-K3", COFFEE, 3))
    # a confirmed quantity other than ordered: the buyer reads a replacing 855
    move_orders(ws, [oid], OrderStatus.VALIDATED, actor="admin:a", lines={1: Decimal(2)})
    # named 855_<order>_<our interchange number>: the validation's 855 is the later one
    by_number = sorted(
        outbox_files(ws, "x12buyer", "855_"), key=lambda p: int(p.stem.split("_")[-1])
    )
    second = by_number[1]
    _, gs06, st02 = _our_x12_refs(second)
    _drop(ws, "ack.x12", _partner_997(701, gs06, st02, "A"))
    assert _replies(ws, oid) == [("855", None), ("855", "accepted")]


def test_a_contrl_rejecting_our_ordrsp_shows_on_the_order(lifecycle_ws) -> None:
    ws = lifecycle_ws
    oid = intake(ws, "edi", "po.edi", edifact_order("PO-K4", COFFEE, 2))
    [ordrsp] = outbox_files(ws, "edi", "ORDRSP_")
    ref = edifact.read(ordrsp.read_bytes()).interchanges[0].control_ref
    contrl = (
        f"UNB+UNOC:3+5412345000013:14+3012345000000:14+250102:0800+CK1'"
        f"UNH+1+CONTRL:D:3:UN'UCI+{ref}+3012345000000:14+5412345000013:14+4+29'"
        f"UNT+3+1'UNZ+1+CK1'"
    ).encode()
    _drop(ws, "contrl.edi", contrl, partner="edi")
    [reply] = get_order(ws, oid)["replies"]
    assert (reply["kind"], reply["acknowledgment"]) == ("ordrsp", "rejected")
    assert (
        reply["acknowledgment_detail"] == f"CONTRL for our interchange {ref}: rejected (error 29)"
    )


def test_orders_show_lists_the_replies_with_what_the_partner_said(lifecycle_ws) -> None:
    ws = lifecycle_ws
    oid = intake(ws, "x12buyer", "po.x12", x12_order("PO-K5", COFFEE, 1))
    [our_855] = outbox_files(ws, "x12buyer", "855_")
    _, gs06, st02 = _our_x12_refs(our_855)
    _drop(ws, "ack.x12", _partner_997(801, gs06, st02, "A"))
    runner = CliRunner()
    args = ["--workspace", str(ws.root), "orders", "show", str(oid)]
    shown = json.loads(runner.invoke(app, [*args, "--json"], catch_exceptions=False).output)
    [reply] = shown["replies"]
    assert (reply["filename"], reply["acknowledgment"]) == (our_855.name, "accepted")
    assert reply["sent_at"] is not None
    text = runner.invoke(app, args, env={"COLUMNS": "200"}, catch_exceptions=False).output
    assert "replies" in text and our_855.name in text
    assert f"accepted: 997 for our group {gs06} (PR): A" in text
