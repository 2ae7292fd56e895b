"""Cancellation requests (spec 12.8 to 12.11).

A seller's request puts its lines in CancelRequest at once; a job then cancels them (stock released,
refund computed), and the order is Cancelled once every line is. A customer's request (operator API)
also puts its lines in CancelRequest, but waits for the marketplace to grant or refuse it; meanwhile a
Cdiscount seller may still ship those lines (spec 12.7), or grant the request by cancelling them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import clock, ids
from comptoir.channels.models import SalesChannel
from comptoir.channels.service import get_channel
from comptoir.db.pagination import IndexPage, index_page
from comptoir.errors import Conflict, NotFound, ValidationFailed
from comptoir.jobs import enqueue
from comptoir.orders import actions, lifecycle, queries
from comptoir.orders import cancellation_rules as rules
from comptoir.orders import domain as d
from comptoir.orders.models import CancellationRequest, CancellationRequestLine, Order, OrderLine
from comptoir.orders.request_schemas import (
    CancellationIn,
    CancellationLineOut,
    CancellationRequestOut,
    CustomerCancellationIn,
    ErrorOut,
    PartialCancellationIn,
    ReasonOut,
    RefundOut,
)

TOTAL, PARTIAL = "Total", "Partial"
PROCESS_JOB = "orders.process_cancellation"


def reasons(
    session: Session, channel_id: str | None, user_type: str | None, status: str | None
) -> list[ReasonOut]:
    errors = rules.context_errors(user_type, status)
    if not channel_id:
        errors["salesChannel"] = ["salesChannel is required."]
    elif session.get(SalesChannel, channel_id) is None:
        errors["salesChannel"] = [f"Sales channel {channel_id} does not exist."]
    if errors:
        raise ValidationFailed("One or more validation errors occurred.", errors=errors)
    assert channel_id and user_type and status
    return [ReasonOut(r.code, r.label) for r in rules.reasons_for(channel_id, user_type, status)]


# --- opening requests -----------------------------------------------------------------------------


def _pending(session: Session, order_id: str) -> list[tuple[CancellationRequestLine, str]]:
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


def _states(
    lines: Sequence[OrderLine], pending: Sequence[tuple[CancellationRequestLine, str]]
) -> list[rules.LineState]:
    by_line: dict[str, set[str]] = defaultdict(set)
    for request_line, requester in pending:
        by_line[request_line.line_id].add(requester)
    return [
        rules.LineState(
            line.line_id, _offer(line), line.status, line.supply_mode, frozenset(by_line[line.line_id])
        )
        for line in lines
    ]


def _offer(line: OrderLine) -> str | None:
    return str(line.offer_id) if line.offer_id is not None else None


def _order_ref(order_seller_id: str | None, order_id: str | None) -> str:
    ref = order_seller_id or order_id
    if not ref:
        raise ValidationFailed.field("orderSellerId", "orderSellerId is required.")
    return ref


def request_whole(session: Session, seller_id: str, data: CancellationIn) -> CancellationRequest:
    order = queries.get_order(session, seller_id, _order_ref(data.order_seller_id, data.order_id), lock=True)
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
    order = queries.get_order(session, seller_id, _order_ref(data.order_seller_id, data.order_id), lock=True)
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
    pending = _pending(session, order.id)
    states = _states(lines, pending)
    if asks is None:
        assert reason is not None  # required of whole-order requests by their wire model
        kind = TOTAL
        asks = rules.plan_whole(
            order_status=order.status,
            channel_id=order.sales_channel_id,
            requester=requester,
            lines=states,
            reason=reason,
            shipping_cost_refund=shipping_cost_refund,
        )
    else:
        kind = PARTIAL
        rules.check_lines(
            order_status=order.status,
            channel_id=order.sales_channel_id,
            line_level=get_channel(session, order.sales_channel_id).line_level_management,
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
                offer_id=_offer(line),
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
        enqueue(session, PROCESS_JOB, {"request_id": request.id})
    return request


# --- settling requests ----------------------------------------------------------------------------


def _locked(session: Session, request_id: str) -> tuple[CancellationRequest, Order] | None:
    """The request and its order, the order locked first (as every order change does)."""
    order_id = session.scalar(
        select(CancellationRequest.order_id).where(CancellationRequest.id == request_id)
    )
    if order_id is None:
        return None
    order = session.get(Order, order_id, with_for_update=True)
    request = session.get(CancellationRequest, request_id, populate_existing=True)
    assert order is not None and request is not None
    return request, order


def process(session: Session, request_id: str) -> None:
    """The job that carries out a seller's request. Idempotent: a settled request is left alone."""
    found = _locked(session, request_id)
    if found is None:
        return
    request, order = found
    if request.status == rules.IN_PROGRESS and request.requester_type == rules.SELLER:
        _grant(session, request, order, actor=rules.SELLER)


def decide(session: Session, request_id: str, decision: str, message: str | None) -> CancellationRequest:
    """The marketplace grants or refuses a request still in progress."""
    found = _locked(session, request_id)
    if found is None:
        raise NotFound(f"Cancellation request {request_id} does not exist.")
    request, order = found
    if request.status != rules.IN_PROGRESS:
        raise Conflict(f"The cancellation request is {request.status}: it was already settled.")
    if decision == rules.ACCEPTED:
        _grant(session, request, order, actor="Marketplace")
    else:
        _refuse(session, request, order, message or "Refused by the marketplace.")
    return request


def _request_lines(session: Session, request_id: str) -> list[CancellationRequestLine]:
    return list(
        session.scalars(
            select(CancellationRequestLine)
            .where(CancellationRequestLine.request_id == request_id)
            .order_by(CancellationRequestLine.line_id)
        )
    )


def _grant(session: Session, request: CancellationRequest, order: Order, *, actor: str) -> None:
    lines = {line.line_id: line for line in lifecycle.lines_of(session, order.id)}
    met: list[str] = []
    to_cancel: list[tuple[OrderLine, str]] = []
    for request_line in _request_lines(session, request.id):
        if request_line.status != rules.IN_PROGRESS:
            continue
        outcome = rules.grant_outcome(lines[request_line.line_id].status)
        if outcome == "shipped":
            _settle_line(
                request_line, rules.REFUSED, "LineShipped", "The line was shipped before the cancellation."
            )
            continue
        met.append(request_line.line_id)
        if outcome == "cancel":
            to_cancel.append((lines[request_line.line_id], request_line.reason))
    _cancel_lines(session, order, list(lines.values()), to_cancel, actor=actor)
    _meet(session, order, met)
    _refresh(session, [request.id])


def _cancel_lines(
    session: Session,
    order: Order,
    all_lines: Sequence[OrderLine],
    to_cancel: Sequence[tuple[OrderLine, str]],
    *,
    actor: str,
) -> None:
    if not to_cancel:
        return
    lifecycle.release_stock(session, [line for line, _ in to_cancel])
    by_reason: dict[str, list[str]] = defaultdict(list)
    for line, reason in to_cancel:
        line.status = d.Status.CANCELLED.value
        by_reason[reason].append(line.line_id)
    for reason, line_ids in by_reason.items():
        lifecycle.record(
            session, order, d.Status.CANCELLED.value, actor=actor, reason=reason, line_ids=line_ids
        )
    statuses = {line.status for line in all_lines}
    if statuses == {d.Status.CANCELLED.value}:
        # A Delivered order stays so (final): its lines show what was refunded.
        if d.allowed(order.status, d.Action.CANCEL):
            lifecycle.apply(session, order, d.Action.CANCEL, actor=actor, reason=to_cancel[0][1])
    elif (
        order.status == d.Status.IN_PREPARATION
        and not statuses & {d.SHIPPABLE_LINE, rules.CANCEL_REQUEST}
        and d.Status.SHIPPED.value in statuses
    ):
        # The cancelled lines were the last ones left to ship: the order is now fully shipped.
        order.shipped_at = max(line.shipped_at for line in all_lines if line.shipped_at is not None)
        lifecycle.apply(session, order, d.Action.SHIP_ALL, actor="Marketplace")


def _meet(session: Session, order: Order, line_ids: Iterable[str]) -> None:
    """Every request still in progress on these lines is met: the lines will not be delivered."""
    wanted = set(line_ids)
    if not wanted:
        return
    lines = {line.line_id: line for line in lifecycle.lines_of(session, order.id)}
    touched: set[str] = set()
    for request_line, _ in _pending(session, order.id):
        if request_line.line_id in wanted:
            line = lines[request_line.line_id]
            refund = rules.refund(
                unit_price=line.unit_price,
                quantity=line.quantity,
                shipping_cost=line.shipping_cost,
                shipping_cost_refund=request_line.shipping_cost_refund,
            )
            request_line.product_refund, request_line.shipping_refund = refund.product, refund.shipping
            _settle_line(request_line, rules.ACCEPTED)
            touched.add(request_line.request_id)
    _refresh(session, touched)


def _refuse(session: Session, request: CancellationRequest, order: Order, message: str) -> None:
    lines = {line.line_id: line for line in lifecycle.lines_of(session, order.id)}
    refused = [x for x in _request_lines(session, request.id) if x.status == rules.IN_PROGRESS]
    for request_line in refused:
        _settle_line(request_line, rules.REFUSED, "RefusedByMarketplace", message)
    still_asked = {request_line.line_id for request_line, _ in _pending(session, order.id)}
    restored: dict[str, list[str]] = defaultdict(list)
    for request_line in refused:
        line = lines[request_line.line_id]
        if line.status == rules.CANCEL_REQUEST and line.line_id not in still_asked:
            line.status = rules.restored_status(request_line.previous_status, order.status)
            restored[line.status].append(line.line_id)
    for status, line_ids in restored.items():
        lifecycle.record(
            session, order, status, actor="Marketplace", reason="cancellation-refused", line_ids=line_ids
        )
    _refresh(session, [request.id])


def _settle_line(
    request_line: CancellationRequestLine, status: str, code: str | None = None, message: str | None = None
) -> None:
    request_line.status = status
    request_line.error_code = code
    request_line.error_message = message


def _refresh(session: Session, request_ids: Iterable[str]) -> None:
    session.flush()
    for request_id in request_ids:
        request = session.get(CancellationRequest, request_id)
        assert request is not None
        request.status = rules.request_status(x.status for x in _request_lines(session, request_id))
        request.updated_at = clock.now()


# --- reading --------------------------------------------------------------------------------------


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
            lines = lines.where(CancellationRequestLine.offer_id == offer_id)
        stmt = stmt.where(CancellationRequest.id.in_(lines))
    stmt = stmt.order_by(CancellationRequest.created_at.desc(), CancellationRequest.id.desc())
    return index_page(session, stmt, page_index=page_index, page_size=page_size)


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
    currencies = {
        row.id: row.currency
        for row in session.execute(
            select(Order.id, Order.currency).where(Order.id.in_({r.order_id for r in requests}))
        )
    }
    return [_document(r, lines[r.id], currencies[r.order_id]) for r in requests]


def _document(
    request: CancellationRequest, lines: Sequence[CancellationRequestLine], currency: str
) -> CancellationRequestOut:
    iso = clock.iso_z
    return CancellationRequestOut(
        cancellation_request_id=request.id,
        request_id=request.id,
        partial_cancellation_request_id=request.id if request.cancellation_type == PARTIAL else None,
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
                offer_id=x.offer_id,
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
