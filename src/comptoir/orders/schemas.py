"""Order wire models: what the marketplace and sellers send, and the order resource of spec 12.2."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from comptoir.api.wire import Wire

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


# --- the order resource (spec 12.2), the same for lists, single reads and the operator routes -------


class AddressOut(Wire):
    """As the customer gave it. Stored as sent: a field missing from the stored address (one loaded
    straight into the table) stays absent instead of showing null."""

    first_name: str
    last_name: str
    address_line1: str
    postal_code: str
    city: str
    country_code: str
    civility: str | None | UnsetType = UNSET
    company_name: str | None | UnsetType = UNSET
    company_vat_number: str | None | UnsetType = UNSET
    address_line2: str | None | UnsetType = UNSET
    address_line3: str | None | UnsetType = UNSET
    state_or_region: str | None | UnsetType = UNSET
    phone: str | None | UnsetType = UNSET
    email: str | None | UnsetType = UNSET


class TotalPriceOut(Wire):
    offer_price: float
    selling_price: float


class TaxOut(Wire):
    code: str
    rate: float
    # Not calculated: the order API is no billing source (spec 12.2).
    amount: float


class CommissionOut(Wire):
    amount_with_vat: float
    amount_without_vat: float
    rate: float  # percent


class SellingPriceOut(Wire):
    """What the customer paid, after promotions."""

    unit_sales_price: float
    shipping_cost: float
    taxes: list[TaxOut]


class OfferPriceOut(SellingPriceOut):
    """The seller's price, and the channel's commission on what was paid."""

    commission: CommissionOut


class LineOfferOut(Wire):
    id: str | None
    seller_product_id: str | None
    supply_mode: str
    product_id: str | None
    product_title: str | None
    condition: str | None
    product_gtin: str | None


class DeliveryOut(Wire):
    # The delivery-mode code (TRK, STD, THD...) on every channel, as spec 12.2 has it; null while the
    # marketplace controls have not chosen the mode.
    mode: str | None
    # The channel's name for the mode ("Envoi Suivi"); null when the channel declares no such mode.
    mode_label: str | None
    code: str | None  # the same code, where earlier versions put it
    promised_at_min: str | None
    promised_at_max: str | None
    shipped_at_max: str | None


class ParcelOut(Wire):
    parcel_number: str
    carrier_name: str
    tracking_url: str | None
    shipped_at: str


class OrderLineOut(Wire):
    order_line_id: str
    status: str
    quantity: int
    supply_mode: str
    total_price: TotalPriceOut
    offer_price: OfferPriceOut
    selling_price: SellingPriceOut
    offer: LineOfferOut
    delivery: DeliveryOut
    # On the line, not the order; null while hidden from the seller.
    shipping_address: AddressOut | None
    parcels: list[ParcelOut]


class SalesChannelRef(Wire):
    id: str
    name: str


class SellerRef(Wire):
    id: str


class CustomerRef(Wire):
    reference: str


class PaymentOut(Wire):
    method: str


class ServiceFeeOut(Wire):
    """A fee charged to the customer and deducted from the payout; comptoir charges none."""

    type: str
    amount: float


class StatusEventOut(Wire):
    status: str
    line_id: str | None  # null: the order itself
    actor: str
    reason: str | None
    occurred_at: str


class RejectionReasonOut(Wire):
    """Why the marketplace controls rejected the order."""

    line_id: str
    code: str
    message: str


class OrderOut(Wire):
    order_id: str
    reference: str | None
    business_order: bool
    sales_channel: SalesChannelRef
    seller: SellerRef
    customer: CustomerRef
    purchased_at: str
    created_at: str
    updated_at: str
    shipped_at_max: str | None
    acceptance_deadline: str | None
    status: str
    supply_mode: str
    payment: PaymentOut
    currency_code: str
    billing_address: AddressOut
    total_price: TotalPriceOut
    service_fees: list[ServiceFeeOut]
    status_events: list[StatusEventOut]
    rejection_reasons: list[RejectionReasonOut]
    lines: list[OrderLineOut]
