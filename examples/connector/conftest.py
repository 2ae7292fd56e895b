"""pytest fixtures for a connector's test suite against a comptoir sandbox.

Start the marketplace once (`comptoir serve --sandbox`), point COMPTOIR_URL at it, and every test
starts from the same state, with the progress policy it picks, and can inject faults and read what
the connector sent."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest

BASE = os.environ.get("COMPTOIR_URL", "http://127.0.0.1:8000")
TOKEN_URL = f"{BASE}/auth/realms/maas/protocol/openid-connect/token"


def token(client_id: str, secret: str) -> str:
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return str(httpx.post(TOKEN_URL, data=data).raise_for_status().json()["access_token"])


@pytest.fixture(scope="session")
def sandbox() -> Iterator[httpx.Client]:
    """The sandbox controls, with an operator token (tokens stay valid across resets)."""
    headers = {"Authorization": f"Bearer {token('operator-client', 'operator-secret')}"}
    with httpx.Client(base_url=f"{BASE}/sandbox/v1", headers=headers) as client:
        yield client


@pytest.fixture(autouse=True)
def marketplace(sandbox: httpx.Client) -> None:
    """Each test: the demo data (same seed, same ids), every asynchronous step done before the
    request that starts it answers, and the clock frozen, so that answers are reproducible."""
    sandbox.post("/reset", json={"pack": "demo", "seed": 1}).raise_for_status()
    sandbox.put("/progress-policies/all", json={"mode": "immediate"}).raise_for_status()
    sandbox.post("/clock", json={"freeze": True}).raise_for_status()


@pytest.fixture
def fault(sandbox: httpx.Client):
    """Adds a fault rule: `fault("503", path="/seller/v2/orders", times=2)`."""

    def add(kind: str, **rule: object) -> dict:
        return sandbox.post("/faults", json={"fault": kind, **rule}).raise_for_status().json()

    return add


@pytest.fixture
def sent(sandbox: httpx.Client):
    """What the connector sent, newest first: `sent(path="/seller/v2/offer-packages")`."""

    def requests(**filters: object) -> list[dict]:
        return sandbox.get("/requests", params=filters).raise_for_status().json()["items"]

    return requests


@pytest.fixture
def seller() -> Iterator[httpx.Client]:
    """The connector's own client: base URL and token URL pointed at comptoir, nothing else changed."""
    headers = {"Authorization": f"Bearer {token('demo-client', 'demo-secret')}", "SellerId": "98979"}
    with httpx.Client(base_url=f"{BASE}/seller/v2", headers=headers) as client:
        yield client
