"""Fixtures of the web console's tests: the real application over a real workspace
(SQLite and PostgreSQL), driven through Starlette's test client."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gateway.web import create_app
from gateway.workspace import Workspace
from tests.gateway.web.support import sign_in, web_workspace

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note about httpx vs httpx2
    from starlette.testclient import TestClient


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def web_ws(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    ws = web_workspace(tmp_path / "ws", database=url)
    yield ws
    ws.close()


@pytest.fixture
def client_for(web_ws: Workspace) -> Iterator[Callable[..., TestClient]]:
    """A new browser-like client; with a user name, signed in as that user."""
    app = create_app(web_ws)
    made: list[TestClient] = []

    def make(user: str | None = None) -> TestClient:
        client = TestClient(app)
        made.append(client)
        if user is not None:
            assert sign_in(client, user).status_code == 303
        return client

    yield make
    for c in made:
        c.close()
