"""The request log: every API call, what was sent and answered, secrets masked, queryable at
GET /sandbox/v1/requests right after the call returns."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import replace

import pytest
from litestar.testing import TestClient

from catalog.support import toy
from comptoir.api.app import create_app
from conftest import TOKEN_URL, assert_problem, sandbox_headers

LOG = "/sandbox/v1/requests"


@pytest.fixture
def ops(client, seller_headers, other_headers) -> dict[str, str]:  # noqa: ARG001 (tokens first)
    """Operator headers, then an empty log: the token requests that made them and the sellers'
    headers are gone."""
    headers = sandbox_headers(client)
    assert client.delete(LOG, headers=headers).status_code == 204
    return headers


def logged(client, ops, **query) -> list[dict]:
    r = client.get(LOG, params=query, headers=ops)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def links(response) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers.get("link", ""))}


def test_a_call_is_listed_as_soon_as_it_returns(client, ops, seller_headers):
    r = client.get("/seller/v2/sellers?pageSize=3", headers=seller_headers)
    assert r.status_code == 200
    [entry] = logged(client, ops)
    assert {k: entry[k] for k in ("method", "path", "query", "status", "sellerId", "clientId")} == {
        "method": "GET",
        "path": "/seller/v2/sellers",
        "query": "pageSize=3",
        "status": 200,
        "sellerId": "98979",
        "clientId": "demo-client",
    }
    assert entry["traceId"] == r.headers["x-trace-id"]
    assert entry["durationMs"] > 0
    assert entry["at"].endswith("Z") and entry["wallAt"].endswith("Z")
    assert entry["request"]["headers"]["authorization"] == "Bearer ***"
    assert entry["request"]["headers"]["sellerid"] == "98979"
    assert json.loads(entry["response"]["body"]) == r.json()
    assert entry["response"]["size"] == len(r.content) and entry["response"]["truncated"] is False
    assert entry["response"]["headers"]["x-trace-id"] == r.headers["x-trace-id"]


def test_token_operator_unknown_and_refused_calls_are_logged_too(client, ops, seller_headers):
    client.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_id": "other-client"})
    client.get("/operator/v1/sellers", headers=ops)
    client.get("/seller/v2/no-such-route", headers=seller_headers)
    client.get("/seller/v2/sellers", headers={**seller_headers, "SellerId": "12345"})
    client.get("/seller/v2/sellers")
    entries = logged(client, ops)
    assert [(e["method"], e["path"], e["status"], e["sellerId"], e["clientId"]) for e in entries] == [
        ("GET", "/seller/v2/sellers", 401, None, None),
        # The seller the call named, though its client may not act for it.
        ("GET", "/seller/v2/sellers", 403, "12345", "demo-client"),
        ("GET", "/seller/v2/no-such-route", 404, "98979", "demo-client"),
        ("GET", "/operator/v1/sellers", 200, None, "operator-client"),
        ("POST", TOKEN_URL, 401, None, "other-client"),
    ]


def test_health_docs_and_the_log_itself_are_not_logged(client, ops):
    assert client.get("/health").status_code == 200
    client.get("/docs")
    client.get("/openapi.json")
    client.get(LOG, headers=ops)
    assert logged(client, ops) == []


def test_no_secret_or_token_is_logged(client, ops):
    basic = base64.b64encode(b"other-client:other-secret").decode()
    form = {"grant_type": "client_credentials", "client_id": "demo-client", "client_secret": "demo-secret"}
    tokens = [
        client.post(TOKEN_URL, data=form).json()["access_token"],
        client.post(
            TOKEN_URL, data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
        ).json()["access_token"],
    ]
    created = client.post("/operator/v1/sellers/98979/clients", json={"clientId": "ci-client"}, headers=ops)
    assert created.status_code in (200, 201), created.text
    secrets = ["demo-secret", "other-secret", basic, created.json()["clientSecret"], *tokens]
    headers = {"Authorization": f"Bearer {tokens[0]}", "SellerId": "98979"}
    client.get(f"/seller/v2/sellers?access_token={tokens[0]}", headers=headers)
    client.post(
        "/seller/v2/products-integration",
        json={"products": [toy(1)], "password": "hunter2", "apiKey": "k-123"},
        headers=headers,
    )
    text = json.dumps(logged(client, ops))
    for secret in [*secrets, "hunter2", "k-123"]:
        assert secret not in text
    entries = {e["path"]: e for e in logged(client, ops)}
    token_call = logged(client, ops, path=TOKEN_URL, limit=2)[-1]
    assert "client_secret=***" in token_call["request"]["body"]
    assert json.loads(token_call["response"]["body"])["access_token"] == "***"
    assert token_call["clientId"] == "demo-client"
    assert entries["/seller/v2/sellers"]["query"] == "access_token=***"
    posted = json.loads(entries["/seller/v2/products-integration"]["request"]["body"])
    assert (posted["password"], posted["apiKey"], posted["products"][0]["gtin"]) == (
        "***",
        "***",
        toy(1)["gtin"],
    )
    assert (
        json.loads(entries["/operator/v1/sellers/98979/clients"]["response"]["body"])["clientSecret"] == "***"
    )


def test_bodies_are_cut_at_16_kb_and_binary_bodies_are_not_kept(client, ops, seller_headers):
    products = [toy(n, description="d" * 500) for n in range(60)]
    sent = json.dumps({"products": products}).encode()
    assert len(sent) > 16 * 1024
    r = client.post(
        "/seller/v2/products-integration",
        content=sent,
        headers={**seller_headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 202, r.text
    client.post(
        TOKEN_URL, content=bytes(range(256)) * 10, headers={"Content-Type": "application/octet-stream"}
    )
    binary, big = logged(client, ops)
    assert big["request"]["truncated"] is True and big["request"]["size"] == len(sent)
    assert big["request"]["body"] == sent[: 16 * 1024].decode()
    assert big["response"]["truncated"] is False
    assert binary["request"]["body"] is None and binary["request"]["truncated"] is False
    assert (binary["request"]["contentType"], binary["request"]["size"]) == ("application/octet-stream", 2560)


def test_filters(client, ops, seller_headers, other_headers):
    first = client.get("/seller/v2/sellers", headers=seller_headers)
    client.get("/seller/v2/sellers/addresses", headers=seller_headers)
    client.get("/seller/v2/sellers", headers=other_headers)
    client.get("/seller/v2/orders/nope", headers=other_headers)
    client.post("/sandbox/v1/clock", json={"advanceSeconds": 3600}, headers=ops)
    client.get("/seller/v2/carriers", headers=sandbox_headers(client))

    def paths(**query) -> list[str]:
        return [e["path"] for e in logged(client, ops, **query)]

    assert paths(sellerId="98979") == ["/seller/v2/sellers/addresses", "/seller/v2/sellers"]
    assert paths(sellerId="12345", status=404) == ["/seller/v2/orders/nope"]
    assert paths(path="/seller/v2/sellers", clientId="other-client") == ["/seller/v2/sellers"]
    # The operator token of the last call, then the clock.
    assert paths(method="post") == [TOKEN_URL, "/sandbox/v1/clock"]
    assert paths(traceId=first.headers["x-trace-id"]) == ["/seller/v2/sellers"]
    assert paths(traceId=first.headers["x-trace-id"][3:35]) == ["/seller/v2/sellers"]
    # Times on the platform clock: only the last call came after the clock moved an hour on.
    later = logged(client, ops, path="/seller/v2/carriers")[0]["at"]
    assert paths(since=later) == ["/seller/v2/carriers"]
    before = logged(client, ops, path="/seller/v2/orders/nope")[0]["at"]
    assert paths(until=before) == [
        "/seller/v2/orders/nope",
        "/seller/v2/sellers",
        "/seller/v2/sellers/addresses",
        "/seller/v2/sellers",
    ]
    assert paths(path="/seller/v2/sellers%") == []


def test_pages_newest_first_with_cursors(client, ops, seller_headers):
    for size in range(1, 6):
        client.get(f"/seller/v2/sellers?n={size}", headers=seller_headers)
    r = client.get(LOG, params={"limit": 2}, headers=ops)
    assert [e["query"] for e in r.json()["items"]] == ["n=5", "n=4"]
    second = client.get(links(r)["next"], headers=ops)
    assert [e["query"] for e in second.json()["items"]] == ["n=3", "n=2"]
    last = client.get(links(second)["next"], headers=ops)
    assert [e["query"] for e in last.json()["items"]] == ["n=1"] and "next" not in links(last)
    assert [e["query"] for e in client.get(links(last)["prev"], headers=ops).json()["items"]] == [
        "n=3",
        "n=2",
    ]


def test_bad_queries_are_problems(client, ops):
    assert_problem(client.get(LOG, params={"since": "yesterday"}, headers=ops), 400)
    assert_problem(client.get(LOG, params={"status": 99}, headers=ops), 400)
    assert_problem(client.get(LOG, params={"cursor": "nope"}, headers=ops), 400)
    assert_problem(client.get(LOG, params={"limit": 501}, headers=ops), 400)


def test_the_log_needs_an_operator_and_clears(client, ops, seller_headers):
    assert_problem(client.get(LOG), 401)
    assert_problem(client.get(LOG, headers=seller_headers), 403)
    client.get("/seller/v2/sellers", headers=seller_headers)
    assert len(logged(client, ops)) == 1
    assert client.delete(LOG, headers=ops).status_code == 204
    assert logged(client, ops) == []


def test_the_log_can_be_turned_off(settings, db, ops):  # noqa: ARG001 (the log emptied first)
    app = create_app(replace(settings, request_log=False), db)
    with TestClient(app=app) as quiet:
        ops = sandbox_headers(quiet)
        quiet.delete(LOG, headers=ops)
        quiet.get("/seller/v2/sellers", headers=ops)
        assert quiet.get(LOG, headers=ops).json()["items"] == []
