"""Answers shared by every family: one rule for the headers of a create (spec 18 #9)."""

from __future__ import annotations

from typing import Any, TypeVar

from litestar import MediaType, Request, Response
from litestar.router import Router

T = TypeVar("T")


def api_base(request: Request[Any, Any, Any]) -> str:
    """The path of the API the route belongs to (`/seller/v2`, `/operator/v1`), from the routers that
    own its handler, so a family mounted elsewhere still names its resources right."""
    layers = request.route_handler.ownership_layers
    return "".join(layer.path.rstrip("/") for layer in layers if isinstance(layer, Router))


def created(
    request: Request[Any, Any, Any],
    path: str,
    content: T = b"",  # type: ignore[assignment]
    *,
    status_code: int = 201,
) -> Response[T]:
    """201 naming the new resource at `path` (relative to the API base, e.g. `/offer-packages/7`):
    `Content-Location` carries that path, the id-bearing header clients parse (production's form), and
    `Location` the absolute URL (RFC 9110). An empty body carries no content type (see the platform's
    empty-answer rule); a body is JSON. A create finished in the background is a 202 naming, the same
    way, where its outcome will be read."""
    root = str(request.base_url).rstrip("/")
    return Response(
        content=content,
        status_code=status_code,
        media_type=MediaType.TEXT if content == b"" else MediaType.JSON,
        headers={"Content-Location": path, "Location": f"{root}{api_base(request)}{path}"},
    )
