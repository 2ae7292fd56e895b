"""Logistic referencing and stocks on the seller API (spec 15.1, 15.3)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post, route
from litestar.di import Provide
from litestar.params import Parameter
from sqlalchemy.orm import Session

from comptoir.api.deps import SellerContext
from comptoir.api.pagination import Cursor, Limit1000, Page, cursor_links, page_of
from comptoir.api.responses import created
from comptoir.db import ReadSession
from comptoir.errors import ValidationFailed
from comptoir.fulfillment import domain as d
from comptoir.fulfillment import referencing, stocks
from comptoir.fulfillment import schemas as s
from comptoir.platform.params import csv_values, timestamp

TAGS = ["fulfillment: referencing and stocks"]
Q = Parameter


@post("/fulfillment-products", sync_to_thread=True, tags=TAGS, status_code=200)
def reference_products(
    session: Session, seller: SellerContext, data: list[Any] | dict[str, Any]
) -> list[s.ReferencingResultOut] | s.ReferencingResultOut:
    """Products to store (the fields of `FulfillmentProductIn`): an array of 1 to 1,000, or one object.
    200 with one result per product, in order (an array for an array, an object for an object):
    `Created`, `Updated` or `Refused` with `errors`; only a broken envelope is a 400."""
    results = referencing.reference_products(
        session, seller.seller_id, data if isinstance(data, list) else [data]
    )
    return results if isinstance(data, list) else results[0]


@route(
    "/fulfillment-products/{product_id:str}/seller-product-references",
    http_method=["PUT", "POST"],
    sync_to_thread=True,
    tags=TAGS,
)
def add_seller_reference(
    request: Request[Any, Any, Any],
    session: Session,
    seller: SellerContext,
    product_id: str,
    data: s.SellerReferenceIn,
) -> Response[s.FulfillmentProductOut]:
    """Adds the seller's reference to an existing catalogue product (Octopia `productId`), in
    `productCondition` (New by default): 201 when new, 200 when it was already there; 409 when the
    reference names another product, or the product in that condition has another reference."""
    product, new = referencing.add_reference(session, seller.seller_id, product_id, data)
    body = referencing.product_out(product)
    if new:
        return created(
            request,
            f"/stock-seller-references?sellerProductReference={product.seller_product_reference}",
            body,
        )
    return Response(body, status_code=200)


@get("/stock-seller-references", sync_to_thread=True, tags=TAGS)
def list_seller_references(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    seller_product_reference: Annotated[list[str] | None, Q(query="sellerProductReference")] = None,
    product_id: Annotated[list[str] | None, Q(query="productId")] = None,
    gtin: Annotated[list[str] | None, Q(query="gtin")] = None,
    product_condition: Annotated[str | None, Q(query="productCondition")] = None,
    limit: Limit1000 = 100,
    cursor: Cursor = None,
) -> Response[Page[s.StockSellerReferenceOut]]:
    """The seller's referenced products (seller reference to Octopia `productId`), oldest first;
    filters take repeated or comma-separated values."""
    condition = None
    if product_condition:
        condition = d.condition(product_condition)
        if condition is None:
            raise ValidationFailed.field(
                "productCondition", f"productCondition is one of {', '.join(d.PRODUCT_CONDITIONS)}."
            )
    filters = referencing.ReferenceFilter(
        seller_product_references=tuple(csv_values(seller_product_reference)),
        product_ids=tuple(csv_values(product_id)),
        gtins=tuple(csv_values(gtin)),
        product_condition=condition,
    )
    page = referencing.list_references(reader, seller.seller_id, filters, limit=limit, cursor=cursor)
    return Response(page_of(page.items), headers=cursor_links(request, page, limit))


def stock_filter(
    storage_country: Annotated[str | None, Q(query="storageCountry")] = None,
    updated_at_min: Annotated[str | None, Q(query="updatedAtMin")] = None,
    updated_at_max: Annotated[str | None, Q(query="updatedAtMax")] = None,
    sort: Annotated[str | None, Q(query="sort")] = None,
    order: Annotated[str | None, Q(query="order")] = None,
    delivery_country: Annotated[str | None, Q(query="deliveryCountry")] = None,
) -> stocks.StockFilter:
    """`deliveryCountry` cannot be combined with the other filters (as in production)."""
    if delivery_country:
        given = {
            "storageCountry": storage_country,
            "updatedAtMin": updated_at_min,
            "updatedAtMax": updated_at_max,
            "sort": sort,
            "order": order,
        }
        clash = [name for name, value in given.items() if value]
        if clash:
            message = f"deliveryCountry cannot be combined with {', '.join(clash)}."
            raise ValidationFailed(message, errors={name: [message] for name in ["deliveryCountry", *clash]})
        if len(delivery_country.strip()) != 2 or not delivery_country.strip().isalpha():
            raise ValidationFailed.field("deliveryCountry", "deliveryCountry is an ISO 3166 country code.")
        return stocks.StockFilter(delivery_country=delivery_country)
    country = None
    if storage_country:
        country = d.storage_country(storage_country)
        if country is None:
            raise ValidationFailed.field(
                "storageCountry", f"storageCountry is one of {', '.join(d.STORAGE_COUNTRIES)}."
            )
    bucket = None
    if sort:
        bucket = next((b for b in d.BUCKETS if b.lower() == sort.strip().lower()), None)
        if bucket is None:
            raise ValidationFailed.field("sort", f"sort is one of {', '.join(d.BUCKETS)}.")
    direction = (order or "asc").strip().lower()
    if direction not in ("asc", "desc"):
        raise ValidationFailed.field("order", "order is Asc or Desc.")
    return stocks.StockFilter(
        storage_country=country,
        updated_at_min=timestamp("updatedAtMin", updated_at_min),
        updated_at_max=timestamp("updatedAtMax", updated_at_max),
        sort=bucket,
        descending=direction == "desc",
    )


@get(
    "/stocks",
    sync_to_thread=True,
    tags=TAGS,
    dependencies={"filters": Provide(stock_filter, sync_to_thread=False)},
)
def list_stocks(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    filters: stocks.StockFilter,
    # Required, as in production; optional here so that its absence is a 400 naming it.
    limit: Annotated[
        int | None, Q(query="limit", ge=1, le=1000, description="Items per page, 1 to 1000.")
    ] = None,
    cursor: Cursor = None,
) -> Response[Page[s.StockOut]]:
    """Stock records (a product in one condition in one storage country). `limit` is required (1 to
    1,000). By last change, oldest first, unless `sort` names a bucket (Available, Allocated,
    Blocked, Litigation, Removal, Return, LogisticOperations); `order` Asc or Desc."""
    if limit is None:
        raise ValidationFailed.field("limit", "limit is required: 1 to 1000.")
    page = stocks.list_stocks(reader, seller.seller_id, filters, limit=limit, cursor=cursor)
    return Response(page_of(page.items), headers=cursor_links(request, page, limit))


@get("/stocks/{stock_id:str}", sync_to_thread=True, tags=TAGS)
def get_stock(reader: ReadSession, seller: SellerContext, stock_id: str) -> s.StockDetailOut:
    """One stock record, the same product and condition in every storage country, and the record's
    movements with their reasons, newest first (the latest 200)."""
    return stocks.stock_detail(reader, seller.seller_id, stock_id)


seller_routes = [reference_products, add_seller_reference, list_seller_references, list_stocks, get_stock]
