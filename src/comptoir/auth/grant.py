"""The OAuth2 client-credentials grant, as Keycloak answers it: clients built for auth.octopia-io.net
(and Allegro's token URL) work unchanged."""

from __future__ import annotations

import base64
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote

from litestar import Request, Response

from comptoir import clock
from comptoir.auth import service
from comptoir.auth.ratelimit import TokenQuota
from comptoir.auth.tokens import Tokens
from comptoir.db import Database
from comptoir.settings import Settings


class TokenContext(Protocol):
    """What issuing a token needs from the app."""

    @property
    def settings(self) -> Settings: ...
    @property
    def db(self) -> Database: ...
    @property
    def tokens(self) -> Tokens: ...
    @property
    def quota(self) -> TokenQuota: ...


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


def token_response(request: Request[Any, Any, Any], body: bytes, context: TokenContext) -> Response[Any]:
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
    settings = context.settings
    with context.db.transaction() as session:
        client = service.authenticate(session, client_id, secret)
        if client is None:
            return keycloak_error(401, "invalid_client", "Invalid client or Invalid client credentials")
        limited: dict[str, str] = {}
        if context.quota.enabled:
            allowed, usage = context.quota.take(client.client_id, clock.system_now())
            limited = usage.headers(refused=not allowed)
            if not allowed:
                return keycloak_error(
                    429,
                    "too_many_requests",
                    "Token quota exceeded: reuse your token until it expires.",
                    headers=limited,
                )
        base = str(request.base_url).rstrip("/")
        token = context.tokens.issue(
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
        headers={"Cache-Control": "no-store", "Pragma": "no-cache", **limited},
    )
