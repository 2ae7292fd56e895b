"""What sellers and the marketplace do to a placed order: approval, shipping, delivery, cancellation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import clock, fulfillment, offers
from comptoir.channels import get_channel
from comptoir.errors import NotFound, ValidationFailed
from comptoir.orders import domain as d
from comptoir.orders.cancellations import domain as cancellation_rules
from comptoir.orders.lifecycle import apply, lines_of, record, release_stock
from comptoir.orders.models import (
    CancellationRequest,
    CancellationRequestLine,
    Order,
    OrderLine,
    Parcel,
)
from comptoir.orders.placement import accept
from comptoir.orders.queries import get_order
from comptoir.orders.schemas import ParcelIn

A = d.Action


def approve(session: Session, seller_id: str, order_id: str, value: str | None) -> None:
    order = get_order(session, seller_id, order_id, lock=True)
    channel = get_channel(session, order.sales_channel_id)
    action = d.approval_action(value, manual_acceptance=channel.manual_acceptance)
    d.transition(order.status, action)  # refuses early, before anything changes
    lines = lines_of(session, order.id)
    if action == A.APPROVE:
        accept(session, order, lines, actor="Seller")
    else:
        release_stock(session, lines)
        apply(session, order, A.REFUSE, actor="Seller", lines=lines)


def ship(session: Session, seller_id: str, order_id: str, parcels: Sequence[ParcelIn]) -> None:
    order = get_order(session, seller_id, order_id, lock=True)
    channel = get_channel(session, order.sales_channel_id)
    lines = lines_of(session, order.id)
    planned = [
        d.Parcel(
            p.parcel_number,
            p.carrier_name,
            p.tracking_url,
            tuple(p.order_line_ids) if p.order_line_ids is not None else None,
        )
        for p in parcels
    ]
    asked = _asked_by_customer_only(session, order.id) if channel.id == offers.CDISCOUNT else set()
    views = [d.LineView(line.line_id, line.status, line.supply_mode, line.line_id in asked) for line in lines]
    rules = d.ChannelShipping(
        line_level=channel.line_level_management,
        partial=channel.partial_shipment,
        one_parcel_per_order=not channel.line_level_management,
    )
    shipped_ids, action = d.plan_shipment(order.status, views, planned, rules)
    _ship_lines(session, order, lines, shipped_ids, action, planned, actor="Seller")


def _asked_by_customer_only(session: Session, order_id: str) -> set[str]:
    """Lines whose pending cancellation only the customer asked for: Cdiscount lets the seller ship them."""
    asked: dict[str, set[str]] = defaultdict(set)
    for line_id, requester in session.execute(
        select(CancellationRequestLine.line_id, CancellationRequest.requester_type)
        .join(CancellationRequest, CancellationRequest.id == CancellationRequestLine.request_id)
        .where(
            CancellationRequestLine.order_id == order_id,
            CancellationRequestLine.status == cancellation_rules.IN_PROGRESS,
        )
    ):
        asked[line_id].add(requester)
    return {line_id for line_id, requesters in asked.items() if requesters == {cancellation_rules.CUSTOMER}}


def _ship_lines(
    session: Session,
    order: Order,
    lines: Sequence[OrderLine],
    shipped_ids: set[str],
    action: d.Action,
    parcels: Sequence[d.Parcel],
    *,
    actor: str,
) -> None:
    now = clock.now()
    pending = {line.line_id for line in lines if line.status == d.SHIPPABLE_LINE}
    for parcel in parcels:
        ids = sorted(parcel.line_ids if parcel.line_ids is not None else shipped_ids)
        session.add(
            Parcel(
                order_id=order.id,
                parcel_number=parcel.parcel_number,
                carrier_name=parcel.carrier_name,
                tracking_url=parcel.tracking_url,
                line_ids=ids,
                created_at=now,
            )
        )
    shipped = [line for line in lines if line.line_id in shipped_ids]
    for line in shipped:
        line.shipped_at = now
        line.reserved_quantity = 0  # the stock has left
    if action == A.SHIP_ALL:
        order.shipped_at = now
        apply(session, order, A.SHIP_ALL, actor=actor, lines=shipped)
    else:
        for line in shipped:
            line.status = d.Status.SHIPPED.value
        record(session, order, d.Status.SHIPPED.value, actor=actor, line_ids=sorted(shipped_ids & pending))
    session.flush()


def operator_order(session: Session, order_id: str) -> Order:
    order = session.get(Order, order_id, with_for_update=True)
    if order is None:
        raise NotFound(f"Order {order_id} does not exist.")
    return order


def operator_order_read(session: Session, order_id: str) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise NotFound(f"Order {order_id} does not exist.")
    return order


def deliver(session: Session, order_id: str) -> Order:
    order = operator_order(session, order_id)
    lines = [line for line in lines_of(session, order.id) if line.status == d.Status.SHIPPED]
    apply(session, order, A.DELIVER, actor="Carrier", lines=lines)
    order.delivered_at = clock.now()
    return order


def warehouse_ship(session: Session, order_id: str, parcel_number: str, carrier_name: str) -> Order:
    """The warehouse ships the Fulfillment lines of an order (the seller never declares those)."""
    order = operator_order(session, order_id)
    if order.status != d.Status.IN_PREPARATION:
        raise d.TransitionRefused(f"The order is {order.status}: only an order InPreparation can be shipped.")
    lines = lines_of(session, order.id)
    ids = {
        line.line_id
        for line in lines
        if line.supply_mode != d.SELLER_SHIPS and line.status == d.SHIPPABLE_LINE
    }
    if not ids:
        raise d.TransitionRefused("This order has no warehouse line to ship.")
    parcel = d.Parcel(parcel_number, carrier_name, None, tuple(sorted(ids)))
    d.check_parcel_fields([parcel])
    for line_id in sorted(ids):
        # Fulfillment lines draw the units the warehouse allocated to them (Xdock lines hold none).
        fulfillment.ship_order_line(session, order.id, line_id)
    pending = {line.line_id for line in lines if line.status == d.SHIPPABLE_LINE}
    _ship_lines(
        session, order, lines, ids, A.SHIP_ALL if ids == pending else A.SHIP_SOME, [parcel], actor="Warehouse"
    )
    return order


def cancel_by_customer_service(
    session: Session, order_id: str, reason: str, line_ids: Sequence[str] | None
) -> Order:
    """The channel's customer service cancels the order or some lines at once, releasing their stock."""
    order = operator_order(session, order_id)
    lines = lines_of(session, order.id)
    open_lines = [line for line in lines if line.status not in d.FINAL and line.status != d.Status.SHIPPED]
    if line_ids is None:
        release_stock(session, open_lines)
        apply(session, order, A.CANCEL, actor="CustomerService", reason=reason, lines=open_lines)
        return order
    by_id = {line.line_id: line for line in lines}
    unknown = [x for x in line_ids if x not in by_id]
    if unknown:
        raise ValidationFailed.field("lineIds", f"Unknown order lines: {', '.join(unknown)}.")
    chosen = [by_id[x] for x in line_ids]
    refused = [line.line_id for line in chosen if line not in open_lines]
    if refused:
        raise d.TransitionRefused(f"Lines {', '.join(refused)} can no longer be cancelled.")
    release_stock(session, chosen)
    for line in chosen:
        line.status = d.Status.CANCELLED.value
    record(
        session,
        order,
        d.Status.CANCELLED.value,
        actor="CustomerService",
        reason=reason,
        line_ids=[line.line_id for line in chosen],
    )
    if all(line.status == d.Status.CANCELLED for line in lines):
        apply(session, order, A.CANCEL, actor="CustomerService", reason=reason)
    return order
