"""A row inserted or updated by one statement leaves its object as a flush would: its id
and defaults set, persistent in the session, later changes flushed, nothing flushed twice."""

from __future__ import annotations

from datetime import UTC, datetime
from hashlib import sha256

import pytest
from sqlalchemy import event, inspect, select

from gateway.store.models import InboundFile, Order, OutgoingMessage, SentInterchange, table_of
from gateway.store.rows import insert_now, update_now
from gateway.workspace import Workspace

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def inbound(name: str = "order.csv") -> InboundFile:
    return InboundFile(
        partner="shop", name=name, sha256=sha256(name.encode()).hexdigest(), size=10,
        outcome="processed", received_at=NOW,
    )  # fmt: skip


def stored_row(ws: Workspace, file_id: int) -> dict[str, object]:
    t = table_of(InboundFile)
    with ws.sessions() as s:
        return dict(s.execute(select(t).where(t.c.id == file_id)).mappings().one())


def test_inserted_object_has_its_id_and_is_persistent(workspace: Workspace) -> None:
    with workspace.sessions.begin() as s:
        f = inbound()
        insert_now(s, f)
        assert f.id is not None
        assert inspect(f).persistent
        assert s.get(InboundFile, f.id) is f
    assert stored_row(workspace, f.id)["name"] == "order.csv"


def test_unset_columns_take_their_defaults_on_the_object_and_the_row(
    workspace: Workspace,
) -> None:
    with workspace.sessions.begin() as s:
        f = inbound()
        insert_now(s, f)
        assert (f.orders_count, f.lines_accepted, f.reason) == (0, 0, None)
    row = stored_row(workspace, f.id)
    assert (row["orders_count"], row["lines_rejected"], row["reason"]) == (0, 0, None)


def test_a_none_set_on_a_column_with_a_default_takes_the_default_as_a_flush_does(
    workspace: Workspace,
) -> None:
    with workspace.sessions.begin() as s:
        flushed, inserted = inbound("a.csv"), inbound("b.csv")
        flushed.orders_count = inserted.orders_count = None  # type: ignore[assignment]
        s.add(flushed)
        s.flush()
        insert_now(s, inserted)
    assert stored_row(workspace, inserted.id)["orders_count"] == 0
    assert inserted.orders_count == flushed.orders_count == 0


def test_an_inserted_object_has_every_column_loaded_and_nothing_left_to_flush(
    workspace: Workspace,
) -> None:
    with workspace.sessions.begin() as s:
        f = inbound()
        insert_now(s, f)
        state = inspect(f)
        assert not state.unloaded  # defaults and NULLs as loaded: reading them asks nothing
        assert not state.modified and f not in s.dirty
        assert not any(a.history.has_changes() for a in state.attrs)


def test_the_row_is_the_one_a_flush_would_store(workspace: Workspace) -> None:
    with workspace.sessions.begin() as s:
        flushed, inserted = inbound("a.csv"), inbound("b.csv")
        s.add(flushed)
        s.flush()
        insert_now(s, inserted)
    own = ("id", "name", "sha256")
    a, b = stored_row(workspace, flushed.id), stored_row(workspace, inserted.id)
    assert {k: v for k, v in a.items() if k not in own} == {
        k: v for k, v in b.items() if k not in own
    }


def test_a_change_after_the_insert_is_flushed(workspace: Workspace) -> None:
    with workspace.sessions.begin() as s:
        f = inbound()
        insert_now(s, f)
        f.reason = "changed afterwards"
    assert stored_row(workspace, f.id)["reason"] == "changed afterwards"


def test_a_relationship_to_the_inserted_object_finds_its_row(workspace: Workspace) -> None:
    with workspace.sessions.begin() as s:
        msg = OutgoingMessage(
            partner="shop", kind="ack", audience="partner", destination="/out",
            filename="ACK.csv", content=b"x", created_at=NOW,
        )  # fmt: skip
        insert_now(s, msg)
        s.add(SentInterchange(partner="shop", format="edifact", interchange_ref="1", message=msg))
    with workspace.sessions() as s:
        sent = s.scalars(select(SentInterchange)).one()
        assert sent.outgoing_message_id == msg.id


def test_a_json_column_keeps_its_callable_default(workspace: Workspace) -> None:
    with workspace.sessions.begin() as s:
        f = inbound()
        insert_now(s, f)
        order = Order(partner="shop", inbound_file_id=f.id, status="received", format="csv",
                      created_at=NOW, updated_at=NOW)  # fmt: skip
        insert_now(s, order)
        assert order.envelope == {}
    with workspace.sessions() as s:
        assert s.get(Order, order.id).envelope == {}  # type: ignore[union-attr]


def test_updated_values_are_stored_and_leave_nothing_to_flush(workspace: Workspace) -> None:
    statements: list[str] = []
    with workspace.sessions.begin() as s:
        f = inbound()
        insert_now(s, f)
        update_now(s, f, orders_count=2, lines_accepted=3, archived_to="/archive/order.csv")
        assert (f.orders_count, f.lines_accepted) == (2, 3)
        assert not s.dirty
        event.listen(s.connection(), "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert not any(sql.lstrip().upper().startswith("UPDATE") for sql in statements)
    row = stored_row(workspace, f.id)
    assert (row["orders_count"], row["lines_accepted"]) == (2, 3)
    assert row["archived_to"] == "/archive/order.csv"


def test_a_change_not_named_in_the_update_is_still_flushed(workspace: Workspace) -> None:
    with workspace.sessions.begin() as s:
        f = inbound()
        insert_now(s, f)
        f.reason = "set as usual"
        update_now(s, f, orders_count=1)
    row = stored_row(workspace, f.id)
    assert (row["reason"], row["orders_count"]) == ("set as usual", 1)


def test_an_update_needs_the_row_stored(workspace: Workspace) -> None:
    with workspace.sessions.begin() as s:
        f = inbound()
        s.add(f)
        with pytest.raises(AssertionError):
            update_now(s, f, orders_count=1)
        s.rollback()
