"""The seller indicators that orders feed (acceptance, shipping, deadlines, claims, refunds)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from comptoir.orders import domain as d
from comptoir.orders.gestures import domain as gesture_rules
from comptoir.orders.models import GestureRequest, Order, StatusEvent


def _event_orders(status: str, actor: str | None = None) -> Any:
    conds = [StatusEvent.status == status, StatusEvent.line_id.is_(None)]
    if actor:
        conds.append(StatusEvent.actor == actor)
    return select(StatusEvent.order_id).where(*conds)


def _count(session: Session, seller_id: str, start: datetime, end: datetime, *conds: Any) -> int:
    stmt = (
        select(func.count())
        .select_from(Order)
        .where(Order.seller_id == seller_id, Order.created_at >= start, Order.created_at <= end, *conds)
    )
    return int(session.scalar(stmt) or 0)


def acceptance_counter(session: Session, seller_id: str, start: datetime, end: datetime) -> tuple[int, int]:
    asked = Order.id.in_(_event_orders(d.Status.WAITING_ACCEPTANCE.value))
    approved = Order.id.in_(_event_orders(d.Status.ACCEPTED.value, "Seller"))
    return _count(session, seller_id, start, end, asked, approved), _count(
        session, seller_id, start, end, asked
    )


def shipping_counter(session: Session, seller_id: str, start: datetime, end: datetime) -> tuple[int, int]:
    prepared = Order.id.in_(_event_orders(d.Status.IN_PREPARATION.value))
    return (
        _count(session, seller_id, start, end, prepared, Order.shipped_at.is_not(None)),
        _count(session, seller_id, start, end, prepared),
    )


def deadline_counter(session: Session, seller_id: str, start: datetime, end: datetime) -> tuple[int, int]:
    shipped = Order.shipped_at.is_not(None)
    on_time = or_(Order.shipped_at_max.is_(None), Order.shipped_at <= Order.shipped_at_max)
    return (
        _count(session, seller_id, start, end, shipped, on_time),
        _count(session, seller_id, start, end, shipped),
    )


def claims_counter(session: Session, seller_id: str, start: datetime, end: datetime) -> tuple[int, int]:
    claimed = Order.id.in_(
        select(StatusEvent.order_id).where(
            StatusEvent.actor.in_(("Customer", "CustomerService")),
            StatusEvent.status.in_((d.CANCEL_REQUEST, d.Status.CANCELLED.value)),
        )
    )
    accepted = Order.accepted_at.is_not(None)
    return (
        _count(session, seller_id, start, end, accepted, claimed),
        _count(session, seller_id, start, end, accepted),
    )


def refunds_counter(session: Session, seller_id: str, start: datetime, end: datetime) -> tuple[int, int]:
    # Cancelled lines are refunded; so is what a granted commercial gesture gives back.
    refunded = or_(
        Order.id.in_(select(StatusEvent.order_id).where(StatusEvent.status == d.Status.CANCELLED.value)),
        Order.id.in_(select(GestureRequest.order_id).where(GestureRequest.status == gesture_rules.DONE)),
    )
    accepted = Order.accepted_at.is_not(None)
    return (
        _count(session, seller_id, start, end, accepted, refunded),
        _count(session, seller_id, start, end, accepted),
    )


INDICATOR_COUNTERS = {
    "order_acceptation": acceptance_counter,
    "product_shipping": shipping_counter,
    "deadline_compliance": deadline_counter,
    "order_claims": claims_counter,
    "order_refunds": refunds_counter,
}
