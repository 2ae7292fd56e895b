"""Faults as production shows them: rules set through /sandbox/v1/faults, seen over HTTP."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient
from typer.testing import CliRunner

from comptoir.api.app import create_app
from comptoir.cli.main import app as cli
from comptoir.platform import state
from comptoir.sandbox.faults import FRESH_SECONDS
from conftest import TOKEN_URL, assert_problem, token_for
from live_server import sandbox_servers

FAULTS = "/sandbox/v1/faults"
SELLERS = "/seller/v2/sellers"
COMMAND = "/allegro/offers/change-additional-platforms-commands/6a0f3c4e-8e7b-4c55-9d5b-3f1e0b7d2a11"


@pytest.fixture
def op(client: TestClient[Any]) -> Iterator[dict[str, str]]:
    """An operator token taken before any rule exists (a rule may fault the token endpoint), and no
    rules before or after the test: they live in platform_state, which the wipe keeps."""
    headers = {"Authorization": f"Bearer {token_for(client, 'operator-client', 'operator-secret')}"}
    client.delete(FAULTS, headers=headers)
    yield headers
    client.delete(FAULTS, headers=headers)


def add(client: TestClient[Any], op: dict[str, str], **rule: Any) -> dict[str, Any]:
    r = client.post(FAULTS, json=rule, headers=op)
    assert r.status_code == 201, r.text
    return dict(r.json())


def rules(client: TestClient[Any], op: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {rule["id"]: rule for rule in client.get(FAULTS, headers=op).json()["items"]}


def mark(rule: dict[str, Any]) -> str:
    return f"{rule['fault']}; rule={rule['id']}"


def test_429_is_a_problem_with_retry_after_and_fires_the_next_call_only(client, op, seller_headers):
    rule = add(client, op, fault="429", path=SELLERS, retryAfterSeconds=7)
    assert rule["times"] == 1 and rule["matched"] == rule["fired"] == 0
    r = client.get(SELLERS, headers=seller_headers)
    body = assert_problem(r, 429)
    assert r.headers["retry-after"] == "7" and "7 seconds" in body["detail"]
    assert r.headers["x-comptoir-fault"] == mark(rule)
    again = client.get(SELLERS, headers=seller_headers)
    assert again.status_code == 200 and "x-comptoir-fault" not in again.headers
    assert rules(client, op)[rule["id"]]["fired"] == 1


def test_429_says_retry_after_one_second_unless_told(client, op, seller_headers):
    add(client, op, fault="429")
    assert client.get(SELLERS, headers=seller_headers).headers["retry-after"] == "1"


def test_500_and_503_are_problem_documents(client, op, seller_headers):
    add(client, op, fault="500", path=SELLERS)
    r = client.get(SELLERS, headers=seller_headers)
    assert assert_problem(r, 500)["detail"] == "The server could not complete the request."
    add(client, op, fault="503", path=SELLERS, retryAfterSeconds=30)
    r = client.get(SELLERS, headers=seller_headers)
    assert assert_problem(r, 503)["title"] == "Service Unavailable"
    assert r.headers["retry-after"] == "30"
    add(client, op, fault="503", path=SELLERS)
    assert "retry-after" not in client.get(SELLERS, headers=seller_headers).headers


def test_a_proxys_503_is_nginx_html(client, op, seller_headers):
    rule = add(client, op, fault="503-html", path=SELLERS)
    r = client.get(SELLERS, headers=seller_headers)
    assert r.status_code == 503
    assert r.headers["content-type"] == "text/html"
    assert "<center>nginx</center>" in r.text and "503 Service Temporarily Unavailable" in r.text
    assert r.headers["x-comptoir-fault"] == mark(rule)


def test_latency_delays_the_real_answer(client, op, seller_headers):
    rule = add(client, op, fault="latency", path=SELLERS, latencyMs=300, times=2)
    for _ in range(2):
        started = time.monotonic()
        r = client.get(SELLERS, headers=seller_headers)
        assert time.monotonic() - started >= 0.3
        assert r.status_code == 200 and r.json() and r.headers["x-comptoir-fault"] == mark(rule)
    started = time.monotonic()
    assert "x-comptoir-fault" not in client.get(SELLERS, headers=seller_headers).headers
    assert time.monotonic() - started < 0.3


def test_latency_comes_before_another_fault_of_the_same_call(client, op, seller_headers):
    slow = add(client, op, fault="latency", latencyMs=200, every=1)
    failing = add(client, op, fault="503", path=SELLERS, latencyMs=100)
    started = time.monotonic()
    r = client.get(SELLERS, headers=seller_headers)
    assert time.monotonic() - started >= 0.3
    assert_problem(r, 503)
    assert r.headers.get_list("x-comptoir-fault") == [mark(slow), mark(failing)]


def test_a_token_refused_as_expired_is_the_seller_apis_own_refusal(client, db, op, seller_headers):
    rule = add(client, op, fault="token-expired", path="/seller/v2")
    faulted = client.get(SELLERS, headers=seller_headers)
    assert faulted.headers["x-comptoir-fault"] == mark(rule)
    # The same token refused for real: the clock moved past its expiry.
    with db.transaction() as session:
        state.store_clock(session, timedelta(days=1))
    expired = client.get(SELLERS, headers=seller_headers)
    with db.transaction() as session:
        state.store_clock(session, timedelta(0))
    real, fake = assert_problem(expired, 401), assert_problem(faulted, 401)
    assert real["detail"] == "The access token has expired."
    assert (fake["title"], fake["detail"]) == (real["title"], real["detail"])
    assert faulted.headers["www-authenticate"] == expired.headers["www-authenticate"]
    assert client.get(SELLERS, headers=seller_headers).status_code == 200


def test_a_token_can_only_be_refused_where_one_is_sent(client, op, seller_headers):
    rule = add(client, op, fault="token-expired")
    bare = client.get(SELLERS, headers={"SellerId": "98979"})
    assert assert_problem(bare, 401)["detail"].startswith("An Authorization")
    token = client.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials", "client_id": "demo-client", "client_secret": "demo-secret"},
    )
    assert token.status_code == 200 and "x-comptoir-fault" not in token.headers
    assert rules(client, op)[rule["id"]]["matched"] == 0
    assert_problem(client.get(SELLERS, headers=seller_headers), 401)


def test_rules_match_on_method_path_prefix_and_seller(client, op, seller_headers, other_headers):
    add(client, op, fault="500", method="post", path="/seller/v2/orders/", sellerId="98979", every=1)
    assert client.get("/seller/v2/orders", headers=seller_headers).status_code == 200
    posted = client.post("/seller/v2/orders/NOPE/shipments", json=[], headers=seller_headers)
    assert_problem(posted, 500)
    # Whole segments: /seller/v2/orders is no prefix of /seller/v2/ordersX.
    assert_problem(client.post("/seller/v2/ordersX", json={}, headers=seller_headers), 404)
    assert client.post("/seller/v2/orders/NOPE/shipments", json=[], headers=other_headers).status_code != 500
    assert client.post("/seller/v2/offers/search", json={}, headers=seller_headers).status_code != 500


def test_times_then_every_nth_call(client, op, seller_headers):
    twice = add(client, op, fault="500", path=SELLERS, times=2)
    statuses = [client.get(SELLERS, headers=seller_headers).status_code for _ in range(4)]
    assert statuses == [500, 500, 200, 200]
    listed = rules(client, op)[twice["id"]]
    assert listed["matched"] == listed["fired"] == 2
    client.delete(f"{FAULTS}/{twice['id']}", headers=op)
    third = add(client, op, fault="503", path=SELLERS, every=3)
    statuses = [client.get(SELLERS, headers=seller_headers).status_code for _ in range(9)]
    assert statuses == [200, 200, 503] * 3
    listed = rules(client, op)[third["id"]]
    assert (listed["matched"], listed["fired"], listed["times"]) == (9, 3, None)


def test_a_seeded_probability_replays_the_same_calls(client, op, seller_headers):
    def run() -> list[bool]:
        return [client.get(SELLERS, headers=seller_headers).status_code == 500 for _ in range(24)]

    rule = add(client, op, fault="500", path=SELLERS, probability=0.4, seed=1234)
    first = run()
    # The documented draw: the Nth matching call fires when Random(f"{seed}:{N}").random() < probability.
    assert first == [random.Random(f"1234:{n}").random() < 0.4 for n in range(1, 25)]
    assert 0 < sum(first) < 24
    assert rules(client, op)[rule["id"]]["fired"] == sum(first)
    client.delete(FAULTS, headers=op)
    add(client, op, fault="500", path=SELLERS, probability=0.4, seed=1234)
    assert run() == first
    drawn = add(client, op, fault="500", path="/seller/v2/offers", probability=0.5)
    assert isinstance(drawn["seed"], int)


def test_hits_newest_first_and_cleared_with_the_rules(client, op, seller_headers, other_headers):
    first = add(client, op, fault="500", path=SELLERS, sellerId="98979")
    second = add(client, op, fault="429", path=SELLERS)
    client.get(SELLERS, headers=seller_headers)
    client.get(SELLERS, headers=other_headers)
    hits = client.get(f"{FAULTS}/hits", headers=op).json()["items"]
    assert [(h["ruleId"], h["fault"], h["sellerId"]) for h in hits] == [
        (second["id"], "429", "12345"),
        (first["id"], "500", "98979"),
    ]
    assert all(h["method"] == "GET" and h["path"] == SELLERS and h["at"].endswith("Z") for h in hits)
    r = client.delete(FAULTS, headers=op)
    assert r.status_code == 204
    assert client.get(FAULTS, headers=op).json()["items"] == []
    assert client.get(f"{FAULTS}/hits", headers=op).json()["items"] == []


def test_delete_one_rule(client, op, seller_headers):
    gone = add(client, op, fault="500", path=SELLERS, every=1)
    kept = add(client, op, fault="503", path="/seller/v2/orders")
    assert client.delete(f"{FAULTS}/{gone['id']}", headers=op).status_code == 204
    assert list(rules(client, op)) == [kept["id"]]
    assert client.get(SELLERS, headers=seller_headers).status_code == 200
    assert_problem(client.delete(f"{FAULTS}/{gone['id']}", headers=op), 404)


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"fault": "418"}, "fault"),
        ({"fault": "500", "times": 2, "every": 3}, "body"),
        ({"fault": "500", "seed": 3}, "seed"),
        ({"fault": "500", "probability": 1.5}, "probability"),
        ({"fault": "latency"}, "latencyMs"),
        ({"fault": "500", "retryAfterSeconds": 5}, "retryAfterSeconds"),
        ({"fault": "500", "path": "/sandbox/v1/clock"}, "path"),
        ({"fault": "500", "path": "/health"}, "path"),
        ({"fault": "500", "path": "seller/v2"}, "path"),
        ({"fault": "500", "method": "BREW"}, "method"),
        ({"fault": "500", "times": 0}, "times"),
    ],
)
def test_bad_rules_are_400s_naming_the_field(client, op, rule, field):
    body = assert_problem(client.post(FAULTS, json=rule, headers=op), 400)
    assert field in body["errors"], body
    assert client.get(FAULTS, headers=op).json()["items"] == []


def test_faults_need_an_operator(client, op, seller_headers):
    assert_problem(client.post(FAULTS, json={"fault": "500"}), 401)
    assert_problem(client.get(FAULTS, headers=seller_headers), 403)


def test_controls_health_and_operator_api_never_fault(client, op):
    add(client, op, fault="500", path="/", every=1)
    assert client.get("/health").status_code == 200
    assert client.get(FAULTS, headers=op).status_code == 200
    assert client.get("/sandbox/v1/clock", headers=op).status_code == 200
    assert client.get("/operator/v1/sellers", headers=op).status_code == 200
    assert_problem(client.get(SELLERS), 500)


def test_the_token_endpoint_faults_too(client, op):
    rule = add(client, op, fault="503", path=TOKEN_URL, retryAfterSeconds=2)
    r = client.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials", "client_id": "demo-client", "client_secret": "demo-secret"},
    )
    assert assert_problem(r, 503)["instance"] == TOKEN_URL
    assert r.headers["x-comptoir-fault"] == mark(rule) and r.headers["retry-after"] == "2"


def test_allegro_routes_answer_faults_in_allegros_format_and_match_the_tokens_seller(
    client, op, seller_headers
):
    rule = add(client, op, fault="429", path="/allegro", sellerId="98979")
    token_only = {"Authorization": seller_headers["Authorization"]}
    r = client.get(COMMAND, headers=token_only)
    assert r.status_code == 429 and r.headers["x-comptoir-fault"] == mark(rule)
    assert r.headers["content-type"].startswith("application/vnd.allegro.public.v1+json")
    assert r.json()["errors"][0]["code"] == "TooManyRequestsException"
    assert r.headers["retry-after"] == "1"
    assert client.get(COMMAND, headers=token_only).status_code == 404


def test_no_faults_outside_sandbox_mode(client, op, settings, db, seller_headers):
    add(client, op, fault="500", every=1)
    with TestClient(app=create_app(replace(settings, sandbox=False), db)) as plain:
        assert plain.get(SELLERS, headers=seller_headers).status_code == 200
        assert_problem(plain.get(FAULTS, headers=op), 404)


# --- a real server on loopback: the closed connection, several processes, the CLI ------------------


@pytest.fixture(scope="module")
def servers(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Two `comptoir serve --sandbox` processes (uvicorn) on the test database, as a deployment runs
    several API processes."""
    with sandbox_servers(database_url, tmp_path_factory.mktemp("serve"), count=2) as bases:
        yield bases


def test_a_connection_closed_without_an_answer(client, op, servers, seller_headers):
    base = servers[0]
    rule = httpx.post(base + FAULTS, json={"fault": "connection-closed", "path": SELLERS}, headers=op).json()
    with httpx.Client(base_url=base) as http:
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            http.get(SELLERS, headers=seller_headers)
        # The client's next call, on a new connection, is answered.
        assert http.get(SELLERS, headers=seller_headers).status_code == 200
    hits = httpx.get(base + FAULTS + "/hits", headers=op).json()["items"]
    assert [(h["ruleId"], h["fault"]) for h in hits] == [(rule["id"], "connection-closed")]


def test_a_rule_holds_in_every_process_and_fires_exactly_its_times(client, op, servers, seller_headers):
    for base in servers:  # both processes hold a copy of the rules: none
        assert httpx.get(base + SELLERS, headers=seller_headers).status_code == 200
    rule = add(client, op, fault="500", path=SELLERS, times=5)
    # The process that took the rule applies it from its very next call...
    assert_problem(client.get(SELLERS, headers=seller_headers), 500)
    # ...the others once their copy is a second old.
    time.sleep(FRESH_SECONDS + 0.1)

    def call(i: int) -> int:
        return httpx.get(servers[i % 2] + SELLERS, headers=seller_headers, timeout=60).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(call, range(40)))
    assert statuses.count(500) == 4 and statuses.count(200) == 36
    listed = httpx.get(servers[1] + FAULTS, headers=op).json()["items"]
    assert [(r["id"], r["matched"], r["fired"]) for r in listed] == [(rule["id"], 5, 5)]


def test_a_rule_deleted_in_one_process_never_fires_in_another(client, op, servers, seller_headers):
    rule = add(client, op, fault="500", path=SELLERS, every=1)
    time.sleep(FRESH_SECONDS + 0.1)
    assert_problem(httpx.get(servers[0] + SELLERS, headers=seller_headers), 500)
    # servers[0] now trusts its copy for a second; the rule goes away through another process.
    assert client.delete(f"{FAULTS}/{rule['id']}", headers=op).status_code == 204
    assert httpx.get(servers[0] + SELLERS, headers=seller_headers).status_code == 200


def test_cli_adds_lists_and_clears_faults(client, op, servers, seller_headers):
    runner = CliRunner()
    base = ["sandbox", "--url", servers[0], "fault"]
    added = runner.invoke(
        cli, [*base, "add", "--fault", "503", "--path", "/seller/v2/orders", "--times", "2"]
    )
    assert added.exit_code == 0, added.output
    assert '"times": 2' in added.output and '"fault": "503"' in added.output
    for _ in range(2):
        assert_problem(client.get("/seller/v2/orders", headers=seller_headers), 503)
    listed = runner.invoke(cli, [*base, "list"])
    assert listed.exit_code == 0 and '"fired": 2' in listed.output
    hits = runner.invoke(cli, [*base, "hits"])
    assert hits.exit_code == 0 and hits.output.count('"fault": "503"') == 2
    assert runner.invoke(cli, [*base, "clear"]).exit_code == 0
    assert client.get(FAULTS, headers=op).json()["items"] == []
    refused = runner.invoke(cli, [*base, "add", "--fault", "500", "--every", "2", "--times", "2"])
    assert refused.exit_code == 1 and "400" in refused.output
