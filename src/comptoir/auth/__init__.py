"""OAuth clients, their secrets and seller bindings, tokens and the Keycloak-compatible token grant.

What other features may use: the names below.
"""

from comptoir.auth.grant import TokenContext, token_response
from comptoir.auth.models import OAuthClient as Client
from comptoir.auth.ratelimit import TokenQuota
from comptoir.auth.service import client_sellers, create_client, list_clients, set_client_active
from comptoir.auth.tokens import Principal, Tokens

__all__ = [
    "Client",
    "Principal",
    "TokenContext",
    "TokenQuota",
    "Tokens",
    "client_sellers",
    "create_client",
    "list_clients",
    "set_client_active",
    "token_response",
]
