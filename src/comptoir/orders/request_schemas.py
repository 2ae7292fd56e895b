"""Wire models of cancellations, commercial gestures and order invoices (spec 12.8 to 12.13)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from comptoir.api.wire import Wire

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
ReasonCode = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Message = Annotated[str, msgspec.Meta(max_length=300)]

# --- cancellations --------------------------------------------------------------------------------


class ErrorOut(Wire):
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


# --- commercial gestures --------------------------------------------------------------------------


class GestureConfigurationOut(Wire):
    sales_channel_id: str
    allows_gesture: bool
    maximum_rate: float
    maximum_amount: float | None
    currency_code: str
    manual_review: bool


class GestureConfigurationIn(Wire):
    allows_gesture: bool
    maximum_rate: Annotated[float, msgspec.Meta(ge=0, le=100)]
    currency_code: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")]
    maximum_amount: Annotated[float, msgspec.Meta(gt=0)] | None = None
    manual_review: bool = False


class AvailableAmountsOut(Wire):
    order_id: str
    sales_channel_id: str
    allows_gesture: bool
    currency_code: str
    order_amount: float
    maximum_rate: float
    maximum_amount: float | None
    granted_amount: float
    pending_amount: float
    allowable_amount: float


class GestureIn(Wire):
    order_id: Id
    reason: Annotated[str, msgspec.Meta(max_length=20)]
    amount: float
    reason_details: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    currency_code: str | None = None
    currency: str | None = None


class GestureRequestOut(Wire):
    request_id: str
    order_id: str
    sales_channel_id: str
    status: str
    reason: str
    reason_details: str | None
    amount: float
    currency_code: str
    created_at: str
    updated_at: str
    errors: list[ErrorOut]


class GestureDecisionIn(Wire):
    decision: Annotated[str, msgspec.Meta(pattern=r"^(Done|Rejected)$")]
    message: Message | None = None


# --- order invoices -------------------------------------------------------------------------------


class InvoiceFileOut(Wire):
    file_name: str
    order_id: str | None
    status: str
    integration_status: str
    error_code: str | None
    error_message: str | None
    document_id: str | None


class InvoiceImportSummaryOut(Wire):
    import_id: str
    status: str
    order_id: str | None
    created_at: str
    updated_at: str
    file_count: int
    success_count: int
    failure_count: int


class InvoiceImportOut(InvoiceImportSummaryOut):
    """The report of one import, with its per-file results."""

    files: list[InvoiceFileOut]


class InvoiceDocumentOut(Wire):
    document_id: str
    order_id: str
    file_name: str
    format: str
    content_type: str
    size: int
    sha256: str
    import_id: str
    created_at: str
