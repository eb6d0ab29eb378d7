"""The rejections queue in the console: a rejected line mapped to a product (a learned
cross-reference), a missing assortment row added — each then shown as the replay's
dry-run diff."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from gateway.admin.xrefs import learned_references
from gateway.daemon.passes import process_external
from gateway.store.models import OrderLine
from gateway.workspace import Workspace
from tests.gateway.admin.support import drop_file
from tests.gateway.conftest import JAM_APRICOT
from tests.gateway.web.conftest import TestClient
from tests.gateway.web.support import hotel_csv
from tests.gateway.web.test_orders import post

Client = Callable[..., TestClient]


@pytest.fixture
def order_id(web_ws: Workspace) -> int:
    out = process_external(web_ws, "hotel", drop_file(web_ws, "hotel", "h.csv", hotel_csv("P-1")))
    return out.orders[0].id


def test_an_operator_may_map_only_for_the_customer(
    client_for: Client, web_ws: Workspace, order_id: int
) -> None:
    with web_ws.read_sessions() as s:
        line_id = s.scalar(select(OrderLine.id).where(OrderLine.outcome == "rejected"))
    r = post(
        client_for("olivier"),
        "/rejections",
        f"/rejections/{line_id}/fix",
        {"sku": "COF-250", "scope": "everyone"},
    )
    assert r.status_code == 403 and learned_references(web_ws) == []


def test_the_product_search_answers_as_json(client_for: Client) -> None:
    found = client_for("victor").get("/products/search", params={"q": "jam"}).json()
    assert [p["sku"] for p in found] == ["JAM-APR", "JAM-STR"]


def test_mapping_a_rejected_line_saves_a_learned_reference_and_shows_the_replay_diff(
    client_for: Client, web_ws: Workspace, order_id: int
) -> None:
    with web_ws.read_sessions() as s:
        line_id = s.scalar(select(OrderLine.id).where(OrderLine.outcome == "rejected"))
    r = post(client_for("olivier"), "/rejections", f"/rejections/{line_id}/fix",
             {"sku": "COF-250"})  # fmt: skip
    assert r.status_code == 200 and "/replay" in str(r.url)
    assert "Dry run" in r.text and "rejected" in r.text and "accepted" in r.text
    (x,) = learned_references(web_ws)
    assert (x.sku, x.created_by) == ("COF-250", "admin:olivier")


def test_a_missing_assortment_row_is_imported_from_the_rejection(
    client_for: Client, web_ws: Workspace
) -> None:
    # The hotel's customer C2 has an assortment without the apricot jam.
    out = process_external(web_ws, "hotel", drop_file(
        web_ws, "hotel", "jam.csv", hotel_csv("P-2", refused=JAM_APRICOT)))  # fmt: skip
    with web_ws.read_sessions() as s:
        line = s.scalar(select(OrderLine).where(OrderLine.reason_code == "not_in_assortment"))
        assert line is not None
    r = post(client_for("olivier"), "/rejections", f"/rejections/{line.id}/assortment", {})
    assert "JAM-APR added to the assortment of C2" in r.text
    assert f"/files/{out.inbound_id}/replay" in str(r.url)
