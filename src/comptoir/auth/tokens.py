"""RS256 access tokens shaped like Keycloak's."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.orm import Session

from comptoir import ids
from comptoir.errors import Unauthorized
from comptoir.platform import state

SIGNING_KEY = "jwt_signing_key_pem"
KEY_ID = "comptoir-rs256"
AUDIENCES = [
    "SELLER_MARKETPLACE-API",
    "INTERNATIONAL-ORDER-SELLER_SELLER-ORDER-API",
    "INTERNATIONAL-PRODUCT-INTEGRATION_PRODUCTS-API",
    "INTERNATIONAL-PRODUCT-REFERENTIAL_REFERENTIAL-API",
    "account",
]


@dataclass(frozen=True)
class Principal:
    client_id: str
    kind: str
    seller_ids: frozenset[str]
    roles: frozenset[str]


class Tokens:
    """The signing key pair and what verified tokens say, for one app.

    The key pair lives in the database so that every API process signs and verifies with the same
    key. Clients reuse one token for its two hours: remembering what a verified token says lets each
    call check only expiry instead of an RSA signature (measured: about a third of a small GET).
    """

    VERIFIED_MAX = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.private: Any = None
        self.public: Any = None
        self._verified: dict[str, tuple[int, Principal]] = {}

    def load(self, session: Session) -> None:
        if self.private is not None:
            return
        with self._lock:
            if self.private is not None:
                return
            pem = state.get(session, SIGNING_KEY)
            if pem is None:
                key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                pem = key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ).decode()
                state.put(session, SIGNING_KEY, pem)
            private = serialization.load_pem_private_key(pem.encode(), password=None)
            self.public = private.public_key()
            self.private = private

    def issue(
        self,
        session: Session,
        *,
        client_id: str,
        kind: str,
        seller_ids: list[str],
        roles: list[str],
        issuer: str,
        now: datetime,
        lifetime_seconds: int,
    ) -> str:
        self.load(session)
        iat = int(now.timestamp())
        claims = {
            "exp": iat + lifetime_seconds,
            "iat": iat,
            "jti": ids.new_uuid(),
            "iss": issuer,
            "aud": AUDIENCES,
            "sub": client_id,
            "typ": "Bearer",
            "azp": client_id,
            "client_kind": kind,
            "sellers": seller_ids,
            "realm_access": {"roles": roles},
            "resource_access": {"SELLER_MARKETPLACE-API": {"roles": roles}},
        }
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": KEY_ID})

    def verify(self, token: str, *, now: datetime) -> Principal:
        """Checks signature and expiry against the platform clock, so sandbox time moves tokens too."""
        known = self._verified.get(token)
        if known is not None:
            expires, cached = known
            if expires <= now.timestamp():
                raise Unauthorized("The access token has expired.")
            return cached
        if self.public is None:
            raise Unauthorized("The access token cannot be verified yet.")
        try:
            claims = jwt.decode(
                token,
                self.public,
                algorithms=["RS256"],
                # Expiry is checked below against the platform clock, which sandbox mode may move.
                options={
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                    "verify_aud": False,
                    "verify_iss": False,
                },
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized("The access token is invalid.") from exc
        exp = claims.get("exp")
        if not isinstance(exp, int) or exp <= now.timestamp():
            raise Unauthorized("The access token has expired.")
        who = Principal(
            client_id=str(claims.get("azp", "")),
            kind=str(claims.get("client_kind", "")),
            seller_ids=frozenset(str(s) for s in claims.get("sellers") or []),
            roles=frozenset(claims.get("realm_access", {}).get("roles") or []),
        )
        if len(self._verified) >= self.VERIFIED_MAX:
            self._verified.clear()
        self._verified[token] = (exp, who)
        return who
