from __future__ import annotations

import time
from datetime import timedelta

from litestar.testing import TestClient

from comptoir import clock
from comptoir.api.app import create_app
from comptoir.platform import state
from conftest import assert_problem, sandbox_headers
from offers.support import Packages, offer_request, product_maker


def test_set_and_advance_the_clock(client):
    r = client.post(
        "/sandbox/v1/clock", json={"now": "2030-01-01T00:00:00Z"}, headers=sandbox_headers(client)
    )
    assert r.status_code == 200 and r.json()["now"].startswith("2030-01-01T00:00")
    r = client.post("/sandbox/v1/clock", json={"advanceSeconds": 86400}, headers=sandbox_headers(client))
    assert r.json()["now"].startswith("2030-01-02T00:00")
    assert (
        client.get("/sandbox/v1/clock", headers=sandbox_headers(client))
        .json()["now"]
        .startswith("2030-01-02")
    )
    r = client.post("/sandbox/v1/clock", json={"reset": True}, headers=sandbox_headers(client))
    assert abs(r.json()["offsetSeconds"]) < 1
    assert abs((clock.now() - clock.system_now()).total_seconds()) < 1


def test_clock_body_must_say_something_valid(client):
    assert_problem(client.post("/sandbox/v1/clock", json={}, headers=sandbox_headers(client)), 400)
    assert_problem(
        client.post("/sandbox/v1/clock", json={"now": "not a date"}, headers=sandbox_headers(client)), 400
    )
    assert_problem(
        client.post("/sandbox/v1/clock", json={"advanceSeconds": -5}, headers=sandbox_headers(client)), 400
    )


def test_changes_apply_in_order_freeze_now_advance_reset(client):
    r = client.post(
        "/sandbox/v1/clock",
        json={"freeze": True, "now": "2030-01-01T00:00:00Z", "advanceSeconds": 60},
        headers=sandbox_headers(client),
    )
    assert r.json()["now"] == "2030-01-01T00:01:00Z" and r.json()["frozen"] is True
    # Reset comes last: back to system time, and running unless this call froze it.
    r = client.post(
        "/sandbox/v1/clock",
        json={"now": "2031-01-01T00:00:00Z", "reset": True},
        headers=sandbox_headers(client),
    )
    assert r.json()["frozen"] is False and r.json()["offsetSeconds"] == 0


def test_a_frozen_clock_stands_still_and_resumes_where_it_stood(client):
    frozen = client.post(
        "/sandbox/v1/clock",
        json={"now": "2030-06-01T12:00:00Z", "freeze": True},
        headers=sandbox_headers(client),
    )
    time.sleep(1.1)
    assert (
        client.get("/sandbox/v1/clock", headers=sandbox_headers(client)).json()["now"]
        == frozen.json()["now"]
        == "2030-06-01T12:00:00Z"
    )
    resumed = client.post("/sandbox/v1/clock", json={"freeze": False}, headers=sandbox_headers(client)).json()
    assert resumed["frozen"] is False and resumed["now"].startswith("2030-06-01T12:00:0")


def test_advancing_runs_every_step_due_on_the_way(client, db, seller_headers, drain):
    client.put(
        "/sandbox/v1/progress-policies/all",
        json={"mode": "realistic", "delaySeconds": 30},
        headers=sandbox_headers(client),
    )
    start = client.post("/sandbox/v1/clock", json={"freeze": True}, headers=sandbox_headers(client)).json()
    packages = Packages(client, seller_headers, drain)
    product = product_maker(db)(1)[0]
    package_id = packages.create()
    packages.upload(package_id, [offer_request("CLOCK-1", product)])
    packages.ready(package_id)
    # One move of 100 s: the first step falls due at +30 s and enqueues the second, due at +60 s.
    r = client.post("/sandbox/v1/clock", json={"advanceSeconds": 100}, headers=sandbox_headers(client))
    moved = clock.parse_iso(r.json()["now"]) - clock.parse_iso(start["now"])
    assert moved.total_seconds() == 100
    # What remains scheduled is the results' purge, days away.
    assert [s["kind"] for s in r.json()["scheduled"]] == ["offers.purge_results"]
    assert packages.get(package_id)["state"] == "Integrated"


def test_sandbox_routes_do_not_exist_outside_sandbox_mode(settings, db):
    from dataclasses import replace

    app = create_app(replace(settings, sandbox=False), db)
    with TestClient(app=app) as plain:
        assert_problem(plain.post("/sandbox/v1/clock", json={"advanceSeconds": 10}), 404)


def test_every_process_follows_a_clock_another_process_moved(client, db, seller_headers):
    # Another API process (or a worker) moved the clock: all this process sees is the database row.
    with db.transaction() as session:
        state.put(session, state.CLOCK_OFFSET, repr(timedelta(days=1).total_seconds()))
    now = client.get("/sandbox/v1/clock", headers=sandbox_headers(client)).json()
    assert 86399 < now["offsetSeconds"] < 86401
    # Token expiry follows it too: the cached demo token, issued at system time, expired a day later.
    assert_problem(client.get("/seller/v2/sellers", headers=seller_headers), 401)
