"""Cancellations on the seller API (spec 12.8 to 12.11), and the marketplace's side of them on the
operator API."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.params import Parameter
from sqlalchemy.orm import Session

from comptoir.api.context import AppContext
from comptoir.api.deps import SellerContext
from comptoir.api.pagination import Page, PageIndex, PageSize, index_links, page_of
from comptoir.api.responses import created
from comptoir.db import ReadSession
from comptoir.jobs import polled
from comptoir.orders.cancellations import opening, queries, settlement
from comptoir.orders.cancellations import schemas as s

TAGS = ["order cancellations"]


@get("/cancellation-reasons", sync_to_thread=True, tags=TAGS)
def cancellation_reasons(
    reader: ReadSession,
    sales_channel: Annotated[str | None, Parameter(query="salesChannel")] = None,
    sales_channel_id: Annotated[str | None, Parameter(query="salesChannelId")] = None,
    user_type: Annotated[str | None, Parameter(query="userType")] = None,
    order_status: Annotated[str | None, Parameter(query="orderStatus")] = None,
) -> Page[s.ReasonOut]:
    """Reason codes valid for a channel, a requester type (Seller, Customer, CustomerService) and an order
    status; fewer once the order is approved, then shipped. Every parameter is required."""
    return page_of(queries.reasons(reader, sales_channel or sales_channel_id, user_type, order_status))


@post("/order-cancellation-requests", sync_to_thread=True, tags=TAGS, status_code=201)
def cancel_order(
    request: Request[Any, Any, Any], session: Session, seller: SellerContext, data: s.CancellationIn
) -> Response[s.CancellationRequestOut]:
    """The whole order. Its lines are CancelRequest at once, then Cancelled by the marketplace (a job)."""
    return _created(
        request, queries.document(session, opening.request_whole(session, seller.seller_id, data))
    )


@post("/order-partial-cancellation-requests", sync_to_thread=True, tags=TAGS, status_code=201)
def cancel_lines(
    request: Request[Any, Any, Any], session: Session, seller: SellerContext, data: s.PartialCancellationIn
) -> Response[s.CancellationRequestOut]:
    """Some lines, each with its offerId and reason; channels that manage orders by line only."""
    return _created(
        request, queries.document(session, opening.request_lines(session, seller.seller_id, data))
    )


def _created(
    request: Request[Any, Any, Any], document: s.CancellationRequestOut
) -> Response[s.CancellationRequestOut]:
    # Requests have no route of their own: the list filtered on the id is where one is read.
    return created(
        request,
        f"/order-cancellation-requests?cancellationRequestId={document.cancellation_request_id}",
        document,
    )


@get("/order-cancellation-requests", sync_to_thread=True, tags=TAGS)
def list_cancellation_requests(
    request: Request[Any, Any, Any],
    context: AppContext,
    reader: ReadSession,
    seller: SellerContext,
    order_seller_id: Annotated[str | None, Parameter(query="orderSellerId")] = None,
    order_id: Annotated[str | None, Parameter(query="orderId")] = None,
    cancellation_request_id: Annotated[str | None, Parameter(query="cancellationRequestId")] = None,
    line_id: Annotated[str | None, Parameter(query="lineId")] = None,
    offer_id: Annotated[str | None, Parameter(query="offerId")] = None,
    sales_channel: Annotated[str | None, Parameter(query="salesChannel")] = None,
    page_index: PageIndex = 1,
    page_size: PageSize = 50,
) -> Response[Page[s.CancellationRequestOut]]:
    """orderSellerId or cancellationRequestId is required; newest first."""
    if cancellation_request_id:
        # Filtered on its id, the list is where a request is read (it has no route of its own).
        polled(context.db, opening.PROGRESS_KIND, cancellation_request_id, seller.seller_id)
    page = queries.list_requests(
        reader,
        seller.seller_id,
        order_id=order_seller_id or order_id,
        request_id=cancellation_request_id,
        line_id=line_id,
        offer_id=offer_id,
        channel_id=sales_channel,
        page_index=page_index,
        page_size=page_size,
    )
    return Response(page_of(queries.documents(reader, page.items)), headers=index_links(request, page))


seller_routes = [cancellation_reasons, cancel_order, cancel_lines, list_cancellation_requests]

OP_TAGS = ["operator: orders"]


@post(
    "/orders/{order_id:str}/customer-cancellation-requests",
    sync_to_thread=True,
    tags=OP_TAGS,
    status_code=201,
)
def op_customer_cancellation(
    session: Session, order_id: str, data: s.CustomerCancellationIn
) -> s.CancellationRequestOut:
    """The customer asks to cancel the order (or `lineIds`): the lines go CancelRequest until the
    marketplace grants or refuses the request. On Cdiscount the seller may still ship them."""
    return queries.document(session, opening.request_by_customer(session, order_id, data))


@post("/cancellation-requests/{request_id:str}/decision", sync_to_thread=True, tags=OP_TAGS, status_code=200)
def op_decide_cancellation(
    session: Session, request_id: str, data: s.CancellationDecisionIn
) -> s.CancellationRequestOut:
    """`Accepted` cancels the lines still to cancel (a line shipped meanwhile is refused); `Refused` gives
    the lines back their status."""
    return queries.document(session, settlement.decide(session, request_id, data.decision, data.message))


operator_routes = [op_customer_cancellation, op_decide_cancellation]
