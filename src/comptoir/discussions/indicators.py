"""The seller indicators discussions feed: claims beside the orders' own, and how often the seller
answers before a discussion would escalate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from comptoir import orders, sellers
from comptoir.discussions import domain as d
from comptoir.discussions.models import Discussion, Message


def claimed_orders(session: Session, seller_id: str, start: datetime, end: datetime) -> int:
    """Accepted orders of the window (as the orders' indicators count them) with a discussion that
    became a claim."""
    order = orders.Order
    stmt = (
        select(func.count())
        .select_from(order)
        .where(
            order.seller_id == seller_id,
            order.created_at >= start,
            order.created_at <= end,
            order.accepted_at.is_not(None),
            order.id.in_(select(Discussion.order_id).where(Discussion.claimed_at.is_not(None))),
        )
    )
    return int(session.scalar(stmt) or 0)


def with_claims(order_claims: sellers.IndicatorCounter) -> sellers.IndicatorCounter:
    """The claim rate: claims per accepted order, an order's claim in a discussion counted beside the
    cancellation its customer asked for (the orders' counter)."""

    def counter(session: Session, seller_id: str, start: datetime, end: datetime) -> tuple[int, int]:
        numerator, denominator = order_claims(session, seller_id, start, end)
        return numerator + claimed_orders(session, seller_id, start, end), denominator

    return counter


def response_counter(session: Session, seller_id: str, start: datetime, end: datetime) -> tuple[int, int]:
    """The seller's answers to waiting discussions over the window: those given before the channel's
    delay ran out, and all of them."""
    in_time, answers = session.execute(
        select(func.count(case((Message.answered_in_time.is_(True), 1))), func.count()).where(
            Message.seller_id == seller_id,
            Message.sender_type == d.SELLER,
            Message.created_at >= start,
            Message.created_at <= end,
            Message.answered_in_time.is_not(None),
        )
    ).one()
    return int(in_time), int(answers)


# Named like the orders' `deadline_compliance`: answers given in time, over all answers.
INDICATOR_COUNTERS = {"response_time_compliance": response_counter}
