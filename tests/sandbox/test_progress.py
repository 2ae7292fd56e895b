"""Sandbox progress policies over HTTP, on offer packages: immediate, realistic, after-polls, manual and
fail, server-wide and per seller, and moving one package on by hand."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import assert_problem, sandbox_headers
from offers.support import Packages, offer_request, product_maker

SANDBOX = "/sandbox/v1"


@pytest.fixture
def packages(client: Any, seller_headers: dict[str, str], drain: Any) -> Packages:
    return Packages(client, seller_headers, drain)


@pytest.fixture
def ready_package(db: Any, packages: Packages) -> Any:
    """A package of one offer, uploaded and marked Ready under whatever policy is in force."""
    make = product_maker(db)

    def ready() -> str:
        package_id = packages.create()
        product = make(1)[0]
        assert packages.upload(package_id, [offer_request(f"P-{product.id}", product)]).status_code == 200
        assert packages.ready(package_id).status_code == 200
        return package_id

    return ready


def set_policy(client: Any, kind: str, **body: Any) -> Any:
    r = client.put(f"{SANDBOX}/progress-policies/{kind}", json=body, headers=sandbox_headers(client))
    assert r.status_code == 200, r.text
    return r.json()


def test_immediate_packages_are_integrated_when_ready_answers(client, packages, ready_package):
    set_policy(client, "offer-packages", mode="immediate")
    package_id = ready_package()
    # No worker ran: the request that marked it Ready ran both steps before answering.
    assert packages.get(package_id)["state"] == "Integrated"
    assert packages.results(package_id)[0]["results"][0]["resultCode"] == "8000"


def test_realistic_steps_wait_on_the_platform_clock(client, packages, ready_package, drain):
    set_policy(client, "all", mode="realistic", delaySeconds=30)
    client.post(f"{SANDBOX}/clock", json={"freeze": True}, headers=sandbox_headers(client))
    package_id = ready_package()
    assert drain() == 0 and packages.get(package_id)["state"] == "Ready"
    clock = client.get(f"{SANDBOX}/clock", headers=sandbox_headers(client)).json()
    assert clock["frozen"] is True
    assert [(s["kind"], s["subjectId"]) for s in clock["scheduled"]] == [("offers.start_package", package_id)]
    # Each step waits 30 s: after 30 s the package is IntegrationPending, after 60 s Integrated.
    client.post(f"{SANDBOX}/clock", json={"advanceSeconds": 30}, headers=sandbox_headers(client))
    assert packages.get(package_id)["state"] == "IntegrationPending"
    client.post(f"{SANDBOX}/clock", json={"advanceSeconds": 30}, headers=sandbox_headers(client))
    assert packages.get(package_id)["state"] == "Integrated"


def test_after_polls_finishes_on_the_nth_poll(client, packages, ready_package, drain):
    set_policy(client, "offer-packages", mode="after-polls", polls=3)
    package_id = ready_package()
    assert drain() == 0
    assert [packages.get(package_id)["state"] for _ in range(3)] == ["Ready", "Ready", "Integrated"]


def test_another_sellers_polls_do_not_count(client, packages, ready_package, other_headers):
    set_policy(client, "offer-packages", mode="after-polls", polls=1)
    package_id = ready_package()
    r = client.get(f"/seller/v2/offer-packages/{package_id}", headers=other_headers)
    assert_problem(r, 404)
    assert packages.get(package_id)["state"] == "Integrated"


def test_manual_waits_for_the_operator(client, packages, ready_package, drain):
    set_policy(client, "offer-packages", mode="manual")
    package_id = ready_package()
    assert drain() == 0 and packages.get(package_id)["state"] == "Ready"
    url = f"{SANDBOX}/progress/offer-packages/{package_id}"
    r = client.post(url, json={"action": "advance"}, headers=sandbox_headers(client))
    assert r.status_code == 200, r.text
    assert packages.get(package_id)["state"] == "IntegrationPending"
    assert [job["status"] for job in r.json()["jobs"]] == ["done", "held"]
    r = client.post(url, json={"action": "finish"}, headers=sandbox_headers(client))
    assert r.status_code == 200 and packages.get(package_id)["state"] == "Integrated"
    assert_problem(client.post(url, json={"action": "advance"}, headers=sandbox_headers(client)), 409)


def test_fail_rejects_with_the_chosen_code(client, packages, ready_package, drain):
    set_policy(client, "offer-packages", mode="fail", resultCode="2391", message="Channel closed for tests.")
    package_id = ready_package()
    drain()
    package = packages.get(package_id)
    assert package["state"] == "Rejected"
    assert package["result"] == {"resultCode": "2391", "message": "Channel closed for tests."}


def test_manual_then_fail_on_demand(client, packages, ready_package):
    set_policy(client, "offer-packages", mode="manual")
    package_id = ready_package()
    r = client.post(
        f"{SANDBOX}/progress/offer-packages/{package_id}",
        json={"action": "fail", "resultCode": "2390", "message": "Not today."},
        headers=sandbox_headers(client),
    )
    assert r.status_code == 200, r.text
    assert packages.get(package_id)["result"]["message"] == "Not today."


def test_a_sellers_policy_wins_over_the_servers(client, packages, ready_package, drain):
    set_policy(client, "all", mode="manual")
    set_policy(client, "offer-packages", mode="immediate", sellerId="98979")
    assert packages.get(ready_package())["state"] == "Integrated"
    policies = client.get(f"{SANDBOX}/progress-policies", headers=sandbox_headers(client)).json()
    assert "offer-packages" in policies["kinds"]
    assert {(p["kind"], p["sellerId"], p["mode"]) for p in policies["policies"]} == {
        ("all", None, "manual"),
        ("offer-packages", "98979", "immediate"),
    }
    r = client.delete(f"{SANDBOX}/progress-policies", headers=sandbox_headers(client))
    assert r.status_code == 204
    r = client.delete(
        f"{SANDBOX}/progress-policies/offer-packages",
        params={"sellerId": "98979"},
        headers=sandbox_headers(client),
    )
    assert r.status_code == 204
    assert (
        client.get(f"{SANDBOX}/progress-policies", headers=sandbox_headers(client)).json()["policies"] == []
    )
    package_id = ready_package()
    drain()
    assert packages.get(package_id)["state"] == "Integrated"


def test_bad_policies_and_unknown_objects_are_problems(client):
    h = sandbox_headers(client)
    assert_problem(client.put(f"{SANDBOX}/progress-policies/nope", json={"mode": "manual"}, headers=h), 400)
    assert_problem(client.put(f"{SANDBOX}/progress-policies/all", json={"mode": "slow"}, headers=h), 400)
    r = client.put(
        f"{SANDBOX}/progress-policies/all", json={"mode": "realistic", "delaySeconds": -1}, headers=h
    )
    assert_problem(r, 400)
    assert_problem(client.get(f"{SANDBOX}/progress/offer-packages/999999", headers=h), 404)
    assert_problem(client.post(f"{SANDBOX}/progress/nope/1", json={}, headers=h), 400)
