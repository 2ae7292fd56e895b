"""Returns on the seller API (spec 15.5), and the warehouse's side of them on the operator API."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import Provide
from litestar.params import Parameter
from sqlalchemy.orm import Session

from comptoir.api.deps import SellerContext
from comptoir.api.pagination import Cursor, Limit1000, Page, cursor_links, page_of
from comptoir.api.responses import created
from comptoir.db import ReadSession
from comptoir.fulfillment.returns import domain as d
from comptoir.fulfillment.returns import schemas as s
from comptoir.fulfillment.returns import service
from comptoir.platform.params import csv_values, timestamp

TAGS = ["fulfillment: returns"]


def return_filter(
    types: Annotated[list[str] | None, Parameter(query="type")] = None,
    statuses: Annotated[list[str] | None, Parameter(query="status")] = None,
    outbound_shipment_id: Annotated[str | None, Parameter(query="outboundShipmentId")] = None,
    order_seller_id: Annotated[str | None, Parameter(query="orderSellerId")] = None,
    created_at_min: Annotated[str | None, Parameter(query="createdAtMin")] = None,
    created_at_max: Annotated[str | None, Parameter(query="createdAtMax")] = None,
    updated_at_min: Annotated[str | None, Parameter(query="updatedAtMin")] = None,
    updated_at_max: Annotated[str | None, Parameter(query="updatedAtMax")] = None,
) -> service.ReturnFilter:
    """`type` (Customer, Carrier) and `status` in any casing, repeated or comma-separated."""
    return service.ReturnFilter(
        types=tuple(dict.fromkeys(d.one_of("type", t, d.TYPES) for t in csv_values(types))),
        statuses=tuple(dict.fromkeys(d.one_of("status", st, d.STATUSES) for st in csv_values(statuses))),
        outbound_shipment_id=outbound_shipment_id,
        order_id=order_seller_id,
        created=(timestamp("createdAtMin", created_at_min), timestamp("createdAtMax", created_at_max)),
        updated=(timestamp("updatedAtMin", updated_at_min), timestamp("updatedAtMax", updated_at_max)),
    )


FILTERS = Provide(return_filter, sync_to_thread=False)


@post("/returns", sync_to_thread=True, tags=TAGS, status_code=201)
def create_return(
    request: Request[Any, Any, Any], session: Session, seller: SellerContext, data: s.ReturnIn
) -> Response[s.ReturnOut]:
    """A customer return on a shipped outbound shipment or a marketplace order's Fulfillment lines:
    each line at most what was shipped, less what earlier returns declared. Returns to the FR
    warehouse come with a label (`labelUrl`)."""
    document = service.document(session, service.create(session, seller.seller_id, data))
    return created(request, f"/returns/{document.return_id}", document)


@get("/returns", sync_to_thread=True, tags=TAGS, dependencies={"filters": FILTERS})
def list_returns(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    filters: service.ReturnFilter,
    limit: Limit1000 = 100,
    cursor: Cursor = None,
) -> Response[Page[s.ReturnOut]]:
    """Customer and carrier returns, latest update first; cursor pagination (`Link` headers)."""
    page = service.list_returns(reader, seller.seller_id, filters, limit=limit, cursor=cursor)
    return Response(
        page_of(service.documents(reader, page.items)), headers=cursor_links(request, page, limit)
    )


@get("/returns/count", sync_to_thread=True, tags=TAGS, dependencies={"filters": FILTERS})
def count_returns(reader: ReadSession, seller: SellerContext, filters: service.ReturnFilter) -> int:
    """A bare integer, with the list's filters."""
    return service.count_returns(reader, seller.seller_id, filters)


@get("/returns/{return_id:str}", sync_to_thread=True, tags=TAGS)
def get_return(reader: ReadSession, seller: SellerContext, return_id: str) -> s.ReturnOut:
    return service.document(reader, service.get_return(reader, seller.seller_id, return_id))


def _label(reader: ReadSession, seller: SellerContext, return_id: str) -> Response[bytes]:
    return Response(
        content=service.label(reader, seller.seller_id, return_id),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="return-label-{return_id}.pdf"'},
    )


@get("/returns/{return_id:str}/label", sync_to_thread=True, tags=TAGS, opt={"produces": ("application/pdf",)})
def return_label(reader: ReadSession, seller: SellerContext, return_id: str) -> Response[bytes]:
    """The PDF label of a customer return to the FR warehouse. Other warehouses send theirs by mail,
    and carrier returns have none: a 404 problem says which."""
    return _label(reader, seller, return_id)


# An SDK calls it `/labels` (one route with both paths is answered with a coroutine by Litestar).
@get(
    "/returns/{return_id:str}/labels", sync_to_thread=True, tags=TAGS, opt={"produces": ("application/pdf",)}
)
def return_labels(reader: ReadSession, seller: SellerContext, return_id: str) -> Response[bytes]:
    """The same label as `/label`."""
    return _label(reader, seller, return_id)


seller_routes = [create_return, list_returns, count_returns, get_return, return_label, return_labels]

OP_TAGS = ["operator: fulfillment"]


@post("/fulfillment/carrier-returns", sync_to_thread=True, tags=OP_TAGS, status_code=201)
def op_carrier_return(
    request: Request[Any, Any, Any], session: Session, data: s.CarrierReturnIn
) -> Response[s.ReturnOut]:
    """The carrier brought a shipped shipment back (undelivered, refused...): a Carrier return,
    without label, received and inspected like a customer's."""
    document = service.document(session, service.carrier_return(session, data))
    return created(request, f"/fulfillment/returns/{document.return_id}", document)


@get("/fulfillment/returns/{return_id:str}", sync_to_thread=True, tags=OP_TAGS)
def op_get_return(reader: ReadSession, return_id: str) -> s.ReturnOut:
    return service.document(reader, service.get_return(reader, None, return_id))


@post("/fulfillment/returns/{return_id:str}/reception", sync_to_thread=True, tags=OP_TAGS, status_code=200)
def op_receive(session: Session, return_id: str, data: s.ReceptionIn) -> s.ReturnOut:
    """The parcel arrived: units counted per line enter the Return bucket; the return is Pending."""
    return service.document(session, service.receive(session, return_id, data))


@post("/fulfillment/returns/{return_id:str}/inspection", sync_to_thread=True, tags=OP_TAGS, status_code=200)
def op_inspect(session: Session, return_id: str, data: s.InspectionIn) -> s.ReturnOut:
    """Units unfit per line go to Blocked, the rest back to Available; the return is Completed."""
    return service.document(session, service.inspect(session, return_id, data))


operator_routes = [op_carrier_return, op_get_return, op_receive, op_inspect]
