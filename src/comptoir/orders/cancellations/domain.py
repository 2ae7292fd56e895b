"""Cancellation rules (spec 12.8 to 12.11): reason codes by context, who may cancel which lines, refunds.
Pure: no database, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from comptoir.errors import Conflict, ValidationFailed
from comptoir.orders.domain import ORDER_STATUSES
from comptoir.platform.money import money

SELLER, CUSTOMER, CUSTOMER_SERVICE = "Seller", "Customer", "CustomerService"
USER_TYPES = (SELLER, CUSTOMER, CUSTOMER_SERVICE)
CDISCOUNT = "CDISFR"

BEFORE_APPROVAL = frozenset({"WaitingAcceptance", "Accepted"})
BEFORE_SHIPMENT = BEFORE_APPROVAL | {"InPreparation"}
AFTER_SHIPMENT = frozenset({"Shipped", "Delivered"})


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    user_types: frozenset[str]
    statuses: frozenset[str]
    channels: frozenset[str] | None = None  # None: every channel


def _reason(
    code: str,
    label: str,
    users: Iterable[str],
    statuses: Iterable[str],
    channels: Iterable[str] | None = None,
) -> Reason:
    return Reason(
        code, label, frozenset(users), frozenset(statuses), frozenset(channels) if channels else None
    )


# The documented codes (seller-refusal, seller-out-of-stock, missing-product, reference-mistake) and
# real-looking others. The lists shrink as the order moves on: approval, then shipment, then delivery;
# after shipment a cancellation is a refund.
W, A, P, S, D = "WaitingAcceptance", "Accepted", "InPreparation", "Shipped", "Delivered"
REASONS: tuple[Reason, ...] = (
    _reason("seller-refusal", "Refus de la commande par le vendeur", [SELLER], [W], [CDISCOUNT]),
    _reason("pricing-error", "Erreur de prix sur l'offre", [SELLER], [W, A]),
    _reason("seller-out-of-stock", "Produit en rupture de stock", [SELLER], [W, A, P]),
    _reason("reference-mistake", "Erreur de référence produit", [SELLER], [W, A, P]),
    _reason("customer-request", "Demande du client", [SELLER], [W, A, P]),
    _reason("missing-product", "Produit manquant", [SELLER], [W, A, P, S]),
    _reason("parcel-lost", "Colis perdu par le transporteur", [SELLER, CUSTOMER_SERVICE], [S]),
    _reason("damaged-product", "Produit endommagé", [SELLER], [S, D]),
    _reason("product-returned", "Produit retourné par le client", [SELLER], [D]),
    _reason("customer-withdrawal", "Rétractation du client", [CUSTOMER], [W, A, P]),
    _reason("ordered-by-mistake", "Commande passée par erreur", [CUSTOMER], [W, A]),
    _reason("better-price-found", "Meilleur prix trouvé ailleurs", [CUSTOMER], [W, A], [CDISCOUNT]),
    _reason("delivery-delay", "Retard d'expédition", [CUSTOMER], [P]),
    _reason("customer-service", "Annulation par le service client", [CUSTOMER_SERVICE], [W, A, P, S]),
    _reason("fraud-suspicion", "Suspicion de fraude", [CUSTOMER_SERVICE], [W, A, P]),
    _reason("payment-issue", "Incident de paiement", [CUSTOMER_SERVICE], [W, A]),
    _reason("delivery-impossible", "Livraison impossible à l'adresse indiquée", [CUSTOMER_SERVICE], [P, S]),
)


def reasons_for(channel_id: str, user_type: str, status: str) -> list[Reason]:
    return [
        r
        for r in REASONS
        if user_type in r.user_types
        and status in r.statuses
        and (r.channels is None or channel_id in r.channels)
    ]


def context_errors(user_type: str | None, status: str | None) -> dict[str, list[str]]:
    """The query of GET /cancellation-reasons: each parameter present and known."""
    errors: dict[str, list[str]] = {}
    if not user_type:
        errors["userType"] = ["userType is required."]
    elif user_type not in USER_TYPES:
        errors["userType"] = [f"userType must be one of {', '.join(USER_TYPES)}."]
    if not status:
        errors["orderStatus"] = ["orderStatus is required."]
    elif status not in ORDER_STATUSES:
        errors["orderStatus"] = [f"orderStatus must be one of {', '.join(ORDER_STATUSES)}."]
    return errors


# --- who may cancel which line --------------------------------------------------------------------

CANCEL_REQUEST = "CancelRequest"
# What a request cancels: the whole order, or the lines it names.
TOTAL, PARTIAL = "Total", "Partial"
# Seller: refunds after shipment included. Customer: only what has not left yet.
CANCELLABLE = {SELLER: BEFORE_SHIPMENT | AFTER_SHIPMENT, CUSTOMER: BEFORE_SHIPMENT}
ORDER_CANCELLABLE = BEFORE_SHIPMENT | AFTER_SHIPMENT


@dataclass(frozen=True)
class LineState:
    line_id: str
    # The catalogue's composite id of the offer sold on the line.
    offer_id: str | None
    status: str
    supply_mode: str
    # Requester types with a cancellation request still in progress on the line.
    pending: frozenset[str] = frozenset()
    # The offer's row id, which order lines showed before: old clients still send it.
    row_offer_id: str | None = None

    def sells(self, offer_id: str | None) -> bool:
        return offer_id is not None and offer_id in (self.offer_id, self.row_offer_id)


@dataclass(frozen=True)
class LineAsk:
    line_id: str
    offer_id: str | None
    reason: str
    shipping_cost_refund: bool


class CancellationRefused(Conflict):
    code = "CancellationRefused"


def context_status(order_status: str, line: LineState) -> str:
    """The status reasons are chosen by: the line's own, or the order's while a request is pending."""
    return order_status if line.status == CANCEL_REQUEST else line.status


def _blocking(requester: str, line: LineState) -> frozenset[str]:
    # A seller may grant what the customer asked for: the customer's pending request does not block it.
    return line.pending - {CUSTOMER} if requester == SELLER else line.pending


def _line_conflict(requester: str, line: LineState) -> str | None:
    if line.status == "Cancelled":
        return f"Line {line.line_id} is already cancelled."
    if _blocking(requester, line) or (line.status == CANCEL_REQUEST and not line.pending):
        return f"A cancellation of line {line.line_id} is already requested."
    if line.status not in CANCELLABLE[requester] | {CANCEL_REQUEST}:
        return f"Line {line.line_id} is {line.status}: it cannot be cancelled."
    if requester == SELLER and line.supply_mode != "Seller" and line.status not in AFTER_SHIPMENT:
        return (
            f"Line {line.line_id} is prepared by the warehouse ({line.supply_mode}): "
            "it can be cancelled only once Shipped or Delivered."
        )
    return None


def _check_order(order_status: str, requester: str) -> None:
    allowed = ORDER_CANCELLABLE if requester == SELLER else BEFORE_SHIPMENT
    if order_status not in allowed:
        raise CancellationRefused(f"The order is {order_status}: it cannot be cancelled.")


def _reason_problem(reason: str, channel_id: str, requester: str, status: str) -> str | None:
    valid = [r.code for r in reasons_for(channel_id, requester, status)]
    if reason in valid:
        return None
    if not valid:
        return f"No {requester} cancellation reason applies to a {status} line on {channel_id}."
    context = f"{requester}, {status}, {channel_id}"
    return f"{reason!r} is not a valid reason here ({context}): use {', '.join(valid)}."


def plan_whole(
    *,
    order_status: str,
    channel_id: str,
    requester: str,
    lines: Sequence[LineState],
    reason: str,
    shipping_cost_refund: bool,
) -> list[LineAsk]:
    """Every line of the order, with one reason valid for each line's status; refused once any line
    is cancelled or being cancelled."""
    _check_order(order_status, requester)
    touched = [line.line_id for line in lines if line.status == "Cancelled" or _blocking(requester, line)]
    if touched:
        raise CancellationRefused(
            f"Lines {', '.join(touched)} are already cancelled or being cancelled: "
            "cancel the remaining lines with a partial cancellation request."
        )
    for line in lines:
        conflict = _line_conflict(requester, line)
        if conflict:
            raise CancellationRefused(conflict)
    for status in dict.fromkeys(context_status(order_status, line) for line in lines):
        problem = _reason_problem(reason, channel_id, requester, status)
        if problem:
            raise ValidationFailed.field("reason", problem)
    return [LineAsk(line.line_id, line.offer_id, reason, shipping_cost_refund) for line in lines]


def check_lines(
    *,
    order_status: str,
    channel_id: str,
    line_level: bool,
    requester: str,
    lines: Sequence[LineState],
    asks: Sequence[LineAsk],
) -> None:
    """Some lines, each with its offer and reason: field errors first (400), then state conflicts (409),
    then reasons (400), so that re-sending an accepted request answers 409 as documented."""
    by_id = {line.line_id: line for line in lines}
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for i, ask in enumerate(asks):
        line = by_id.get(ask.line_id)
        if line is None:
            errors[f"lines[{i}].lineId"] = [f"The order has no line {ask.line_id}."]
        elif ask.line_id in seen:
            errors[f"lines[{i}].lineId"] = [f"Line {ask.line_id} is named twice."]
        elif requester == SELLER and not line.sells(ask.offer_id):
            errors[f"lines[{i}].offerId"] = [
                f"offerId must be the offer sold on line {ask.line_id} ({line.offer_id})."
            ]
        seen.add(ask.line_id)
    if errors:
        raise ValidationFailed("The cancellation request is not valid.", errors=errors)
    _check_order(order_status, requester)
    if not line_level and seen != set(by_id):
        raise CancellationRefused(
            f"{channel_id} does not manage orders by line: cancel the whole order "
            "(POST /order-cancellation-requests)."
        )
    for ask in asks:
        conflict = _line_conflict(requester, by_id[ask.line_id])
        if conflict:
            raise CancellationRefused(conflict)
    for i, ask in enumerate(asks):
        status = context_status(order_status, by_id[ask.line_id])
        problem = _reason_problem(ask.reason, channel_id, requester, status)
        if problem:
            errors[f"lines[{i}].reason"] = [problem]
    if errors:
        raise ValidationFailed("The cancellation reason is not valid.", errors=errors)


# --- outcome --------------------------------------------------------------------------------------

IN_PROGRESS, ACCEPTED, REFUSED, PARTIALLY_ACCEPTED = "InProgress", "Accepted", "Refused", "PartiallyAccepted"
# A line that will not reach the customer any more: a pending request on it is met.
NOT_DELIVERABLE = frozenset({"Cancelled", "Refused", "Rejected"})


def grant_outcome(line_status: str) -> str:
    """What granting a request does to a line: `cancel` it, find it already `met`, or find it `shipped`
    meanwhile (the seller may ship a line the customer asked to cancel, spec 12.7). A refund request on a
    shipped line keeps it CancelRequest until granted, so only such lines are Shipped here."""
    if line_status in NOT_DELIVERABLE:
        return "met"
    if line_status in BEFORE_SHIPMENT or line_status == CANCEL_REQUEST:
        return "cancel"
    return "shipped"


def restored_status(previous_status: str, order_status: str) -> str:
    """A refused request gives the line back its status, which delivery may have moved meanwhile."""
    return "Delivered" if previous_status == "Shipped" and order_status == "Delivered" else previous_status


def request_status(line_statuses: Iterable[str]) -> str:
    statuses = set(line_statuses)
    if IN_PROGRESS in statuses:
        return IN_PROGRESS
    if statuses == {ACCEPTED}:
        return ACCEPTED
    if statuses == {REFUSED}:
        return REFUSED
    return PARTIALLY_ACCEPTED


@dataclass(frozen=True)
class Refund:
    product: Decimal
    shipping: Decimal

    @property
    def total(self) -> Decimal:
        return self.product + self.shipping


def refund(
    *, unit_price: Decimal, quantity: int, shipping_cost: Decimal, shipping_cost_refund: bool
) -> Refund:
    return Refund(
        money(unit_price * quantity), money(shipping_cost) if shipping_cost_refund else Decimal("0.00")
    )
