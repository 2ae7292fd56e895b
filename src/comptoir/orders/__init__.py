"""Orders: customers buy on channels, sellers approve, ship and cancel (spec section 12).

What other features may use: the names below (discussions read orders through `order_view` and
join the orders table to count claims). `features.py` wires its routes, jobs and the seller
indicators it feeds. By use case: `placement` (a customer's order and the marketplace
controls), `actions` (approval, shipments, delivery, customer-service cancellation), `queries`
(filters, counts, page walks), `documents` (the order resource, cached by version), `lifecycle`
(ids and status changes), `indicators`; the rules are in `domain`. Cancellation requests, commercial
gestures and invoices are sub-packages of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from comptoir.errors import NotFound
from comptoir.orders.domain import ORDER_STATUSES
from comptoir.orders.lifecycle import lines_of
from comptoir.orders.models import Order

__all__ = ["ORDER_STATUSES", "Order", "OrderLineView", "OrderView", "order_view"]


@dataclass(frozen=True)
class OrderLineView:
    line_id: str
    status: str
    product_reference: str | None
    product_gtin: str | None


@dataclass(frozen=True)
class OrderView:
    order_id: str
    seller_id: str
    sales_channel_id: str
    status: str
    customer_id: str
    lines: tuple[OrderLineView, ...]


def order_view(session: Session, order_id: str, *, seller_id: str | None = None) -> OrderView:
    """An order as other features see it, read-only; NotFound when it does not exist or, given
    `seller_id`, belongs to another seller."""
    order = session.get(Order, order_id)
    if order is None or (seller_id is not None and order.seller_id != seller_id):
        raise NotFound(f"Order {order_id} does not exist.")
    return OrderView(
        order_id=order.id,
        seller_id=order.seller_id,
        sales_channel_id=order.sales_channel_id,
        status=order.status,
        customer_id=order.customer_reference,
        lines=tuple(
            OrderLineView(line.line_id, line.status, line.product_reference, line.product_gtin)
            for line in lines_of(session, order.id)
        ),
    )
