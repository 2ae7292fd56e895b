"""Product referential and product integration (spec sections 7 and 8), and the operator routes
that manage the referential."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, patch, post, put
from litestar.params import Parameter

from comptoir.api.deps import SellerContext, app_db
from comptoir.api.pagination import Cursor, Limit, PageIndex, PageSize, cursor_links, envelope, index_links
from comptoir.catalog import domain, service
from comptoir.catalog import schemas as s
from comptoir.db.pagination import check_limit, check_page_params
from comptoir.platform.params import csv_values

REFERENTIAL_TAGS = ["product referential"]
PRODUCT_TAGS = ["products"]

# One client pages categories by 200, another by 100: accept both.
CategoryPageSize = Annotated[
    int, Parameter(query="pageSize", ge=1, le=200, description="Items per page, 1 to 200.")
]
PRODUCTS_LIMIT_MAX = 1000
# 10,000 products with long descriptions run to tens of megabytes.
PACKAGE_BODY_MAX = 128 * 1024 * 1024

Fields = Annotated[
    str | None, Parameter(query="fields", description="Comma-separated names of the fields to return.")
]
CategoryReference = Annotated[str | None, Parameter(query="categoryReference")]
Gtin = Annotated[str | None, Parameter(query="gtin", description="One GTIN, or several separated by commas.")]


def language_of(request: Request[Any, Any, Any]) -> str:
    return domain.pick_language(request.headers.get("accept-language"))


def project(items: Sequence[msgspec.Struct], fields: str | None, default: Sequence[str] = ()) -> list[Any]:
    """Keeps the fields named in `fields` (any casing; unknown names are ignored), else `default`,
    else every field."""
    rows = msgspec.to_builtins(items)
    if not rows:
        return []
    wanted = {name.strip().lower() for name in (fields or "").split(",") if name.strip()}
    keep = [name for name in rows[0] if name.lower() in wanted] or list(default)
    return [{name: row[name] for name in keep} for row in rows] if keep else list(rows)


# Seller API


@get("/categories", sync_to_thread=True, tags=REFERENTIAL_TAGS)
def list_categories(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    page_index: PageIndex = 1,
    page_size: CategoryPageSize = 100,
    fields: Fields = None,
    sort: Annotated[str | None, Parameter(description="categoryReference, label or level.")] = None,
    desc: bool = False,
) -> Response[Any]:
    """Without `fields`, only `categoryReference` is returned, as in production. Labels follow
    `Accept-Language` (fr-FR, en-US or es-ES)."""
    language = language_of(request)
    with app_db(request).read() as session:
        page = service.list_categories(
            session, language=language, page_index=page_index, page_size=page_size, sort=sort, descending=desc
        )
        items = [service.category_out(c, language) for c in page.items]
    return Response(
        content=envelope(project(items, fields, default=["categoryReference"])),
        headers=index_links(request, page),
    )


@get("/categories/count", sync_to_thread=True, tags=REFERENTIAL_TAGS)
def count_categories(request: Request[Any, Any, Any], seller: SellerContext) -> int:
    """A bare integer."""
    with app_db(request).read() as session:
        return service.count_categories(session)


@get("/categories/{category_reference:str}", sync_to_thread=True, tags=REFERENTIAL_TAGS)
def get_category(
    request: Request[Any, Any, Any], seller: SellerContext, category_reference: str
) -> s.CategoryOut:
    with app_db(request).read() as session:
        return service.category_out(service.get_category(session, category_reference), language_of(request))


@get("/categories/{category_reference:str}/properties", sync_to_thread=True, tags=REFERENTIAL_TAGS)
def get_category_properties(
    request: Request[Any, Any, Any], seller: SellerContext, category_reference: str
) -> dict[str, Any]:
    """The properties products of the category carry, with their necessity."""
    language = language_of(request)
    with app_db(request).read() as session:
        rows = service.category_properties(session, category_reference)
        return envelope([service.category_property_out(p, necessity, language) for p, necessity in rows])


@get("/properties/{property_reference:str}", sync_to_thread=True, tags=REFERENTIAL_TAGS)
def get_property(
    request: Request[Any, Any, Any], seller: SellerContext, property_reference: str
) -> s.PropertyOut:
    """Property detail, with its allowed values or, for a file property, accepted formats and size."""
    with app_db(request).read() as session:
        return service.property_out(service.get_property(session, property_reference), language_of(request))


@get("/brands", sync_to_thread=True, tags=REFERENTIAL_TAGS)
def list_brands(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    page_index: PageIndex = 1,
    page_size: PageSize = 100,
    fields: Fields = None,
) -> Response[Any]:
    check_page_params(page_index, page_size)
    with app_db(request).read() as session:
        page = service.list_brands(session, page_index=page_index, page_size=page_size)
        items = [service.brand_out(b) for b in page.items]
    return Response(content=envelope(project(items, fields)), headers=index_links(request, page))


@post(
    "/products-integration",
    sync_to_thread=True,
    tags=PRODUCT_TAGS,
    status_code=202,
    request_max_body_size=PACKAGE_BODY_MAX,
)
def integrate_products(
    request: Request[Any, Any, Any], seller: SellerContext, data: s.PackageIn
) -> Response[s.PackageAccepted]:
    """Accepts 1 to 10,000 products and answers at once with the package id; a background job then
    checks each product and reports on it (GET /products-integration-reports?packageId=...).
    Products without `language` take the `Accept-Language` one (default fr-FR)."""
    with app_db(request).transaction() as session:
        package_id = service.submit_package(session, seller.seller_id, data.products, language_of(request))
    report = f"{request.url.path.rsplit('/', 1)[0]}/products-integration-reports?packageId={package_id}"
    # One client reads the id from a `packageId` header rather than the body.
    return Response(
        content=s.PackageAccepted(package_id=package_id),
        status_code=202,
        headers={"Location": report, "PackageId": package_id},
    )


@get("/products-integration-reports", sync_to_thread=True, tags=PRODUCT_TAGS)
def get_integration_reports(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    package_id: Annotated[str | None, Parameter(query="packageId")] = None,
    gtin: Annotated[str | None, Parameter(query="gtin")] = None,
    page_index: PageIndex = 1,
    page_size: PageSize = 25,
    fields: Fields = None,
) -> Response[Any]:
    """One item per submitted product. Empty (200) while the package is still being checked, as for
    an unknown package; items are kept three days."""
    check_page_params(page_index, page_size)
    with app_db(request).read() as session:
        page, submitted = service.report_page(
            session,
            seller.seller_id,
            package_id=package_id,
            gtin=gtin,
            page_index=page_index,
            page_size=page_size,
        )
        items = [service.report_out(item, submitted[item.package_id]) for item in page.items]
    return Response(content=envelope(project(items, fields)), headers=index_links(request, page))


@get("/products", sync_to_thread=True, tags=PRODUCT_TAGS)
def list_products(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    gtin: Gtin = None,
    category_reference: CategoryReference = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    fields: Fields = None,
) -> Response[Any]:
    """The products the seller integrated; cursor pagination, next page in the `Link` header."""
    check_limit(limit, max_limit=PRODUCTS_LIMIT_MAX)
    with app_db(request).read() as session:
        page = service.product_page(
            session,
            seller.seller_id,
            gtins=csv_values(gtin),
            category=category_reference,
            limit=limit,
            cursor=cursor,
        )
        items = [service.product_out(p) for p in page.items]
    return Response(content=envelope(project(items, fields)), headers=cursor_links(request, page, limit))


@get("/products/count", sync_to_thread=True, tags=PRODUCT_TAGS)
def count_products(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    gtin: Gtin = None,
    category_reference: CategoryReference = None,
) -> int:
    """A bare integer."""
    with app_db(request).read() as session:
        return service.count_products(
            session, seller.seller_id, gtins=csv_values(gtin), category=category_reference
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
def op_create_category(request: Request[Any, Any, Any], data: s.CategoryIn) -> s.CategoryOpOut:
    """Adds a category under `parentReference` (none for level 1); level-3 categories take products."""
    with app_db(request).transaction() as session:
        return service.category_op_out(service.create_category(session, data))


@get("/categories", sync_to_thread=True, tags=OP_TAGS)
def op_list_categories(
    request: Request[Any, Any, Any], page_index: PageIndex = 1, page_size: PageSize = 100
) -> Response[Any]:
    check_page_params(page_index, page_size)
    with app_db(request).read() as session:
        page = service.list_categories(
            session,
            language=domain.DEFAULT_LANGUAGE,
            page_index=page_index,
            page_size=page_size,
            sort=None,
            descending=False,
        )
        items = [service.category_op_out(c) for c in page.items]
    return Response(content=envelope(items), headers=index_links(request, page))


@get("/categories/{category_reference:str}", sync_to_thread=True, tags=OP_TAGS)
def op_get_category(request: Request[Any, Any, Any], category_reference: str) -> s.CategoryOpOut:
    with app_db(request).read() as session:
        return service.category_op_out(service.get_category(session, category_reference))


@patch("/categories/{category_reference:str}", sync_to_thread=True, tags=OP_TAGS)
def op_update_category(
    request: Request[Any, Any, Any], category_reference: str, data: s.CategoryPatch
) -> s.CategoryOpOut:
    """Changes labels and flags; closing a category (`isActive: false`) refuses new products in it."""
    with app_db(request).transaction() as session:
        return service.category_op_out(service.update_category(session, category_reference, data))


@put("/categories/{category_reference:str}/properties", sync_to_thread=True, tags=OP_TAGS)
def op_set_category_properties(
    request: Request[Any, Any, Any],
    category_reference: str,
    data: s.CategoryPropertiesIn,
) -> dict[str, Any]:
    """Replaces the properties of a level-3 category, in the order given."""
    with app_db(request).transaction() as session:
        return envelope(service.set_category_properties(session, category_reference, data))


@post("/properties", sync_to_thread=True, tags=OP_TAGS)
def op_create_property(request: Request[Any, Any, Any], data: s.PropertyIn) -> s.PropertyOpOut:
    """List properties need `choices`, File properties `fileFormats`."""
    with app_db(request).transaction() as session:
        return service.property_op_out(service.create_property(session, data))


@get("/properties/{property_reference:str}", sync_to_thread=True, tags=OP_TAGS)
def op_get_property(request: Request[Any, Any, Any], property_reference: str) -> s.PropertyOpOut:
    with app_db(request).read() as session:
        return service.property_op_out(service.get_property(session, property_reference))


@patch("/properties/{property_reference:str}", sync_to_thread=True, tags=OP_TAGS)
def op_update_property(
    request: Request[Any, Any, Any], property_reference: str, data: s.PropertyPatch
) -> s.PropertyOpOut:
    """`choices` and `fileFormats`, when given, replace the whole list."""
    with app_db(request).transaction() as session:
        return service.property_op_out(service.update_property(session, property_reference, data))


@post("/brands", sync_to_thread=True, tags=OP_TAGS)
def op_create_brand(request: Request[Any, Any, Any], data: s.BrandIn) -> s.BrandOut:
    """Brand names are unique whatever their casing."""
    with app_db(request).transaction() as session:
        return service.brand_out(service.create_brand(session, data))


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
