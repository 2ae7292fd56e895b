"""Order use cases: the marketplace places and controls orders; sellers approve and ship them."""

from __future__ import annotations

import secrets
import string
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import Select, func, or_, select, tuple_
from sqlalchemy.orm import Session

from comptoir import clock, offers
from comptoir.catalog.models import Product
from comptoir.channels.models import ChannelDeliveryMode, SalesChannel
from comptoir.channels.service import get_channel
from comptoir.errors import NotFound, ValidationFailed
from comptoir.jobs import enqueue
from comptoir.offers import domain as offer_domain
from comptoir.offers.apply import decode_discounts, decode_modes
from comptoir.offers.models import Offer
from comptoir.orders import domain as d
from comptoir.orders.models import (
    CancellationRequest,
    CancellationRequestLine,
    GestureRequest,
    Order,
    OrderLine,
    Parcel,
    StatusEvent,
)
from comptoir.orders.schemas import OrderIn, ParcelIn
from comptoir.sellers.models import Seller

A = d.Action
RECENT_WINDOW = timedelta(days=30)
DEFAULT_PREPARATION_DAYS = 2
PROMISE_SPREAD = timedelta(days=2)

# --- identifiers ------------------------------------------------------------------------------------


def new_order_id(now: datetime) -> str:
    """Cdiscount-like: the minute of purchase then five letters, e.g. 2611231907THLDJ."""
    return now.strftime("%y%m%d%H%M") + "".join(secrets.choice(string.ascii_uppercase) for _ in range(5))


def new_line_ids(count: int) -> list[str]:
    ids: list[str] = []
    while len(ids) < count:
        candidate = "".join(secrets.choice(string.ascii_uppercase) for _ in range(4))
        if candidate not in ids:
            ids.append(candidate)
    return ids


# --- status changes ---------------------------------------------------------------------------------


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


# --- stock ------------------------------------------------------------------------------------------


def release_stock(session: Session, lines: Iterable[OrderLine]) -> None:
    for line in lines:
        if line.reserved_quantity <= 0 or line.offer_id is None:
            continue
        offers.release_stock(session, line.offer_id, line.reserved_quantity)
        line.reserved_quantity = 0


# --- marketplace: placing and controlling orders ----------------------------------------------------


def _address(data: Any) -> dict[str, Any]:
    return msgspec.to_builtins(data)  # type: ignore[no-any-return]


def _resolve_seller(session: Session, data: OrderIn) -> str:
    sellers: set[str] = set()
    for i, line in enumerate(data.lines):
        if line.offer_id is None and not (line.seller_id and line.seller_external_reference):
            raise ValidationFailed.field(
                f"lines[{i}]", "A line names an offerId, or a sellerId with a sellerExternalReference."
            )
        if line.seller_id:
            sellers.add(line.seller_id)
        else:
            offer = _offer_by_id(session, line.offer_id)
            if offer is None:
                raise ValidationFailed.field(f"lines[{i}].offerId", f"Offer {line.offer_id} does not exist.")
            sellers.add(offer.seller_id)
    if len(sellers) != 1:
        raise ValidationFailed.field(
            "lines", "An order is placed with one seller: split the basket by seller."
        )
    seller_id = sellers.pop()
    if session.get(Seller, seller_id) is None:
        raise ValidationFailed.field("lines", f"Seller {seller_id} does not exist.")
    return seller_id


def _offer_by_id(session: Session, offer_id: int | str | None) -> Offer | None:
    try:
        return session.get(Offer, int(offer_id)) if offer_id is not None else None
    except (TypeError, ValueError):
        return None


def create_order(session: Session, data: OrderIn) -> Order:
    """A customer's order: stored as Processing, then checked by the marketplace controls (a job)."""
    channel = get_channel(session, data.sales_channel_id)
    seller_id = _resolve_seller(session, data)
    now = clock.now()
    shipping = _address(data.shipping_address)
    order = Order(
        id=new_order_id(now),
        seller_id=seller_id,
        sales_channel_id=channel.id,
        status=d.Status.PROCESSING.value,
        reference=data.reference,
        business_order=data.business_order,
        customer_reference=data.customer.reference,
        payment_method=data.payment.method if data.payment else "Card",
        currency=channel.currency,
        delivery_mode=data.delivery_mode,
        supply_mode=data.lines[0].supply_mode,
        shipping_country=data.shipping_address.country_code,
        billing_address=_address(data.billing_address) if data.billing_address else shipping,
        shipping_address=shipping,
        rejection_reasons=[],
        purchased_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(order)
    session.flush()
    for position, (line_id, line) in enumerate(zip(new_line_ids(len(data.lines)), data.lines, strict=True)):
        session.add(
            OrderLine(
                order_id=order.id,
                line_id=line_id,
                position=position,
                status=d.Status.PROCESSING.value,
                requested_offer_id=_int_or_none(line.offer_id),
                seller_external_reference=line.seller_external_reference,
                supply_mode=line.supply_mode,
                quantity=line.quantity,
                reserved_quantity=0,
            )
        )
    record(session, order, order.status, actor="Customer")
    session.flush()
    enqueue(session, "orders.run_controls", {"order_id": order.id})
    return order


def _int_or_none(value: int | str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return -1  # names no offer: the controls will reject the line


@dataclass
class _Checked:
    line: OrderLine
    offer: Offer
    product: Product | None
    modes: dict[str, offer_domain.DeliveryMode]


def run_controls(session: Session, order_id: str) -> None:
    """The marketplace controls: offer active, delivery mode offered, stock reserved, prices taken.
    Idempotent: an order already past Processing is left alone."""
    order = session.get(Order, order_id, with_for_update=True)
    if order is None or order.status != d.Status.PROCESSING:
        return
    channel = get_channel(session, order.sales_channel_id)
    lines = lines_of(session, order.id)
    reasons: list[dict[str, Any]] = []
    checked: list[_Checked] = []
    for line in lines:
        offer = _find_offer(session, order, line)
        if offer is None:
            reasons.append(_reason(line, "OfferNotFound", "The offer does not exist on this sales channel."))
            continue
        if offer.offer_state != "Active":
            reasons.append(_reason(line, "OfferInactive", "The offer is not active."))
            continue
        modes = {m.code: m for m in decode_modes(offer.delivery_modes) or []}
        checked.append(_Checked(line, offer, session.get(Product, offer.product_id), modes))
    mode = order.delivery_mode or _common_mode(checked)
    for c in checked:
        if mode not in c.modes:
            reasons.append(
                _reason(c.line, "DeliveryModeNotOffered", f"The offer is not delivered by {mode}.")
            )
    if not reasons:
        with session.begin_nested() as savepoint:
            for c in checked:
                if not offers.reserve_stock(session, c.offer, c.line.quantity):
                    reasons.append(_reason(c.line, "OutOfStock", "Not enough stock for this quantity."))
                    break
                c.line.reserved_quantity = c.line.quantity
            if reasons:
                savepoint.rollback()
    if reasons:
        for c in checked:
            c.line.reserved_quantity = 0
        order.rejection_reasons = reasons
        apply(session, order, A.CONTROLS_FAILED, actor="Marketplace", reason=reasons[0]["code"], lines=lines)
        return
    assert mode is not None
    _price_lines(session, order, channel, checked, mode)
    seller = session.get(Seller, order.seller_id)
    needs_acceptance = channel.manual_acceptance and not (seller and seller.auto_accept_order)
    if needs_acceptance:
        order.acceptance_deadline = clock.now() + timedelta(hours=channel.acceptance_deadline_hours)
        apply(session, order, A.CONTROLS_NEED_ACCEPTANCE, actor="Marketplace", lines=lines)
        enqueue(session, "orders.expire_acceptance", {"order_id": order.id}, run_at=order.acceptance_deadline)
    else:
        accept(session, order, lines, actor="Marketplace")


def _following(lines: Sequence[OrderLine]) -> list[OrderLine]:
    """Lines that move with the order: not those cancelled or with a cancellation under way."""
    return [line for line in lines if line.status not in (d.Status.CANCELLED, "CancelRequest")]


def reject_unchecked(session: Session, order_id: str) -> None:
    """The controls could not run after every retry: the order is rejected rather than left Processing."""
    order = session.get(Order, order_id, with_for_update=True)
    if order is None or order.status != d.Status.PROCESSING:
        return
    lines = lines_of(session, order.id)
    order.rejection_reasons = [
        _reason(line, "ControlsUnavailable", "The marketplace controls could not be run.") for line in lines
    ]
    apply(session, order, A.CONTROLS_FAILED, actor="Marketplace", reason="ControlsUnavailable", lines=lines)


def accept(session: Session, order: Order, lines: Sequence[OrderLine], *, actor: str) -> None:
    action = A.APPROVE if order.status == d.Status.WAITING_ACCEPTANCE else A.CONTROLS_PASSED
    apply(session, order, action, actor=actor, lines=_following(lines))
    order.accepted_at = clock.now()
    enqueue(session, "orders.prepare", {"order_id": order.id})


def _reason(line: OrderLine, code: str, message: str) -> dict[str, Any]:
    return {"lineId": line.line_id, "code": code, "message": message}


def _find_offer(session: Session, order: Order, line: OrderLine) -> Offer | None:
    if line.requested_offer_id is not None:
        offer = session.get(Offer, line.requested_offer_id)
        ok = offer is not None and offer.sales_channel_id == order.sales_channel_id
        return offer if ok and offer is not None and offer.seller_id == order.seller_id else None
    return session.scalar(
        select(Offer).where(
            Offer.seller_id == order.seller_id,
            Offer.sales_channel_id == order.sales_channel_id,
            Offer.seller_external_reference == line.seller_external_reference,
        )
    )


def _common_mode(checked: Sequence[_Checked]) -> str | None:
    if not checked:
        return None
    common = [code for code in checked[0].modes if all(code in c.modes for c in checked)]
    return common[0] if common else next(iter(checked[0].modes), None)


def _price_lines(
    session: Session, order: Order, channel: SalesChannel, checked: Sequence[_Checked], mode: str
) -> None:
    now = clock.now()
    channel_mode = session.get(ChannelDeliveryMode, (channel.id, mode))
    delay = timedelta(days=channel_mode.delivery_delay if channel_mode else 3)
    cdiscount = channel.id == offer_domain.CDISCOUNT
    offer_total = selling_total = Decimal("0")
    ship_by: datetime | None = None
    for c in checked:
        offer, line = c.offer, c.line
        price = offer.price or Decimal("0")
        selling = offer_domain.facial_price(
            price, decode_discounts(offer.discounts), now, cdiscount=cdiscount
        )
        m = c.modes[mode]
        offered = d.line_price(
            unit_price=price,
            quantity=line.quantity,
            shipping_cost=m.cost,
            additional_cost=m.additional_cost,
            commission_rate=channel.commission_rate,
        )
        paid = d.line_price(
            unit_price=selling,
            quantity=line.quantity,
            shipping_cost=m.cost,
            additional_cost=m.additional_cost,
            commission_rate=channel.commission_rate,
        )
        line.offer_id = offer.id
        line.seller_external_reference = offer.seller_external_reference
        line.product_id = offer.product_id
        line.product_gtin = c.product.gtin if c.product else None
        line.product_reference = c.product.product_reference if c.product else None
        line.product_title = c.product.title if c.product else None
        line.condition = offer.condition
        line.unit_price = offered.unit_price
        line.shipping_cost = offered.shipping_cost
        line.commission_rate = channel.commission_rate
        line.commission_with_vat = paid.commission_with_vat
        line.commission_without_vat = paid.commission_without_vat
        line.vat_rate = offer.vat_rate
        line.shipped_at_max = now + timedelta(days=offer.preparation_time or DEFAULT_PREPARATION_DAYS)
        line.promised_at_min = line.shipped_at_max + delay
        line.promised_at_max = line.promised_at_min + PROMISE_SPREAD
        ship_by = max(ship_by, line.shipped_at_max) if ship_by else line.shipped_at_max
        offer_total += offered.total
        selling_total += paid.total
    order.delivery_mode = mode
    order.shipped_at_max = ship_by
    order.total_offer_price = offer_total
    order.total_selling_price = selling_total


def prepare(session: Session, order_id: str) -> None:
    """Final marketplace controls: Accepted orders become InPreparation. Idempotent."""
    order = session.get(Order, order_id, with_for_update=True)
    if order is None or order.status != d.Status.ACCEPTED:
        return
    apply(session, order, A.PREPARE, actor="Marketplace", lines=_following(lines_of(session, order.id)))


def expire_acceptance(session: Session, order_id: str) -> None:
    """Cancels an order the seller did not approve in time. Idempotent; waits if the deadline moved."""
    order = session.get(Order, order_id, with_for_update=True)
    if order is None or order.status != d.Status.WAITING_ACCEPTANCE or order.acceptance_deadline is None:
        return
    if order.acceptance_deadline > clock.now():
        enqueue(session, "orders.expire_acceptance", {"order_id": order.id}, run_at=order.acceptance_deadline)
        return
    lines = lines_of(session, order.id)
    release_stock(session, lines)
    apply(session, order, A.EXPIRE, actor="Marketplace", reason="acceptance-deadline-passed", lines=lines)


# --- seller: reading orders -------------------------------------------------------------------------


SORT_FIELDS = {
    "updatedAt": Order.updated_at,
    "createdAt": Order.created_at,
    "shippedAt": Order.shipped_at,
    "purchasedAt": Order.purchased_at,
}


@dataclass(frozen=True)
class OrderFilter:
    statuses: tuple[str, ...] = ()
    reference: str | None = None
    sales_channel_id: str | None = None
    business_order: bool | None = None
    supply_mode: str | None = None
    shipping_country: str | None = None
    created_at_min: datetime | None = None
    created_at_max: datetime | None = None
    updated_at_min: datetime | None = None
    updated_at_max: datetime | None = None
    shipped_at_min: datetime | None = None
    shipped_at_max: datetime | None = None

    @property
    def has_date(self) -> bool:
        return any(
            (
                self.created_at_min,
                self.created_at_max,
                self.updated_at_min,
                self.updated_at_max,
                self.shipped_at_min,
                self.shipped_at_max,
            )
        )


def _conditions(seller_id: str, f: OrderFilter) -> list[Any]:
    conds: list[Any] = [Order.seller_id == seller_id]
    if f.statuses:
        conds.append(Order.status.in_(f.statuses) if len(f.statuses) > 1 else Order.status == f.statuses[0])
    equals: tuple[tuple[Any, Any], ...] = (
        (Order.reference, f.reference),
        (Order.sales_channel_id, f.sales_channel_id),
        (Order.business_order, f.business_order),
        (Order.supply_mode, f.supply_mode),
        (Order.shipping_country, f.shipping_country),
    )
    for column, value in equals:
        if value is not None:
            conds.append(column == value)
    ranges: tuple[tuple[Any, datetime | None, datetime | None], ...] = (
        (Order.created_at, f.created_at_min, f.created_at_max),
        (Order.updated_at, f.updated_at_min, f.updated_at_max),
        (Order.shipped_at, f.shipped_at_min, f.shipped_at_max),
    )
    for column, low, high in ranges:
        if low is not None:
            conds.append(column >= low)
        if high is not None:
            conds.append(column <= high)
    if not f.has_date:
        # Documented: without a date filter only the latest orders come back.
        conds.append(Order.updated_at >= clock.now() - RECENT_WINDOW)
    return conds


def count_orders(session: Session, seller_id: str, f: OrderFilter) -> int:
    return int(session.scalar(select(func.count()).select_from(Order).where(*_conditions(seller_id, f))) or 0)


class PageWalks:
    """Where each page of a walk ended, so that page N+1 continues from a key instead of an OFFSET.

    Keyed by everything that defines the list (seller, filters, sort, page size); bounded in size.
    A page never seen falls back to OFFSET from the nearest known page before it.
    """

    def __init__(self, max_walks: int = 4096) -> None:
        self.max_walks = max_walks
        self._walks: dict[Any, dict[int, tuple[Any, str]]] = {}

    def clear(self) -> None:
        self._walks.clear()

    def nearest(self, walk: Any, page_index: int) -> tuple[int, tuple[Any, str]] | None:
        pages = self._walks.get(walk)
        if not pages:
            return None
        if page_index - 1 in pages:
            return page_index - 1, pages[page_index - 1]
        known = [p for p in pages if p < page_index]
        return (max(known), pages[max(known)]) if known else None

    def remember(self, walk: Any, page_index: int, key: tuple[Any, str]) -> None:
        pages = self._walks.get(walk)
        if pages is None:
            if len(self._walks) >= self.max_walks:
                self._walks.pop(next(iter(self._walks)))
            pages = self._walks[walk] = {}
        pages[page_index] = key


ORDERS = Order.__table__


@dataclass(frozen=True)
class PageRow:
    id: str
    updated_at: datetime


def list_orders(
    session: Session,
    seller_id: str,
    f: OrderFilter,
    *,
    page_index: int,
    page_size: int,
    sort: str,
    descending: bool,
    walks: PageWalks,
) -> tuple[list[PageRow], bool]:
    """The ids (and versions) of one page; rendering is left to `rendered`, which caches by version."""
    column: Any = SORT_FIELDS[sort]
    order_by: list[Any] = [column.desc(), Order.id.desc()] if descending else [column.asc(), Order.id.asc()]
    stmt: Select[Any] = (
        # Table columns, not mapped attributes: plain rows, without the ORM's per-row bookkeeping.
        select(ORDERS.c.id, ORDERS.c.updated_at, ORDERS.c[column.key].label("sort_key"))
        .where(*_conditions(seller_id, f))
        .order_by(*order_by)
    )
    walk = (seller_id, f if f.has_date else None, sort, descending, page_size)
    start = walks.nearest(walk, page_index) if f.has_date else None
    if start is not None:
        known_page, (value, last_id) = start
        # A row-value comparison, so that both databases range-scan the index instead of an OR.
        key: Any
        bound: Any
        if value is None:
            key, bound = Order.id, last_id
        else:
            key, bound = tuple_(column, Order.id), tuple_(value, last_id)
        after = key < bound if descending else key > bound
        stmt = stmt.where(after).offset((page_index - 1 - known_page) * page_size)
    else:
        stmt = stmt.offset((page_index - 1) * page_size)
    rows = session.execute(stmt.limit(page_size + 1)).all()
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    if rows and f.has_date:
        walks.remember(walk, page_index, (rows[-1].sort_key, rows[-1].id))
    return [PageRow(r.id, r.updated_at) for r in rows], has_next


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


def get_order(session: Session, seller_id: str, order_id: str, *, lock: bool = False) -> Order:
    order = session.get(Order, order_id, with_for_update=lock or None)  # type: ignore[arg-type]
    if order is None or order.seller_id != seller_id:
        raise NotFound(f"Order {order_id} does not exist.")
    return order


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


# --- seller: acting on orders -----------------------------------------------------------------------


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
    asked = _asked_by_customer_only(session, order.id) if channel.id == offer_domain.CDISCOUNT else set()
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
        .where(CancellationRequestLine.order_id == order_id, CancellationRequestLine.status == "InProgress")
    ):
        asked[line_id].add(requester)
    return {line_id for line_id, requesters in asked.items() if requesters == {"Customer"}}


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


# --- marketplace actions on orders ------------------------------------------------------------------


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
    ids = {line.line_id for line in lines if line.supply_mode != "Seller" and line.status == d.SHIPPABLE_LINE}
    if not ids:
        raise d.TransitionRefused("This order has no warehouse line to ship.")
    parcel = d.Parcel(parcel_number, carrier_name, None, tuple(sorted(ids)))
    d.check_parcel_fields([parcel])
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


# --- indicators -------------------------------------------------------------------------------------


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
            StatusEvent.status.in_(("CancelRequest", "Cancelled")),
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
        Order.id.in_(select(GestureRequest.order_id).where(GestureRequest.status == "Done")),
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
