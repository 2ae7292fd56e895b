"""Wire models of cancellation reasons and requests (spec 12.8 to 12.11)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from comptoir.api.wire import Wire

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
ReasonCode = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Message = Annotated[str, msgspec.Meta(max_length=300)]


class ErrorOut(Wire):
    """Why a request line or a commercial gesture was refused."""

    code: str
    message: str


class ReasonOut(Wire):
    code: str
    label: str


class CancellationIn(Wire):
    """Documented `orderSellerId`; one SDK sends `orderId`."""

    reason: ReasonCode
    order_seller_id: Id | None = None
    order_id: Id | None = None
    shipping_cost_refund: bool = False


class PartialLineIn(Wire):
    line_id: Id
    # Clients send the offer id as a string (documented) or as the number it is.
    offer_id: Id | int | None = None
    reason: ReasonCode | None = None
    shipping_cost_refund: bool | None = None


class PartialCancellationIn(Wire):
    """Each line carries its reason and refund choice; top-level `reason`/`shippingCostRefund` are
    defaults for the lines that leave them out."""

    lines: Annotated[list[PartialLineIn], msgspec.Meta(min_length=1, max_length=100)]
    order_seller_id: Id | None = None
    order_id: Id | None = None
    reason: ReasonCode | None = None
    shipping_cost_refund: bool = False


class RefundOut(Wire):
    product_amount: float
    shipping_amount: float
    total_amount: float
    currency_code: str


class CancellationLineOut(Wire):
    line_id: str
    offer_id: str | None
    reason: str
    shipping_cost_refund: bool
    status: str
    refund: RefundOut | None
    error: ErrorOut | None


class CancellationRequestOut(Wire):
    """The id under every name clients read it from (spec 21)."""

    cancellation_request_id: str
    request_id: str
    partial_cancellation_request_id: str | None
    order_seller_id: str
    sales_channel: str
    cancellation_type: str
    status: str
    requester_type: str
    requester_id: str
    reason: str | None
    shipping_cost_refund: bool
    created_at: str
    updated_at: str
    lines: list[CancellationLineOut]


class CustomerCancellationIn(Wire):
    """A customer asks the marketplace to cancel the order, or the lines named."""

    reason: ReasonCode
    line_ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=100)] | None = None
    shipping_cost_refund: bool = True


class CancellationDecisionIn(Wire):
    decision: Annotated[str, msgspec.Meta(pattern=r"^(Accepted|Refused)$")]
    message: Message | None = None
