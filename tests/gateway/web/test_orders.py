"""The supplier's pages: roles, the order page and its actions through the same
services as the CLI, the rejections queue and its fixes, resending a reply."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from sqlalchemy import select

from gateway.daemon.passes import process_external
from gateway.orders.queries import get_order
from gateway.store.models import ActionEvent, OutgoingMessage
from gateway.workspace import Workspace
from tests.gateway.admin.support import drop_file
from tests.gateway.web.conftest import TestClient
from tests.gateway.web.support import csrf_of, hotel_csv

Client = Callable[..., TestClient]
PAGES = ["/dashboard", "/orders", "/rejections", "/files", "/messages", "/xrefs", "/partners"]


@pytest.fixture
def order_id(web_ws: Workspace) -> int:
    out = process_external(web_ws, "hotel", drop_file(web_ws, "hotel", "h.csv", hotel_csv("P-1")))
    return out.orders[0].id


def post(client: TestClient, page: str, url: str, data: dict[str, str]):  # noqa: ANN201
    return client.post(url, data={"csrf": csrf_of(client.get(page).text), **data},
                       headers={"Referer": f"http://testserver{page}"})  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_a_viewer_reads_every_page(client_for: Client, order_id: int, page: str) -> None:
    assert client_for("victor").get(page).status_code == 200


def test_a_viewer_may_not_move_an_order(client_for: Client, order_id: int) -> None:
    r = post(client_for("victor"), f"/orders/{order_id}", f"/orders/{order_id}/move",
             {"verb": "validate"})  # fmt: skip
    assert r.status_code == 403


def test_only_an_admin_sees_the_users_page(client_for: Client) -> None:
    assert client_for("olivier").get("/users").status_code == 403
    assert client_for("marie").get("/users").status_code == 200


def test_an_operator_validates_with_a_confirmed_quantity_as_admin_name(
    client_for: Client, web_ws: Workspace, order_id: int
) -> None:
    r = post(client_for("olivier"), f"/orders/{order_id}", f"/orders/{order_id}/move",
             {"verb": "validate", "q_1": "1"})  # fmt: skip
    assert r.status_code == 200
    order = get_order(web_ws, order_id)
    assert order is not None and order["status"] == "validated"
    assert order["lines"][0]["confirmed_quantity"] == 1
    assert order["events"][-1]["actor"] == "admin:olivier"


def test_confirming_more_than_was_ordered_is_refused_on_the_order_page(
    client_for: Client, web_ws: Workspace, order_id: int
) -> None:
    r = post(client_for("olivier"), f"/orders/{order_id}", f"/orders/{order_id}/move",
             {"verb": "validate", "q_1": "999"})  # fmt: skip
    said = html.unescape(r.text)
    assert "Line 1: 999 asked, 2 ordered. To confirm more than was ordered, tick “Accept" in said
    assert "--allow-more" not in said  # the command line's flag means nothing in the console
    order = get_order(web_ws, order_id)
    assert order is not None and order["status"] == "pending_validation"


def test_shipping_more_than_was_confirmed_is_refused_in_the_users_language(
    client_for: Client, web_ws: Workspace, order_id: int
) -> None:
    client = client_for("olivier")
    post(client, "/dashboard", "/me/language", {"language": "fr"})
    post(client, f"/orders/{order_id}", f"/orders/{order_id}/move", {"verb": "validate"})
    post(client, f"/orders/{order_id}", f"/orders/{order_id}/move", {"verb": "prepare"})
    r = post(client, f"/orders/{order_id}", f"/orders/{order_id}/move",
             {"verb": "ship", "q_1": "5"})  # fmt: skip
    said = html.unescape(r.text)
    assert "Ligne 1 : 5 seraient expédiés, 2 confirmés. Pour expédier plus que confirmé" in said
    assert "--allow-more" not in said
    order = get_order(web_ws, order_id)
    assert order is not None and order["status"] == "in_preparation"


def test_the_validate_form_accepts_more_than_ordered_when_ticked(
    client_for: Client, web_ws: Workspace, order_id: int
) -> None:
    assert 'name="allow_more"' in client_for("olivier").get(f"/orders/{order_id}").text
    post(client_for("olivier"), f"/orders/{order_id}", f"/orders/{order_id}/move",
         {"verb": "validate", "q_1": "999", "allow_more": "1"})  # fmt: skip
    order = get_order(web_ws, order_id)
    assert order is not None and order["status"] == "validated"
    assert order["lines"][0]["confirmed_quantity"] == 999


def test_a_forbidden_move_is_said_on_the_order_page(client_for: Client, order_id: int) -> None:
    r = post(client_for("olivier"), f"/orders/{order_id}", f"/orders/{order_id}/move",
             {"verb": "deliver"})  # fmt: skip
    assert "cannot become delivered" in r.text and str(r.url).endswith(f"/orders/{order_id}")


def test_the_order_page_shows_its_source_file_with_the_read_rows_marked(
    client_for: Client, order_id: int
) -> None:
    html = client_for("victor").get(f"/orders/{order_id}").text
    source = html.split('id="source"')[1]
    assert source.count('class="mark-accepted"') == 2 and source.count('class="mark-rejected"') == 1


def test_resending_a_reply_writes_it_again_and_records_who(
    client_for: Client, web_ws: Workspace, order_id: int
) -> None:
    with web_ws.read_sessions() as s:
        msg = s.scalar(select(OutgoingMessage).where(OutgoingMessage.kind == "ack"))
        assert msg is not None
    target = web_ws.outbox("hotel") / msg.filename
    target.unlink()  # the partner fetched it, then lost it
    post(client_for("olivier"), "/messages", f"/messages/{msg.id}/resend", {"back": "/messages"})
    assert target.read_bytes() == msg.content
    with web_ws.read_sessions() as s:
        acted = s.scalar(select(ActionEvent).where(ActionEvent.action == "resend"))
    assert acted is not None and acted.actor == "admin:olivier"


def test_the_console_speaks_french_to_a_french_user(client_for: Client) -> None:
    client = client_for("victor")
    post(client, "/dashboard", "/me/language", {"language": "fr"})
    assert "Tableau de bord" in client.get("/dashboard").text
