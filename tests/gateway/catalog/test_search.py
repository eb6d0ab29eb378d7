"""Finding a product as a person types: barcode in any writing, reference and name by
their beginning, then a name by any part of it."""

from __future__ import annotations

from gateway.catalog.search import search_products
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE


def skus(ws: Workspace, text: str) -> list[tuple[str, str]]:
    with ws.read_sessions() as s:
        return [(p.sku, p.by) for p in search_products(s, text)]


def test_a_barcode_finds_its_product_in_any_writing(workspace: Workspace) -> None:
    assert skus(workspace, COFFEE) == [("COF-250", "barcode")]
    assert skus(workspace, "0" + COFFEE) == [("COF-250", "barcode")]


def test_a_reference_is_found_by_its_beginning_whatever_the_case(workspace: Workspace) -> None:
    assert skus(workspace, "jam-") == [("JAM-APR", "sku"), ("JAM-STR", "sku")]


def test_a_name_is_found_by_its_beginning_then_by_any_part(workspace: Workspace) -> None:
    assert skus(workspace, "Green tea") == [("TEA-GRN", "name")]
    assert skus(workspace, "jam 370") == [("JAM-APR", "name"), ("JAM-STR", "name")]


def test_nothing_typed_finds_nothing(workspace: Workspace) -> None:
    assert skus(workspace, "  ") == []
