"""Wire models of logistic referencing, stocks, storage countries and stock adjustments (spec 15.1,
15.3)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from comptoir.api.wire import Wire

Reference = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Condition = Annotated[str, msgspec.Meta(max_length=20)]
Country = Annotated[str, msgspec.Meta(max_length=30)]


class FulfillmentProductIn(Wire):
    """One product to store (spec 15.1). Every field is optional here so that a missing or mistyped
    one refuses that item alone, in its result; `gtin` and `sellerProductReference` are required."""

    gtin: str | None = None
    label: str | None = None
    seller_id: int | str | None = None
    seller_product_reference: str | None = None
    product_condition: str | None = None
    dimension_minimum: Decimal | None = None
    dimension_medium: Decimal | None = None
    dimension_maximum: Decimal | None = None
    weight: Decimal | None = None
    category_un: str | None = None
    category_icpe: str | None = None
    has_expiration_date: bool | None = None
    traceability: str | None = None
    customs_reference: str | None = None
    product_value: Decimal | None = None
    origin_country_code: str | None = None
    language: str | None = None


class ItemErrorOut(Wire):
    code: str
    field: str
    message: str


class ReferencingResultOut(Wire):
    """What became of one item of `POST /fulfillment-products`: `Created`, `Updated` (the same
    reference, GTIN and condition sent again: its logistic data replaced) or `Refused` with `errors`."""

    index: int
    status: str
    seller_product_reference: str | None
    gtin: str | None
    product_condition: str | None
    product_id: str | None
    errors: list[ItemErrorOut]


class SellerReferenceIn(Wire):
    """Adds the seller's reference to an existing catalogue product: `productCondition` is New when
    not given."""

    seller_product_reference: Reference
    product_condition: Condition | None = None


class FulfillmentProductOut(Wire):
    seller_product_reference: str
    product_id: str
    gtin: str
    product_condition: str
    label: str
    dimension_minimum: float | None
    dimension_medium: float | None
    dimension_maximum: float | None
    weight: float | None
    category_un: str | None
    category_icpe: str | None
    has_expiration_date: bool
    traceability: str | None
    customs_reference: str | None
    product_value: float | None
    origin_country_code: str | None
    language: str | None
    created_at: datetime
    updated_at: datetime


class StockSellerReferenceOut(Wire):
    """A referenced product: the seller's reference and the Octopia product id, without stock."""

    seller_product_reference: str
    product_id: str
    gtin: str
    product_condition: str
    label: str
    created_at: datetime
    updated_at: datetime


class QuantitiesOut(Wire, gc=False):
    """The quantity breakdown of spec 15.3 (on a movement: what it changed, by bucket)."""

    available: int
    allocated: int
    blocked: int
    litigation: int
    removal: int
    returned: int = msgspec.field(name="return")
    logistic_operations: int


class StockOut(Wire, gc=False):
    """One stock record: a product in one condition in one storage country."""

    id: str
    product_id: str
    product_state: str
    product_condition: str
    seller_product_reference: str | None
    gtin: str | None
    storage_country: str
    quantities: QuantitiesOut
    created_at: datetime
    updated_at: datetime


class LocalizationOut(Wire):
    """The same product and condition in one storage country."""

    stock_id: str
    storage_country: str
    quantities: QuantitiesOut
    updated_at: datetime


class MovementOut(Wire):
    """One ledger row: when, why, what caused it (`sourceType`: Inbound, Outbound, Order, Return,
    Adjustment; `sourceId` its id) and what it changed."""

    id: int
    at: datetime
    reason: str
    source_type: str | None
    source_id: str | None
    comment: str | None
    changes: QuantitiesOut


class StockDetailOut(StockOut):
    """`GET /stocks/{stockId}`: the record, the product's records in every storage country, and the
    record's movements, newest first."""

    localizations: list[LocalizationOut]
    movements: list[MovementOut]


class StorageCountriesIn(Wire):
    storage_countries: list[Country]


class StorageCountriesOut(Wire):
    seller_id: str
    storage_countries: list[str]


class StockAdjustmentIn(Wire):
    """An operator's adjustment of one stock record, named by `stockId`, or by `sellerId` with
    `sellerProductReference` (or `productId` and `productCondition`) and `storageCountry`.
    `Inventory` sets Available to `countedQuantity`; `Damage` moves `quantity` units from Available to
    Blocked, `Removal` from Available to Removal."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
    stock_id: Annotated[str, msgspec.Meta(max_length=36)] | None = None
    seller_id: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    seller_product_reference: Reference | None = None
    product_id: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    product_condition: Condition | None = None
    storage_country: Country | None = None
    quantity: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] | None = None
    counted_quantity: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] | None = None
    comment: Annotated[str, msgspec.Meta(max_length=300)] | None = None


class StockAdjustmentOut(Wire):
    stock: StockOut
    movement: MovementOut | None
