"""Outbound shipping orders and their cancellation on the seller API (spec 15.4), and the warehouse's
side of them on the operator API."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import Provide
from litestar.params import Parameter
from sqlalchemy.orm import Session

from comptoir.api.context import AppContext
from comptoir.api.deps import SellerContext
from comptoir.api.pagination import Cursor, Limit1000, Page, cursor_links, page_of
from comptoir.api.responses import created
from comptoir.db import ReadSession
from comptoir.fulfillment.outbound import domain as d
from comptoir.fulfillment.outbound import schemas as s
from comptoir.fulfillment.outbound import service
from comptoir.jobs import polled
from comptoir.platform.params import csv_values, timestamp

TAGS = ["fulfillment: outbound shipments"]


def outbound_filter(
    states: Annotated[list[str] | None, Parameter(query="state")] = None,
    status: Annotated[list[str] | None, Parameter(query="status")] = None,
    status_updated_at_min: Annotated[str | None, Parameter(query="statusUpdatedAtMin")] = None,
    status_updated_at_max: Annotated[str | None, Parameter(query="statusUpdatedAtMax")] = None,
) -> service.OutboundFilter:
    """`state`: a validity (Pending, Valid, Invalid) or a status, any casing, repeated or
    comma-separated; `status` takes the statuses alone."""
    validities, statuses = d.state_filter(csv_values(states))
    _, only_statuses = d.state_filter(csv_values(status))
    return service.OutboundFilter(
        validities=validities,
        statuses=tuple(dict.fromkeys((*statuses, *only_statuses))),
        updated_min=timestamp("statusUpdatedAtMin", status_updated_at_min),
        updated_max=timestamp("statusUpdatedAtMax", status_updated_at_max),
    )


FILTERS = Provide(outbound_filter, sync_to_thread=False)


@post("/outbound-shipments", sync_to_thread=True, tags=TAGS, status_code=201)
def create_shipment(
    request: Request[Any, Any, Any], session: Session, seller: SellerContext, data: s.OutboundShipmentIn
) -> Response[s.OutboundShipmentCreatedOut]:
    """A shipping order, `Created`: the warehouse then checks it (an unknown product, missing stock
    and a destination no warehouse serves reject it, with `rejectionReasons`), allocates its units
    (`Accepted`), prepares it (`InPreparation`) and ships it (`Shipped`, with carrier and parcels)."""
    shipment = service.create(session, seller.seller_id, data)
    return created(
        request,
        f"/outbound-shipments/{shipment.id}",
        s.OutboundShipmentCreatedOut(outbound_shipment_id=shipment.id),
    )


@get("/outbound-shipments", sync_to_thread=True, tags=TAGS, dependencies={"filters": FILTERS})
def list_shipments(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    filters: service.OutboundFilter,
    limit: Limit1000 = 100,
    cursor: Cursor = None,
) -> Response[Page[s.OutboundShipmentOut]]:
    """Latest status change first; cursor pagination (`Link` headers)."""
    page = service.list_shipments(reader, seller.seller_id, filters, limit=limit, cursor=cursor)
    return Response(
        page_of(service.documents(reader, page.items)), headers=cursor_links(request, page, limit)
    )


@get("/outbound-shipments/count", sync_to_thread=True, tags=TAGS, dependencies={"filters": FILTERS})
def count_shipments(reader: ReadSession, seller: SellerContext, filters: service.OutboundFilter) -> int:
    """A bare integer, with the list's filters."""
    return service.count_shipments(reader, seller.seller_id, filters)


@get("/outbound-shipments/{shipment_id:str}", sync_to_thread=True, tags=TAGS)
def get_shipment(
    context: AppContext, reader: ReadSession, seller: SellerContext, shipment_id: str
) -> s.OutboundShipmentOut:
    polled(context.db, service.PROGRESS_KIND, shipment_id, seller.seller_id)
    return service.document(reader, service.get_shipment(reader, seller.seller_id, shipment_id))


@post("/outbound-cancellation-requests", sync_to_thread=True, tags=TAGS, status_code=201)
def cancel_shipment(
    request: Request[Any, Any, Any], session: Session, seller: SellerContext, data: s.CancellationIn
) -> Response[s.CancellationOut]:
    """Cancels a shipment at once, only before it is shipped (409 after, or once rejected or
    cancelled); the units it held go back to Available."""
    document = service.cancellation_document(service.cancel(session, seller.seller_id, data))
    return created(request, f"/outbound-cancellation-requests/{document.cancellation_request_id}", document)


@get("/outbound-cancellation-requests/{request_id:str}", sync_to_thread=True, tags=TAGS)
def get_cancellation(reader: ReadSession, seller: SellerContext, request_id: str) -> s.CancellationOut:
    return service.cancellation_document(service.get_cancellation(reader, seller.seller_id, request_id))


seller_routes = [
    create_shipment,
    list_shipments,
    count_shipments,
    get_shipment,
    cancel_shipment,
    get_cancellation,
]

OP_TAGS = ["operator: fulfillment"]


@get("/fulfillment/outbound-shipments/{shipment_id:str}", sync_to_thread=True, tags=OP_TAGS)
def op_get_shipment(reader: ReadSession, shipment_id: str) -> s.OutboundShipmentOut:
    return service.document(reader, service.get_shipment(reader, None, shipment_id))


@post(
    "/fulfillment/outbound-shipments/{shipment_id:str}/preparation",
    sync_to_thread=True,
    tags=OP_TAGS,
    status_code=200,
)
def op_prepare(session: Session, shipment_id: str) -> s.OutboundShipmentOut:
    """The warehouse starts preparing an `Accepted` shipment."""
    return service.document(session, service.prepare(session, shipment_id))


@post(
    "/fulfillment/outbound-shipments/{shipment_id:str}/shipment",
    sync_to_thread=True,
    tags=OP_TAGS,
    status_code=200,
)
def op_ship(session: Session, shipment_id: str, data: s.WarehouseShipmentIn) -> s.OutboundShipmentOut:
    """The warehouse ships a shipment `InPreparation`: its allocated units leave the stock."""
    return service.document(session, service.ship(session, shipment_id, data))


operator_routes = [op_get_shipment, op_prepare, op_ship]
