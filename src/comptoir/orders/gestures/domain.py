"""Commercial gesture rules (spec 12.12): limits of a channel, what an order still allows, what a request
must carry. Pure: no database, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from comptoir.errors import ValidationFailed
from comptoir.platform.money import CENT

REASONS = ("MissingProduct", "ShippingFees", "Delay", "ReturnFees", "Other")
IN_PROGRESS, DONE, REJECTED = "InProgress", "Done", "Rejected"
STATUSES = (IN_PROGRESS, DONE, REJECTED)
# Pending requests count against the limits: together they can never exceed them.
COMMITTED = (IN_PROGRESS, DONE)
ELIGIBLE_ORDER = frozenset({"Shipped", "Delivered"})
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Limits:
    allows_gesture: bool
    maximum_rate: Decimal  # percent of the order amount
    maximum_amount: Decimal | None
    currency: str


@dataclass(frozen=True)
class PricedLine:
    status: str
    unit_price: Decimal
    quantity: int
    shipping_cost: Decimal


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def order_amount(lines: Iterable[PricedLine]) -> Decimal:
    """What the customer paid for the lines still sold: cancelled lines are excluded."""
    return sum(
        (
            line.unit_price * line.quantity + line.shipping_cost
            for line in lines
            if line.status != "Cancelled"
        ),
        ZERO,
    )


def ceiling(amount: Decimal, limits: Limits) -> Decimal:
    """The most all gestures on the order may add up to; rounded down, never above the limits."""
    if not limits.allows_gesture:
        return ZERO
    # Down, not half up as money() rounds: a ceiling rounded up would let gestures pass the channel's
    # maximum rate by a cent.
    by_rate = (amount * limits.maximum_rate / 100).quantize(CENT, rounding=ROUND_DOWN)
    return min(by_rate, limits.maximum_amount) if limits.maximum_amount is not None else by_rate


def allowable(amount: Decimal, limits: Limits, committed: Decimal) -> Decimal:
    return max(ceiling(amount, limits) - committed, ZERO)


def parse_amount(value: float) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationFailed.field("amount", "amount must be a number.") from exc
    if not amount.is_finite() or amount <= 0:
        raise ValidationFailed.field("amount", "amount must be more than 0.")
    if amount != amount.quantize(CENT):
        raise ValidationFailed.field("amount", "amount has at most two decimals.")
    return amount


def check_fields(reason: str, reason_details: str | None, currency: str | None, limits: Limits) -> None:
    errors: dict[str, list[str]] = {}
    if reason not in REASONS:
        errors["reason"] = [f"reason must be one of {', '.join(REASONS)}."]
    if reason == "Other" and not (reason_details or "").strip():
        errors["reasonDetails"] = ["reasonDetails is required when the reason is Other."]
    if currency is not None and currency != limits.currency:
        errors["currencyCode"] = [f"Gestures on this sales channel are in {limits.currency}."]
    if errors:
        raise ValidationFailed("The commercial gesture request is not valid.", errors=errors)


def problems(order_status: str, limits: Limits, amount: Decimal, available: Decimal) -> list[Problem]:
    """Why a gesture cannot be granted now; empty when it can."""
    found: list[Problem] = []
    if not limits.allows_gesture:
        found.append(Problem("GestureNotAllowed", "This sales channel does not allow commercial gestures."))
    if order_status == "Cancelled":
        found.append(Problem("OrderCancelled", "The order was cancelled."))
    elif order_status not in ELIGIBLE_ORDER:
        found.append(
            Problem("OrderStatusNotAllowed", f"The order is {order_status}: gestures follow shipment only.")
        )
    if limits.allows_gesture and amount > available:
        found.append(
            Problem("AmountExceedsLimit", f"The order allows at most {available} {limits.currency} more.")
        )
    return found
