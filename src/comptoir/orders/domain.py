"""Order rules: the status transition table, shipment rules, prices. Pure: no database, no HTTP."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from comptoir.errors import Conflict, ValidationFailed
from comptoir.platform.money import money


class Status(StrEnum):
    PROCESSING = "Processing"
    WAITING_ACCEPTANCE = "WaitingAcceptance"
    REFUSED = "Refused"
    ACCEPTED = "Accepted"
    IN_PREPARATION = "InPreparation"
    SHIPPED = "Shipped"
    DELIVERED = "Delivered"
    CANCELLED = "Cancelled"
    REJECTED = "Rejected"


ORDER_STATUSES = tuple(s.value for s in Status)
# A line status only: a cancellation was asked for and awaits the marketplace.
CANCEL_REQUEST = "CancelRequest"
FINAL = frozenset({Status.REFUSED, Status.DELIVERED, Status.CANCELLED, Status.REJECTED})


class Action(StrEnum):
    """What can happen to an order, and who makes it happen."""

    CONTROLS_NEED_ACCEPTANCE = "controls-need-acceptance"  # marketplace: manual channel, seller approves
    CONTROLS_PASSED = "controls-passed"  # marketplace: automatic acceptance
    CONTROLS_FAILED = "controls-failed"  # marketplace: offer inactive, no stock, ...
    APPROVE = "approve"  # seller
    REFUSE = "refuse"  # seller
    PREPARE = "prepare"  # marketplace: final controls done
    SHIP_ALL = "ship-all"  # seller (or warehouse): every shippable line shipped
    SHIP_SOME = "ship-some"  # seller: partial shipment
    DELIVER = "deliver"  # marketplace / carrier
    CANCEL = "cancel"  # customer service, seller or customer request granted
    EXPIRE = "expire"  # marketplace: acceptance deadline passed


S, A = Status, Action
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (S.PROCESSING, A.CONTROLS_NEED_ACCEPTANCE): S.WAITING_ACCEPTANCE,
    (S.PROCESSING, A.CONTROLS_PASSED): S.ACCEPTED,
    (S.PROCESSING, A.CONTROLS_FAILED): S.REJECTED,
    (S.WAITING_ACCEPTANCE, A.APPROVE): S.ACCEPTED,
    (S.WAITING_ACCEPTANCE, A.REFUSE): S.REFUSED,
    (S.WAITING_ACCEPTANCE, A.EXPIRE): S.CANCELLED,
    (S.ACCEPTED, A.PREPARE): S.IN_PREPARATION,
    (S.IN_PREPARATION, A.SHIP_ALL): S.SHIPPED,
    (S.IN_PREPARATION, A.SHIP_SOME): S.IN_PREPARATION,
    (S.SHIPPED, A.DELIVER): S.DELIVERED,
    # "An order may be refunded at any time during its lifecycle": every non-final status.
    **{(status, A.CANCEL): S.CANCELLED for status in Status if status not in FINAL},
}


class TransitionRefused(Conflict):
    code = "InvalidOrderStatus"


def transition(status: str, action: Action) -> Status:
    """The status after `action`, or a 409 naming the status that forbids it."""
    target = TRANSITIONS.get((Status(status), action))
    if target is None:
        raise TransitionRefused(f"The order is {status}: it cannot be {_PAST[action]}.")
    return target


def allowed(status: str, action: Action) -> bool:
    return (Status(status), action) in TRANSITIONS


_PAST = {
    A.CONTROLS_NEED_ACCEPTANCE: "put in acceptance",
    A.CONTROLS_PASSED: "accepted by the marketplace controls",
    A.CONTROLS_FAILED: "rejected by the marketplace controls",
    A.APPROVE: "approved",
    A.REFUSE: "refused",
    A.PREPARE: "put in preparation",
    A.SHIP_ALL: "shipped",
    A.SHIP_SOME: "shipped",
    A.DELIVER: "delivered",
    A.CANCEL: "cancelled",
    A.EXPIRE: "expired",
}

# --- approval -------------------------------------------------------------------------------------

APPROVAL_VALUES = {"Accepted": A.APPROVE, "Refused": A.REFUSE}


def approval_action(value: str | None, *, manual_acceptance: bool) -> Action:
    if value not in APPROVAL_VALUES:
        raise ValidationFailed.field("approval_status", "approval_status must be Accepted or Refused.")
    if not manual_acceptance:
        raise TransitionRefused(
            "This sales channel accepts orders automatically: there is nothing to approve."
        )
    return APPROVAL_VALUES[value]


# --- shipments ------------------------------------------------------------------------------------

SELLER_SHIPS = "Seller"  # the supply mode whose lines the seller ships; the others leave a warehouse
# Lines an Octopia warehouse ships, from the stock it holds (the seller's Fulfillment offers).
FULFILLMENT = "Fulfillment"
SUPPLY_MODES = (SELLER_SHIPS, FULFILLMENT, "Xdock")
SHIPPABLE_LINE = Status.IN_PREPARATION.value
# Documented checks: http(s), no blanks, URL-encoded (no characters outside RFC 3986), at most 255.
TRACKING_URL = re.compile(
    r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?$"
)
PARCEL_NUMBER = re.compile(r"^[^\s*$&]{1,50}$")


@dataclass(frozen=True)
class Parcel:
    parcel_number: str
    carrier_name: str
    tracking_url: str | None
    line_ids: tuple[str, ...] | None  # None: every shippable line


@dataclass(frozen=True)
class LineView:
    line_id: str
    status: str
    supply_mode: str
    cancel_requested_by_customer: bool = False


@dataclass(frozen=True)
class ChannelShipping:
    line_level: bool
    partial: bool
    one_parcel_per_order: bool


def check_parcel_fields(parcels: Sequence[Parcel]) -> None:
    errors: dict[str, list[str]] = {}
    if not parcels:
        errors["body"] = ["At least one parcel is required."]
    for i, p in enumerate(parcels):
        if not p.parcel_number or not PARCEL_NUMBER.match(p.parcel_number):
            errors[f"[{i}].parcelNumber"] = [
                "parcelNumber is required: 1 to 50 characters, no blank, *, $ or &."
            ]
        if not p.carrier_name.strip():
            errors[f"[{i}].carrierName"] = ["carrierName is required (use a label from GET /carriers)."]
        if p.tracking_url is not None and (
            len(p.tracking_url) > 255 or not TRACKING_URL.match(p.tracking_url)
        ):
            errors[f"[{i}].trackingUrl"] = [
                "trackingUrl must be an encoded http(s) URL of at most 255 characters."
            ]
        if p.line_ids is not None and not p.line_ids:
            errors[f"[{i}].orderLineIds"] = ["orderLineIds, when given, must name at least one line."]
    if errors:
        raise ValidationFailed("The shipment is not valid.", errors=errors)


def plan_shipment(
    status: str, lines: Sequence[LineView], parcels: Sequence[Parcel], channel: ChannelShipping
) -> tuple[set[str], Action]:
    """Which lines the parcels ship, and whether that ships the whole order; raises when refused."""
    check_parcel_fields(parcels)
    if status != Status.IN_PREPARATION:
        raise TransitionRefused(f"The order is {status}: only an order InPreparation can be shipped.")
    by_id = {line.line_id: line for line in lines}

    def shippable(line: LineView) -> bool:
        if line.supply_mode != SELLER_SHIPS:
            return False
        if line.status == SHIPPABLE_LINE:
            return True
        # Cdiscount lets a customer-requested cancellation ship anyway (documented exception).
        return line.status == CANCEL_REQUEST and line.cancel_requested_by_customer

    pending = {line.line_id for line in lines if shippable(line)}
    if not pending:
        if any(line.supply_mode != SELLER_SHIPS for line in lines):
            raise TransitionRefused(
                "Fulfillment lines are shipped by the warehouse, not declared by the seller."
            )
        raise TransitionRefused("No line of this order can be shipped.")
    if channel.one_parcel_per_order and len(parcels) > 1:
        raise ValidationFailed.field("body", "This sales channel takes one parcel per complete order.")
    named: set[str] = set()
    for i, parcel in enumerate(parcels):
        ids = set(parcel.line_ids) if parcel.line_ids is not None else set(pending)
        unknown = ids - set(by_id)
        if unknown:
            raise ValidationFailed.field(
                f"[{i}].orderLineIds", f"Unknown order lines: {', '.join(sorted(unknown))}."
            )
        for line_id in sorted(ids - pending):
            line = by_id[line_id]
            if line.supply_mode != SELLER_SHIPS:
                raise TransitionRefused(f"Line {line_id} is shipped by the warehouse ({line.supply_mode}).")
            raise TransitionRefused(f"Line {line_id} is {line.status}: it cannot be shipped.")
        named |= ids
    if (not channel.line_level or not channel.partial) and named != pending:
        raise ValidationFailed.field(
            "orderLineIds", "This sales channel ships complete orders only: name every line or none."
        )
    action = A.SHIP_ALL if named == pending else A.SHIP_SOME
    return named, action


# --- prices ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinePrice:
    unit_price: Decimal
    shipping_cost: Decimal
    commission_rate: Decimal  # percent
    commission_with_vat: Decimal
    commission_without_vat: Decimal
    total: Decimal


COMMISSION_VAT = Decimal("1.20")


def line_price(
    *,
    unit_price: Decimal,
    quantity: int,
    shipping_cost: Decimal,
    additional_cost: Decimal,
    commission_rate: Decimal,
) -> LinePrice:
    """Shipping is the mode's cost for the first unit plus its additional cost for each further unit;
    the channel's commission applies to goods and shipping and includes VAT. The unit price is rounded
    first, so that the total is the shown unit price times the quantity."""
    unit = money(unit_price)
    shipping = money(shipping_cost + additional_cost * (quantity - 1))
    total = money(unit * quantity + shipping)
    with_vat = money(total * commission_rate / 100)
    return LinePrice(
        unit_price=unit,
        shipping_cost=shipping,
        commission_rate=commission_rate,
        commission_with_vat=with_vat,
        commission_without_vat=money(with_vat / COMMISSION_VAT),
        total=total,
    )
