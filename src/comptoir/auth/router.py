"""Keycloak-compatible token endpoint: clients built for auth.octopia-io.net work unchanged."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qs, unquote

from litestar import Request, Response, post

from comptoir import clock
from comptoir.api.deps import app_db, app_settings
from comptoir.auth import service, tokens

TOKEN_PATH = "/auth/realms/maas/protocol/openid-connect/token"


def keycloak_error(
    status: int, error: str, description: str, headers: dict[str, str] | None = None
) -> Response[Any]:
    return Response(
        content={"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip()).decode()
    except Exception:
        return None
    client_id, sep, secret = decoded.partition(":")
    return (unquote(client_id), unquote(secret)) if sep else None


def issue_for_request(request: Request[Any, Any, Any], body: bytes) -> Response[Any]:
    """Client-credentials grant from a form body and/or HTTP Basic; shared by every token URL."""
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items() if v}
    grant = form.get("grant_type")
    if not grant:
        return keycloak_error(400, "invalid_request", "Missing form parameter: grant_type")
    if grant != "client_credentials":
        return keycloak_error(400, "unsupported_grant_type", f"Unsupported grant_type {grant!r}")
    basic = basic_credentials(request.headers.get("authorization"))
    client_id, secret = basic if basic else (form.get("client_id"), form.get("client_secret"))
    if not client_id or not secret:
        return keycloak_error(401, "invalid_client", "Client credentials are missing")
    settings = app_settings(request)
    db = app_db(request)
    with db.transaction() as session:
        client = service.authenticate(session, client_id, secret)
        if client is None:
            return keycloak_error(401, "invalid_client", "Invalid client or Invalid client credentials")
        wait = request.app.state.quota.take(client.client_id, clock.system_now())
        if wait is not None:
            return keycloak_error(
                429,
                "too_many_requests",
                "Token quota exceeded: reuse your token until it expires.",
                headers={"Retry-After": str(wait)},
            )
        base = str(request.base_url).rstrip("/")
        token = tokens.issue(
            session,
            client_id=client.client_id,
            kind=client.kind,
            seller_ids=client.seller_ids,
            roles=client.roles,
            issuer=f"{base}{settings.issuer_path}",
            now=clock.now(),
            lifetime_seconds=settings.token_lifetime_seconds,
        )
    lifetime = settings.token_lifetime_seconds
    return Response(
        content={
            "access_token": token,
            "expires_in": lifetime,
            "refresh_expires_in": 0,
            "token_type": "Bearer",
            "not-before-policy": 0,
            "scope": "profile email",
        },
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


@post(TOKEN_PATH, status_code=200, sync_to_thread=True, include_in_schema=True, tags=["auth"])
def token_endpoint(request: Request[Any, Any, Any], body: bytes) -> Response[Any]:
    """OAuth2 client credentials (form fields or HTTP Basic). Answers a 2-hour RS256 JWT."""
    return issue_for_request(request, body)
