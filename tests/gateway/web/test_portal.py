"""The partners' portal: a partner's person sees its own orders, files and replies, can
upload an order file into the same intake — and reaches nothing of another partner's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gateway.daemon.passes import process_external
from gateway.store.models import OutgoingMessage
from gateway.web.accounts import add_user
from gateway.web.roles import Role
from gateway.workspace import Workspace
from tests.gateway.admin.support import drop_file
from tests.gateway.conftest import COFFEE
from tests.gateway.web.conftest import TestClient
from tests.gateway.web.support import PASSWORD, csrf_of, hotel_csv

Client = Callable[..., TestClient]


@pytest.fixture
def shop_order(web_ws: Workspace) -> int:
    data = f"N° commande;Code-barre;Quantité\nSHOP-1;{COFFEE};1\n".encode()
    out = process_external(web_ws, "shop", drop_file(web_ws, "shop", "shop.csv", data))
    return out.orders[0].id


def upload(client: TestClient, name: str, data: bytes):  # noqa: ANN201
    token = csrf_of(client.get("/portal").text)
    return client.post("/portal/upload", data={"csrf": token}, files={"file": (name, data)})


def test_an_upload_enters_the_intake_and_its_result_is_shown(
    client_for: Client, web_ws: Workspace
) -> None:
    r = upload(client_for("hotel-buyer"), "ma commande.csv", hotel_csv("H-1"))
    assert r.status_code == 200 and "/portal/files/" in str(r.url)
    assert "1 commande(s), 2 ligne(s) acceptée(s), 1 refusée(s)" in r.text  # hotel reads French
    assert any(p.name.startswith("ACK_ma commande_") for p in web_ws.outbox("hotel").iterdir())


def test_an_upload_without_its_csrf_token_is_refused_and_not_taken(
    client_for: Client, web_ws: Workspace
) -> None:
    client = client_for("hotel-buyer")
    r = client.post("/portal/upload", files={"file": ("x.csv", hotel_csv("H-2"))})
    assert r.status_code == 403
    assert not any(web_ws.outbox("hotel").iterdir())


def test_an_upload_over_the_partners_limit_is_413(client_for: Client, web_ws: Workspace) -> None:
    add_user(web_ws, "small-buyer", role=Role.PARTNER, partner="small", password=PASSWORD,
             actor="admin:marie")  # fmt: skip
    r = upload(client_for("small-buyer"), "big.csv", b"x;" * 5000)
    assert r.status_code == 413 and "2,000" in r.text


def test_another_partners_order_is_404_whatever_the_page(
    client_for: Client, shop_order: int
) -> None:
    client = client_for("hotel-buyer")
    for url in (f"/portal/orders/{shop_order}", f"/orders/{shop_order}", "/portal/orders/99999"):
        assert client.get(url).status_code == 404, url


def test_another_partners_reply_and_file_are_404(
    client_for: Client, web_ws: Workspace, shop_order: int
) -> None:
    with web_ws.read_sessions() as s:
        message = s.query(OutgoingMessage).filter_by(partner="shop").first()
        assert message is not None
        mid, fid = message.id, message.inbound_file_id
    client = client_for("hotel-buyer")
    assert client.get(f"/portal/replies/{mid}").status_code == 404
    assert client.get(f"/portal/files/{fid}").status_code == 404


def test_a_partner_sees_its_own_order_and_downloads_its_reply(
    client_for: Client, shop_order: int
) -> None:
    client = client_for("shop-buyer")
    page = client.get(f"/portal/orders/{shop_order}")
    assert page.status_code == 200 and "SHOP-1" in page.text
    assert "admin:" not in page.text
    link = page.text.split('href="/portal/replies/')[1].split('"')[0]
    reply = client.get(f"/portal/replies/{link}")
    assert reply.status_code == 200 and b"SHOP-1" in reply.content


def test_a_partner_user_reaches_none_of_the_suppliers_pages(client_for: Client) -> None:
    client = client_for("shop-buyer")
    for url in ("/dashboard", "/rejections", "/files", "/messages", "/users"):
        assert client.get(url).status_code == 404, url
