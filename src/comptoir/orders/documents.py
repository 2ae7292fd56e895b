"""The order resource of spec 12.2, rendered once per version and cached."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.channels.models import ChannelDeliveryMode, SalesChannel
from comptoir.orders import domain as d
from comptoir.orders.models import (
    Order,
    OrderLine,
    Parcel,
    StatusEvent,
)
from comptoir.orders.queries import PageRow


class RenderCache:
    """Rendered order documents by (order id, version, view). Every change to an order moves its
    `updatedAt` (see `record`), so a cached document is never stale; bounded, least recently used out."""

    def __init__(self, max_items: int = 100_000) -> None:
        self.max_items = max_items
        self._docs: OrderedDict[tuple[str, datetime, bool], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._docs.clear()

    def get(self, key: tuple[str, datetime, bool]) -> bytes | None:
        with self._lock:
            doc = self._docs.get(key)
            if doc is not None:
                self._docs.move_to_end(key)
            return doc

    def put(self, key: tuple[str, datetime, bool], doc: bytes) -> None:
        with self._lock:
            self._docs[key] = doc
            if len(self._docs) > self.max_items:
                self._docs.popitem(last=False)


def rendered(
    session: Session, rows: Sequence[PageRow], cache: RenderCache, *, operator: bool = False
) -> list[bytes]:
    """JSON documents of the given orders, in order, rendering only those not cached at this version."""
    docs: dict[str, bytes] = {}
    missing: list[str] = []
    for row in rows:
        doc = cache.get((row.id, row.updated_at, operator))
        if doc is None:
            missing.append(row.id)
        else:
            docs[row.id] = doc
    if missing:
        orders = list(session.scalars(select(Order).where(Order.id.in_(missing))))
        for order, document in zip(orders, documents(session, orders, operator=operator), strict=True):
            doc = _encoder.encode(document)
            cache.put((order.id, order.updated_at, operator), doc)
            docs[order.id] = doc
    return [docs[row.id] for row in rows if row.id in docs]


_encoder = msgspec.json.Encoder()


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def documents(session: Session, orders: Sequence[Order], *, operator: bool = False) -> list[dict[str, Any]]:
    """The order resource of spec 12.2, for many orders with one query per related table."""
    ids = [o.id for o in orders]
    if not ids:
        return []
    lines: dict[str, list[OrderLine]] = defaultdict(list)
    for line in session.scalars(
        select(OrderLine).where(OrderLine.order_id.in_(ids)).order_by(OrderLine.position)
    ):
        lines[line.order_id].append(line)
    parcels: dict[str, list[Parcel]] = defaultdict(list)
    for parcel in session.scalars(select(Parcel).where(Parcel.order_id.in_(ids)).order_by(Parcel.id)):
        parcels[parcel.order_id].append(parcel)
    events: dict[str, list[StatusEvent]] = defaultdict(list)
    for event in session.scalars(
        select(StatusEvent).where(StatusEvent.order_id.in_(ids)).order_by(StatusEvent.id)
    ):
        events[event.order_id].append(event)
    channels = {
        c.id: c
        for c in session.scalars(
            select(SalesChannel).where(SalesChannel.id.in_({o.sales_channel_id for o in orders}))
        )
    }
    mode_names = {
        (m.channel_id, m.code): m.name
        for m in session.scalars(
            select(ChannelDeliveryMode).where(ChannelDeliveryMode.channel_id.in_(channels))
        )
    }
    return [
        _document(
            o,
            lines[o.id],
            parcels[o.id],
            events[o.id],
            channels[o.sales_channel_id],
            mode_names.get((o.sales_channel_id, o.delivery_mode or "")),
            operator=operator,
        )
        for o in orders
    ]


def _price_block(line: OrderLine, *, with_commission: bool) -> dict[str, Any]:
    block: dict[str, Any] = {
        "unitSalesPrice": _num(line.unit_price),
        "shippingCost": _num(line.shipping_cost),
        "taxes": [{"code": "VAT", "rate": _num(line.vat_rate), "amount": 0}]
        if line.vat_rate is not None
        else [],
    }
    if with_commission:
        block["commission"] = {
            "amountWithVat": _num(line.commission_with_vat),
            "amountWithoutVat": _num(line.commission_without_vat),
            "rate": _num(line.commission_rate),
        }
    return block


def _document(
    order: Order,
    lines: list[OrderLine],
    parcels: list[Parcel],
    events: list[StatusEvent],
    channel: SalesChannel,
    mode_name: str | None,
    *,
    operator: bool,
) -> dict[str, Any]:
    iso = clock.iso_z
    out_lines = []
    for line in lines:
        total = line.unit_price * line.quantity + line.shipping_cost
        hidden = line.supply_mode != "Seller" and line.shipped_at is None and not operator
        out_lines.append(
            {
                "orderLineId": line.line_id,
                "status": line.status,
                "quantity": line.quantity,
                "supplyMode": line.supply_mode,
                "totalPrice": {"offerPrice": _num(total), "sellingPrice": _num(total)},
                "offerPrice": _price_block(line, with_commission=True),
                "sellingPrice": _price_block(line, with_commission=False),
                "offer": {
                    "id": str(line.offer_id) if line.offer_id is not None else None,
                    "sellerProductId": line.seller_external_reference,
                    "supplyMode": line.supply_mode,
                    "productId": line.product_reference,
                    "productTitle": line.product_title,
                    "condition": line.condition,
                    "productGtin": line.product_gtin,
                },
                "delivery": {
                    "mode": mode_name or order.delivery_mode,
                    "code": order.delivery_mode,
                    "promisedAtMin": iso(line.promised_at_min),
                    "promisedAtMax": iso(line.promised_at_max),
                    "shippedAtMax": iso(line.shipped_at_max),
                },
                # Warehouse-shipped lines keep the customer's address hidden until they leave the warehouse.
                "shippingAddress": None
                if hidden or order.status == d.Status.PROCESSING
                else order.shipping_address,
                "parcels": [
                    {
                        "parcelNumber": p.parcel_number,
                        "carrierName": p.carrier_name,
                        "trackingUrl": p.tracking_url,
                        "shippedAt": iso(p.created_at),
                    }
                    for p in parcels
                    if line.line_id in p.line_ids
                ],
            }
        )
    return {
        "orderId": order.id,
        "reference": order.reference,
        "businessOrder": order.business_order,
        "salesChannel": {"id": channel.id, "name": channel.name},
        "seller": {"id": order.seller_id},
        "customer": {"reference": order.customer_reference},
        "purchasedAt": iso(order.purchased_at),
        "createdAt": iso(order.created_at),
        "updatedAt": iso(order.updated_at),
        "shippedAtMax": iso(order.shipped_at_max),
        "acceptanceDeadline": iso(order.acceptance_deadline),
        "status": order.status,
        "supplyMode": order.supply_mode,
        "payment": {"method": order.payment_method},
        "currencyCode": order.currency,
        "billingAddress": order.billing_address,
        "totalPrice": {
            "offerPrice": _num(order.total_offer_price),
            "sellingPrice": _num(order.total_selling_price),
        },
        "serviceFees": [],
        "statusEvents": [
            {
                "status": e.status,
                "lineId": e.line_id,
                "actor": e.actor,
                "reason": e.reason,
                "occurredAt": iso(e.occurred_at),
            }
            for e in events
        ],
        "rejectionReasons": order.rejection_reasons or [],
        "lines": out_lines,
    }
