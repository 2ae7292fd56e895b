"""Opening cancellation requests (spec 12.8 to 12.10): the seller's, for the whole order or some lines,
and the customer's (operator API). Their lines go CancelRequest at once; a seller's request is carried
out by a job, a customer's waits for the marketplace (see `settlement`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.orm import Session

from comptoir import channels, clock, ids
from comptoir.errors import ValidationFailed
from comptoir.jobs import Subject, enqueue
from comptoir.orders import actions, lifecycle
from comptoir.orders.cancellations import domain as rules
from comptoir.orders.cancellations.models import CancellationRequest, CancellationRequestLine
from comptoir.orders.cancellations.queries import pending_lines
from comptoir.orders.cancellations.schemas import (
    CancellationIn,
    CustomerCancellationIn,
    PartialCancellationIn,
)
from comptoir.orders.models import Order, OrderLine
from comptoir.orders.queries import get_order

PROCESS_JOB = "orders.process_cancellation"
# The sandbox progress controls' name for the seller's requests, which a job carries out
# (`/sandbox/v1/progress/cancellation-requests/{cancellationRequestId}`).
PROGRESS_KIND = "cancellation-requests"


def _states(
    order: Order, lines: Sequence[OrderLine], pending: Sequence[tuple[CancellationRequestLine, str]]
) -> list[rules.LineState]:
    by_line: dict[str, set[str]] = defaultdict(set)
    for request_line, requester in pending:
        by_line[request_line.line_id].add(requester)
    return [
        rules.LineState(
            line.line_id,
            lifecycle.line_offer_id(order, line),
            line.status,
            line.supply_mode,
            frozenset(by_line[line.line_id]),
            row_offer_id=_row_offer(line),
        )
        for line in lines
    ]


def _row_offer(line: OrderLine) -> str | None:
    """Request lines keep the offer's row id, which always fits their column; they show the composite
    id, rendered from the order line (see `queries.documents`)."""
    return str(line.offer_id) if line.offer_id is not None else None


def _order_ref(order_seller_id: str | None, order_id: str | None) -> str:
    ref = order_seller_id or order_id
    if not ref:
        raise ValidationFailed.field("orderSellerId", "orderSellerId is required.")
    return ref


def request_whole(session: Session, seller_id: str, data: CancellationIn) -> CancellationRequest:
    order = get_order(session, seller_id, _order_ref(data.order_seller_id, data.order_id), lock=True)
    return _open(
        session,
        order,
        requester=rules.SELLER,
        requester_id=seller_id,
        reason=data.reason,
        shipping_cost_refund=data.shipping_cost_refund,
        asks=None,
    )


def request_lines(session: Session, seller_id: str, data: PartialCancellationIn) -> CancellationRequest:
    order = get_order(session, seller_id, _order_ref(data.order_seller_id, data.order_id), lock=True)
    missing = {
        f"lines[{i}].reason": ["reason is required."]
        for i, x in enumerate(data.lines)
        if not (x.reason or data.reason)
    }
    if missing:
        raise ValidationFailed("Each line needs a cancellation reason.", errors=missing)
    asks = [
        rules.LineAsk(
            x.line_id,
            str(x.offer_id) if x.offer_id is not None else None,
            x.reason or data.reason or "",
            data.shipping_cost_refund if x.shipping_cost_refund is None else x.shipping_cost_refund,
        )
        for x in data.lines
    ]
    return _open(
        session,
        order,
        requester=rules.SELLER,
        requester_id=seller_id,
        reason=data.reason,
        shipping_cost_refund=data.shipping_cost_refund,
        asks=asks,
    )


def request_by_customer(session: Session, order_id: str, data: CustomerCancellationIn) -> CancellationRequest:
    """The customer asks to cancel the order or some lines; the marketplace settles it later."""
    order = actions.operator_order(session, order_id)
    asks = None
    if data.line_ids is not None:
        asks = [rules.LineAsk(x, None, data.reason, data.shipping_cost_refund) for x in data.line_ids]
    return _open(
        session,
        order,
        requester=rules.CUSTOMER,
        requester_id=order.customer_reference,
        reason=data.reason,
        shipping_cost_refund=data.shipping_cost_refund,
        asks=asks,
    )


def _open(
    session: Session,
    order: Order,
    *,
    requester: str,
    requester_id: str,
    reason: str | None,
    shipping_cost_refund: bool,
    asks: list[rules.LineAsk] | None,
) -> CancellationRequest:
    """Checks the request against the order (every line when `asks` is None), then records it and puts
    its lines in CancelRequest; a seller's request is carried out by a job."""
    lines = lifecycle.lines_of(session, order.id)
    pending = pending_lines(session, order.id)
    states = _states(order, lines, pending)
    if asks is None:
        assert reason is not None  # required of whole-order requests by their wire model
        kind = rules.TOTAL
        asks = rules.plan_whole(
            order_status=order.status,
            channel_id=order.sales_channel_id,
            requester=requester,
            lines=states,
            reason=reason,
            shipping_cost_refund=shipping_cost_refund,
        )
    else:
        kind = rules.PARTIAL
        rules.check_lines(
            order_status=order.status,
            channel_id=order.sales_channel_id,
            line_level=channels.get_channel(session, order.sales_channel_id).line_level_management,
            requester=requester,
            lines=states,
            asks=asks,
        )
    now = clock.now()
    request = CancellationRequest(
        id=ids.new_uuid(),
        seller_id=order.seller_id,
        order_id=order.id,
        sales_channel_id=order.sales_channel_id,
        cancellation_type=kind,
        requester_type=requester,
        requester_id=requester_id,
        reason=reason,
        shipping_cost_refund=shipping_cost_refund,
        status=rules.IN_PROGRESS,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.flush()
    by_id = {line.line_id: line for line in lines}
    # A line already in CancelRequest (asked by the customer) keeps the status it had before that.
    earlier = {request_line.line_id: request_line.previous_status for request_line, _ in pending}
    by_reason: dict[str, list[str]] = defaultdict(list)
    for ask in asks:
        line = by_id[ask.line_id]
        session.add(
            CancellationRequestLine(
                request_id=request.id,
                line_id=line.line_id,
                order_id=order.id,
                offer_id=_row_offer(line),
                reason=ask.reason,
                shipping_cost_refund=ask.shipping_cost_refund,
                status=rules.IN_PROGRESS,
                previous_status=earlier.get(line.line_id, line.status),
            )
        )
        line.status = rules.CANCEL_REQUEST
        by_reason[ask.reason].append(line.line_id)
    for line_reason, line_ids in by_reason.items():
        lifecycle.record(
            session, order, rules.CANCEL_REQUEST, actor=requester, reason=line_reason, line_ids=line_ids
        )
    session.flush()
    if requester == rules.SELLER:
        subject = Subject(PROGRESS_KIND, request.id, order.seller_id)
        enqueue(session, PROCESS_JOB, {"request_id": request.id}, subject=subject)
    return request
