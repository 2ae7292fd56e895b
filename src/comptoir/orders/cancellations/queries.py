"""Reading cancellations (spec 12.9, 12.11): the reason codes of a context, the requests of an order and
their documents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import channels, clock
from comptoir.db.pagination import IndexPage, index_page
from comptoir.errors import ValidationFailed
from comptoir.orders.cancellations import domain as rules
from comptoir.orders.cancellations.models import CancellationRequest, CancellationRequestLine
from comptoir.orders.cancellations.schemas import (
    CancellationLineOut,
    CancellationRequestOut,
    ErrorOut,
    ReasonOut,
    RefundOut,
)
from comptoir.orders.lifecycle import line_offer_id, lines_of, names_line_offer
from comptoir.orders.models import Order, OrderLine


def reasons(
    session: Session, channel_id: str | None, user_type: str | None, status: str | None
) -> list[ReasonOut]:
    errors = rules.context_errors(user_type, status)
    if not channel_id:
        errors["salesChannel"] = ["salesChannel is required."]
    elif session.get(channels.SalesChannel, channel_id) is None:
        errors["salesChannel"] = [f"Sales channel {channel_id} does not exist."]
    if errors:
        raise ValidationFailed("One or more validation errors occurred.", errors=errors)
    assert channel_id and user_type and status
    return [ReasonOut(r.code, r.label) for r in rules.reasons_for(channel_id, user_type, status)]


def pending_lines(session: Session, order_id: str) -> list[tuple[CancellationRequestLine, str]]:
    """The request lines still in progress on an order, with who asked."""
    rows = session.execute(
        select(CancellationRequestLine, CancellationRequest.requester_type)
        .join(CancellationRequest, CancellationRequest.id == CancellationRequestLine.request_id)
        .where(
            CancellationRequestLine.order_id == order_id,
            CancellationRequestLine.status == rules.IN_PROGRESS,
        )
    )
    return [(row[0], row[1]) for row in rows]


def list_requests(
    session: Session,
    seller_id: str,
    *,
    order_id: str | None,
    request_id: str | None,
    line_id: str | None,
    offer_id: str | None,
    channel_id: str | None,
    page_index: int,
    page_size: int,
) -> IndexPage[CancellationRequest]:
    if not (order_id or request_id):
        message = "Give orderSellerId or cancellationRequestId."
        raise ValidationFailed(
            message, errors={"orderSellerId": [message], "cancellationRequestId": [message]}
        )
    stmt = select(CancellationRequest).where(CancellationRequest.seller_id == seller_id)
    if order_id:
        stmt = stmt.where(CancellationRequest.order_id == order_id)
    if request_id:
        stmt = stmt.where(CancellationRequest.id == request_id)
    if channel_id:
        stmt = stmt.where(CancellationRequest.sales_channel_id == channel_id)
    if line_id or offer_id:
        lines = select(CancellationRequestLine.request_id)
        if line_id:
            lines = lines.where(CancellationRequestLine.line_id == line_id)
        if offer_id:
            named = _row_ids(session, seller_id, order_id or _order_of(session, request_id), offer_id)
            lines = lines.where(CancellationRequestLine.offer_id.in_(named))
        stmt = stmt.where(CancellationRequest.id.in_(lines))
    stmt = stmt.order_by(CancellationRequest.created_at.desc(), CancellationRequest.id.desc())
    return index_page(session, stmt, page_index=page_index, page_size=page_size)


def _order_of(session: Session, request_id: str | None) -> str | None:
    return session.scalar(select(CancellationRequest.order_id).where(CancellationRequest.id == request_id))


def _row_ids(session: Session, seller_id: str, order_id: str | None, offer_id: str) -> set[str]:
    """The row id request lines keep of the offer named (by its composite id or its row id), found
    among the lines of the order asked about: the list always names one."""
    order = session.get(Order, order_id) if order_id else None
    if order is None or order.seller_id != seller_id:
        return set()
    return {str(x.offer_id) for x in lines_of(session, order.id) if names_line_offer(order, x, offer_id)}


def documents(session: Session, requests: Sequence[CancellationRequest]) -> list[CancellationRequestOut]:
    if not requests:
        return []
    lines: dict[str, list[CancellationRequestLine]] = defaultdict(list)
    for line in session.scalars(
        select(CancellationRequestLine)
        .where(CancellationRequestLine.request_id.in_([r.id for r in requests]))
        .order_by(CancellationRequestLine.line_id)
    ):
        lines[line.request_id].append(line)
    order_ids = {r.order_id for r in requests}
    orders = {o.id: o for o in session.scalars(select(Order).where(Order.id.in_(order_ids)))}
    # Shown under the catalogue's composite id, which the order line gives.
    offer_ids = {
        (line.order_id, line.line_id): line_offer_id(orders[line.order_id], line)
        for line in session.scalars(select(OrderLine).where(OrderLine.order_id.in_(order_ids)))
    }
    return [_document(r, lines[r.id], orders[r.order_id].currency, offer_ids) for r in requests]


def _document(
    request: CancellationRequest,
    lines: Sequence[CancellationRequestLine],
    currency: str,
    offer_ids: dict[tuple[str, str], str | None],
) -> CancellationRequestOut:
    iso = clock.iso_z
    return CancellationRequestOut(
        cancellation_request_id=request.id,
        request_id=request.id,
        partial_cancellation_request_id=request.id if request.cancellation_type == rules.PARTIAL else None,
        order_seller_id=request.order_id,
        sales_channel=request.sales_channel_id,
        cancellation_type=request.cancellation_type,
        status=request.status,
        requester_type=request.requester_type,
        requester_id=request.requester_id,
        reason=request.reason,
        shipping_cost_refund=request.shipping_cost_refund,
        created_at=iso(request.created_at) or "",
        updated_at=iso(request.updated_at) or "",
        lines=[
            CancellationLineOut(
                line_id=x.line_id,
                offer_id=offer_ids.get((x.order_id, x.line_id)),
                reason=x.reason,
                shipping_cost_refund=x.shipping_cost_refund,
                status=x.status,
                refund=RefundOut(
                    product_amount=float(x.product_refund),
                    shipping_amount=float(x.shipping_refund),
                    total_amount=float(x.product_refund + x.shipping_refund),
                    currency_code=currency,
                )
                if x.product_refund is not None and x.shipping_refund is not None
                else None,
                error=ErrorOut(x.error_code, x.error_message or "") if x.error_code else None,
            )
            for x in lines
        ],
    )


def document(session: Session, request: CancellationRequest) -> CancellationRequestOut:
    return documents(session, [request])[0]
