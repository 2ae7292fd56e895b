"""Opening discussions (spec 13.3): the seller's on one of its orders, and the marketplace's for a
customer or customer service, on an order or, before any order, about a product (operator API)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import catalog, channels, clock, ids, orders, sellers
from comptoir.discussions import domain as d
from comptoir.discussions import messaging, states, typologies
from comptoir.discussions.models import Discussion
from comptoir.discussions.schemas import BuyerDiscussionIn, DiscussionIn
from comptoir.errors import NotFound, ValidationFailed


def _check_product(order: orders.OrderView, product_id: str | None) -> None:
    if product_id and not any(
        product_id in (line.product_reference, line.product_gtin) for line in order.lines
    ):
        raise ValidationFailed.field("productId", f"Order {order.order_id} holds no product {product_id}.")


def _check_channel(order: orders.OrderView, sales_channel: str | None) -> None:
    if sales_channel and sales_channel != order.sales_channel_id:
        raise ValidationFailed.field(
            "salesChannel", f"Order {order.order_id} was placed on {order.sales_channel_id}."
        )


def _create(session: Session, **fields: object) -> Discussion:
    now = clock.now()
    discussion = Discussion(
        id=ids.new_uuid(),
        graduation=d.Graduation.DISCUSSION.value,
        is_open=True,
        process_status=d.ProcessStatus.TREATED.value,
        unread_count=0,
        message_count=0,
        created_at=now,
        updated_at=now,
        **fields,
    )
    with states.unique_open(session, discussion):
        session.add(discussion)
    return discussion


def open_by_seller(session: Session, seller_id: str, data: DiscussionIn) -> Discussion:
    order = orders.order_view(session, data.order_id, seller_id=seller_id)
    _check_channel(order, data.sales_channel)
    _check_product(order, data.product_id)
    sub = typologies.check(
        data.sub_typology_code, user_type=d.SELLER, typology_code=typologies.ORDER, status=order.status
    )
    states.refuse_duplicate(
        session, Discussion.order_id == order.order_id, Discussion.sub_typology_code == sub.code
    )
    # A new discussion has no customer service in it yet: the seller writes to the customer.
    receivers = d.addressed(
        messaging.asked_receivers(data.message.receiver, data.message.receivers, "message."),
        d.recipients(order.customer_id, d.Graduation.DISCUSSION, []),
    )
    uploads = messaging.uploads_of(data.message.attachments, "message.attachments")
    discussion = _create(
        session,
        seller_id=seller_id,
        sales_channel_id=order.sales_channel_id,
        order_id=order.order_id,
        product_id=data.product_id,
        customer_id=order.customer_id,
        subject=data.subject,
        typology_code=sub.typology,
        sub_typology_code=sub.code,
    )
    messaging.add(
        session,
        discussion,
        sender=d.User(d.SELLER, seller_id),
        receivers=receivers,
        body=data.message.body,
        uploads=uploads,
        field="message.attachments",
    )
    return discussion


def _product_question(session: Session, data: BuyerDiscussionIn) -> dict[str, object]:
    missing = {
        name: [f"{name} is required for a question on a product (without orderId)."]
        for name, value in (
            ("sellerId", data.seller_id),
            ("salesChannel", data.sales_channel),
            ("productId", data.product_id),
            ("userId", data.user_id),
        )
        if not value
    }
    if missing:
        raise ValidationFailed("Say which product the question is about.", errors=missing)
    assert data.seller_id and data.sales_channel and data.product_id and data.user_id
    if session.get(sellers.Seller, data.seller_id) is None:
        raise NotFound(f"Seller {data.seller_id} does not exist.")
    channels.get_channel(session, data.sales_channel)
    product = session.scalar(
        select(catalog.Product.id).where(
            (catalog.Product.product_reference == data.product_id) | (catalog.Product.gtin == data.product_id)
        )
    )
    if product is None:
        raise NotFound(f"Product {data.product_id} does not exist.")
    return {
        "seller_id": data.seller_id,
        "sales_channel_id": data.sales_channel,
        "order_id": None,
        "product_id": data.product_id,
        "customer_id": data.user_id,
    }


def open_by_buyer(session: Session, data: BuyerDiscussionIn) -> Discussion:
    """The customer (or customer service) writes first: the seller has something to treat."""
    user = d.buyer_type(data.user_type)
    if data.order_id:
        order = orders.order_view(session, data.order_id)
        _check_channel(order, data.sales_channel)
        _check_product(order, data.product_id)
        if user == d.CUSTOMER and data.user_id and data.user_id != order.customer_id:
            raise ValidationFailed.field(
                "userId", f"The customer of order {order.order_id} is {order.customer_id}."
            )
        where: dict[str, object] = {
            "seller_id": order.seller_id,
            "sales_channel_id": order.sales_channel_id,
            "order_id": order.order_id,
            "product_id": data.product_id,
            "customer_id": order.customer_id,
        }
        typology, status = typologies.ORDER, order.status
    else:
        where = _product_question(session, data)
        typology, status = typologies.PRODUCT, None
    sub = typologies.check(data.sub_typology_code, user_type=user, typology_code=typology, status=status)
    same = (
        [Discussion.order_id == where["order_id"]]
        if where["order_id"]
        else [
            Discussion.seller_id == where["seller_id"],
            Discussion.product_id == where["product_id"],
            Discussion.customer_id == where["customer_id"],
        ]
    )
    states.refuse_duplicate(session, *same, Discussion.sub_typology_code == sub.code)
    uploads = messaging.uploads_of(data.message.attachments, "message.attachments")
    discussion = _create(
        session, subject=data.subject, typology_code=sub.typology, sub_typology_code=sub.code, **where
    )
    sender = messaging.buyer(discussion, user, data.user_id)
    messaging.add(
        session,
        discussion,
        sender=sender,
        receivers=[d.User(d.SELLER, discussion.seller_id)],
        body=data.message.body,
        uploads=uploads,
        field="message.attachments",
    )
    return discussion
