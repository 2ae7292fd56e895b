"""Wire models of outbound shipping orders and their cancellation requests (spec 15.4)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from comptoir.api.wire import Wire

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Optional = Annotated[str, msgspec.Meta(max_length=100)] | None
Reference = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
ProductReference = Annotated[str, msgspec.Meta(max_length=100)]
ProductId = Annotated[str, msgspec.Meta(max_length=20)]
Condition = Annotated[str, msgspec.Meta(max_length=20)]
Quantity = Annotated[int, msgspec.Meta(ge=1, le=100_000)]


class AddressIn(Wire):
    first_name: Text
    last_name: Text
    address_line1: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    postal_code: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    city: Text
    country_code: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z]{2}$")]
    company_name: Optional = None
    address_line2: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    address_line3: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    phone: Annotated[str, msgspec.Meta(max_length=30)] | None = None
    email: Optional = None


class ItemIn(Wire):
    """`sellerProductReference`, or `productId` with `productCondition`; the reference wins when both
    are given."""

    quantity: Quantity
    seller_product_reference: ProductReference | None = None
    product_id: ProductId | None = None
    product_condition: Condition | None = None


class OutboundShipmentIn(Wire):
    """`deliveryMode`: Standard, Express or Relay (any casing). `storageCountry` (FR, ES, UK, or a
    country name): the warehouse to ship from; without it, the delivery country's warehouse if it
    holds every item, then the other countries open to the seller."""

    reference: Reference
    delivery_address: AddressIn
    delivery_mode: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    items: Annotated[list[ItemIn], msgspec.Meta(min_length=1, max_length=100)]
    storage_country: Annotated[str, msgspec.Meta(max_length=30)] | None = None


class OutboundShipmentCreatedOut(Wire):
    outbound_shipment_id: str


class ItemOut(Wire):
    seller_product_reference: str | None
    product_id: str | None
    product_condition: str | None
    quantity: int


class ParcelOut(Wire):
    parcel_id: str
    tracking_number: str
    tracking_url: str | None


class RejectionOut(Wire):
    code: str
    message: str
    # The item it is about (0-based), when it is about one.
    item_index: int | None


class OutboundShipmentOut(Wire):
    outbound_shipment_id: str
    reference: str
    status: str
    # Pending until the warehouse checked it, then Valid or Invalid (rejected).
    state: str
    delivery_mode: str
    storage_country: str | None
    delivery_address: AddressIn
    items: list[ItemOut]
    carrier: str | None
    parcels: list[ParcelOut]
    rejection_reasons: list[RejectionOut]
    created_at: str
    status_updated_at: str
    shipped_at: str | None


class CancellationIn(Wire):
    outbound_shipment_id: Id
    reason: Annotated[str, msgspec.Meta(max_length=300)] | None = None


class CancellationOut(Wire):
    cancellation_request_id: str
    outbound_shipment_id: str
    # Accepted: the shipment is Cancelled; a request after shipment is refused with a 409.
    status: str
    reason: str | None
    # What the shipment was when cancelled; Accepted and InPreparation released their units.
    previous_status: str
    created_at: str


class ParcelIn(Wire):
    tracking_number: Annotated[str, msgspec.Meta(pattern=r"^[^\s]{1,50}$")]
    tracking_url: Annotated[str, msgspec.Meta(max_length=255, pattern=r"^https?://\S+$")] | None = None


class WarehouseShipmentIn(Wire):
    """The warehouse hands the shipment to `carrier`, in one or more parcels."""

    carrier: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
    parcels: Annotated[list[ParcelIn], msgspec.Meta(min_length=1, max_length=20)]
