"""Inbound shipments on the seller API (spec 15.2), and the warehouse's side of them on the operator
API."""

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
from comptoir.fulfillment.inbound import documents, service
from comptoir.fulfillment.inbound import domain as d
from comptoir.fulfillment.inbound import schemas as s
from comptoir.jobs import polled
from comptoir.platform.params import csv_values, timestamp

TAGS = ["fulfillment: inbound shipments"]


def inbound_filter(
    status: Annotated[list[str] | None, Parameter(query="status")] = None,
    storage_country: Annotated[list[str] | None, Parameter(query="storageCountry")] = None,
    reference: Annotated[str | None, Parameter(query="reference", max_length=50)] = None,
    created_at_min: Annotated[str | None, Parameter(query="createdAtMin")] = None,
    created_at_max: Annotated[str | None, Parameter(query="createdAtMax")] = None,
) -> service.InboundFilter:
    """`status` and `storageCountry` (FR, ES, UK or a country name) any casing, repeated or
    comma-separated; `reference`: the seller's, exactly."""
    return service.InboundFilter(
        statuses=d.statuses(csv_values(status)),
        countries=tuple(
            dict.fromkeys(d.storage_country("storageCountry", c) for c in csv_values(storage_country))
        ),
        reference=reference or None,
        created_min=timestamp("createdAtMin", created_at_min),
        created_max=timestamp("createdAtMax", created_at_max),
    )


FILTERS = Provide(inbound_filter, sync_to_thread=False)


@post("/inbound-shipments", sync_to_thread=True, tags=TAGS, status_code=201)
def create_inbound(
    request: Request[Any, Any, Any], session: Session, seller: SellerContext, data: s.InboundShipmentIn
) -> Response[s.InboundShipmentCreatedOut]:
    """An inbound shipment, `Created`: the warehouse then checks it (a storage country not open to
    the seller and products not referenced refuse it, with `refusalReasons`) and accepts it
    (`Accepted`: a `code` and a delivery note), then receives it: `InTransit`,
    `ReceptionInProgress`, and `Received` or `ReceivedWithDiscrepancies`."""
    shipment = service.create(session, seller.seller_id, data)
    return created(
        request,
        f"/inbound-shipments/{shipment.id}",
        s.InboundShipmentCreatedOut(inbound_shipment_id=shipment.id),
    )


@get("/inbound-shipments", sync_to_thread=True, tags=TAGS, dependencies={"filters": FILTERS})
def list_inbounds(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    filters: service.InboundFilter,
    limit: Limit1000 = 100,
    cursor: Cursor = None,
) -> Response[Page[s.InboundShipmentOut]]:
    """Newest first; cursor pagination (`Link` headers)."""
    page = service.list_shipments(reader, seller.seller_id, filters, limit=limit, cursor=cursor)
    return Response(
        page_of(service.documents(reader, page.items)), headers=cursor_links(request, page, limit)
    )


@get("/inbound-shipments/count", sync_to_thread=True, tags=TAGS, dependencies={"filters": FILTERS})
def count_inbounds(reader: ReadSession, seller: SellerContext, filters: service.InboundFilter) -> int:
    """A bare integer, with the list's filters."""
    return service.count_shipments(reader, seller.seller_id, filters)


@get("/inbound-shipments/{shipment_id:str}", sync_to_thread=True, tags=TAGS)
def get_inbound(
    context: AppContext, reader: ReadSession, seller: SellerContext, shipment_id: str
) -> s.InboundShipmentOut:
    polled(context.db, service.PROGRESS_KIND, shipment_id, seller.seller_id)
    return service.document(reader, service.get_shipment(reader, seller.seller_id, shipment_id))


@get(
    "/inbound-shipments/{shipment_id:str}/delivery-notes",
    sync_to_thread=True,
    tags=TAGS,
    media_type="application/pdf",
)
def get_delivery_note(reader: ReadSession, seller: SellerContext, shipment_id: str) -> Response[bytes]:
    """The PDF to put in the shipment: the inbound's code with its Code 39 barcode, the warehouse's
    address, the lines and their quantities. 409 before acceptance and once refused."""
    shipment = service.get_shipment(reader, seller.seller_id, shipment_id)
    pdf = documents.delivery_note(shipment, service.lines_of(reader, shipment.id))
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{documents.file_name(shipment)}"'},
    )


seller_routes = [create_inbound, list_inbounds, count_inbounds, get_inbound, get_delivery_note]

OP_TAGS = ["operator: fulfillment"]


@get("/inbound-shipments/{shipment_id:str}", sync_to_thread=True, tags=OP_TAGS)
def op_get_inbound(reader: ReadSession, shipment_id: str) -> s.InboundShipmentOut:
    return service.document(reader, service.get_shipment(reader, None, shipment_id))


@post("/inbound-shipments/{shipment_id:str}/transit", sync_to_thread=True, tags=OP_TAGS, status_code=200)
def op_transit(session: Session, shipment_id: str) -> s.InboundShipmentOut:
    """The carrier took an `Accepted` inbound to the warehouse (optional: a count may start without)."""
    return service.document(session, service.transit(session, shipment_id))


@post("/inbound-shipments/{shipment_id:str}/reception", sync_to_thread=True, tags=OP_TAGS, status_code=200)
def op_receive(session: Session, shipment_id: str, data: s.ReceptionIn) -> s.InboundShipmentOut:
    """A pass of counting: per line, the units counted (`receivedQuantity`, damaged ones included)
    and the damaged ones (`damagedQuantity`). Sound units go to Available, damaged ones to Blocked,
    at once; `complete` (the default) closes the count, with discrepancies when a line differs from
    what was announced."""
    return service.document(session, service.receive(session, shipment_id, data))


operator_routes = [op_get_inbound, op_transit, op_receive]
