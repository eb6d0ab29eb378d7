"""The schema on start: a database made by an older release gains what a newer one adds."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.daemon.passes import process_external
from gateway.orders.queries import get_order
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE, build_workspace
from tests.gateway.lifecycle_support import EDI_CONFIG, edifact_order


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_column_added_by_a_newer_release_is_added_on_start(
    request: pytest.FixtureRequest, tmp_path: Path, engine: str
) -> None:
    url = request.getfixturevalue("postgres_url") if engine == "postgres" else None
    ws = build_workspace(tmp_path / "ws", config=EDI_CONFIG, database=url)
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE order_lines DROP COLUMN item_ids")
    ws.close()
    ws = Workspace.open(tmp_path / "ws")
    try:
        src = tmp_path / "po.edi"
        src.write_bytes(edifact_order("PO-S1", COFFEE, 2))
        out = process_external(ws, "edi", src)
        [summary] = out.orders
        order = get_order(ws, summary.id)
        assert order is not None and order["lines"][0]["quantity"] == 2
    finally:
        ws.close()
