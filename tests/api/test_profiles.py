"""Fidelity profiles: lenient by default; `production` per seller (operator API) or per server turns on
production's quirks, here the 406 on an Accept header no route type satisfies."""

from __future__ import annotations

import pytest

from comptoir.platform.profiles import parse_profile
from comptoir.settings import Settings
from conftest import assert_problem

HTML = {"Accept": "text/html"}


def _set(client, operator_headers, profile: str, seller_id: str = "98979") -> dict:
    r = client.patch(
        f"/operator/v1/sellers/{seller_id}", json={"fidelityProfile": profile}, headers=operator_headers
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_lenient_by_default_ignores_accept(client, seller_headers, operator_headers):
    seller = client.get("/operator/v1/sellers/98979", headers=operator_headers).json()
    assert seller["fidelityProfile"] is None
    assert client.get("/seller/v2/sellers", headers={**seller_headers, **HTML}).status_code == 200


def test_production_profile_answers_406_to_an_accept_it_cannot_satisfy(
    client, seller_headers, other_headers, operator_headers
):
    assert _set(client, operator_headers, "production")["fidelityProfile"] == "production"
    body = assert_problem(client.get("/seller/v2/sellers", headers={**seller_headers, **HTML}), 406)
    assert "Accept" in body["detail"]
    for accept in ("application/json", "*/*", "application/*", "text/html, application/json;q=0.5"):
        r = client.get("/seller/v2/sellers", headers={**seller_headers, "Accept": accept})
        assert r.status_code == 200, accept
    assert client.get("/seller/v2/sellers", headers=seller_headers).status_code == 200
    # Another seller keeps the server's profile.
    assert client.get("/seller/v2/sellers", headers={**other_headers, **HTML}).status_code == 200
    # `default` hands the seller back to the server's profile.
    assert _set(client, operator_headers, "default")["fidelityProfile"] is None
    assert client.get("/seller/v2/sellers", headers={**seller_headers, **HTML}).status_code == 200


def test_unknown_profile_is_a_field_error(client, operator_headers):
    body = {"fidelityProfile": "strict"}
    r = client.patch("/operator/v1/sellers/98979", json=body, headers=operator_headers)
    assert "fidelityProfile" in str(assert_problem(r, 400)["errors"])


def test_server_profile_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("COMPTOIR_PROFILE", "Production")
    assert Settings.from_env().profile == "production"
    monkeypatch.delenv("COMPTOIR_PROFILE")
    assert Settings.from_env().profile == "lenient"
    assert parse_profile("", "production") == "production"
    with pytest.raises(ValueError, match="unknown profile"):
        parse_profile("strict")
