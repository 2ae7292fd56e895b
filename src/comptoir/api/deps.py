"""What every route needs from the request: the database, settings, and who is calling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request

from comptoir import clock
from comptoir.auth import tokens
from comptoir.db import Database
from comptoir.errors import Forbidden, Unauthorized, ValidationFailed
from comptoir.settings import Settings

BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="maas"'}


def app_db(request: Request[Any, Any, Any]) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


def app_settings(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def principal(request: Request[Any, Any, Any]) -> tokens.Principal:
    header = request.headers.get("authorization")
    if not header:
        raise Unauthorized("An Authorization: Bearer token is required.", headers=BEARER_CHALLENGE)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("The Authorization header must carry a Bearer token.", headers=BEARER_CHALLENGE)
    try:
        return tokens.verify(token.strip(), now=clock.now())
    except Unauthorized as exc:
        raise Unauthorized(exc.detail, headers=BEARER_CHALLENGE) from exc


@dataclass(frozen=True)
class SellerContext:
    seller_id: str
    client_id: str


def seller_context(request: Request[Any, Any, Any]) -> SellerContext:
    """Bearer token plus `SellerId` header (any casing) naming a seller the client is bound to."""
    who = principal(request)
    seller_id = (request.headers.get("sellerid") or "").strip()
    if not seller_id:
        raise ValidationFailed(
            "The SellerId header is required.", errors={"SellerId": ["The SellerId header is required."]}
        )
    if who.kind != "seller" or seller_id not in who.seller_ids:
        raise Forbidden(f"This client is not allowed to act for seller {seller_id}.")
    return SellerContext(seller_id=seller_id, client_id=who.client_id)


def operator_context(request: Request[Any, Any, Any]) -> tokens.Principal:
    who = principal(request)
    if who.kind != "operator":
        raise Forbidden("This route needs an operator client's token.")
    return who
