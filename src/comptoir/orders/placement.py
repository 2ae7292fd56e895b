"""The marketplace places orders and runs its controls: offer, delivery mode, stock, prices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import clock, fulfillment, offers
from comptoir.catalog import Product
from comptoir.channels import ChannelDeliveryMode, SalesChannel, get_channel
from comptoir.errors import ValidationFailed
from comptoir.jobs import Subject, enqueue
from comptoir.offers import Offer
from comptoir.orders import domain as d
from comptoir.orders import messages
from comptoir.orders.lifecycle import apply, lines_of, new_line_ids, new_order_id, record, release_stock
from comptoir.orders.models import Order, OrderLine
from comptoir.orders.schemas import OrderIn
from comptoir.platform.languages import DEFAULT_MESSAGE_LANGUAGE
from comptoir.sellers import Seller

A = d.Action
DEFAULT_PREPARATION_DAYS = 2
PROMISE_SPREAD = timedelta(days=2)
# The sandbox progress controls' name for a new order going through the marketplace's controls
# (`/sandbox/v1/progress/orders/{orderId}`), and the reason they give most when the sandbox fails one.
PROGRESS_KIND = "orders"
FAIL_REASON = "OutOfStock"


def _address(data: Any) -> dict[str, Any]:
    return msgspec.to_builtins(data)  # type: ignore[no-any-return]


def _resolve_seller(session: Session, data: OrderIn, named: Sequence[Offer | None]) -> str:
    sellers: set[str] = set()
    for i, (line, offer) in enumerate(zip(data.lines, named, strict=True)):
        if line.offer_id is None and not (line.seller_id and line.seller_external_reference):
            raise ValidationFailed.field(
                f"lines[{i}]", "A line names an offerId, or a sellerId with a sellerExternalReference."
            )
        if line.seller_id:
            sellers.add(line.seller_id)
        else:
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


def _named_offer(session: Session, channel_id: str, offer_id: int | str | None) -> Offer | None:
    """The offer a line names: by the catalogue's composite id on the order's channel, or by the row
    id that order lines showed before."""
    if offer_id is None:
        return None
    text = str(offer_id)
    row_id = offers.offer_row_id(text)
    if row_id is not None:
        return session.get(Offer, row_id)
    parts = offers.split_offer_id(text, [channel_id])
    if parts is None:
        return None
    return session.scalar(
        select(Offer)
        .join(Product, Product.id == Offer.product_id)
        .where(
            Offer.seller_id == parts.seller_id,
            Offer.sales_channel_id == channel_id,
            Offer.condition == parts.condition,
            Product.product_reference == parts.product_reference,
        )
    )


def create_order(session: Session, data: OrderIn) -> Order:
    """A customer's order: stored as Processing, then checked by the marketplace controls (a job)."""
    channel = get_channel(session, data.sales_channel_id)
    named = [_named_offer(session, channel.id, line.offer_id) for line in data.lines]
    seller_id = _resolve_seller(session, data, named)
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
    for position, (line_id, line, offer) in enumerate(
        zip(new_line_ids(len(data.lines)), data.lines, named, strict=True)
    ):
        session.add(
            OrderLine(
                order_id=order.id,
                line_id=line_id,
                position=position,
                status=d.Status.PROCESSING.value,
                requested_offer_id=_requested(line.offer_id, offer),
                seller_external_reference=line.seller_external_reference,
                supply_mode=line.supply_mode,
                quantity=line.quantity,
                reserved_quantity=0,
            )
        )
    record(session, order, order.status, actor="Customer")
    session.flush()
    enqueue(session, "orders.run_controls", {"order_id": order.id}, subject=progress_subject(order))
    return order


def progress_subject(order: Order) -> Subject:
    return Subject(PROGRESS_KIND, order.id, order.seller_id)


def _requested(offer_id: int | str | None, offer: Offer | None) -> int | None:
    if offer_id is None:
        return None
    return offer.id if offer is not None else -1  # names no offer: the controls will reject the line


@dataclass
class _Checked:
    line: OrderLine
    offer: Offer
    product: Product | None
    modes: dict[str, offers.DeliveryMode]


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
            reasons.append(_reason(line, "OfferNotFound"))
            continue
        product = session.get(Product, offer.product_id)
        from_warehouse = _from_warehouse(session, order, line, offer, product)
        if offer.offer_state != "Active":
            # A Fulfillment offer is inactive while the warehouses hold none of it.
            empty = from_warehouse and not offer.quantity
            reasons.append(_reason(line, "OutOfStock" if empty else "OfferInactive"))
            continue
        if from_warehouse:
            line.supply_mode = d.FULFILLMENT
        modes = {m.code: m for m in offers.decode_modes(offer.delivery_modes) or []}
        checked.append(_Checked(line, offer, product, modes))
    if lines:
        order.supply_mode = lines[0].supply_mode  # the order's summary follows its lines' modes
    mode = order.delivery_mode or _common_mode(checked)
    # The channel must declare the mode too: platform copies published before modes were mapped to
    # the platform's own still carry their source channel's.
    declared = mode is not None and session.get(ChannelDeliveryMode, (channel.id, mode)) is not None
    for c in checked:
        if mode not in c.modes or not declared:
            reasons.append(_reason(c.line, "DeliveryModeNotOffered", mode=str(mode)))
    if not reasons:
        with session.begin_nested() as savepoint:
            for c in checked:
                if not _reserve(session, order, c):
                    reasons.append(_reason(c.line, "OutOfStock"))
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


def _from_warehouse(
    session: Session, order: Order, line: OrderLine, offer: Offer, product: Product | None
) -> bool:
    """A line the warehouse ships: asked as Fulfillment, or on an offer of a product the seller
    referenced for fulfillment (its stock is the warehouse's, whatever the line said)."""
    if line.supply_mode == d.FULFILLMENT:
        return True
    if product is None:
        return False
    found = fulfillment.referenced(
        session, order.seller_id, product_id=product.product_reference, condition=offer.condition
    )
    return found is not None


def _reserve(session: Session, order: Order, c: _Checked) -> bool:
    """Takes the line's units: from a warehouse that delivers the customer (Available to Allocated)
    for a Fulfillment line, from the offer's stock otherwise."""
    if c.line.supply_mode != d.FULFILLMENT:
        return offers.reserve_stock(session, c.offer, c.line.quantity)
    return c.product is not None and fulfillment.allocate_order_line(
        session,
        order.seller_id,
        order.id,
        c.line.line_id,
        c.product.product_reference,
        c.offer.condition,
        c.line.quantity,
        order.shipping_country,
    )


def _following(lines: Sequence[OrderLine]) -> list[OrderLine]:
    """Lines that move with the order: not those cancelled or with a cancellation under way."""
    return [line for line in lines if line.status not in (d.Status.CANCELLED, d.CANCEL_REQUEST)]


def reject_unchecked(
    session: Session, order_id: str, code: str = "ControlsUnavailable", text: str | None = None
) -> None:
    """The controls could not run after every retry, or the sandbox fails the order (policy `fail`,
    with a reason code and text of its choosing): the order is rejected rather than left Processing."""
    order = session.get(Order, order_id, with_for_update=True)
    if order is None or order.status != d.Status.PROCESSING:
        return
    lines = lines_of(session, order.id)
    order.rejection_reasons = [_reason(line, code, text=text) for line in lines]
    apply(session, order, A.CONTROLS_FAILED, actor="Marketplace", reason=code, lines=lines)


def accept(session: Session, order: Order, lines: Sequence[OrderLine], *, actor: str) -> None:
    action = A.APPROVE if order.status == d.Status.WAITING_ACCEPTANCE else A.CONTROLS_PASSED
    apply(session, order, action, actor=actor, lines=_following(lines))
    order.accepted_at = clock.now()
    # Preparing is one more step of the order's progress in the sandbox, whether the controls or the
    # seller accepted it: a connector's CI under `immediate` sees InPreparation as approval answers.
    enqueue(session, "orders.prepare", {"order_id": order.id}, subject=progress_subject(order))


def _reason(line: OrderLine, code: str, text: str | None = None, **args: str) -> dict[str, Any]:
    """Stored with the English message and the values it names, so that reads can word it in the
    reader's language (see `messages`); a `text` given (by the sandbox) is shown as it is."""
    reason: dict[str, Any] = {
        "lineId": line.line_id,
        "code": code,
        "message": text or messages.rejection_message(code, DEFAULT_MESSAGE_LANGUAGE, args) or code,
    }
    if text:
        reason["verbatim"] = True
    if args:
        reason["args"] = args
    return reason


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
    cdiscount = channel.id == offers.CDISCOUNT
    offer_total = selling_total = Decimal("0")
    ship_by: datetime | None = None
    for c in checked:
        offer, line = c.offer, c.line
        price = offer.price or Decimal("0")
        selling = offers.facial_price(
            price, offers.decode_discounts(offer.discounts), now, cdiscount=cdiscount
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
