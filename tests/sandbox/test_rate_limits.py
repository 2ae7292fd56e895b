"""Rate limits as production applies them: the token quota in every profile, the product-creation
quota in the production profile, honest headers, and the counters seen and reset at
/sandbox/v1/rate-limits."""

from __future__ import annotations

import os
import uuid
from dataclasses import replace

import pytest
from litestar.testing import TestClient

from catalog.support import OP, integrate, toy
from comptoir.api.app import create_app
from comptoir.auth import TokenQuota
from conftest import TOKEN_URL, sandbox_headers

LIMITS = "/sandbox/v1/rate-limits"
REDIS_URL = os.environ.get("COMPTOIR_TEST_REDIS_URL")


def form(client_id: str = "demo-client", secret: str = "demo-secret") -> dict[str, str]:
    return {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}


def limited(response) -> tuple[int, int, int]:
    h = response.headers
    return int(h["x-ratelimit-limit"]), int(h["x-ratelimit-remaining"]), int(h["x-ratelimit-reset"])


def counters(client, ops) -> dict[tuple[str, str], dict]:
    body = client.get(LIMITS, headers=ops).json()
    return {(c["name"], c["clientId"] or c["sellerId"]): c for c in body["counters"]}


@pytest.fixture
def ops(client, app) -> dict[str, str]:
    """Operator headers, then a quota of 3 tokens an hour (the tests' server runs without one)."""
    headers = sandbox_headers(client)
    app.state.context.quota = TokenQuota(3, app.state.context.store)
    return headers


def test_token_answers_carry_the_quota_and_429_says_when_to_retry(client, ops):
    answers = [client.post(TOKEN_URL, data=form()) for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert [limited(r)[:2] for r in answers] == [(3, 2), (3, 1), (3, 0)]
    assert all(0 < limited(r)[2] <= 3600 for r in answers)
    assert "retry-after" not in answers[0].headers
    refused = client.post(TOKEN_URL, data=form())
    assert refused.status_code == 429
    assert refused.json()["error"] == "too_many_requests"
    limit, remaining, reset = limited(refused)
    assert (limit, remaining) == (3, 0) and int(refused.headers["retry-after"]) == reset > 0
    # Per client: another client still has its whole quota.
    assert limited(client.post(TOKEN_URL, data=form("other-client", "other-secret")))[:2] == (3, 2)
    seen = counters(client, ops)
    assert {k: (c["limit"], c["used"], c["remaining"]) for k, c in seen.items()} == {
        ("tokens", "demo-client"): (3, 3, 0),
        ("tokens", "other-client"): (3, 1, 2),
    }
    assert abs(seen[("tokens", "demo-client")]["resetSeconds"] - reset) <= 1


def test_resetting_the_counters_gives_the_quota_back(client, ops):
    for _ in range(3):
        client.post(TOKEN_URL, data=form())
    assert client.post(TOKEN_URL, data=form()).status_code == 429
    assert client.delete(LIMITS, headers=ops).status_code == 204
    assert counters(client, ops) == {}
    again = client.post(TOKEN_URL, data=form())
    assert again.status_code == 200 and limited(again)[:2] == (3, 2)


def test_the_limits_of_each_profile(client, ops):
    body = client.get(LIMITS, headers=ops).json()
    assert body["limits"] == [
        {
            "name": "tokens",
            "per": "client",
            "limit": 3,
            "windowSeconds": 3600,
            "profiles": ["lenient", "production"],
        },
        {
            "name": "productCreations",
            "per": "seller",
            "limit": 25,
            "windowSeconds": 3600,
            "profiles": ["production"],
        },
    ]


def test_the_lenient_profile_does_not_limit_product_creations(client, ops, seller_headers, drain):
    r = client.post("/seller/v2/products-integration", json={"products": [toy(1)]}, headers=seller_headers)
    assert r.status_code == 202 and "x-ratelimit-limit" not in r.headers
    drain()
    assert ("productCreations", "98979") not in counters(client, ops)


def test_product_creations_in_the_production_profile(client, ops, seller_headers, drain):
    r = client.patch(f"{OP}/sellers/98979", json={"fidelityProfile": "production"}, headers=ops)
    assert r.status_code == 200, r.text
    first = client.post(
        "/seller/v2/products-integration", json={"products": [toy(0)]}, headers=seller_headers
    )
    assert limited(first) == (25, 25, 0)
    drain()
    integrate(client, seller_headers, drain, [toy(n) for n in range(1, 20)])
    # What is left before this package is checked; the same product again costs nothing.
    r = client.post("/seller/v2/products-integration", json={"products": [toy(0)]}, headers=seller_headers)
    limit, remaining, reset = limited(r)
    assert (limit, remaining) == (25, 5) and 3500 < reset <= 3600
    drain()
    counted = counters(client, ops)[("productCreations", "98979")]
    assert (counted["used"], counted["remaining"]) == (20, 5) and abs(counted["resetSeconds"] - reset) <= 1
    # Ten creations, five past the quota.
    items = integrate(client, seller_headers, drain, [toy(n) for n in range(20, 30)])
    assert [i["status"] for i in items] == ["Integrated"] * 5 + ["Refused"] * 5
    assert counters(client, ops)[("productCreations", "98979")]["used"] == 25
    # Reset: the quota is whole again.
    assert client.delete(LIMITS, headers=ops).status_code == 204
    items = integrate(client, seller_headers, drain, [toy(n) for n in range(25, 30)])
    assert [i["status"] for i in items] == ["Integrated"] * 5


def test_product_creations_follow_the_platform_clock(client, ops, seller_headers, drain):
    client.patch(f"{OP}/sellers/98979", json={"fidelityProfile": "production"}, headers=ops)
    integrate(client, seller_headers, drain, [toy(n) for n in range(3)])
    assert counters(client, ops)[("productCreations", "98979")]["used"] == 3
    client.post("/sandbox/v1/clock", json={"advanceSeconds": 3600}, headers=ops)
    assert ("productCreations", "98979") not in counters(client, ops)


def test_rate_limits_need_an_operator(client, seller_headers):
    assert client.get(LIMITS).status_code == 401
    assert client.get(LIMITS, headers=seller_headers).status_code == 403
    assert client.delete(LIMITS, headers=seller_headers).status_code == 403


def test_token_counters_hold_across_processes(settings, db, client):  # noqa: ARG001 (demo data)
    if not REDIS_URL:
        pytest.skip("COMPTOIR_TEST_REDIS_URL is not set")
    shared = replace(
        settings,
        redis_url=REDIS_URL,
        redis_prefix=f"comptoir-test-{uuid.uuid4().hex}:",
        token_rate_limit_per_hour=2,
    )
    # Two API processes: two apps over one database and one Redis.
    with TestClient(app=create_app(shared, db)) as first, TestClient(app=create_app(shared, db)) as second:
        try:
            assert [first.post(TOKEN_URL, data=form()).status_code for _ in range(2)] == [200, 200]
            refused = second.post(TOKEN_URL, data=form())
            assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
            seen = counters(second, sandbox_headers(second))
            assert seen[("tokens", "demo-client")]["used"] == 2
        finally:
            first.app.state.context.store.clear()
