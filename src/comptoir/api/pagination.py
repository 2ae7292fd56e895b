"""`Link` headers (RFC 8288) for both list families, with absolute URLs built from the request."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request
from litestar.params import Parameter

from comptoir.db.pagination import CursorPage, IndexPage


def _url(request: Request[Any, Any, Any], overrides: dict[str, str | None]) -> str:
    lowered = {k.lower() for k in overrides}
    params = [(k, v) for k, v in request.query_params.multi_items() if k.lower() not in lowered]
    params += [(k, v) for k, v in overrides.items() if v is not None]
    base = str(request.url).split("?", 1)[0]
    return f"{base}?{urlencode(params)}" if params else base


def _header(links: list[tuple[str, str]]) -> dict[str, str]:
    if not links:
        return {}
    return {"Link": ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links)}


def index_links(request: Request[Any, Any, Any], page: IndexPage[Any]) -> dict[str, str]:
    size = str(page.page_size)
    links = [("first", _url(request, {"pageIndex": "1", "pageSize": size}))]
    if page.page_index > 1:
        links.append(("prev", _url(request, {"pageIndex": str(page.page_index - 1), "pageSize": size})))
    if page.has_next:
        links.append(("next", _url(request, {"pageIndex": str(page.page_index + 1), "pageSize": size})))
    return _header(links)


def cursor_links(request: Request[Any, Any, Any], page: CursorPage[Any], limit: int) -> dict[str, str]:
    size = str(limit)
    links = [("first", _url(request, {"cursor": None, "limit": size}))]
    if page.prev_cursor:
        links.append(("prev", _url(request, {"cursor": page.prev_cursor, "limit": size})))
    if page.next_cursor:
        links.append(("next", _url(request, {"cursor": page.next_cursor, "limit": size})))
    return _header(links)


def envelope(items: list[Any]) -> dict[str, Any]:
    return {"itemsPerPage": len(items), "items": items}


# Query parameters shared by the list routes, under their wire names.
PageIndex = Annotated[int, Parameter(query="pageIndex", description="1-based page number.")]
PageSize = Annotated[int, Parameter(query="pageSize", description="Items per page (at most 100).")]
Limit = Annotated[int, Parameter(query="limit", description="Items per page.")]
Cursor = Annotated[str | None, Parameter(query="cursor", description="Opaque cursor from a Link header.")]
