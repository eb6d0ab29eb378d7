"""A received file shown as rows or segments, the rows an order was read from marked."""

from __future__ import annotations

from pathlib import Path

from gateway.admin.sources import source_view
from gateway.daemon.passes import process_external
from gateway.orders.queries import get_order
from gateway.workspace import Workspace
from tests.gateway.admin.support import LOOP_CONFIG, drop_file, edifact_order, x12_order
from tests.gateway.conftest import COFFEE, TEA_UPC, build_workspace, ean


def marks_of(ws: Workspace, order_id: int) -> list[tuple[int, int, str]]:
    order = get_order(ws, order_id)
    assert order is not None
    return [(ln["source_line"], ln["line_no"], ln["outcome"]) for ln in order["lines"]]


def shown(ws: Workspace, partner: str, name: str, data: bytes) -> list[tuple[int, str, str | None]]:
    out = process_external(ws, partner, drop_file(ws, partner, name, data))
    assert out.inbound_id is not None
    view = source_view(ws, out.inbound_id, marks=marks_of(ws, out.orders[0].id))
    return [(r.number, " | ".join(r.cells), r.mark) for r in view.rows]


def test_a_csv_is_its_rows_with_the_read_ones_marked(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path / "ws", config=LOOP_CONFIG)
    data = f"N° commande;Code-barre;Quantité\nA-1;{COFFEE};2\nA-1;{ean('301234599990')};1\n"
    rows = shown(ws, "shop", "a.csv", data.encode())
    assert [(n, m) for n, _, m in rows] == [(1, None), (2, "accepted"), (3, "rejected")]
    assert rows[1][1] == f"A-1 | {COFFEE} | 2"


def test_an_edifact_interchange_is_its_segments_numbered_as_the_reader_counts(
    tmp_path: Path,
) -> None:
    ws = build_workspace(tmp_path / "ws", config=LOOP_CONFIG)
    rows = shown(ws, "ediC2", "o.edi", edifact_order("E-1", [(COFFEE, 2), (TEA_UPC, 3)]))
    marked = [(n, text) for n, text, m in rows if m]
    assert marked == [(7, f"LIN+1++{COFFEE}:EN'"), (9, f"LIN+2++{TEA_UPC}:EN'")]


def test_an_x12_interchange_is_its_segments(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path / "ws", config=LOOP_CONFIG)
    rows = shown(ws, "x12C2", "o.x12", x12_order("X-1", [(COFFEE, 2)]))
    assert rows[0][1].startswith("ISA*") and [t for _, t, m in rows if m][0].startswith("PO1*1*")


def test_a_file_whose_original_is_gone_says_so(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path / "ws", config=LOOP_CONFIG)
    data = f"N° commande;Code-barre;Quantité\nB-1;{COFFEE};2\n".encode()
    out = process_external(ws, "shop", drop_file(ws, "shop", "b.csv", data))
    assert out.moved_to is not None and out.inbound_id is not None
    out.moved_to.unlink()
    view = source_view(ws, out.inbound_id)
    assert view.rows == [] and view.note and "no longer" in view.note
