from __future__ import annotations

import base64

import jwt

from comptoir.auth.ratelimit import TokenQuota
from conftest import TOKEN_URL, assert_problem, sandbox_headers


def form(client_id="demo-client", secret="demo-secret", grant="client_credentials"):
    return {"grant_type": grant, "client_id": client_id, "client_secret": secret}


def test_client_credentials_give_a_two_hour_bearer_jwt(client):
    r = client.post(TOKEN_URL, data=form())
    assert r.status_code == 200
    body = r.json()
    assert body["expires_in"] == 7200 and body["token_type"] == "Bearer"
    header = jwt.get_unverified_header(body["access_token"])
    assert header["alg"] == "RS256"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 7200
    assert claims["azp"] == "demo-client"
    assert claims["iss"].endswith("/auth/realms/maas")
    assert "SELLERS_GET" in claims["realm_access"]["roles"]


def test_http_basic_credentials(client):
    basic = base64.b64encode(b"demo-client:demo-secret").decode()
    r = client.post(
        TOKEN_URL, data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert r.status_code == 200
    assert "access_token" in r.json()


def test_token_works_on_the_seller_api(client):
    token = client.post(TOKEN_URL, data=form()).json()["access_token"]
    r = client.get("/seller/v2/sellers", headers={"Authorization": f"Bearer {token}", "SellerId": "98979"})
    assert r.status_code == 200


def test_wrong_secret_is_401_invalid_client(client):
    r = client.post(TOKEN_URL, data=form(secret="nope"))
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_client"
    assert "error_description" in r.json()


def test_unknown_client_is_401(client):
    assert client.post(TOKEN_URL, data=form(client_id="ghost")).json()["error"] == "invalid_client"


def test_missing_credentials_is_401(client):
    r = client.post(TOKEN_URL, data={"grant_type": "client_credentials"})
    assert r.status_code == 401


def test_missing_grant_is_400_invalid_request(client):
    r = client.post(TOKEN_URL, data={"client_id": "demo-client", "client_secret": "demo-secret"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_other_grant_is_400_unsupported_grant_type(client):
    r = client.post(TOKEN_URL, data=form(grant="password"))
    assert r.status_code == 400 and r.json()["error"] == "unsupported_grant_type"


def test_deactivated_client_gets_no_token(client, operator_headers):
    r = client.post("/operator/v1/clients/other-client/deactivation", headers=operator_headers)
    assert r.status_code == 200 and r.json()["active"] is False
    assert client.post(TOKEN_URL, data=form("other-client", "other-secret")).status_code == 401


def test_token_quota_answers_429_with_retry_after(client, app):
    app.state.context.quota = TokenQuota(2, app.state.context.store)
    assert client.post(TOKEN_URL, data=form()).status_code == 200
    assert client.post(TOKEN_URL, data=form()).status_code == 200
    r = client.post(TOKEN_URL, data=form())
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0
    # The quota is per client.
    assert client.post(TOKEN_URL, data=form("other-client", "other-secret")).status_code == 200


def test_token_expires_with_the_platform_clock(client):
    token = client.post(TOKEN_URL, data=form()).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", "SellerId": "98979"}
    assert (
        client.post(
            "/sandbox/v1/clock", json={"advanceSeconds": 7100}, headers=sandbox_headers(client)
        ).status_code
        == 200
    )
    assert client.get("/seller/v2/sellers", headers=headers).status_code == 200
    assert (
        client.post(
            "/sandbox/v1/clock", json={"advanceSeconds": 200}, headers=sandbox_headers(client)
        ).status_code
        == 200
    )
    body = assert_problem(client.get("/seller/v2/sellers", headers=headers), 401)
    assert "expired" in body["detail"]


def test_token_signed_by_another_key_is_401(client):
    forged = jwt.encode(
        {"azp": "demo-client", "sellers": ["98979"], "exp": 2**31},
        "a-secret-that-is-not-comptoirs-key-at-all",
        algorithm="HS256",
    )
    assert_problem(
        client.get("/seller/v2/sellers", headers={"Authorization": f"Bearer {forged}", "SellerId": "98979"}),
        401,
    )


def test_secret_is_stored_hashed(client, db):
    from comptoir.auth.models import OAuthClient

    with db.read() as session:
        stored = session.get(OAuthClient, "demo-client").secret_hash
    assert "demo-secret" not in stored and stored.startswith("scrypt$")
