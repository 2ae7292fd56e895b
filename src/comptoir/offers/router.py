"""Offer routes: live catalogue (spec 9, with its deprecated routes), JSON offer packages (spec 10),
XML packages (spec 11)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import MediaType, Request, Response, get, patch, post
from litestar.datastructures import ResponseHeader
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from sqlalchemy.orm import Session

from comptoir.api.context import AppContext
from comptoir.api.deps import SellerContext
from comptoir.api.languages import MessageLanguage
from comptoir.api.pagination import MAX_PAGE_INDEX, Cursor, Limit1000, Page, cursor_links, page_of
from comptoir.api.responses import api_base, created
from comptoir.db import ReadSession
from comptoir.jobs import polled
from comptoir.offers import deprecated, listing, packages, xml_packages
from comptoir.offers import schemas as s
from comptoir.platform.languages import message_language

TAGS = ["offers"]

ChannelQuery = Annotated[
    str | None, Parameter(query="salesChannelId", description="Sales channel, e.g. CDISFR.")
]
Csv = list[str] | None
# The legacy paging of POST /offers/search, the competition routes and the XML package logs.
LegacyPage = Annotated[int, Parameter(query="$page", ge=1, le=MAX_PAGE_INDEX, description="1-based page.")]
LegacyLimit = Annotated[
    int, Parameter(query="$limit", ge=1, le=1000, description="Items per page, 1 to 1000.")
]
# The package's URL is in the Content-Location header; the body is empty, as production answers.
PACKAGE_CREATED = ResponseSpec(
    data_container=str,
    media_type=MediaType.TEXT,
    description="Created: an empty body; the package is at Content-Location (and Location).",
    generate_examples=False,
)


@get("/offers", sync_to_thread=True, tags=TAGS)
def list_offers(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    sales_channel_id: ChannelQuery = None,
    offer_ids: Annotated[Csv, Parameter(query="offerIds")] = None,
    seller_external_references: Annotated[Csv, Parameter(query="sellerExternalReferences")] = None,
    gtins: Annotated[Csv, Parameter(query="gtins")] = None,
    offer_states: Annotated[Csv, Parameter(query="offerStates")] = None,
    updated_at_min: Annotated[str | None, Parameter(query="updatedAtMin")] = None,
    fields: Annotated[Csv, Parameter(query="fields")] = None,
    expand: Annotated[str | None, Parameter(query="expand")] = None,
    limit: Limit1000 = 100,
    cursor: Cursor = None,
) -> Response[Page[s.OfferOut]]:
    """The seller's offers on one channel, by sellerExternalReference; `fields` (the base fields plus
    the fields, nodes or dotted paths named) wins over `expand=salesChannelFeedback` (CDISFR only)."""
    page = listing.list_offers(
        reader,
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
    return Response(page_of(page.items), headers=cursor_links(request, page, limit))


@post("/offer-packages", sync_to_thread=True, tags=TAGS, responses={201: PACKAGE_CREATED})
def create_offer_package(
    request: Request[Any, Any, Any],
    session: Session,
    seller: SellerContext,
    data: s.PackageIn,
    sales_channel_id: ChannelQuery = None,
) -> Response[None]:
    """201 with an empty body; the channel comes from the SalesChannelId header (or query, or body)."""
    channel_id = request.headers.get("saleschannelid") or sales_channel_id or data.sales_channel_id
    package = packages.create_package(
        session, seller.seller_id, package_type=data.package_type, channel_id=channel_id
    )
    return created(request, f"/offer-packages/{package.id}")


@get("/offer-packages", sync_to_thread=True, tags=TAGS)
def list_offer_packages(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    # `state` is a reserved parameter name in Litestar.
    package_state: Annotated[str | None, Parameter(query="state")] = None,
    sales_channel_id: ChannelQuery = None,
    limit: Limit1000 = 100,
    cursor: Cursor = None,
    accept_language: MessageLanguage = None,
) -> Response[Page[s.PackageOut]]:
    """Newest first."""
    page = packages.list_packages(
        reader,
        seller.seller_id,
        state=package_state,
        channel_id=sales_channel_id,
        limit=limit,
        cursor=cursor,
        language=message_language(accept_language),
    )
    return Response(page_of(page.items), headers=cursor_links(request, page, limit))


@get("/offer-packages/{package_id:str}", sync_to_thread=True, tags=TAGS)
def get_offer_package(
    context: AppContext,
    reader: ReadSession,
    seller: SellerContext,
    package_id: str,
    accept_language: MessageLanguage = None,
) -> s.PackageOut:
    polled(context.db, packages.PROGRESS_KIND, package_id, seller.seller_id)
    package = packages.get_package(reader, seller.seller_id, package_id)
    return packages.package_out(package, message_language(accept_language))


@patch("/offer-packages/{package_id:str}", sync_to_thread=True, tags=TAGS)
def patch_offer_package(
    session: Session,
    seller: SellerContext,
    package_id: str,
    data: s.PackagePatch,
    accept_language: MessageLanguage = None,
) -> s.PackageOut:
    """`{"state": "Ready"}`: irreversible; the package is then integrated in the background."""
    package = packages.mark_ready(session, seller.seller_id, package_id, data.state)
    return packages.package_out(package, message_language(accept_language))


@post("/offer-packages/{package_id:str}/offer-requests", sync_to_thread=True, tags=TAGS, status_code=200)
def add_offer_requests(
    request: Request[Any, Any, Any], session: Session, seller: SellerContext, package_id: str, body: bytes
) -> s.UploadOut:
    """A JSON array of 1 to 100 offer requests (`OfferRequestIn`), while the package is
    WaitingForCompletion (409 otherwise). The body is read here rather than by the framework: see
    `read_offer_requests`."""
    count, kept = s.read_offer_requests(request.headers.get("content-type"), body)
    return packages.add_requests(session, seller.seller_id, package_id, count, kept)


@get("/offer-packages/{package_id:str}/offer-requests-results", sync_to_thread=True, tags=TAGS)
def get_offer_request_results(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    package_id: str,
    limit: Limit1000 = 100,
    cursor: Cursor = None,
    accept_language: MessageLanguage = None,
) -> Response[Page[s.OfferRequestResult[s.ResultOut]]]:
    """Per-request results, kept 3 days after integration; empty before and after."""
    page = packages.request_results(
        reader,
        seller.seller_id,
        package_id,
        limit=limit,
        cursor=cursor,
        language=message_language(accept_language),
    )
    return Response(page_of(page.items), headers=cursor_links(request, page, limit))


@post("/offer-integration-packages", sync_to_thread=True, tags=TAGS)
def create_offer_integration_package(
    request: Request[Any, Any, Any],
    session: Session,
    seller: SellerContext,
    context: AppContext,
    data: str | s.XmlPackageIn,
) -> Response[s.XmlPackageCreated]:
    """The body is the ZIP's URL as a bare JSON string, or an object with `url` (or `packageUrl`)."""
    url = xml_packages.package_url(data)
    package = xml_packages.create(session, seller.seller_id, url, allow_local=context.settings.sandbox)
    return created(request, f"/offer-integration-packages/{package.id}", s.XmlPackageCreated(str(package.id)))


@get("/offer-integration-packages/{package_id:str}", sync_to_thread=True, tags=TAGS)
def get_offer_integration_package(
    context: AppContext,
    reader: ReadSession,
    seller: SellerContext,
    package_id: str,
    page: LegacyPage = 1,
    limit: LegacyLimit = 100,
    accept_language: MessageLanguage = None,
) -> s.XmlPackageOut:
    """Status and per-offer log lines (`$limit`/`$page`, as legacy clients send); the lines' messages
    follow Accept-Language, the package's own `message` is in English."""
    polled(context.db, xml_packages.PROGRESS_KIND, package_id, seller.seller_id)
    language = message_language(accept_language)
    return xml_packages.get(reader, seller.seller_id, package_id, page=page, limit=limit, language=language)


# --- deprecated routes (spec 9.2, 9.3): in OpenAPI as such, with Deprecation and Link headers -----

DEPRECATED: dict[str, Any] = {
    "deprecated": True,
    "response_headers": [
        ResponseHeader(
            name="Deprecation",
            value=deprecated.DEPRECATION,
            description="RFC 9745: deprecated since this Unix time; use GET /offers.",
        ),
        ResponseHeader(
            name="Link",
            documentation_only=True,
            description='RFC 8594: `</seller/v2/offers>; rel="successor-version"`, the route to use instead.',
        ),
    ],
}


def _with_successor(request: Request[Any, Any, Any], page: Page[s.OfferOut]) -> Response[Page[s.OfferOut]]:
    """The page, with a link to GET /offers under the API base the route is mounted at."""
    return Response(page, headers={"Link": f'<{api_base(request)}/offers>; rel="successor-version"'})


def _bracketed(request: Request[Any, Any, Any], name: str) -> list[str]:
    """Values of a list parameter sent PHP-style, `name[]=a` or `name[0]=a` (http_build_query)."""
    prefix = f"{name.lower()}["
    return [
        v for k, v in request.query_params.multi_items() if k.lower().startswith(prefix) and k.endswith("]")
    ]


@post("/offers/search", sync_to_thread=True, tags=TAGS, status_code=200, **DEPRECATED)
def search_offers(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    data: s.OfferSearchIn | None = None,
    sales_channel_id: ChannelQuery = None,
    page: LegacyPage = 1,
    limit: LegacyLimit = 100,
) -> Response[Page[s.OfferOut]]:
    """Deprecated: use GET /offers. The filters of GET /offers in the body; the channel from the
    SalesChannelId header, the query or the body."""
    channel_id = request.headers.get("saleschannelid") or sales_channel_id
    found = deprecated.search(reader, seller.seller_id, data, channel_id=channel_id, page=page, limit=limit)
    return _with_successor(request, page_of(found))


@get("/competing-offers", sync_to_thread=True, tags=TAGS, **DEPRECATED)
def list_competing_offers(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    products: Annotated[
        Csv,
        Parameter(query="products", description="Product references or GTINs, repeated or comma-separated."),
    ] = None,
    sales_channel_id: ChannelQuery = None,
    page: LegacyPage = 1,
    limit: LegacyLimit = 100,
) -> Response[Page[s.OfferOut]]:
    """Deprecated: use GET /offers with `fields=salesChannelFeedback.competingOffers`, which this
    answers for the seller's offers on the products named (CDISFR unless `salesChannelId` says)."""
    named = [*(products or []), *_bracketed(request, "products")]
    found = deprecated.competing_offers(
        reader, seller.seller_id, channel_id=sales_channel_id, products=named, page=page, limit=limit
    )
    return _with_successor(request, page_of(found))


@get("/competing-offer-changes", sync_to_thread=True, tags=TAGS, **DEPRECATED)
def list_competing_offer_changes(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    sales_channel_id: ChannelQuery = None,
    updated_at_min: Annotated[str | None, Parameter(query="updatedAtMin")] = None,
    page: LegacyPage = 1,
    limit: LegacyLimit = 100,
) -> Response[Page[s.OfferOut]]:
    """Deprecated: use GET /offers with `fields=salesChannelFeedback.competingOffers`. The seller's
    offers on products where another seller's offer changed since `updatedAtMin` (default: the last
    24 hours), with their competition (CDISFR unless `salesChannelId` says)."""
    found = deprecated.competing_offer_changes(
        reader,
        seller.seller_id,
        channel_id=sales_channel_id,
        updated_at_min=updated_at_min,
        page=page,
        limit=limit,
    )
    return _with_successor(request, page_of(found))


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
    search_offers,
    list_competing_offers,
    list_competing_offer_changes,
]


@get("/sellers/{seller_id:str}/offers", sync_to_thread=True, tags=["operator: offers"])
def op_list_offers(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller_id: str,
    sales_channel_id: ChannelQuery = None,
    limit: Limit1000 = 100,
    cursor: Cursor = None,
) -> Response[Page[s.OfferOut]]:
    """A seller's offers on a channel, as the seller reads them."""
    page = listing.list_offers(reader, seller_id, channel_id=sales_channel_id, limit=limit, cursor=cursor)
    return Response(page_of(page.items), headers=cursor_links(request, page, limit))


operator_routes = [op_list_offers]
