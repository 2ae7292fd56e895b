"""Offer rules every use case shares (spec sections 9 to 11): package states, result codes, what an
offer's values are, when an offer is Active, and the price customers see.

Pure: no database, no HTTP. Offer requests are checked in `offer_requests`, competition is judged in
`competition`. Values are msgspec structs, cheap to build and untracked by the garbage collector
(they hold no cycles): a package makes tens of thousands of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import msgspec

from comptoir.errors import Conflict, ValidationFailed
from comptoir.platform.money import CENT, money

CDISCOUNT = "CDISFR"
CDISCOUNT_LANGUAGE = "fr-FR"

MAX_REQUESTS_PER_UPLOAD = 100
MAX_REQUESTS_PER_PACKAGE = 50_000
MAX_XML_OFFERS = 40_000
RESULT_RETENTION_DAYS = 3

# --- package states -------------------------------------------------------------------------------


class PackageState(StrEnum):
    WAITING_FOR_COMPLETION = "WaitingForCompletion"
    READY = "Ready"
    INTEGRATION_PENDING = "IntegrationPending"
    INTEGRATED = "Integrated"
    REJECTED = "Rejected"


PACKAGE_STATES = tuple(s.value for s in PackageState)
PACKAGE_TYPES = ("Upsert", "Update", "Delete")

TRANSITIONS: dict[PackageState, frozenset[PackageState]] = {
    PackageState.WAITING_FOR_COMPLETION: frozenset({PackageState.READY}),
    PackageState.READY: frozenset({PackageState.INTEGRATION_PENDING, PackageState.REJECTED}),
    PackageState.INTEGRATION_PENDING: frozenset({PackageState.INTEGRATED, PackageState.REJECTED}),
    PackageState.INTEGRATED: frozenset(),
    PackageState.REJECTED: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return PackageState(target) in TRANSITIONS[PackageState(current)]


def transition(current: str, target: str) -> str:
    if not can_transition(current, target):
        raise Conflict(f"The package is {current}; it cannot become {target}.")
    return target


def package_key(text: str) -> int:
    """Package ids are 32-bit integers; any other text matches no package (-1)."""
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        return -1
    value = int(text)
    return value if value < 2**31 else -1


def check_uploadable(state: str) -> None:
    if state != PackageState.WAITING_FOR_COMPLETION:
        raise Conflict(
            f"The package is {state}: offer requests are only accepted while it is WaitingForCompletion."
        )


def check_ready_request(current: str, requested: str) -> str:
    """The only state a seller may ask for is Ready, once, from WaitingForCompletion."""
    if requested != PackageState.READY:
        raise ValidationFailed.field(
            "state", "state must be Ready (case-sensitive): only Ready can be requested."
        )
    return transition(current, requested)


def check_upload_size(already: int, adding: int) -> None:
    if not 1 <= adding <= MAX_REQUESTS_PER_UPLOAD:
        raise ValidationFailed.field(
            "body", f"Send between 1 and {MAX_REQUESTS_PER_UPLOAD} offer requests per call; got {adding}."
        )
    if already + adding > MAX_REQUESTS_PER_PACKAGE:
        raise ValidationFailed.field(
            "body",
            f"A package holds at most {MAX_REQUESTS_PER_PACKAGE} offer requests; "
            f"it has {already} and this call adds {adding}.",
        )


# --- result codes ---------------------------------------------------------------------------------


class Code:
    """Stable result codes of offer requests and packages. 8000 and 4001 are the ones clients know."""

    CREATED = "8000"
    UPDATED = "8001"
    DELETED = "8002"
    # Integrated, but a Fulfillment offer's quantity is what the warehouses hold: the one sent is not applied.
    QUANTITY_FROM_WAREHOUSE = "8003"
    UNKNOWN_PRODUCT = "4001"
    INVALID_REFERENCE = "4100"
    INVALID_GTIN = "4101"
    MISSING_FIELD = "4102"
    INVALID_CONDITION = "4103"
    INVALID_PRICE = "4104"
    INVALID_TAXES = "4105"
    INVALID_QUANTITY = "4106"
    INVALID_DELIVERY_MODE = "4107"
    INVALID_PREPARATION_TIME = "4108"
    OFFER_NOT_FOUND = "4109"
    IDENTITY_CHANGED = "4110"
    PRODUCT_CONDITION_TAKEN = "4111"
    PRODUCT_MISMATCH = "4112"
    PRODUCT_NOT_ON_CHANNEL = "4113"
    INVALID_DISCOUNT = "4114"
    DISCOUNT_NOT_ALLOWED = "4115"
    INVALID_PRICE_ALIGNMENT = "4116"
    INVALID_PACKAGING = "4117"
    INVALID_CURRENCY = "4118"
    DUPLICATED = "4200"
    # Package level
    NOT_SUBSCRIBED = "2390"
    CHANNEL_INACTIVE = "2391"


class Problem(msgspec.Struct, frozen=True, gc=False):
    """A result of an offer request: its code, and its message as a key of `offers.messages` with the
    arguments of its text, which is written in the reader's language when results are read."""

    code: str
    key: str
    args: tuple[tuple[str, str], ...] = ()


def problem(code: str, key: str, **args: object) -> Problem:
    return Problem(code, key, tuple((name, str(value)) for name, value in args.items()))


# --- offer values ---------------------------------------------------------------------------------

TAX_VAT, TAX_ECO, TAX_DEA = "VAT", "EcoTax", "DeaTax"


class DeliveryMode(msgspec.Struct, frozen=True, gc=False):
    code: str
    cost: Decimal
    additional_cost: Decimal


class Discount(msgspec.Struct, frozen=True, gc=False):
    type: str
    unit: str
    value: Decimal
    start: datetime | None = None
    end: datetime | None = None
    sales_reference_price: Decimal | None = None


# Offer values by column name; a request sets a subset of them.
OFFER_FIELDS = (
    "price",
    "origin_price",
    "vat_rate",
    "eco_tax",
    "dea_tax",
    "quantity",
    "preparation_time",
    "delivery_modes",
    "price_must_be_aligned",
    "minimum_price_for_alignment",
    "packaging_unit",
    "packaging_value",
    "discounts",
)


def offer_id(seller_id: str, product_reference: str, condition: str, channel_id: str) -> str:
    """The composite offer id of the spec: seller, product, condition and channel."""
    return f"{seller_id}_{product_reference}_{condition}_{channel_id}"


@dataclass(frozen=True, slots=True)
class CompositeOfferId:
    seller_id: str
    product_reference: str
    condition: str
    channel_id: str


# Offer row ids are 32-bit integers on PostgreSQL: a larger number names no offer (and must not reach SQL).
MAX_ROW_ID = 2**31 - 1


def split_offer_id(text: str, channel_ids: Iterable[str]) -> CompositeOfferId | None:
    """The parts of a composite offer id on one of the channels; None when it is not one.

    Channel ids may hold underscores (ALLEGRO_DE), so the channel is found among the known ones, the
    longest first; product references and conditions hold none, so they are read from the right.
    """
    text = text.strip()
    for channel_id in sorted(channel_ids, key=len, reverse=True):
        if text.endswith(f"_{channel_id}"):
            rest, _, condition = text[: -len(channel_id) - 1].rpartition("_")
            seller_id, _, product_reference = rest.rpartition("_")
            if seller_id and product_reference and condition:
                return CompositeOfferId(seller_id, product_reference, condition, channel_id)
    return None


def offer_row_id(text: str) -> int | None:
    """The offer's row id, the numeric form order lines showed before the composite id, or None.
    Digits only, it is never mistaken for a composite id, which always holds underscores."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_ROW_ID else None


def read_offer_ids(
    texts: Iterable[str], seller_id: str, channel_ids: Iterable[str]
) -> tuple[dict[int, str], dict[CompositeOfferId, str]]:
    """The ids a client sent that can name one of the seller's offers on the channels, by form: row
    ids and composite ids, each with the text it was read from. Any other text names no offer."""
    channels = list(channel_ids)
    rows: dict[int, str] = {}
    composite: dict[CompositeOfferId, str] = {}
    for text in texts:
        row = offer_row_id(text)
        if row is not None:
            rows[row] = text
            continue
        parts = split_offer_id(text, channels)
        if parts is not None and parts.seller_id == seller_id:
            composite[parts] = text
    return rows, composite


def offer_state(values: Mapping[str, Any], condition: str | None) -> str:
    """Active only when stock, price, taxes, condition and delivery are all there and stock is above 0."""
    quantity = values.get("quantity")
    complete = (
        values.get("price") is not None
        and values.get("vat_rate") is not None
        and bool(condition)
        and bool(values.get("delivery_modes"))
    )
    return "Active" if complete and quantity is not None and quantity > 0 else "Inactive"


def facial_price(price: Decimal, discounts: Sequence[Discount], at: datetime, *, cdiscount: bool) -> Decimal:
    """The price shown on the channel: the seller's price less a running commercial operation (Cdiscount)."""
    best = price
    if cdiscount:
        for d in discounts:
            if (d.start is None or d.start <= at) and (d.end is None or at < d.end):
                cut = d.value if d.unit == "Amount" else price * d.value / 100
                best = min(best, price - cut)
    return max(money(best), CENT)
