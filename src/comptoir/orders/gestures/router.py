"""Commercial gestures on the seller API (spec 12.12), and the marketplace's side of them on the operator
API."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post, put
from litestar.params import Parameter
from sqlalchemy.orm import Session

from comptoir.api.context import AppContext
from comptoir.api.deps import SellerContext
from comptoir.api.pagination import Cursor, Limit1000, Page, cursor_links, page_of
from comptoir.api.responses import created
from comptoir.db import ReadSession
from comptoir.jobs import polled
from comptoir.orders.gestures import schemas as s
from comptoir.orders.gestures import service
from comptoir.platform.params import csv_values, timestamp

TAGS = ["commercial gestures"]


@get("/sales-channel-commercial-gesture-configurations/{channel_id:str}", sync_to_thread=True, tags=TAGS)
def gesture_configuration(reader: ReadSession, channel_id: str) -> s.GestureConfigurationOut:
    """Whether the channel allows gestures (`allowsGesture`), its maximum rate (percent of the order
    amount), maximum amount and currency."""
    return service.configuration(reader, channel_id)


@get("/orders/{order_id:str}/commercial-gestures-available-amounts", sync_to_thread=True, tags=TAGS)
def gesture_available_amounts(
    reader: ReadSession, seller: SellerContext, order_id: str
) -> s.AvailableAmountsOut:
    """`allowableAmount`: what gestures may still add up to, on the order amount without its cancelled
    lines, after the gestures granted or in progress."""
    return service.available(reader, seller.seller_id, order_id)


@post("/order-commercial-gesture-requests", sync_to_thread=True, tags=TAGS, status_code=201)
def request_gesture(
    request: Request[Any, Any, Any], session: Session, seller: SellerContext, data: s.GestureIn
) -> Response[s.GestureRequestOut]:
    """Checked at once, then granted (`Done`) or `Rejected` with `errors[]` by the marketplace."""
    document = service.document(service.request_gesture(session, seller.seller_id, data))
    return created(request, f"/order-commercial-gesture-requests/{document.request_id}", document)


@get("/order-commercial-gesture-requests", sync_to_thread=True, tags=TAGS)
def list_gesture_requests(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    order_id: Annotated[str | None, Parameter(query="orderId")] = None,
    statuses: Annotated[list[str] | None, Parameter(query="status")] = None,
    created_at_min: Annotated[str | None, Parameter(query="createdAtMin")] = None,
    created_at_max: Annotated[str | None, Parameter(query="createdAtMax")] = None,
    updated_at_min: Annotated[str | None, Parameter(query="updatedAtMin")] = None,
    updated_at_max: Annotated[str | None, Parameter(query="updatedAtMax")] = None,
    limit: Limit1000 = 100,
    cursor: Cursor = None,
) -> Response[Page[s.GestureRequestOut]]:
    """Latest update first; cursor pagination (`Link` headers)."""
    page = service.list_requests(
        reader,
        seller.seller_id,
        order_id=order_id,
        statuses=csv_values(statuses),
        created=(timestamp("createdAtMin", created_at_min), timestamp("createdAtMax", created_at_max)),
        updated=(timestamp("updatedAtMin", updated_at_min), timestamp("updatedAtMax", updated_at_max)),
        limit=limit,
        cursor=cursor,
    )
    items = [service.document(r) for r in page.items]
    return Response(page_of(items), headers=cursor_links(request, page, limit))


@get("/order-commercial-gesture-requests/{request_id:str}", sync_to_thread=True, tags=TAGS)
def get_gesture_request(
    context: AppContext, reader: ReadSession, seller: SellerContext, request_id: str
) -> s.GestureRequestOut:
    polled(context.db, service.PROGRESS_KIND, request_id, seller.seller_id)
    return service.document(service.get_request(reader, seller.seller_id, request_id))


seller_routes = [
    gesture_configuration,
    gesture_available_amounts,
    request_gesture,
    list_gesture_requests,
    get_gesture_request,
]

OP_TAGS = ["operator: orders"]


@get("/channels/{channel_id:str}/commercial-gesture-configuration", sync_to_thread=True, tags=OP_TAGS)
def op_gesture_configuration(reader: ReadSession, channel_id: str) -> s.GestureConfigurationOut:
    return service.configuration(reader, channel_id)


@put("/channels/{channel_id:str}/commercial-gesture-configuration", sync_to_thread=True, tags=OP_TAGS)
def op_set_gesture_configuration(
    session: Session, channel_id: str, data: s.GestureConfigurationIn
) -> s.GestureConfigurationOut:
    """Replaces the channel's gesture limits; `manualReview` keeps valid requests for the back office."""
    return service.set_configuration(session, channel_id, data)


@post(
    "/commercial-gesture-requests/{request_id:str}/decision",
    sync_to_thread=True,
    tags=OP_TAGS,
    status_code=200,
)
def op_decide_gesture(session: Session, request_id: str, data: s.GestureDecisionIn) -> s.GestureRequestOut:
    """Settles a request in progress: `Done` (the rules still apply) or `Rejected`."""
    return service.document(service.decide(session, request_id, data.decision, data.message))


operator_routes = [op_gesture_configuration, op_set_gesture_configuration, op_decide_gesture]
