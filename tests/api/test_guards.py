"""Authorization is a guard on each router: every route but the public ones refuses a request without
a token, whatever its handler declares."""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar

from conftest import assert_problem

# Public on purpose: liveness, the token endpoints, the API description and its interactive docs.
PUBLIC = re.compile(
    r"^(/health|/openapi\.json|/auth/realms/maas/protocol/openid-connect/token|/allegro/auth/oauth/token"
    r"|/docs(/.*)?|/static/swagger-ui(/.*)?)$"
)
# Handlers that only answer "no such method" or "no such path" in Allegro's error format.
ERROR_ONLY = {"command_other_methods", "unknown_route"}
SAMPLE = {"str": "x1", "int": "1", "uuid": "00000000-0000-4000-8000-000000000001", "path": "x"}


def _routes(app: Litestar) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if handler.handler_name in ERROR_ONLY:
                continue
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                path = re.sub(r"\{\w+:(\w+)\}", lambda m: SAMPLE[m.group(1)], route.path)
                found.append((method, path))
    return found


def test_every_route_but_the_public_ones_needs_a_token(client: Any, app: Litestar) -> None:
    routes = [(m, p) for m, p in _routes(app) if not PUBLIC.match(p)]
    assert len(routes) > 80
    for method, path in routes:
        # Allegro's routes judge the media type first, as Allegro does; send theirs.
        media = (
            "application/vnd.allegro.public.v1+json" if path.startswith("/allegro") else "application/json"
        )
        response = client.request(method, path, headers={"Content-Type": media, "Accept": media})
        assert response.status_code == 401, f"{method} {path} answered {response.status_code}"


def test_a_seller_token_does_not_open_operator_or_sandbox_routes(client: Any, seller_headers: Any) -> None:
    assert_problem(client.get("/operator/v1/sellers", headers=seller_headers), 403)
    assert_problem(client.get("/sandbox/v1/clock", headers=seller_headers), 403)


def test_an_operator_token_does_not_open_seller_routes(client: Any, operator_headers: Any) -> None:
    headers = {**operator_headers, "SellerId": "98979"}
    assert_problem(client.get("/seller/v2/sellers", headers=headers), 403)
