"""The order resource of spec 12.2, rendered once per version and cached."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.channels import ChannelDeliveryMode, SalesChannel
from comptoir.orders import domain as d
from comptoir.orders import messages
from comptoir.orders import schemas as s
from comptoir.orders.lifecycle import line_offer_id
from comptoir.orders.models import Order, OrderLine, Parcel, StatusEvent
from comptoir.orders.queries import PageRow
from comptoir.platform.languages import DEFAULT_MESSAGE_LANGUAGE

# Order id, version, operator view, language of the messages.
Key = tuple[str, datetime, bool, str]


class RenderCache:
    """Rendered order documents by (order id, version, view, language). Every change to an order moves
    its `updatedAt` (see `record`), so a cached document is never stale; bounded, least recently used out."""

    def __init__(self, max_items: int = 100_000) -> None:
        self.max_items = max_items
        self._docs: OrderedDict[Key, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._docs.clear()

    def get(self, key: Key) -> bytes | None:
        with self._lock:
            doc = self._docs.get(key)
            if doc is not None:
                self._docs.move_to_end(key)
            return doc

    def put(self, key: Key, doc: bytes) -> None:
        with self._lock:
            self._docs[key] = doc
            if len(self._docs) > self.max_items:
                self._docs.popitem(last=False)


def rendered(
    session: Session,
    rows: Sequence[PageRow],
    cache: RenderCache,
    *,
    operator: bool = False,
    language: str = DEFAULT_MESSAGE_LANGUAGE,
) -> list[bytes]:
    """Encoded `OrderOut` documents of the given orders, in order, rendering only those not cached at
    this version."""
    docs: dict[str, bytes] = {}
    missing: list[str] = []
    for row in rows:
        doc = cache.get((row.id, row.updated_at, operator, language))
        if doc is None:
            missing.append(row.id)
        else:
            docs[row.id] = doc
    if missing:
        orders = list(session.scalars(select(Order).where(Order.id.in_(missing))))
        rendering = documents(session, orders, operator=operator, language=language)
        for order, document in zip(orders, rendering, strict=True):
            doc = _encoder.encode(document)
            cache.put((order.id, order.updated_at, operator, language), doc)
            docs[order.id] = doc
    return [docs[row.id] for row in rows if row.id in docs]


_encoder = msgspec.json.Encoder()


def document(
    session: Session, order: Order, *, operator: bool = False, language: str = DEFAULT_MESSAGE_LANGUAGE
) -> s.OrderOut:
    return documents(session, [order], operator=operator, language=language)[0]


def documents(
    session: Session,
    orders: Sequence[Order],
    *,
    operator: bool = False,
    language: str = DEFAULT_MESSAGE_LANGUAGE,
) -> list[s.OrderOut]:
    """The order resource of spec 12.2, for many orders with one query per related table; messages in
    `language`."""
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
    # The most numerous rows, read as columns: building objects for them would cost half as much again.
    events: dict[str, list[s.StatusEventOut]] = defaultdict(list)
    for e in session.execute(
        select(
            StatusEvent.order_id,
            StatusEvent.status,
            StatusEvent.line_id,
            StatusEvent.actor,
            StatusEvent.reason,
            StatusEvent.occurred_at,
        )
        .where(StatusEvent.order_id.in_(ids))
        .order_by(StatusEvent.id)
    ):
        events[e.order_id].append(
            s.StatusEventOut(
                status=e.status,
                line_id=e.line_id,
                actor=e.actor,
                reason=e.reason,
                occurred_at=_iso(e.occurred_at),
            )
        )
    channel_names: dict[str, str] = {}
    mode_names: dict[tuple[str, str], str] = {}
    for channel_id, channel_name, code, mode_name in session.execute(
        select(SalesChannel.id, SalesChannel.name, ChannelDeliveryMode.code, ChannelDeliveryMode.name)
        .outerjoin(ChannelDeliveryMode, ChannelDeliveryMode.channel_id == SalesChannel.id)
        .where(SalesChannel.id.in_({o.sales_channel_id for o in orders}))
    ):
        channel_names[channel_id] = channel_name
        if code is not None:
            mode_names[channel_id, code] = mode_name
    return [
        _document(
            o,
            lines[o.id],
            parcels[o.id],
            events[o.id],
            channel_names[o.sales_channel_id],
            mode_names.get((o.sales_channel_id, o.delivery_mode or "")),
            operator=operator,
            language=language,
        )
        for o in orders
    ]


def _iso(value: datetime) -> str:
    return clock.iso_z(value) or ""


def _taxes(line: OrderLine) -> list[s.TaxOut]:
    return [s.TaxOut(code="VAT", rate=float(line.vat_rate), amount=0)] if line.vat_rate is not None else []


def _line(
    order: Order,
    line: OrderLine,
    parcels: list[Parcel],
    address: s.AddressOut | None,
    mode_name: str | None,
    *,
    operator: bool,
) -> s.OrderLineOut:
    iso = clock.iso_z  # nullable dates
    total = float(line.unit_price * line.quantity + line.shipping_cost)
    # Warehouse-shipped lines keep the customer's address hidden until they leave the warehouse.
    hidden = line.supply_mode != d.SELLER_SHIPS and line.shipped_at is None and not operator
    return s.OrderLineOut(
        order_line_id=line.line_id,
        status=line.status,
        quantity=line.quantity,
        supply_mode=line.supply_mode,
        total_price=s.TotalPriceOut(offer_price=total, selling_price=total),
        offer_price=s.OfferPriceOut(
            unit_sales_price=float(line.unit_price),
            shipping_cost=float(line.shipping_cost),
            taxes=_taxes(line),
            commission=s.CommissionOut(
                amount_with_vat=float(line.commission_with_vat),
                amount_without_vat=float(line.commission_without_vat),
                rate=float(line.commission_rate),
            ),
        ),
        selling_price=s.SellingPriceOut(
            unit_sales_price=float(line.unit_price),
            shipping_cost=float(line.shipping_cost),
            taxes=_taxes(line),
        ),
        offer=s.LineOfferOut(
            id=line_offer_id(order, line),
            seller_product_id=line.seller_external_reference,
            supply_mode=line.supply_mode,
            product_id=line.product_reference,
            product_title=line.product_title,
            condition=line.condition,
            product_gtin=line.product_gtin,
        ),
        delivery=s.DeliveryOut(
            mode=order.delivery_mode,
            mode_label=mode_name,
            code=order.delivery_mode,
            promised_at_min=iso(line.promised_at_min),
            promised_at_max=iso(line.promised_at_max),
            shipped_at_max=iso(line.shipped_at_max),
        ),
        shipping_address=None if hidden or order.status == d.Status.PROCESSING else address,
        parcels=[
            s.ParcelOut(
                parcel_number=p.parcel_number,
                carrier_name=p.carrier_name,
                tracking_url=p.tracking_url,
                shipped_at=_iso(p.created_at),
            )
            for p in parcels
            if line.line_id in p.line_ids
        ],
    )


def _document(
    order: Order,
    lines: list[OrderLine],
    parcels: list[Parcel],
    events: list[s.StatusEventOut],
    channel_name: str,
    mode_name: str | None,
    *,
    operator: bool,
    language: str,
) -> s.OrderOut:
    iso = clock.iso_z  # nullable dates
    address = msgspec.convert(order.shipping_address, s.AddressOut)
    same = order.billing_address == order.shipping_address
    billing = address if same else msgspec.convert(order.billing_address, s.AddressOut)
    return s.OrderOut(
        order_id=order.id,
        reference=order.reference,
        business_order=order.business_order,
        sales_channel=s.SalesChannelRef(id=order.sales_channel_id, name=channel_name),
        seller=s.SellerRef(id=order.seller_id),
        customer=s.CustomerRef(reference=order.customer_reference),
        purchased_at=_iso(order.purchased_at),
        created_at=_iso(order.created_at),
        updated_at=_iso(order.updated_at),
        shipped_at_max=iso(order.shipped_at_max),
        acceptance_deadline=iso(order.acceptance_deadline),
        status=order.status,
        supply_mode=order.supply_mode,
        payment=s.PaymentOut(method=order.payment_method),
        currency_code=order.currency,
        billing_address=billing,
        total_price=s.TotalPriceOut(
            offer_price=float(order.total_offer_price), selling_price=float(order.total_selling_price)
        ),
        service_fees=[],
        status_events=events,
        rejection_reasons=[_rejection(reason, language) for reason in order.rejection_reasons or []],
        lines=[_line(order, line, parcels, address, mode_name, operator=operator) for line in lines],
    )


def _rejection(reason: dict[str, Any], language: str) -> s.RejectionReasonOut:
    """Worded in the reader's language; a code the catalogue does not know, or a message chosen by the
    sandbox, keeps its stored message."""
    code = reason["code"]
    worded = (
        None if reason.get("verbatim") else messages.rejection_message(code, language, reason.get("args"))
    )
    message = worded or reason.get("message", "")
    return s.RejectionReasonOut(line_id=reason["lineId"], code=code, message=message)
