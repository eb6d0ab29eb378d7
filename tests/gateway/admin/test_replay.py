"""Replay after a fix: the admin imports what was missing, replays the file, and the same
order gets the new outcomes and one updated reply — never a second syntax acknowledgment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from gateway.admin.replay import ReplayRefused, ReplayResult, replay_file, replay_order
from gateway.catalog.importer import Kind
from gateway.daemon.passes import process_external
from gateway.orders.queries import get_order
from gateway.orders.transitions import move_orders
from gateway.rules.lifecycle import OrderStatus
from gateway.store.models import OrderEvent, Replay
from gateway.workspace import Workspace
from tests.gateway.admin.support import (
    LOOP_CONFIG,
    drop_file,
    edifact_order,
    import_rows,
    outbox,
    x12_order,
)
from tests.gateway.conftest import COFFEE, JAM_APRICOT, build_workspace
from tests.gateway.lifecycle_support import csv_order

ADMIN = "admin:marie"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ws(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    ws = build_workspace(tmp_path / "ws", database=url, config=LOOP_CONFIG)
    yield ws
    ws.close()


def intake(ws: Workspace, partner: str, name: str, data: bytes) -> tuple[int, int]:
    """The file id and the order id of a file through the real pipeline."""
    outcome = process_external(ws, partner, drop_file(ws, partner, name, data))
    assert outcome.outcome == "processed", outcome.reason
    [order] = outcome.orders
    assert outcome.inbound_id is not None
    return outcome.inbound_id, order.id


def line(ws: Workspace, order_id: int, line_no: int) -> dict:
    order = get_order(ws, order_id)
    assert order is not None
    return next(ln for ln in order["lines"] if ln["line_no"] == line_no)


def the_mapping_name_is_fixed(ws: Workspace) -> Workspace:
    """The admin corrects ``mapping = "excel-frr"`` and adds the profile; a new process
    reads the configuration again."""
    config = ws.root / "gateway.toml"
    config.write_text(config.read_text().replace('"excel-frr"', '"excel-fr"'), encoding="utf-8")
    ws.mappings_dir.mkdir(exist_ok=True)
    (ws.mappings_dir / "excel-fr.toml").write_text("[spreadsheet]\n", encoding="utf-8")
    ws.close()
    return Workspace.open(ws.root)


def the_assortment_is_fixed(ws: Workspace) -> None:
    import_rows(ws, Kind.ASSORTMENTS, ["customer;sku", "C2;JAM-APR"])


CASES = {
    # partner, file name, bytes, the business reply's prefix, syntax acknowledgments' prefixes
    "csv": ("hotel", "commande.csv", csv_order("HB-1", [(COFFEE, 2), (JAM_APRICOT, 3)]),
            "ACK_", ()),
    "edifact": ("ediC2", "orders.edi", edifact_order("HB-2", [(COFFEE, 2), (JAM_APRICOT, 3)]),
                "ORDRSP_", ("CONTRL_",)),
    "x12": ("x12C2", "po.x12", x12_order("HB-3", [(COFFEE, 2), (JAM_APRICOT, 3)]),
            "855_", ("997_", "TA1_")),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_line_refused_for_the_assortment_is_accepted_after_the_fix_and_a_replay(
    ws: Workspace, case: str
) -> None:
    partner, name, data, reply, syntax = CASES[case]
    file_id, order_id = intake(ws, partner, name, data)
    assert line(ws, order_id, 2)["reason_code"] == "not_in_assortment"
    before = outbox(ws, partner)

    the_assortment_is_fixed(ws)
    preview = replay_file(ws, file_id, actor=ADMIN, dry_run=True)
    assert preview.result is ReplayResult.CHANGED
    [planned] = preview.orders
    change = next(c for c in planned.lines if c.line_no == 2)
    assert (change.kind.value, change.before.outcome, change.after.outcome) == (
        "revived", "rejected", "accepted",
    )  # fmt: skip
    assert change.after.sku == "JAM-APR" and change.before.reason_code == "not_in_assortment"
    assert outbox(ws, partner) == before  # a dry run changes nothing
    assert line(ws, order_id, 2)["outcome"] == "rejected"

    done = replay_file(ws, file_id, actor=ADMIN)
    assert done.result is ReplayResult.CHANGED
    order = get_order(ws, order_id)
    assert order is not None and order["status"] == "pending_validation"
    assert line(ws, order_id, 2)["outcome"] == "accepted"
    assert line(ws, order_id, 2)["sku"] == "JAM-APR"
    replayed = [e for e in order["events"] if e["kind"] == "replayed"]
    assert [e["actor"] for e in replayed] == [ADMIN]
    new = sorted(set(outbox(ws, partner)) - set(before))
    assert [n for n in new if n.startswith(reply)] == new and len(new) == 1
    assert not [n for n in new for p in syntax if n.startswith(p)]
    sent = (ws.outbox(partner) / new[0]).read_bytes()
    if case == "edifact":  # it replaces the ORDRSP the ERP booked at intake
        assert b"BGM+231+" in sent and sent.split(b"BGM+231+")[1].split(b"'")[0].endswith(b"+5")
    elif case == "x12":
        assert b"BAK*05*" in sent


def test_the_csv_reply_of_a_replay_lists_the_whole_order(ws: Workspace) -> None:
    file_id, order_id = intake(
        ws, "hotel", "c.csv", csv_order("HB-9", [(COFFEE, 2), (JAM_APRICOT, 3)])
    )
    the_assortment_is_fixed(ws)
    done = replay_file(ws, file_id, actor=ADMIN)
    [ack] = [p for p in done.replies if p.name.startswith("ACK_")]
    text = ack.read_bytes().decode("utf-8-sig")
    assert "HB-9" in text and COFFEE in text and JAM_APRICOT in text
    assert ack.name.endswith(f"_R{done.replay_id}.csv")


def test_replaying_again_with_nothing_changed_changes_nothing_and_says_so(ws: Workspace) -> None:
    file_id, order_id = intake(
        ws, "hotel", "c.csv", csv_order("HB-4", [(COFFEE, 2), (JAM_APRICOT, 3)])
    )
    the_assortment_is_fixed(ws)
    replay_file(ws, file_id, actor=ADMIN)
    files_before = outbox(ws, "hotel")
    again = replay_file(ws, file_id, actor=ADMIN)
    assert again.result is ReplayResult.UNCHANGED
    assert "nothing changed" in again.message
    assert outbox(ws, "hotel") == files_before
    order = get_order(ws, order_id)
    assert order is not None and len([e for e in order["events"] if e["kind"] == "replayed"]) == 1
    with ws.read_sessions() as s:  # both replays are on record
        assert [r.result for r in s.scalars(select(Replay).order_by(Replay.id))] == [
            "changed", "unchanged",
        ]  # fmt: skip


def test_a_validated_order_is_not_replayed_and_the_admin_is_told_what_to_do(ws: Workspace) -> None:
    file_id, order_id = intake(
        ws, "hotel", "c.csv", csv_order("HB-5", [(COFFEE, 2), (JAM_APRICOT, 3)])
    )
    move_orders(ws, [order_id], OrderStatus.VALIDATED, actor=ADMIN)
    the_assortment_is_fixed(ws)
    report = replay_file(ws, file_id, actor=ADMIN)
    assert report.result is ReplayResult.REFUSED
    assert "is validated: a replay no longer changes it" in report.message
    assert f"orders cancel {order_id}" in report.message
    assert line(ws, order_id, 2)["outcome"] == "rejected"


def test_replay_by_order_id_replays_the_file_it_came_from(ws: Workspace) -> None:
    file_id, order_id = intake(
        ws, "hotel", "c.csv", csv_order("HB-6", [(COFFEE, 2), (JAM_APRICOT, 3)])
    )
    the_assortment_is_fixed(ws)
    report = replay_order(ws, order_id, actor=ADMIN)
    assert (report.file_id, report.result) == (file_id, ReplayResult.CHANGED)


def test_an_order_the_gateway_rejected_at_intake_comes_back_after_the_fix(ws: Workspace) -> None:
    file_id, order_id = intake(ws, "hotel", "c.csv", csv_order("HB-7", [(JAM_APRICOT, 3)]))
    assert get_order(ws, order_id)["status"] == "rejected"  # type: ignore[index]
    the_assortment_is_fixed(ws)
    replay_file(ws, file_id, actor=ADMIN)
    order = get_order(ws, order_id)
    assert order is not None and order["status"] == "pending_validation"
    assert order["events"][-1]["from_status"] == "rejected"


def test_an_order_a_person_rejected_stays_rejected(ws: Workspace) -> None:
    file_id, order_id = intake(
        ws, "hotel", "c.csv", csv_order("HB-8", [(COFFEE, 2), (JAM_APRICOT, 3)])
    )
    move_orders(ws, [order_id], OrderStatus.REJECTED, actor=ADMIN, reason="no stock")
    the_assortment_is_fixed(ws)
    report = replay_file(ws, file_id, actor=ADMIN)
    assert report.result is ReplayResult.REFUSED and "rejected by a person" in report.message


def test_a_file_that_failed_on_a_mapping_typo_is_replayed_as_a_new_attempt(ws: Workspace) -> None:
    data = csv_order("TY-1", [(COFFEE, 2)])
    first = process_external(ws, "typo", drop_file(ws, "typo", "t.csv", data))
    assert first.outcome == "failed" and "excel-frr" in (first.reason or "")
    ws = the_mapping_name_is_fixed(ws)

    report = replay_file(ws, first.inbound_id or 0, actor=ADMIN)
    assert report.result is ReplayResult.NEW_ATTEMPT
    assert report.attempt is not None and report.attempt.outcome == "processed"
    from gateway.admin.files import show_file

    chain = show_file(ws, report.attempt.inbound_id or 0)
    assert chain["attempt_of"] == first.inbound_id
    assert [a["outcome"] for a in chain["chain"]] == ["failed", "processed"]
    assert show_file(ws, first.inbound_id or 0)["replays"][0]["actor"] == ADMIN


def test_a_failed_file_already_processed_since_is_not_replayed(ws: Workspace) -> None:
    data = csv_order("TY-2", [(COFFEE, 2)])
    first = process_external(ws, "typo", drop_file(ws, "typo", "t.csv", data))
    ws = the_mapping_name_is_fixed(ws)
    again = process_external(ws, "typo", drop_file(ws, "typo", "t2.csv", data))
    assert again.outcome == "processed"
    with pytest.raises(ReplayRefused, match=f"processed since as file #{again.inbound_id}"):
        replay_file(ws, first.inbound_id or 0, actor=ADMIN)


def test_the_replay_event_says_what_changed(ws: Workspace) -> None:
    file_id, order_id = intake(
        ws, "hotel", "c.csv", csv_order("HB-10", [(COFFEE, 2), (JAM_APRICOT, 3)])
    )
    the_assortment_is_fixed(ws)
    replay_file(ws, file_id, actor=ADMIN)
    with ws.read_sessions() as s:
        event = s.scalar(select(OrderEvent).where(OrderEvent.kind == "replayed"))
        assert event is not None
        [change] = event.details["changes"]
        assert (change["line_no"], change["before"]["outcome"], change["after"]["outcome"]) == (
            2, "rejected", "accepted",
        )  # fmt: skip


def test_an_edi_partner_answered_at_validation_hears_of_the_replay_then(
    tmp_path: Path,
) -> None:
    ws = build_workspace(tmp_path / "ws", config=LOOP_CONFIG.replace('respond_at = "intake"\n', ""))
    try:
        file_id, order_id = intake(
            ws, "ediC2", "o.edi", edifact_order("HB-11", [(COFFEE, 2), (JAM_APRICOT, 3)])
        )
        the_assortment_is_fixed(ws)
        before = outbox(ws, "ediC2")
        assert replay_file(ws, file_id, actor=ADMIN).result is ReplayResult.CHANGED
        assert outbox(ws, "ediC2") == before  # nothing booked yet: nothing to replace
        move_orders(ws, [order_id], OrderStatus.VALIDATED, actor=ADMIN)
        [ordrsp] = [n for n in outbox(ws, "ediC2") if n.startswith("ORDRSP_")]
        sent = (ws.outbox("ediC2") / ordrsp).read_bytes()
        assert b"JAM-APR" in sent and b"QTY+113:3:PCE" in sent  # confirmed, as replayed
    finally:
        ws.close()
