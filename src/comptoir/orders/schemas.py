from __future__ import annotations

from typing import Annotated

import msgspec

from comptoir.api.wire import Wire

Text50 = Annotated[str, msgspec.Meta(max_length=50)]
Text100 = Annotated[str, msgspec.Meta(max_length=100)]
Text200 = Annotated[str, msgspec.Meta(max_length=200)]


class AddressIn(Wire):
    first_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    last_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    address_line1: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    postal_code: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    city: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    country_code: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$")]
    civility: Annotated[str, msgspec.Meta(max_length=10)] | None = None
    company_name: Text100 | None = None
    company_vat_number: Annotated[str, msgspec.Meta(max_length=30)] | None = None
    address_line2: Text200 | None = None
    address_line3: Text200 | None = None
    state_or_region: Text100 | None = None
    phone: Annotated[str, msgspec.Meta(max_length=30)] | None = None
    email: Text200 | None = None


class CustomerIn(Wire):
    reference: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class PaymentIn(Wire):
    method: Annotated[str, msgspec.Meta(pattern=r"^(Card|PayPal|BankTransfer|Installments|GiftCard|Other)$")]


class OrderLineIn(Wire):
    quantity: Annotated[int, msgspec.Meta(ge=1, le=999)]
    seller_id: Annotated[str, msgspec.Meta(min_length=1, max_length=20)] | None = None
    seller_external_reference: Annotated[str, msgspec.Meta(min_length=1, max_length=50)] | None = None
    offer_id: int | str | None = None
    # Fulfillment: the offer's stock sits in a warehouse, which ships the line.
    supply_mode: Annotated[str, msgspec.Meta(pattern=r"^(Seller|Fulfillment|Xdock)$")] = "Seller"


class OrderIn(Wire):
    sales_channel_id: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    customer: CustomerIn
    shipping_address: AddressIn
    lines: Annotated[list[OrderLineIn], msgspec.Meta(min_length=1, max_length=50)]
    billing_address: AddressIn | None = None
    payment: PaymentIn | None = None
    business_order: bool = False
    delivery_mode: Annotated[str, msgspec.Meta(min_length=1, max_length=20)] | None = None
    reference: Text100 | None = None


class ApprovalIn(Wire):
    """Clients send `approval_status` (most), `approvalStatus` or `status`."""

    approval_status: str | None = msgspec.field(default=None, name="approval_status")
    approval_status_camel: str | None = msgspec.field(default=None, name="approvalStatus")
    status: str | None = None

    @property
    def value(self) -> str | None:
        return self.approval_status or self.approval_status_camel or self.status


class ParcelIn(Wire):
    parcel_number: str = ""
    carrier_name: str = ""
    tracking_url: str | None = None
    order_line_ids: list[str] | None = None


class OperatorCancellationIn(Wire):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] = "customer-service"
    # Lines to cancel; the whole order when omitted.
    line_ids: list[str] | None = None


class WarehouseShipmentIn(Wire):
    parcel_number: str
    carrier_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
