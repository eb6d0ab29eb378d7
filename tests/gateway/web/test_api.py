"""The HTTP inbox (/api/v1): partner tokens, files into the same intake as a folder drop,
their outcome, the partner's orders — and nothing of any other partner's."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select

from gateway.store.models import InboundFile
from gateway.web.tokens import add_token, revoke_token
from gateway.workspace import Workspace
from tests.gateway.web.conftest import TestClient
from tests.gateway.web.support import hotel_csv

Client = Callable[..., TestClient]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def hotel_token(web_ws: Workspace) -> str:
    return add_token(web_ws, "hotel", actor="admin:marie")[1]


def post(client: TestClient, token: str, name: str, data: bytes):  # noqa: ANN201
    return client.post("/api/v1/files", headers=bearer(token), files={"file": (name, data)})


def files_of(ws: Workspace, partner: str) -> int:
    with ws.read_sessions() as s:
        return s.scalar(select(func.count()).where(InboundFile.partner == partner)) or 0


def test_a_request_without_a_token_is_401(client_for: Client) -> None:
    r = client_for().get("/api/v1/orders")
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")


def test_a_wrong_token_is_401(client_for: Client) -> None:
    r = client_for().get("/api/v1/orders", headers=bearer("ogw_not-a-token"))
    assert r.status_code == 401


def test_a_revoked_token_is_401(client_for: Client, web_ws: Workspace) -> None:
    info, token = add_token(web_ws, "hotel", actor="admin:marie")
    client = client_for()
    assert client.get("/api/v1/orders", headers=bearer(token)).status_code == 200
    revoke_token(web_ws, info.id, actor="admin:marie")
    assert client.get("/api/v1/orders", headers=bearer(token)).status_code == 401


def test_a_posted_file_is_processed_like_a_dropped_one_and_answered_202_with_its_id(
    client_for: Client, web_ws: Workspace, hotel_token: str
) -> None:
    r = post(client_for(), hotel_token, "commande 7.csv", hotel_csv("PO-7"))
    assert r.status_code == 202
    body = r.json()
    assert body["outcome"] == "processed" and isinstance(body["id"], int)
    with web_ws.read_sessions() as s:
        f = s.get(InboundFile, body["id"])
        assert f is not None and f.partner == "hotel" and f.name == "commande 7.csv"
    acks = [p.name for p in web_ws.outbox("hotel").iterdir()]
    assert any(n.startswith("ACK_commande 7_") for n in acks)


def test_the_same_file_posted_twice_is_processed_once(
    client_for: Client, web_ws: Workspace, hotel_token: str
) -> None:
    client = client_for()
    first = post(client, hotel_token, "a.csv", hotel_csv("PO-8")).json()
    second = post(client, hotel_token, "a.csv", hotel_csv("PO-8")).json()
    assert (first["outcome"], second["outcome"]) == ("processed", "duplicate")


def test_a_file_shows_its_outcome_orders_and_replies_in_the_order_contract(
    client_for: Client, hotel_token: str
) -> None:
    client = client_for()
    fid = post(client, hotel_token, "b.csv", hotel_csv("PO-9")).json()["id"]
    body = client.get(f"/api/v1/files/{fid}", headers=bearer(hotel_token)).json()
    assert {"id", "name", "outcome", "reason", "orders", "replies"} <= set(body)
    (order,) = body["orders"]
    assert {"id", "partner", "customer", "site", "order_number", "status", "lines"} <= set(order)
    assert order["order_number"] == "PO-9"
    assert [ln["outcome"] for ln in order["lines"]] == ["accepted", "accepted", "rejected"]
    assert {"line_no", "sku", "quantity", "outcome", "reason_code", "message", "matched_by"} <= (
        set(order["lines"][0])
    )
    assert body["replies"] and body["replies"][0]["kind"] == "ack"


def test_nothing_internal_is_in_a_file_answer(client_for: Client, hotel_token: str) -> None:
    client = client_for()
    fid = post(client, hotel_token, "c.csv", hotel_csv("PO-10")).json()["id"]
    text = client.get(f"/api/v1/files/{fid}", headers=bearer(hotel_token)).text
    assert "/archive/" not in text and "admin:" not in text and "outbox" not in text


def test_another_partners_file_is_404_whatever_the_id(
    client_for: Client, web_ws: Workspace, hotel_token: str
) -> None:
    shop = add_token(web_ws, "shop", actor="admin:marie")[1]
    client = client_for()
    fid = post(client, hotel_token, "d.csv", hotel_csv("PO-11")).json()["id"]
    assert client.get(f"/api/v1/files/{fid}", headers=bearer(shop)).status_code == 404
    assert client.get("/api/v1/files/999999", headers=bearer(shop)).status_code == 404


def test_the_orders_list_holds_only_the_partners_own_orders(
    client_for: Client, web_ws: Workspace, hotel_token: str
) -> None:
    shop = add_token(web_ws, "shop", actor="admin:marie")[1]
    client = client_for()
    post(client, hotel_token, "e.csv", hotel_csv("PO-12"))
    own = client.get("/api/v1/orders", headers=bearer(hotel_token)).json()["orders"]
    assert [o["order_number"] for o in own] == ["PO-12"]
    assert client.get("/api/v1/orders", headers=bearer(shop)).json()["orders"] == []


def test_orders_since_a_time_are_those_changed_since(client_for: Client, hotel_token: str) -> None:
    client = client_for()
    post(client, hotel_token, "f.csv", hotel_csv("PO-13"))
    later = client.get(
        "/api/v1/orders", params={"since": "2999-01-01T00:00:00Z"}, headers=bearer(hotel_token)
    )
    assert later.status_code == 200 and later.json()["orders"] == []
    earlier = client.get(
        "/api/v1/orders", params={"since": "2000-01-01T00:00:00Z"}, headers=bearer(hotel_token)
    )
    assert [o["status"] for o in earlier.json()["orders"]] == ["pending_validation"]


def test_a_file_over_the_size_limit_by_its_content_length_is_413_and_not_stored(
    client_for: Client, web_ws: Workspace
) -> None:
    token = add_token(web_ws, "small", actor="admin:marie")[1]
    r = post(client_for(), token, "big.csv", b"x;" * 20_000)
    assert r.status_code == 413
    assert "2,000" in r.json()["detail"]
    assert files_of(web_ws, "small") == 0
    assert not any(web_ws.processing("small").iterdir())


def test_a_file_over_the_size_limit_is_413_while_it_streams(
    client_for: Client, web_ws: Workspace
) -> None:
    token = add_token(web_ws, "small", actor="admin:marie")[1]
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
    ).encode()

    def chunks() -> Iterator[bytes]:  # sent chunked: no Content-Length to refuse it by
        yield head
        for _ in range(10):
            yield b"1234567890" * 100
        yield f"\r\n--{boundary}--\r\n".encode()

    r = client_for().post(
        "/api/v1/files",
        headers={**bearer(token), "Content-Type": f"multipart/form-data; boundary={boundary}"},
        content=chunks(),
    )
    assert r.status_code == 413
    assert files_of(web_ws, "small") == 0


def test_a_request_without_a_file_is_400(client_for: Client, hotel_token: str) -> None:
    r = client_for().post("/api/v1/files", headers=bearer(hotel_token), data={"x": "1"})
    assert r.status_code == 400


def test_an_openapi_description_is_served(client_for: Client) -> None:
    spec = client_for().get("/api/v1/openapi.json").json()
    assert {"/api/v1/files", "/api/v1/files/{file_id}", "/api/v1/orders"} <= set(spec["paths"])
    assert not any(p.startswith("/orders") for p in spec["paths"])  # pages are not the API
