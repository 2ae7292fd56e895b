"""Orders on the seller API (spec 12.3 to 12.7) and the marketplace's order actions on the operator API."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import MediaType, Request, Response, get, post
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import Parameter
from sqlalchemy.orm import Session

from comptoir.api.context import AppContext
from comptoir.api.deps import SellerContext
from comptoir.api.languages import MessageLanguage
from comptoir.api.pagination import Page, PageIndex, PageSize, index_links
from comptoir.db import ReadSession
from comptoir.db.pagination import IndexPage
from comptoir.errors import ValidationFailed
from comptoir.jobs import polled
from comptoir.orders import actions, documents, placement, queries
from comptoir.orders import domain as d
from comptoir.orders.schemas import (
    ApprovalIn,
    OperatorCancellationIn,
    OrderIn,
    OrderOut,
    ParcelIn,
    WarehouseShipmentIn,
)
from comptoir.platform.languages import message_language
from comptoir.platform.params import csv_values, timestamp

TAGS = ["orders"]

Q = Parameter


def _bool(name: str, value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    if value.lower() in {"true", "1"}:
        return True
    if value.lower() in {"false", "0"}:
        return False
    raise ValidationFailed.field(name, f"{name} must be true or false.")


def order_filter(
    status: Annotated[list[str] | None, Q(query="status")] = None,
    reference: Annotated[str | None, Q(query="reference")] = None,
    sales_channel_id: Annotated[str | None, Q(query="salesChannelId")] = None,
    business_order: Annotated[str | None, Q(query="businessOrder")] = None,
    supply_mode: Annotated[str | None, Q(query="supplyMode")] = None,
    shipping_country: Annotated[str | None, Q(query="shippingCountry")] = None,
    created_at_min: Annotated[str | None, Q(query="createdAtMin")] = None,
    created_at_max: Annotated[str | None, Q(query="createdAtMax")] = None,
    updated_at_min: Annotated[str | None, Q(query="updatedAtMin")] = None,
    updated_at_max: Annotated[str | None, Q(query="updatedAtMax")] = None,
    shipped_at_min: Annotated[str | None, Q(query="shippedAtMin")] = None,
    shipped_at_max: Annotated[str | None, Q(query="shippedAtMax")] = None,
) -> queries.OrderFilter:
    statuses = csv_values(status)
    unknown = [s for s in statuses if s not in d.ORDER_STATUSES]
    if unknown:
        raise ValidationFailed.field(
            "status", f"Unknown status {', '.join(unknown)}; one of {', '.join(d.ORDER_STATUSES)}."
        )
    if supply_mode is not None and supply_mode not in d.SUPPLY_MODES:
        raise ValidationFailed.field("supplyMode", f"supplyMode must be one of {', '.join(d.SUPPLY_MODES)}.")
    return queries.OrderFilter(
        statuses=tuple(dict.fromkeys(statuses)),
        reference=reference,
        sales_channel_id=sales_channel_id,
        business_order=_bool("businessOrder", business_order),
        supply_mode=supply_mode,
        shipping_country=shipping_country.upper() if shipping_country else None,
        created_at_min=timestamp("createdAtMin", created_at_min),
        created_at_max=timestamp("createdAtMax", created_at_max),
        updated_at_min=timestamp("updatedAtMin", updated_at_min),
        updated_at_max=timestamp("updatedAtMax", updated_at_max),
        shipped_at_min=timestamp("shippedAtMin", shipped_at_min),
        shipped_at_max=timestamp("shippedAtMax", shipped_at_max),
    )


FILTERS = Provide(order_filter, sync_to_thread=False)


def _sort(sort: str | None, desc: str | None) -> tuple[str, bool]:
    """Both conventions seen in clients: `sort=asc:updatedAt` and `sort=updatedAt&desc=true`."""
    field, descending = "updatedAt", True
    if sort:
        direction, _, name = sort.rpartition(":")
        field = name
        if direction:
            if direction.lower() not in {"asc", "desc"}:
                raise ValidationFailed.field("sort", "sort direction must be asc or desc.")
            descending = direction.lower() == "desc"
    if field not in queries.SORT_FIELDS:
        raise ValidationFailed.field("sort", f"sort must be one of {', '.join(queries.SORT_FIELDS)}.")
    flag = _bool("desc", desc)
    return field, descending if flag is None else flag


@get(
    "/orders",
    sync_to_thread=True,
    tags=TAGS,
    dependencies={"filters": FILTERS},
    # The body is assembled from documents encoded (and cached) one by one: described here.
    responses={200: ResponseSpec(data_container=Page[OrderOut], description="A page of orders.")},
)
def list_orders(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    context: AppContext,
    seller: SellerContext,
    filters: queries.OrderFilter,
    page_index: PageIndex = 1,
    page_size: PageSize = 50,
    sort: Annotated[str | None, Q(query="sort")] = None,
    desc: Annotated[str | None, Q(query="desc")] = None,
    accept_language: MessageLanguage = None,
) -> Response[bytes]:
    """Orders, newest update first unless sorted otherwise; without a date filter, the last 30 days only."""
    field, descending = _sort(sort, desc)
    rows, has_next = queries.list_orders(
        reader,
        seller.seller_id,
        filters,
        page_index=page_index,
        page_size=page_size,
        sort=field,
        descending=descending,
        walks=context.cache(queries.PageWalks),
    )
    cache = context.cache(documents.RenderCache)
    items = documents.rendered(reader, rows, cache, language=message_language(accept_language))
    page = IndexPage(items, page_index, page_size, has_next)
    body = b'{"itemsPerPage":%d,"items":[%s]}' % (len(items), b",".join(items))
    return Response(content=body, media_type=MediaType.JSON, headers=index_links(request, page))


@get("/orders/count", sync_to_thread=True, tags=TAGS, dependencies={"filters": FILTERS})
def count_orders(reader: ReadSession, seller: SellerContext, filters: queries.OrderFilter) -> int:
    """A bare integer, as production answers."""
    return queries.count_orders(reader, seller.seller_id, filters)


@get("/orders/{order_id:str}", sync_to_thread=True, tags=TAGS)
def get_order(
    context: AppContext,
    reader: ReadSession,
    seller: SellerContext,
    order_id: str,
    accept_language: MessageLanguage = None,
) -> OrderOut:
    polled(context.db, placement.PROGRESS_KIND, order_id, seller.seller_id)
    order = queries.get_order(reader, seller.seller_id, order_id)
    return documents.document(reader, order, language=message_language(accept_language))


@post("/orders/{order_id:str}/approval-status", sync_to_thread=True, tags=TAGS, status_code=204)
def approve_order(session: Session, seller: SellerContext, order_id: str, data: ApprovalIn) -> None:
    """Cdiscount: `Accepted` or `Refused`, only while the order is WaitingAcceptance."""
    actions.approve(session, seller.seller_id, order_id, data.value)


@post("/orders/{order_id:str}/shipments", sync_to_thread=True, tags=TAGS, status_code=201)
def ship_order(
    session: Session, seller: SellerContext, order_id: str, data: list[ParcelIn] | ParcelIn
) -> Response[bytes]:
    """An array of parcels (or one parcel object); without orderLineIds a parcel holds every shippable line.
    201 without a body, as production answers."""
    actions.ship(session, seller.seller_id, order_id, data if isinstance(data, list) else [data])
    return Response(content=b"", status_code=201)


seller_routes = [list_orders, count_orders, get_order, approve_order, ship_order]

OP_TAGS = ["operator: orders"]


@post("/orders", sync_to_thread=True, tags=OP_TAGS)
def op_create_order(session: Session, data: OrderIn) -> OrderOut:
    """A customer places an order; it is Processing until the marketplace controls (a job) have run."""
    return documents.document(session, placement.create_order(session, data), operator=True)


@get("/orders/{order_id:str}", sync_to_thread=True, tags=OP_TAGS)
def op_get_order(reader: ReadSession, order_id: str, accept_language: MessageLanguage = None) -> OrderOut:
    order = actions.operator_order_read(reader, order_id)
    return documents.document(reader, order, operator=True, language=message_language(accept_language))


@post("/orders/{order_id:str}/delivery", sync_to_thread=True, tags=OP_TAGS, status_code=200)
def op_deliver(session: Session, order_id: str) -> OrderOut:
    """The carrier delivered the shipped order."""
    return documents.document(session, actions.deliver(session, order_id), operator=True)


@post("/orders/{order_id:str}/warehouse-shipment", sync_to_thread=True, tags=OP_TAGS, status_code=200)
def op_warehouse_ship(session: Session, order_id: str, data: WarehouseShipmentIn) -> OrderOut:
    """The warehouse ships the order's Fulfillment lines."""
    order = actions.warehouse_ship(session, order_id, data.parcel_number, data.carrier_name)
    return documents.document(session, order, operator=True)


@post(
    "/orders/{order_id:str}/customer-service-cancellation", sync_to_thread=True, tags=OP_TAGS, status_code=200
)
def op_cancel(session: Session, order_id: str, data: OperatorCancellationIn) -> OrderOut:
    """The channel's customer service cancels the whole order, or the lines named, at once."""
    order = actions.cancel_by_customer_service(session, order_id, data.reason, data.line_ids)
    return documents.document(session, order, operator=True)


operator_routes = [op_create_order, op_get_order, op_deliver, op_warehouse_ship, op_cancel]
