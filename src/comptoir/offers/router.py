"""Offer routes: live catalogue (spec 9), JSON offer packages (spec 10), XML packages (spec 11)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import MediaType, Request, Response, get, patch, post
from litestar.params import Parameter

from comptoir.api.deps import SellerContext, app_db, app_settings
from comptoir.api.pagination import Cursor, Limit, cursor_links, envelope
from comptoir.db.pagination import check_limit
from comptoir.offers import schemas as s
from comptoir.offers import service, xml_packages

TAGS = ["offers"]
MAX_OFFERS_LIMIT = 1000
MAX_PACKAGES_LIMIT = 1000

ChannelQuery = Annotated[
    str | None, Parameter(query="salesChannelId", description="Sales channel, e.g. CDISFR.")
]
Csv = list[str] | None


def _created(request: Request[Any, Any, Any], path: str, content: Any = b"") -> Response[Any]:
    """201 naming the new resource: `Content-Location` relative to the API base, as clients parse it,
    and an absolute `Location`."""
    base = str(request.url).split("?", 1)[0].rstrip("/")
    return Response(
        content=content,
        status_code=201,
        media_type=MediaType.TEXT if content == b"" else MediaType.JSON,
        headers={"Content-Location": path, "Location": f"{base}/{path.rsplit('/', 1)[-1]}"},
    )


@get("/offers", sync_to_thread=True, tags=TAGS)
def list_offers(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    sales_channel_id: ChannelQuery = None,
    offer_ids: Annotated[Csv, Parameter(query="offerIds")] = None,
    seller_external_references: Annotated[Csv, Parameter(query="sellerExternalReferences")] = None,
    gtins: Annotated[Csv, Parameter(query="gtins")] = None,
    offer_states: Annotated[Csv, Parameter(query="offerStates")] = None,
    updated_at_min: Annotated[str | None, Parameter(query="updatedAtMin")] = None,
    fields: Annotated[Csv, Parameter(query="fields")] = None,
    expand: Annotated[str | None, Parameter(query="expand")] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Response[Any]:
    """The seller's offers on one channel, by sellerExternalReference; `fields` wins over `expand`."""
    check_limit(limit, max_limit=MAX_OFFERS_LIMIT)
    with app_db(request).read() as session:
        page = service.list_offers(
            session,
            seller.seller_id,
            channel_id=sales_channel_id,
            offer_ids=offer_ids,
            references=seller_external_references,
            gtins=gtins,
            states=offer_states,
            updated_at_min=updated_at_min,
            fields=fields,
            expand=expand,
            limit=limit,
            cursor=cursor,
        )
    return Response(content=envelope(page.items), headers=cursor_links(request, page, limit))


@post("/offer-packages", sync_to_thread=True, tags=TAGS)
def create_offer_package(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    data: s.PackageIn,
    sales_channel_id: ChannelQuery = None,
) -> Response[Any]:
    """201 with an empty body; the channel comes from the SalesChannelId header (or query, or body)."""
    channel_id = request.headers.get("saleschannelid") or sales_channel_id or data.sales_channel_id
    with app_db(request).transaction() as session:
        package = service.create_package(
            session, seller.seller_id, package_type=data.package_type, channel_id=channel_id
        )
        package_id = package.id
    return _created(request, f"/offer-packages/{package_id}")


@get("/offer-packages", sync_to_thread=True, tags=TAGS)
def list_offer_packages(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    # `state` is a reserved parameter name in Litestar.
    package_state: Annotated[str | None, Parameter(query="state")] = None,
    sales_channel_id: ChannelQuery = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Response[Any]:
    """Newest first."""
    check_limit(limit, max_limit=MAX_PACKAGES_LIMIT)
    with app_db(request).read() as session:
        page = service.list_packages(
            session,
            seller.seller_id,
            state=package_state,
            channel_id=sales_channel_id,
            limit=limit,
            cursor=cursor,
        )
        items = [service.package_out(p) for p in page.items]
    return Response(content=envelope(items), headers=cursor_links(request, page, limit))


@get("/offer-packages/{package_id:str}", sync_to_thread=True, tags=TAGS)
def get_offer_package(
    request: Request[Any, Any, Any], seller: SellerContext, package_id: str
) -> s.PackageOut:
    with app_db(request).read() as session:
        return service.package_out(service.get_package(session, seller.seller_id, package_id))


@patch("/offer-packages/{package_id:str}", sync_to_thread=True, tags=TAGS)
def patch_offer_package(
    request: Request[Any, Any, Any], seller: SellerContext, package_id: str, data: s.PackagePatch
) -> s.PackageOut:
    """`{"state": "Ready"}`: irreversible; the package is then integrated in the background."""
    with app_db(request).transaction() as session:
        return service.package_out(service.mark_ready(session, seller.seller_id, package_id, data.state))


@post("/offer-packages/{package_id:str}/offer-requests", sync_to_thread=True, tags=TAGS, status_code=200)
def add_offer_requests(
    request: Request[Any, Any, Any], seller: SellerContext, package_id: str, body: bytes
) -> s.UploadOut:
    """A JSON array of 1 to 100 offer requests (`OfferRequestIn`), while the package is
    WaitingForCompletion (409 otherwise). The body is read here rather than by the framework: see
    `read_offer_requests`."""
    count, kept = s.read_offer_requests(request.headers.get("content-type"), body)
    with app_db(request).transaction() as session:
        return service.add_requests(session, seller.seller_id, package_id, count, kept)


@get("/offer-packages/{package_id:str}/offer-requests-results", sync_to_thread=True, tags=TAGS)
def get_offer_request_results(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    package_id: str,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Response[Any]:
    """Per-request results, kept 3 days after integration; empty before and after."""
    check_limit(limit, max_limit=MAX_PACKAGES_LIMIT)
    with app_db(request).read() as session:
        page = service.request_results(session, seller.seller_id, package_id, limit=limit, cursor=cursor)
    return Response(content=envelope(page.items), headers=cursor_links(request, page, limit))


@post("/offer-integration-packages", sync_to_thread=True, tags=TAGS)
def create_offer_integration_package(
    request: Request[Any, Any, Any], seller: SellerContext, data: str | s.XmlPackageIn
) -> Response[Any]:
    """The body is the ZIP's URL as a bare JSON string, or an object with `url` (or `packageUrl`)."""
    url = xml_packages.package_url(data)
    with app_db(request).transaction() as session:
        package = xml_packages.create(
            session, seller.seller_id, url, allow_local=app_settings(request).sandbox
        )
        package_id = package.id
    return _created(request, f"/offer-integration-packages/{package_id}", s.XmlPackageCreated(package_id))


@get("/offer-integration-packages/{package_id:str}", sync_to_thread=True, tags=TAGS)
def get_offer_integration_package(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    package_id: str,
    page: Annotated[int, Parameter(query="$page", description="1-based page of offer logs.")] = 1,
    limit: Annotated[int, Parameter(query="$limit", description="Offer logs per page (at most 1000).")] = 100,
) -> s.XmlPackageOut:
    """Status and per-offer log lines (`$limit`/`$page`, as legacy clients send)."""
    with app_db(request).read() as session:
        return xml_packages.get(session, seller.seller_id, package_id, page=page, limit=limit)


seller_routes = [
    list_offers,
    create_offer_package,
    list_offer_packages,
    get_offer_package,
    patch_offer_package,
    add_offer_requests,
    get_offer_request_results,
    create_offer_integration_package,
    get_offer_integration_package,
]


@get("/sellers/{seller_id:str}/offers", sync_to_thread=True, tags=["operator: offers"])
def op_list_offers(
    request: Request[Any, Any, Any],
    seller_id: str,
    sales_channel_id: ChannelQuery = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Response[Any]:
    """A seller's offers on a channel, as the seller reads them."""
    check_limit(limit, max_limit=MAX_OFFERS_LIMIT)
    with app_db(request).read() as session:
        page = service.list_offers(
            session, seller_id, channel_id=sales_channel_id, limit=limit, cursor=cursor
        )
    return Response(content=envelope(page.items), headers=cursor_links(request, page, limit))


operator_routes = [op_list_offers]
