"""Wire models of inbound shipments (spec 15.2) and of their reception by the warehouse."""

from __future__ import annotations

from typing import Annotated

import msgspec

from comptoir.api.wire import Wire
from comptoir.fulfillment.inbound.domain import InboundStatus

Reference = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Quantity = Annotated[int, msgspec.Meta(ge=1, le=100_000)]
Counted = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
MAX_LINES = 500


class InboundLineIn(Wire):
    """`sellerProductReference`, or `productId` with `productCondition`; the reference wins when both
    are given."""

    quantity: Quantity
    seller_product_reference: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    product_id: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    product_condition: Annotated[str, msgspec.Meta(max_length=20)] | None = None


class InboundShipmentIn(Wire):
    """`storageCountry`: FR, ES or UK, or the country's name (`France`, `Spain`), any casing; one
    the operator opened to the seller, which the warehouse checks with the lines' products."""

    reference: Reference
    storage_country: Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
    lines: Annotated[list[InboundLineIn], msgspec.Meta(min_length=1, max_length=MAX_LINES)]


class InboundShipmentCreatedOut(Wire):
    inbound_shipment_id: str


class InboundLineOut(Wire):
    line_number: int
    seller_product_reference: str | None
    product_id: str | None
    product_condition: str | None
    label: str | None
    # Announced; then counted by the warehouse (damaged units included), and the difference.
    quantity: int
    received_quantity: int
    damaged_quantity: int
    discrepancy_quantity: int


class RefusalOut(Wire):
    code: str
    message: str
    line_number: int | None


class WarehouseOut(Wire):
    name: str
    address_lines: list[str]
    country_code: str


class InboundShipmentOut(Wire):
    inbound_shipment_id: str
    reference: str
    # Issued on acceptance; the delivery note prints it with its barcode.
    code: str | None
    storage_country: str
    status: InboundStatus
    delivery_note_available: bool
    warehouse: WarehouseOut
    lines: list[InboundLineOut]
    refusal_reasons: list[RefusalOut]
    created_at: str
    status_updated_at: str
    accepted_at: str | None
    in_transit_at: str | None
    reception_started_at: str | None
    received_at: str | None


class CountIn(Wire):
    """Units of line `lineNumber` counted in this pass, damaged ones included in `receivedQuantity`."""

    line_number: Annotated[int, msgspec.Meta(ge=1, le=MAX_LINES)]
    received_quantity: Counted
    damaged_quantity: Counted = 0


class ReceptionIn(Wire):
    """A pass of counting: lines not named counted nothing in it. `complete` closes the count
    (Received, or ReceivedWithDiscrepancies when a line differs from what was announced); without
    it the inbound stays ReceptionInProgress for the next pass."""

    lines: Annotated[list[CountIn], msgspec.Meta(max_length=MAX_LINES)]
    complete: bool = True
