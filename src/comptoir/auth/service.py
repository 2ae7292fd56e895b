from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import clock, ids
from comptoir.auth.models import ClientSeller, OAuthClient
from comptoir.auth.secrets import hash_secret, verify_secret
from comptoir.errors import Conflict, NotFound, ValidationFailed

SELLER_ROLES = [
    "SELLERS_GET",
    "CARRIERS_GET",
    "CATEGORIES_GET",
    "PRODUCTS_GET",
    "PRODUCTS-INTEGRATION_POST",
    "OFFERS_GET",
    "OFFER-PACKAGES_GET",
    "OFFER-PACKAGES_POST",
    "ORDERS_GET",
    "ORDERS_POST",
    "ORDER-CANCELLATION-REQUESTS_GET",
    "ORDER-CANCELLATION-REQUESTS_POST",
    "ORDER-PARTIAL-CANCELLATION-REQUESTS_POST",
    "DISCUSSIONS_GET",
    "READ_STOCK_SELLER",
]
OPERATOR_ROLES = ["OPERATOR"]
CLIENT_KINDS = ("seller", "operator")


@dataclass(frozen=True)
class AuthenticatedClient:
    client_id: str
    kind: str
    seller_ids: list[str]

    @property
    def roles(self) -> list[str]:
        return OPERATOR_ROLES if self.kind == "operator" else SELLER_ROLES


def authenticate(session: Session, client_id: str, secret: str) -> AuthenticatedClient | None:
    client = session.get(OAuthClient, client_id)
    if client is None or not client.active or not verify_secret(secret, client.secret_hash):
        return None
    sellers = session.scalars(
        select(ClientSeller.seller_id)
        .where(ClientSeller.client_id == client_id)
        .order_by(ClientSeller.seller_id)
    )
    return AuthenticatedClient(client.client_id, client.kind, list(sellers))


def create_client(
    session: Session,
    *,
    kind: str,
    seller_ids: list[str],
    client_id: str | None = None,
    secret: str | None = None,
) -> tuple[OAuthClient, str]:
    """Creates a client and returns it with its secret, which is shown this once and stored hashed."""
    if kind not in CLIENT_KINDS:
        raise ValidationFailed.field("kind", f"kind must be one of {', '.join(CLIENT_KINDS)}.")
    if kind == "seller" and not seller_ids:
        raise ValidationFailed.field("sellerIds", "A seller client must be bound to at least one seller.")
    client_id = client_id or f"client-{ids.token(9)}"
    if session.get(OAuthClient, client_id) is not None:
        raise Conflict(f"Client {client_id} already exists.")
    secret = secret or ids.token(24)
    client = OAuthClient(
        client_id=client_id, secret_hash=hash_secret(secret), kind=kind, active=True, created_at=clock.now()
    )
    session.add(client)
    session.flush()
    for seller_id in seller_ids:
        session.add(ClientSeller(client_id=client_id, seller_id=seller_id))
    session.flush()
    return client, secret


def client_sellers(session: Session, client_id: str) -> list[str]:
    return list(
        session.scalars(
            select(ClientSeller.seller_id)
            .where(ClientSeller.client_id == client_id)
            .order_by(ClientSeller.seller_id)
        )
    )


def list_clients(session: Session, *, seller_id: str | None = None) -> list[OAuthClient]:
    stmt = select(OAuthClient).order_by(OAuthClient.client_id)
    if seller_id is not None:
        stmt = stmt.join(ClientSeller, ClientSeller.client_id == OAuthClient.client_id).where(
            ClientSeller.seller_id == seller_id
        )
    return list(session.scalars(stmt))


def set_client_active(session: Session, client_id: str, active: bool) -> OAuthClient:
    client = session.get(OAuthClient, client_id)
    if client is None:
        raise NotFound(f"Client {client_id} does not exist.")
    client.active = active
    session.flush()
    return client
