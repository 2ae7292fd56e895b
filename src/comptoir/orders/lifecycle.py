"""Order identifiers and status changes: every change records a status event with the platform time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import clock, fulfillment, ids, offers
from comptoir.orders import domain as d
from comptoir.orders.models import Order, OrderLine, StatusEvent


def new_order_id(now: datetime) -> str:
    """Cdiscount-like: the minute of purchase then five letters, e.g. 2611231907THLDJ."""
    return now.strftime("%y%m%d%H%M") + ids.letters(5)


def new_line_ids(count: int) -> list[str]:
    """Four letters each, distinct within the order."""
    line_ids: list[str] = []
    while len(line_ids) < count:
        candidate = ids.letters(4)
        if candidate not in line_ids:
            line_ids.append(candidate)
    return line_ids


def line_offer_id(order: Order, line: OrderLine) -> str | None:
    """The offer sold on the line under the catalogue's composite id, the one `GET /offers` shows
    (`{sellerId}_{productReference}_{condition}_{channel}`); None until the controls found the offer."""
    if line.offer_id is None or not line.product_reference or not line.condition:
        return None
    return offers.offer_id(order.seller_id, line.product_reference, line.condition, order.sales_channel_id)


def names_line_offer(order: Order, line: OrderLine, given: str) -> bool:
    """Whether a client's offer id names the line's offer: the composite id, or the offer's row id that
    order lines showed before (old clients send it back; composite ids hold underscores, row ids never)."""
    if line.offer_id is None:
        return False
    return given == line_offer_id(order, line) or given == str(line.offer_id)


def record(
    session: Session,
    order: Order,
    status: str,
    *,
    actor: str,
    reason: str | None = None,
    line_ids: Iterable[str] | None = None,
) -> None:
    now = clock.now()
    if line_ids is None:
        session.add(
            StatusEvent(order_id=order.id, status=status, actor=actor, reason=reason, occurred_at=now)
        )
    else:
        session.add_all(
            StatusEvent(
                order_id=order.id, line_id=line_id, status=status, actor=actor, reason=reason, occurred_at=now
            )
            for line_id in line_ids
        )
    order.updated_at = now


def apply(
    session: Session,
    order: Order,
    action: d.Action,
    *,
    actor: str,
    reason: str | None = None,
    lines: Sequence[OrderLine] = (),
    line_status: str | None = None,
) -> None:
    """Moves the order by the transition table, and the given lines with it, recording both."""
    target = d.transition(order.status, action)
    order.status = target.value
    record(session, order, target.value, actor=actor, reason=reason)
    for line in lines:
        line.status = line_status or target.value
    if lines:
        record(
            session,
            order,
            line_status or target.value,
            actor=actor,
            reason=reason,
            line_ids=[line.line_id for line in lines],
        )


def lines_of(session: Session, order_id: str) -> list[OrderLine]:
    return list(
        session.scalars(select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.position))
    )


def release_stock(session: Session, lines: Iterable[OrderLine]) -> None:
    """Gives back what the lines hold: the warehouse's units for Fulfillment lines, the offer's stock
    for the others."""
    for line in lines:
        if line.reserved_quantity <= 0:
            continue
        if line.supply_mode == d.FULFILLMENT:
            fulfillment.release_order_line(session, line.order_id, line.line_id)
        elif line.offer_id is not None:
            offers.release_stock(session, line.offer_id, line.reserved_quantity)
        else:
            continue
        line.reserved_quantity = 0
