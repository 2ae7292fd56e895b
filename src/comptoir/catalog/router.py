"""Product referential and product integration (spec sections 7 and 8), and the operator routes
that manage the referential."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Request, Response, get, patch, post, put
from litestar.params import Parameter
from sqlalchemy.orm import Session

from comptoir.api.context import AppContext
from comptoir.api.deps import SellerContext
from comptoir.api.languages import MessageLanguage
from comptoir.api.pagination import (
    Cursor,
    Limit1000,
    Page,
    PageIndex,
    PageSize,
    cursor_links,
    index_links,
    page_of,
)
from comptoir.api.responses import created
from comptoir.catalog import domain, integration, products, referential, reports
from comptoir.catalog import referential_admin as admin
from comptoir.catalog import schemas as s
from comptoir.catalog.quota import creation_usage
from comptoir.db import ReadSession
from comptoir.jobs import polled
from comptoir.platform.languages import message_language
from comptoir.platform.limits import PRODUCT_CREATIONS, limit_in
from comptoir.platform.params import csv_values
from comptoir.platform.profiles import PRODUCTION

REFERENTIAL_TAGS = ["product referential"]
PRODUCT_TAGS = ["products"]

# One client pages categories by 200, another by 100: accept both.
CategoryPageSize = Annotated[
    int, Parameter(query="pageSize", ge=1, le=200, description="Items per page, 1 to 200.")
]
# 10,000 products with long descriptions run to tens of megabytes.
PACKAGE_BODY_MAX = 128 * 1024 * 1024

AcceptLanguage = Annotated[
    str | None,
    Parameter(
        header="Accept-Language",
        description="fr-FR (default), en-US or es-ES: labels, and submitted products that name none.",
    ),
]
Fields = Annotated[
    str | None, Parameter(query="fields", description="Comma-separated names of the fields to return.")
]
CategoryReference = Annotated[str | None, Parameter(query="categoryReference")]
SellerProductReference = Annotated[
    str | None, Parameter(query="sellerProductReference", description="Ignored in the production profile.")
]
Gtin = Annotated[str | None, Parameter(query="gtin", description="One GTIN, or several separated by commas.")]

S = TypeVar("S", bound=msgspec.Struct)


def select_fields(items: list[S], fields: str | None, default: Sequence[str] = ()) -> list[S]:
    """Keeps the fields named in `fields` (wire names in any casing; unknown names are ignored), else
    the `default` ones, else every field; the others are left UNSET, so absent from the answer."""
    if not items:
        return items
    wanted = {name.strip().lower() for name in (fields or "").split(",") if name.strip()}
    known = msgspec.structs.fields(type(items[0]))
    keep = {f.name for f in known if f.encode_name.lower() in wanted} or set(default)
    if not keep:
        return items
    unset = dict.fromkeys((f.name for f in known if f.name not in keep), msgspec.UNSET)
    return [msgspec.structs.replace(item, **unset) for item in items]


# Seller API


@get("/categories", sync_to_thread=True, tags=REFERENTIAL_TAGS)
def list_categories(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    accept_language: AcceptLanguage = None,
    page_index: PageIndex = 1,
    page_size: CategoryPageSize = 100,
    fields: Fields = None,
    sort: Annotated[str | None, Parameter(description="categoryReference, label or level.")] = None,
    desc: bool = False,
) -> Response[Page[s.CategoryOut]]:
    """Without `fields`, every field in the lenient profile, only `categoryReference` in the
    production one, as production does. Labels follow `Accept-Language` (fr-FR, en-US or es-ES)."""
    language = domain.pick_language(accept_language)
    page = referential.list_categories(
        reader, language=language, page_index=page_index, page_size=page_size, sort=sort, descending=desc
    )
    items = [referential.category_out(c, language) for c in page.items]
    default = ["category_reference"] if seller.profile == PRODUCTION else []
    return Response(page_of(select_fields(items, fields, default)), headers=index_links(request, page))


@get("/categories/count", sync_to_thread=True, tags=REFERENTIAL_TAGS)
def count_categories(reader: ReadSession) -> int:
    """A bare integer."""
    return referential.count_categories(reader)


@get("/categories/{category_reference:str}", sync_to_thread=True, tags=REFERENTIAL_TAGS)
def get_category(
    reader: ReadSession, category_reference: str, accept_language: AcceptLanguage = None
) -> s.CategoryOut:
    category = referential.get_category(reader, category_reference)
    return referential.category_out(category, domain.pick_language(accept_language))


@get("/categories/{category_reference:str}/properties", sync_to_thread=True, tags=REFERENTIAL_TAGS)
def get_category_properties(
    reader: ReadSession, category_reference: str, accept_language: AcceptLanguage = None
) -> Page[s.CategoryPropertyOut]:
    """The properties products of the category carry, with their necessity."""
    language = domain.pick_language(accept_language)
    return page_of(referential.category_properties(reader, category_reference, language))


@get("/properties/{property_reference:str}", sync_to_thread=True, tags=REFERENTIAL_TAGS)
def get_property(
    reader: ReadSession, property_reference: str, accept_language: AcceptLanguage = None
) -> s.PropertyOut:
    """Property detail, with its allowed values or, for a file property, accepted formats and size."""
    prop = referential.get_property(reader, property_reference)
    return referential.property_out(prop, domain.pick_language(accept_language))


@get("/brands", sync_to_thread=True, tags=REFERENTIAL_TAGS)
def list_brands(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    page_index: PageIndex = 1,
    page_size: PageSize = 100,
    fields: Fields = None,
) -> Response[Page[s.BrandOut]]:
    page = referential.list_brands(reader, page_index=page_index, page_size=page_size)
    items = [referential.brand_out(b) for b in page.items]
    return Response(page_of(select_fields(items, fields)), headers=index_links(request, page))


@post(
    "/products-integration",
    sync_to_thread=True,
    tags=PRODUCT_TAGS,
    status_code=202,
    request_max_body_size=PACKAGE_BODY_MAX,
)
def integrate_products(
    request: Request[Any, Any, Any],
    session: Session,
    seller: SellerContext,
    data: s.PackageIn,
    accept_language: AcceptLanguage = None,
) -> Response[s.PackageAccepted]:
    """Accepts 1 to 10,000 products and answers at once with the package id; a background job then
    checks each product and reports on it (GET /products-integration-reports?packageId=...).
    Products without `language` take the `Accept-Language` one (default fr-FR). The production
    profile refuses creations beyond 25 per hour (`QuotaExceeded`) and answers its `X-RateLimit-*`
    headers: what is left before this package's creations are checked."""
    quota = limit_in(seller.profile, PRODUCT_CREATIONS)
    package_id = integration.submit_package(
        session,
        seller.seller_id,
        data.products,
        domain.pick_language(accept_language),
        creation_quota=quota.count if quota else None,
    )
    answer = created(
        request,
        f"/products-integration-reports?packageId={package_id}",
        s.PackageAccepted(package_id=package_id),
        status_code=202,
    )
    # One client reads the id from a `packageId` header rather than the body.
    answer.headers["PackageId"] = package_id
    if quota is not None:
        answer.headers.update(creation_usage(session, seller.seller_id).headers())
    return answer


@get("/products-integration-reports", sync_to_thread=True, tags=PRODUCT_TAGS)
def get_integration_reports(
    request: Request[Any, Any, Any],
    context: AppContext,
    reader: ReadSession,
    seller: SellerContext,
    package_id: Annotated[str | None, Parameter(query="packageId")] = None,
    gtin: Annotated[str | None, Parameter(query="gtin")] = None,
    page_index: PageIndex = 1,
    page_size: PageSize = 25,
    fields: Fields = None,
    accept_language: MessageLanguage = None,
) -> Response[Page[s.ProductOut]]:
    """One item per submitted product. Empty (200) while the package is still being checked, as for
    an unknown package; items are kept three days. The production profile shows the first 25 items
    of a package and does not paginate."""
    if package_id:
        # A package's report is where its client polls it.
        polled(context.db, integration.PROGRESS_KIND, package_id, seller.seller_id)
    page, submitted = reports.report_page(
        reader,
        seller.seller_id,
        package_id=package_id,
        gtin=gtin,
        page_index=page_index,
        page_size=page_size,
        capped=seller.profile == PRODUCTION,
    )
    language = message_language(accept_language)
    items = [reports.report_out(item, submitted[item.package_id], language) for item in page.items]
    return Response(page_of(select_fields(items, fields)), headers=index_links(request, page))


@get("/products", sync_to_thread=True, tags=PRODUCT_TAGS)
def list_products(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    gtin: Gtin = None,
    category_reference: CategoryReference = None,
    limit: Limit1000 = 50,
    cursor: Cursor = None,
    fields: Fields = None,
    seller_product_reference: SellerProductReference = None,
    accept_language: MessageLanguage = None,
) -> Response[Page[s.ProductOut]]:
    """The products the seller integrated, each with the verdict of its last report item; cursor
    pagination, next page in the `Link` header. The production profile ignores
    `sellerProductReference`, as production does."""
    page = products.product_page(
        reader,
        seller.seller_id,
        gtins=csv_values(gtin),
        category=category_reference,
        seller_reference=None if seller.profile == PRODUCTION else seller_product_reference,
        limit=limit,
        cursor=cursor,
    )
    items = reports.products_out(reader, seller.seller_id, page.items, message_language(accept_language))
    return Response(page_of(select_fields(items, fields)), headers=cursor_links(request, page, limit))


@get("/products/count", sync_to_thread=True, tags=PRODUCT_TAGS)
def count_products(
    reader: ReadSession,
    seller: SellerContext,
    gtin: Gtin = None,
    category_reference: CategoryReference = None,
    seller_product_reference: SellerProductReference = None,
) -> int:
    """A bare integer."""
    return products.count_products(
        reader,
        seller.seller_id,
        gtins=csv_values(gtin),
        category=category_reference,
        seller_reference=None if seller.profile == PRODUCTION else seller_product_reference,
    )


seller_routes = [
    list_categories,
    count_categories,
    get_category,
    get_category_properties,
    get_property,
    list_brands,
    integrate_products,
    get_integration_reports,
    list_products,
    count_products,
]

# Operator API

OP_TAGS = ["operator: product referential"]


@post("/categories", sync_to_thread=True, tags=OP_TAGS)
def op_create_category(session: Session, data: s.CategoryIn) -> s.CategoryOpOut:
    """Adds a category under `parentReference` (none for level 1); level-3 categories take products."""
    return admin.category_op_out(admin.create_category(session, data))


@get("/categories", sync_to_thread=True, tags=OP_TAGS)
def op_list_categories(
    request: Request[Any, Any, Any], reader: ReadSession, page_index: PageIndex = 1, page_size: PageSize = 100
) -> Response[Page[s.CategoryOpOut]]:
    page = referential.list_categories(
        reader,
        language=domain.DEFAULT_LANGUAGE,
        page_index=page_index,
        page_size=page_size,
        sort=None,
        descending=False,
    )
    items = [admin.category_op_out(c) for c in page.items]
    return Response(page_of(items), headers=index_links(request, page))


@get("/categories/{category_reference:str}", sync_to_thread=True, tags=OP_TAGS)
def op_get_category(reader: ReadSession, category_reference: str) -> s.CategoryOpOut:
    return admin.category_op_out(referential.get_category(reader, category_reference))


@patch("/categories/{category_reference:str}", sync_to_thread=True, tags=OP_TAGS)
def op_update_category(session: Session, category_reference: str, data: s.CategoryPatch) -> s.CategoryOpOut:
    """Changes labels and flags; closing a category (`isActive: false`) refuses new products in it."""
    return admin.category_op_out(admin.update_category(session, category_reference, data))


@put("/categories/{category_reference:str}/properties", sync_to_thread=True, tags=OP_TAGS)
def op_set_category_properties(
    session: Session, category_reference: str, data: s.CategoryPropertiesIn
) -> Page[s.CategoryPropertyOpOut]:
    """Replaces the properties of a level-3 category, in the order given."""
    return page_of(admin.set_category_properties(session, category_reference, data))


@post("/properties", sync_to_thread=True, tags=OP_TAGS)
def op_create_property(session: Session, data: s.PropertyIn) -> s.PropertyOpOut:
    """List properties need `choices`, File properties `fileFormats`."""
    return admin.property_op_out(admin.create_property(session, data))


@get("/properties/{property_reference:str}", sync_to_thread=True, tags=OP_TAGS)
def op_get_property(reader: ReadSession, property_reference: str) -> s.PropertyOpOut:
    return admin.property_op_out(referential.get_property(reader, property_reference))


@patch("/properties/{property_reference:str}", sync_to_thread=True, tags=OP_TAGS)
def op_update_property(session: Session, property_reference: str, data: s.PropertyPatch) -> s.PropertyOpOut:
    """`choices` and `fileFormats`, when given, replace the whole list."""
    return admin.property_op_out(admin.update_property(session, property_reference, data))


@post("/brands", sync_to_thread=True, tags=OP_TAGS)
def op_create_brand(session: Session, data: s.BrandIn) -> s.BrandOut:
    """Brand names are unique whatever their casing."""
    return referential.brand_out(admin.create_brand(session, data))


operator_routes = [
    op_create_category,
    op_list_categories,
    op_get_category,
    op_update_category,
    op_set_category_properties,
    op_create_property,
    op_get_property,
    op_update_property,
    op_create_brand,
]
