"""Commercial gestures (spec 12.12): a seller refunds part of a shipped order to its customer.

A request is validated at once (status, amount, limits, currency, reason, duplicates), then a job checks
it again against the order as it is by then and grants it (`Done`) or rejects it with `errors[]`. On a
channel whose configuration asks for manual review, valid requests wait for the marketplace to settle them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from comptoir import clock, ids
from comptoir.channels import get_channel
from comptoir.db.pagination import CursorPage, SortKey, cursor_page
from comptoir.errors import Conflict, NotFound, ValidationFailed
from comptoir.jobs import Subject, enqueue
from comptoir.orders import lifecycle, queries
from comptoir.orders.cancellations.schemas import ErrorOut
from comptoir.orders.gestures import domain as rules
from comptoir.orders.gestures.models import ChannelGestureConfiguration, GestureRequest
from comptoir.orders.gestures.schemas import (
    AvailableAmountsOut,
    GestureConfigurationIn,
    GestureConfigurationOut,
    GestureIn,
    GestureRequestOut,
)
from comptoir.orders.models import Order
from comptoir.platform.money import money

PROCESS_JOB = "orders.process_gesture"
# The sandbox progress controls' name for gesture requests (`/sandbox/v1/progress/gesture-requests/{id}`).
PROGRESS_KIND = "gesture-requests"
REJECTED_CODE, REJECTED_MESSAGE = "RejectedByMarketplace", "Rejected by the marketplace."


# --- channel configuration ------------------------------------------------------------------------


def limits(session: Session, channel_id: str) -> rules.Limits:
    """A channel without configuration forbids gestures."""
    channel = get_channel(session, channel_id)
    config = session.get(ChannelGestureConfiguration, channel_id)
    if config is None:
        return rules.Limits(False, Decimal("0"), None, channel.currency)
    return rules.Limits(config.allows_gesture, config.maximum_rate, config.maximum_amount, config.currency)


def configuration(session: Session, channel_id: str) -> GestureConfigurationOut:
    found = limits(session, channel_id)
    config = session.get(ChannelGestureConfiguration, channel_id)
    return GestureConfigurationOut(
        sales_channel_id=channel_id,
        allows_gesture=found.allows_gesture,
        maximum_rate=float(found.maximum_rate),
        maximum_amount=float(found.maximum_amount) if found.maximum_amount is not None else None,
        currency_code=found.currency,
        manual_review=config.manual_review if config else False,
    )


def set_configuration(
    session: Session, channel_id: str, data: GestureConfigurationIn
) -> GestureConfigurationOut:
    get_channel(session, channel_id)
    config = session.get(ChannelGestureConfiguration, channel_id) or ChannelGestureConfiguration(
        sales_channel_id=channel_id
    )
    config.allows_gesture = data.allows_gesture
    config.maximum_rate = Decimal(str(data.maximum_rate))
    config.maximum_amount = Decimal(str(data.maximum_amount)) if data.maximum_amount is not None else None
    config.currency = data.currency_code
    config.manual_review = data.manual_review
    config.updated_at = clock.now()
    session.add(config)
    session.flush()
    return configuration(session, channel_id)


# --- amounts --------------------------------------------------------------------------------------


def _order_amount(session: Session, order: Order) -> Decimal:
    return rules.order_amount(
        rules.PricedLine(line.status, line.unit_price, line.quantity, line.shipping_cost)
        for line in lifecycle.lines_of(session, order.id)
    )


def _sum(session: Session, order_id: str, *conds: Any) -> Decimal:
    total = session.execute(
        select(func.coalesce(func.sum(GestureRequest.amount), 0)).where(
            GestureRequest.order_id == order_id, *conds
        )
    ).scalar_one()
    return money(total)


def available(session: Session, seller_id: str, order_id: str) -> AvailableAmountsOut:
    order = queries.get_order(session, seller_id, order_id)
    found = limits(session, order.sales_channel_id)
    amount = _order_amount(session, order)
    granted = _sum(session, order.id, GestureRequest.status == rules.DONE)
    pending = _sum(session, order.id, GestureRequest.status == rules.IN_PROGRESS)
    return AvailableAmountsOut(
        order_id=order.id,
        sales_channel_id=order.sales_channel_id,
        allows_gesture=found.allows_gesture,
        currency_code=found.currency,
        order_amount=float(amount),
        maximum_rate=float(found.maximum_rate),
        maximum_amount=float(found.maximum_amount) if found.maximum_amount is not None else None,
        granted_amount=float(granted),
        pending_amount=float(pending),
        allowable_amount=float(rules.allowable(amount, found, granted + pending)),
    )


# --- requests -------------------------------------------------------------------------------------


def request_gesture(session: Session, seller_id: str, data: GestureIn) -> GestureRequest:
    amount = rules.parse_amount(data.amount)
    order = queries.get_order(session, seller_id, data.order_id, lock=True)
    found = limits(session, order.sales_channel_id)
    rules.check_fields(data.reason, data.reason_details, data.currency_code or data.currency, found)
    # Re-sending a gesture is answered as a duplicate, before its amount is weighed again.
    duplicate = session.scalar(
        select(GestureRequest.id).where(
            GestureRequest.order_id == order.id,
            GestureRequest.reason == data.reason,
            GestureRequest.amount == amount,
            GestureRequest.status.in_(rules.COMMITTED),
        )
    )
    if duplicate is not None:
        raise Conflict(f"The same gesture was already requested ({duplicate}).", code="DuplicateGesture")
    committed = _sum(session, order.id, GestureRequest.status.in_(rules.COMMITTED))
    left = rules.allowable(_order_amount(session, order), found, committed)
    problems = rules.problems(order.status, found, amount, left)
    for problem in problems:
        if problem.code == "AmountExceedsLimit":
            raise ValidationFailed.field("amount", problem.message)
    if problems:
        raise Conflict(problems[0].message, code=problems[0].code)
    now = clock.now()
    request = GestureRequest(
        id=ids.new_uuid(),
        seller_id=seller_id,
        order_id=order.id,
        sales_channel_id=order.sales_channel_id,
        reason=data.reason,
        reason_details=data.reason_details,
        amount=amount,
        currency=found.currency,
        status=rules.IN_PROGRESS,
        errors=[],
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.flush()
    enqueue(
        session,
        PROCESS_JOB,
        {"request_id": request.id},
        subject=Subject(PROGRESS_KIND, request.id, seller_id),
    )
    return request


def _locked(session: Session, request_id: str) -> tuple[GestureRequest, Order] | None:
    order_id = session.scalar(select(GestureRequest.order_id).where(GestureRequest.id == request_id))
    if order_id is None:
        return None
    order = session.get(Order, order_id, with_for_update=True)
    request = session.get(GestureRequest, request_id, populate_existing=True)
    assert order is not None and request is not None
    return request, order


def _problems(session: Session, request: GestureRequest, order: Order) -> list[rules.Problem]:
    """The rules again, on the order as it is now; earlier requests still pending keep their share."""
    found = limits(session, order.sales_channel_id)
    earlier = or_(
        GestureRequest.status == rules.DONE,
        and_(
            GestureRequest.status == rules.IN_PROGRESS,
            or_(
                GestureRequest.created_at < request.created_at,
                and_(GestureRequest.created_at == request.created_at, GestureRequest.id < request.id),
            ),
        ),
    )
    committed = _sum(session, order.id, GestureRequest.id != request.id, earlier)
    left = rules.allowable(_order_amount(session, order), found, committed)
    found_problems = rules.problems(order.status, found, request.amount, left)
    if request.currency != found.currency:
        found_problems.append(
            rules.Problem("CurrencyMismatch", f"Gestures on this channel are in {found.currency}.")
        )
    return found_problems


def _settle(request: GestureRequest, status: str, problems: Sequence[rules.Problem] = ()) -> None:
    request.status = status
    request.errors = [{"code": p.code, "message": p.message} for p in problems]
    request.updated_at = clock.now()


def process(session: Session, request_id: str) -> None:
    """The job: grants or rejects a request still in progress. Idempotent."""
    found = _locked(session, request_id)
    if found is None:
        return
    request, order = found
    if request.status != rules.IN_PROGRESS:
        return
    problems = _problems(session, request, order)
    if problems:
        _settle(request, rules.REJECTED, problems)
        return
    config = session.get(ChannelGestureConfiguration, order.sales_channel_id)
    if not (config and config.manual_review):
        _settle(request, rules.DONE)


def reject(session: Session, request_id: str, code: str | None, message: str | None) -> None:
    """Rejects a request still in progress (sandbox policy `fail`), with a code and message of the
    sandbox's choosing or the marketplace's usual ones."""
    found = _locked(session, request_id)
    if found is not None and found[0].status == rules.IN_PROGRESS:
        _settle(found[0], rules.REJECTED, [rules.Problem(code or REJECTED_CODE, message or REJECTED_MESSAGE)])


def decide(session: Session, request_id: str, decision: str, message: str | None) -> GestureRequest:
    """The marketplace settles a request in progress; granting it still obeys the rules."""
    found = _locked(session, request_id)
    if found is None:
        raise NotFound(f"Commercial gesture request {request_id} does not exist.")
    request, order = found
    if request.status != rules.IN_PROGRESS:
        raise Conflict(f"The commercial gesture request is {request.status}: it was already settled.")
    if decision == rules.DONE:
        problems = _problems(session, request, order)
        _settle(request, rules.REJECTED if problems else rules.DONE, problems)
    else:
        _settle(
            request,
            rules.REJECTED,
            [rules.Problem(REJECTED_CODE, message or REJECTED_MESSAGE)],
        )
    return request


# --- reading --------------------------------------------------------------------------------------


def list_requests(
    session: Session,
    seller_id: str,
    *,
    order_id: str | None,
    statuses: Sequence[str],
    created: tuple[datetime | None, datetime | None],
    updated: tuple[datetime | None, datetime | None],
    limit: int,
    cursor: str | None,
) -> CursorPage[GestureRequest]:
    """Newest update first, as documented."""
    unknown = [s for s in statuses if s not in rules.STATUSES]
    if unknown:
        raise ValidationFailed.field("status", f"status must be one of {', '.join(rules.STATUSES)}.")
    stmt = select(GestureRequest).where(GestureRequest.seller_id == seller_id)
    if order_id:
        stmt = stmt.where(GestureRequest.order_id == order_id)
    if statuses:
        stmt = stmt.where(GestureRequest.status.in_(statuses))
    for column, (low, high) in ((GestureRequest.created_at, created), (GestureRequest.updated_at, updated)):
        if low is not None:
            stmt = stmt.where(column >= low)
        if high is not None:
            stmt = stmt.where(column <= high)
    return cursor_page(
        session,
        stmt,
        keys=[
            SortKey(GestureRequest.updated_at, descending=True),
            SortKey(GestureRequest.id, descending=True),
        ],
        key_of=lambda r: [r.updated_at, r.id],
        limit=limit,
        cursor=cursor,
    )


def get_request(session: Session, seller_id: str, request_id: str) -> GestureRequest:
    request = session.get(GestureRequest, request_id)
    if request is None or request.seller_id != seller_id:
        raise NotFound(f"Commercial gesture request {request_id} does not exist.")
    return request


def document(request: GestureRequest) -> GestureRequestOut:
    return GestureRequestOut(
        request_id=request.id,
        order_id=request.order_id,
        sales_channel_id=request.sales_channel_id,
        status=request.status,
        reason=request.reason,
        reason_details=request.reason_details,
        amount=float(request.amount),
        currency_code=request.currency,
        created_at=clock.iso_z(request.created_at) or "",
        updated_at=clock.iso_z(request.updated_at) or "",
        errors=[ErrorOut(e["code"], e["message"]) for e in request.errors],
    )
