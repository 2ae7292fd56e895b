"""Wire models of returns (spec 15.5)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from comptoir.api.wire import Wire
from comptoir.fulfillment.outbound.schemas import Condition, Id, ProductId, ProductReference, Quantity

Comment = Annotated[str, msgspec.Meta(max_length=500)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
LineNumber = Annotated[int, msgspec.Meta(ge=1, le=1000)]
Count = Annotated[int, msgspec.Meta(ge=0, le=100_000)]


class ReturnLineIn(Wire):
    """`sellerProductReference`, or `productId` with `productCondition` (the reference wins)."""

    quantity: Quantity
    seller_product_reference: ProductReference | None = None
    product_id: ProductId | None = None
    product_condition: Condition | None = None


class ReturnIn(Wire):
    """A customer return on a shipped outbound shipment, named by `outboundShipmentId` or by its
    seller `reference`, or on the Fulfillment lines of a marketplace order (`orderSellerId`, or
    `orderId`). `reason`: Retraction, Damaged, ReferenceError, TransportDamage, ... (any casing)."""

    reason: Reason
    lines: Annotated[list[ReturnLineIn], msgspec.Meta(min_length=1, max_length=100)]
    outbound_shipment_id: Id | None = None
    reference: Id | None = None
    order_seller_id: Id | None = None
    order_id: Id | None = None
    comment: Comment | None = None


class ReturnLineOut(Wire):
    line_number: int
    seller_product_reference: str
    product_id: str
    product_condition: str
    declared_quantity: int
    # Null until the warehouse received the parcel, then inspected it.
    received_quantity: int | None
    restocked_quantity: int | None
    blocked_quantity: int | None


class ReturnOut(Wire):
    return_id: str
    type: str
    status: str
    reason: str
    recommended_return_reason: str | None
    comment: str | None
    warehouse_comment: str | None
    outbound_shipment_id: str | None
    # The marketplace order it takes back from, for an order's Fulfillment lines.
    order_seller_id: str | None
    reference: str
    storage_country: str
    parcel_id: str
    receipt_date: str | None
    created_at: str
    updated_at: str
    lines: list[ReturnLineOut]
    has_label: bool
    # Relative to the API base, as `Content-Location` names resources; null without a label.
    label_url: str | None


class CarrierReturnIn(Wire):
    """The carrier brought a shipment (or a marketplace order's parcel) back: every shipped unit
    unless `lines` say otherwise."""

    outbound_shipment_id: Id | None = None
    order_seller_id: Id | None = None
    parcel_id: Annotated[str, msgspec.Meta(min_length=1, max_length=50)] | None = None
    reason: Reason | None = None
    lines: Annotated[list[ReturnLineIn], msgspec.Meta(min_length=1, max_length=100)] | None = None
    comment: Comment | None = None


class ReceivedLineIn(Wire):
    line_number: LineNumber
    received_quantity: Count


class ReceptionIn(Wire):
    """Units counted per line (lines left out: none came back), into the Return bucket."""

    lines: Annotated[list[ReceivedLineIn], msgspec.Meta(max_length=1000)]
    warehouse_comment: Comment | None = None


class InspectedLineIn(Wire):
    line_number: LineNumber
    blocked_quantity: Count


class InspectionIn(Wire):
    """Units found unfit per line go to Blocked, the rest of what was received back to Available."""

    lines: Annotated[list[InspectedLineIn], msgspec.Meta(max_length=1000)] = []
    recommended_return_reason: Reason | None = None
    warehouse_comment: Comment | None = None
