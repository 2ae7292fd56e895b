"""Orders written in bulk, in any status, as the order flow would have left them (statuses, status
events, prices, reserved stock, parcels): the busy-seller pack's orders, and the orders benchmark's.

`write_orders` takes drafts and derives the rest the way placement, the controls and the seller's and
marketplace's actions do; `seed_seller_orders` draws a busy seller's drafts from a seed.
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from comptoir.catalog import Product
from comptoir.channels import ChannelDeliveryMode, SalesChannel
from comptoir.db.bulk import BulkWriter
from comptoir.jobs import enqueue
from comptoir.offers import Offer, decode_modes
from comptoir.orders import domain as d
from comptoir.orders import messages
from comptoir.orders.models import Order, OrderLine, Parcel, StatusEvent
from comptoir.orders.placement import DEFAULT_PREPARATION_DAYS, PROMISE_SPREAD
from comptoir.platform.languages import DEFAULT_MESSAGE_LANGUAGE

S = d.Status


@dataclass(frozen=True)
class Terms:
    """What a channel's orders follow."""

    channel_id: str
    commission_rate: Decimal
    manual_acceptance: bool
    acceptance_deadline_hours: int
    delivery_days: int


@dataclass(frozen=True)
class Sold:
    """What a line sells, as the marketplace controls found it on the offer."""

    offer_id: int
    seller_external_reference: str
    product_id: int
    gtin: str
    product_reference: str
    title: str
    unit_price: Decimal
    shipping_cost: Decimal
    additional_cost: Decimal
    vat_rate: Decimal | None
    preparation_days: int
    condition: str = "New"


@dataclass(frozen=True)
class LineDraft:
    line_id: str
    sold: Sold
    quantity: int


@dataclass(frozen=True)
class OrderDraft:
    order_id: str
    seller_id: str
    terms: Terms
    status: d.Status
    customer_reference: str
    placed_at: datetime
    delivery_mode: str
    address: dict[str, Any]
    lines: tuple[LineDraft, ...]


# How long each step takes after the one before, and who takes it.
CONTROLS, APPROVAL, PREPARATION = timedelta(minutes=1), timedelta(hours=3), timedelta(minutes=1)
SHIPPING, DELIVERY = timedelta(hours=26), timedelta(days=3)
REFUSAL, CANCELLATION = timedelta(hours=4), timedelta(hours=5)
REJECTION_CODE, CANCELLATION_REASON = "OutOfStock", "customer-request"


# A status an order reached: (status, actor, time after the step before, reason).
Step = tuple[d.Status, str, timedelta, str | None]


def _steps(status: d.Status, manual: bool) -> list[Step]:
    """The statuses an order went through after Processing to reach `status`."""
    if status == S.PROCESSING:
        return []
    if status == S.REJECTED:
        return [(S.REJECTED, "Marketplace", CONTROLS, REJECTION_CODE)]
    waiting: list[Step] = [(S.WAITING_ACCEPTANCE, "Marketplace", CONTROLS, None)] if manual else []
    if status == S.WAITING_ACCEPTANCE:
        return waiting
    if status == S.REFUSED:
        return [*waiting, (S.REFUSED, "Seller", REFUSAL, None)]
    accepted = (
        [(S.ACCEPTED, "Seller", APPROVAL, None)] if manual else [(S.ACCEPTED, "Marketplace", CONTROLS, None)]
    )
    path: list[Step] = [*waiting, *accepted]
    if status == S.ACCEPTED:
        return path
    path.append((S.IN_PREPARATION, "Marketplace", PREPARATION, None))
    if status == S.CANCELLED:
        return [*path, (S.CANCELLED, "CustomerService", CANCELLATION, CANCELLATION_REASON)]
    if status == S.IN_PREPARATION:
        return path
    path.append((S.SHIPPED, "Seller", SHIPPING, None))
    if status == S.DELIVERED:
        path.append((S.DELIVERED, "Carrier", DELIVERY, None))
    return path


def acceptance_deadline(draft: OrderDraft) -> datetime | None:
    """When an order of a manual channel stops waiting for the seller: the channel's delay after the
    controls put it in acceptance."""
    if not draft.terms.manual_acceptance or draft.status in (S.PROCESSING, S.REJECTED):
        return None
    return draft.placed_at + CONTROLS + timedelta(hours=draft.terms.acceptance_deadline_hours)


ORDER_COLUMNS = (
    "id",
    "seller_id",
    "sales_channel_id",
    "status",
    "reference",
    "business_order",
    "customer_reference",
    "payment_method",
    "currency",
    "delivery_mode",
    "supply_mode",
    "shipping_country",
    "billing_address",
    "shipping_address",
    "total_offer_price",
    "total_selling_price",
    "rejection_reasons",
    "purchased_at",
    "created_at",
    "updated_at",
    "accepted_at",
    "acceptance_deadline",
    "shipped_at",
    "shipped_at_max",
    "delivered_at",
)
LINE_COLUMNS = (
    "order_id",
    "line_id",
    "position",
    "status",
    "seller_external_reference",
    "offer_id",
    "product_id",
    "product_gtin",
    "product_reference",
    "product_title",
    "condition",
    "supply_mode",
    "quantity",
    "reserved_quantity",
    "unit_price",
    "shipping_cost",
    "commission_rate",
    "commission_with_vat",
    "commission_without_vat",
    "vat_rate",
    "promised_at_min",
    "promised_at_max",
    "shipped_at_max",
    "shipped_at",
)
EVENT_COLUMNS = ("order_id", "line_id", "status", "actor", "reason", "occurred_at")
PARCEL_COLUMNS = ("order_id", "parcel_number", "carrier_name", "tracking_url", "line_ids", "created_at")
# Stock stays taken while the order waits or is prepared; it left with the parcel, or came back.
RESERVING = frozenset({S.WAITING_ACCEPTANCE, S.ACCEPTED, S.IN_PREPARATION})


def write_orders(session: Session, drafts: Sequence[OrderDraft]) -> None:
    """Writes the orders, their lines, status events and parcels through the bulk writer."""
    orders: list[tuple[Any, ...]] = []
    lines: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    parcels: list[tuple[Any, ...]] = []
    for draft in drafts:
        terms, placed = draft.terms, draft.placed_at
        at = {S.PROCESSING: placed}
        events.append((draft.order_id, None, S.PROCESSING.value, "Customer", None, placed))
        moment = placed
        for status, actor, after, reason in _steps(draft.status, terms.manual_acceptance):
            moment += after
            at[status] = moment
            events.append((draft.order_id, None, status.value, actor, reason, moment))
            events += [(draft.order_id, x.line_id, status.value, actor, reason, moment) for x in draft.lines]
        priced = draft.status not in (S.PROCESSING, S.REJECTED)
        # The controls priced the lines and promised dates when they passed.
        controlled = placed + CONTROLS
        shipped, offer_total = at.get(S.SHIPPED), Decimal("0")
        ship_by: datetime | None = None
        for position, x in enumerate(draft.lines):
            price = d.line_price(
                unit_price=x.sold.unit_price,
                quantity=x.quantity,
                shipping_cost=x.sold.shipping_cost,
                additional_cost=x.sold.additional_cost,
                commission_rate=terms.commission_rate,
            )
            line_ship_by = controlled + timedelta(days=x.sold.preparation_days or DEFAULT_PREPARATION_DAYS)
            promised = line_ship_by + timedelta(days=terms.delivery_days)
            if priced:
                offer_total += price.total
                ship_by = max(ship_by, line_ship_by) if ship_by else line_ship_by
            sold = (
                x.sold.offer_id,
                x.sold.product_id,
                x.sold.gtin,
                x.sold.product_reference,
                x.sold.title,
                x.sold.condition,
            )
            lines.append(
                (
                    draft.order_id,
                    x.line_id,
                    position,
                    draft.status.value,
                    x.sold.seller_external_reference,
                    *(sold if priced else (None,) * len(sold)),
                    d.SELLER_SHIPS,
                    x.quantity,
                    x.quantity if draft.status in RESERVING else 0,
                    *(
                        (
                            price.unit_price,
                            price.shipping_cost,
                            terms.commission_rate,
                            price.commission_with_vat,
                            price.commission_without_vat,
                            x.sold.vat_rate,
                            promised,
                            promised + PROMISE_SPREAD,
                            line_ship_by,
                        )
                        if priced
                        else (
                            Decimal("0"),
                            Decimal("0"),
                            Decimal("0"),
                            Decimal("0"),
                            Decimal("0"),
                            None,
                            None,
                            None,
                            None,
                        )
                    ),
                    shipped,
                )
            )
        if shipped is not None:
            parcels.append(
                (
                    draft.order_id,
                    f"PCL{draft.order_id}",
                    "Colissimo",
                    f"https://www.laposte.fr/outils/suivre-vos-envois?code=PCL{draft.order_id}",
                    sorted(x.line_id for x in draft.lines),
                    shipped,
                )
            )
        rejected = draft.status == S.REJECTED
        reason = messages.rejection_message(REJECTION_CODE, DEFAULT_MESSAGE_LANGUAGE)
        orders.append(
            (
                draft.order_id,
                draft.seller_id,
                terms.channel_id,
                draft.status.value,
                None,
                False,
                draft.customer_reference,
                "Card",
                "EUR",
                draft.delivery_mode,
                d.SELLER_SHIPS,
                draft.address["countryCode"],
                draft.address,
                draft.address,
                offer_total,
                offer_total,
                [{"lineId": draft.lines[0].line_id, "code": REJECTION_CODE, "message": reason}]
                if rejected
                else [],
                placed,
                placed,
                moment,
                at.get(S.ACCEPTED),
                acceptance_deadline(draft),
                shipped,
                ship_by,
                at.get(S.DELIVERED),
            )
        )
    for model, columns, rows in (
        (Order, ORDER_COLUMNS, orders),
        (OrderLine, LINE_COLUMNS, lines),
        (StatusEvent, EVENT_COLUMNS, events),
        (Parcel, PARCEL_COLUMNS, parcels),
    ):
        if rows:
            BulkWriter(session, cast(Table, model.__table__)).insert(columns, rows)


# --- the busy-seller pack ---------------------------------------------------------------------------

# How long ago (hours before the pack's anchor) orders in each status were placed: recent enough that
# waiting orders' acceptance deadlines are ahead, old enough that each could have got there.
AGES = {
    S.PROCESSING: (0.1, 2),
    S.WAITING_ACCEPTANCE: (0.5, 20),
    S.ACCEPTED: (3.5, 12),
    S.IN_PREPARATION: (4, 72),
    S.SHIPPED: (30, 240),
    S.DELIVERED: (110, 650),
    S.REFUSED: (5, 650),
    S.CANCELLED: (9, 650),
    S.REJECTED: (1, 650),
}
ADDRESSES = (
    ("Marie", "Curie", "1 rue Pierre et Marie Curie", "75005", "Paris"),
    ("Louis", "Pasteur", "25 rue du Docteur Roux", "75015", "Paris"),
    ("Simone", "Veil", "12 quai de la Fosse", "44000", "Nantes"),
    ("Victor", "Hugo", "6 place des Vosges", "75004", "Paris"),
    ("Olympe", "de Gouges", "3 cours Xavier Arnozan", "33000", "Bordeaux"),
    ("Jean", "Moulin", "10 rue de la République", "69002", "Lyon"),
)
# The channels seller orders come from; the manual one alone has orders waiting for approval.
ORDER_CHANNELS = ("CDISFR", "SELLZZ")


def _terms(session: Session, channel_id: str, mode: str) -> Terms:
    channel = session.get(SalesChannel, channel_id)
    delay = session.get(ChannelDeliveryMode, (channel_id, mode))
    assert channel is not None
    return Terms(
        channel.id,
        channel.commission_rate,
        channel.manual_acceptance,
        channel.acceptance_deadline_hours,
        delay.delivery_delay if delay else 3,
    )


def _sold(session: Session, seller_id: str, channel_id: str) -> list[tuple[Sold, str]]:
    """The seller's active offers on the channel as lines would sell them, each with its first mode."""
    found = []
    for row in session.execute(
        select(
            Offer.id,
            Offer.seller_external_reference,
            Offer.product_id,
            Offer.price,
            Offer.vat_rate,
            Offer.preparation_time,
            Offer.delivery_modes,
            Offer.condition,
            Product.gtin,
            Product.product_reference,
            Product.title,
        )
        .join(Product, Product.id == Offer.product_id)
        .where(
            Offer.seller_id == seller_id, Offer.sales_channel_id == channel_id, Offer.offer_state == "Active"
        )
        .order_by(Offer.id)
    ):
        mode = (decode_modes(row.delivery_modes) or [])[0]
        sold = Sold(
            row.id,
            row.seller_external_reference,
            row.product_id,
            row.gtin,
            row.product_reference,
            row.title,
            row.price,
            mode.cost,
            mode.additional_cost,
            row.vat_rate,
            row.preparation_time or DEFAULT_PREPARATION_DAYS,
            row.condition,
        )
        found.append((sold, mode.code))
    return found


def _letters(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(count))


def seed_seller_orders(
    session: Session, rng: random.Random, seller_id: str, per_status: int, at: datetime
) -> None:
    """`per_status` orders of `seller_id` in every order status, drawn from `rng` on the seller's active
    offers of `ORDER_CHANNELS`, placed before `at`. Waiting orders expire at their deadline as usual;
    Processing and Accepted ones stay so (no controls job is queued for them)."""
    offers = {channel: _sold(session, seller_id, channel) for channel in ORDER_CHANNELS}
    terms = {
        channel: _terms(session, channel, offers[channel][0][1])
        for channel in ORDER_CHANNELS
        if offers[channel]
    }
    manual = [c for c, t in terms.items() if t.manual_acceptance]
    drafts, taken = [], set()
    for status in S:
        for _ in range(per_status):
            needs_manual = status in (S.WAITING_ACCEPTANCE, S.REFUSED)
            channel = rng.choice(manual if needs_manual else sorted(terms))
            placed = at - timedelta(hours=rng.uniform(*AGES[status]))
            placed = placed.replace(microsecond=0)
            order_id = ""
            while not order_id or order_id in taken:
                order_id = placed.strftime("%y%m%d%H%M") + _letters(rng, 5)
            taken.add(order_id)
            chosen = rng.sample(offers[channel], rng.choice((1, 1, 1, 2, 2, 3)))
            line_ids: list[str] = []
            while len(line_ids) < len(chosen):
                candidate = _letters(rng, 4)
                if candidate not in line_ids:
                    line_ids.append(candidate)
            first, last, street, postal, city = rng.choice(ADDRESSES)
            address = {
                "firstName": first,
                "lastName": last,
                "addressLine1": street,
                "postalCode": postal,
                "city": city,
                "countryCode": "FR",
            }
            drafts.append(
                OrderDraft(
                    order_id=order_id,
                    seller_id=seller_id,
                    terms=terms[channel],
                    status=status,
                    customer_reference=f"customer-{rng.randint(1, 3000):05d}",
                    placed_at=placed,
                    delivery_mode=chosen[0][1],
                    address=address,
                    lines=tuple(
                        LineDraft(line_id, sold, rng.choice((1, 1, 1, 2, 3)))
                        for line_id, (sold, _mode) in zip(line_ids, chosen, strict=True)
                    ),
                )
            )
    write_orders(session, drafts)
    for draft in drafts:
        if draft.status == S.WAITING_ACCEPTANCE:
            deadline = acceptance_deadline(draft)
            enqueue(session, "orders.expire_acceptance", {"order_id": draft.order_id}, run_at=deadline)
