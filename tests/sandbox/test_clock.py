from __future__ import annotations

from datetime import timedelta

from litestar.testing import TestClient

from comptoir import clock
from comptoir.api.app import create_app
from comptoir.platform import state
from conftest import assert_problem, sandbox_headers


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


def test_clock_body_must_say_one_thing(client):
    assert_problem(client.post("/sandbox/v1/clock", json={}, headers=sandbox_headers(client)), 400)
    assert_problem(
        client.post(
            "/sandbox/v1/clock",
            json={"now": "2030-01-01T00:00:00Z", "reset": True},
            headers=sandbox_headers(client),
        ),
        400,
    )
    assert_problem(
        client.post("/sandbox/v1/clock", json={"now": "not a date"}, headers=sandbox_headers(client)), 400
    )


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
