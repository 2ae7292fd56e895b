"""The Keycloak-compatible token endpoint."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, post

from comptoir.api.context import AppContext
from comptoir.auth.grant import token_response

TOKEN_PATH = "/auth/realms/maas/protocol/openid-connect/token"


@post(TOKEN_PATH, status_code=200, sync_to_thread=True, include_in_schema=True, tags=["auth"])
def token_endpoint(request: Request[Any, Any, Any], body: bytes, context: AppContext) -> Response[Any]:
    """OAuth2 client credentials (form fields or HTTP Basic). Answers a 2-hour RS256 JWT."""
    return token_response(request, body, context)
