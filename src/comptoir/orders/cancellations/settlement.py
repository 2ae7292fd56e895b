"""Settling cancellation requests (spec 12.8 to 12.11): the job that carries out a seller's request, and
the marketplace's decision on any request still in progress. Granted lines are cancelled (stock given
back) and refunded; the order is Cancelled once every line is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.errors import Conflict, NotFound
from comptoir.orders import domain as d
from comptoir.orders import lifecycle
from comptoir.orders.cancellations import domain as rules
from comptoir.orders.cancellations.models import CancellationRequest, CancellationRequestLine
from comptoir.orders.cancellations.queries import pending_lines
from comptoir.orders.models import Order, OrderLine

REFUSED_CODE, REFUSED_MESSAGE = "RefusedByMarketplace", "Refused by the marketplace."


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


def refuse(session: Session, request_id: str, code: str | None, message: str | None) -> None:
    """Refuses a request still in progress as the marketplace does (sandbox policy `fail`, with a code
    and message of its choosing): its lines get back the status they had before it."""
    found = _locked(session, request_id)
    if found is not None and found[0].status == rules.IN_PROGRESS:
        _refuse(session, *found, message or REFUSED_MESSAGE, code or REFUSED_CODE)


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
        _refuse(session, request, order, message or REFUSED_MESSAGE)
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
    for request_line, _ in pending_lines(session, order.id):
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


def _refuse(
    session: Session, request: CancellationRequest, order: Order, message: str, code: str = REFUSED_CODE
) -> None:
    lines = {line.line_id: line for line in lifecycle.lines_of(session, order.id)}
    refused = [x for x in _request_lines(session, request.id) if x.status == rules.IN_PROGRESS]
    for request_line in refused:
        _settle_line(request_line, rules.REFUSED, code[:50], message[:300])
    still_asked = {request_line.line_id for request_line, _ in pending_lines(session, order.id)}
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
