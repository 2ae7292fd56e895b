"""`Link` headers (RFC 8288) for both list families, with absolute URLs built from the request."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode

from litestar import Request
from litestar.params import Parameter

from comptoir.api.wire import SnakeWire, Wire
from comptoir.db.pagination import CursorPage, IndexPage

T = TypeVar("T")


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


class Page(Wire, Generic[T]):
    """The envelope of every page-index and cursor list: `{"itemsPerPage", "items"}`."""

    items_per_page: int
    items: list[T]


class Counted(SnakeWire, Generic[T]):
    """The envelope of the seller-configuration routes, as production serves them: `{"count", "items"}`."""

    count: int
    items: list[T]


def page_of(items: list[T]) -> Page[T]:
    return Page(items_per_page=len(items), items=items)


def counted(items: list[T]) -> Counted[T]:
    return Counted(count=len(items), items=items)


# Query parameters shared by the list routes, under their wire names and with their bounds: a value
# out of bounds is a 400 naming the parameter. The largest page index keeps every offset in 64 bits.
MAX_PAGE_INDEX = 2_147_483_647
PageIndex = Annotated[
    int, Parameter(query="pageIndex", ge=1, le=MAX_PAGE_INDEX, description="1-based page number.")
]
PageSize = Annotated[int, Parameter(query="pageSize", ge=1, le=100, description="Items per page, 1 to 100.")]
Cursor = Annotated[
    str | None, Parameter(query="cursor", max_length=2000, description="Opaque cursor from a Link header.")
]
# Cursor lists differ in their largest page; each names its own bound with this shape.
Limit100 = Annotated[int, Parameter(query="limit", ge=1, le=100, description="Items per page, 1 to 100.")]
Limit500 = Annotated[int, Parameter(query="limit", ge=1, le=500, description="Items per page, 1 to 500.")]
Limit1000 = Annotated[int, Parameter(query="limit", ge=1, le=1000, description="Items per page, 1 to 1000.")]
