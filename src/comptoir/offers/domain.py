"""Offer rules (spec sections 9 to 11): offer requests, Active/Inactive, package states, competition.

Pure: no database, no HTTP. Offer requests from JSON packages and from XML packages are both turned
into `OfferInput`, checked and normalized here into a `Change`, then merged into offer values.
Values are msgspec structs, cheap to build and untracked by the garbage collector (they hold no
cycles): a package makes tens of thousands of them, and collector passes over them cost more than
the checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum, StrEnum
from typing import Any

import msgspec

from comptoir.errors import Conflict, ValidationFailed

CDISCOUNT = "CDISFR"
CDISCOUNT_LANGUAGE = "fr-FR"

MAX_REQUESTS_PER_UPLOAD = 100
MAX_REQUESTS_PER_PACKAGE = 50_000
MAX_XML_OFFERS = 40_000
RESULT_RETENTION_DAYS = 3

MAX_AMOUNT = Decimal("1000000")
MAX_QUANTITY = 999_999
PREPARATION_DAYS = (1, 10)
MAX_PACKAGING_UNIT = 20
CENT = Decimal("0.01")

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
    code: str
    message: str


# --- offer requests -------------------------------------------------------------------------------


class Mode(Enum):
    UPSERT = "Upsert"  # JSON: create or replace; every offer field required
    FULL = "Full"  # XML: create or replace; only the product and the reference required
    UPDATE = "Update"  # JSON: change what is carried on an existing offer
    STOCK_AND_PRICE = "StockAndPrice"  # XML, Cdiscount: stock and price of an existing offer
    DELETE = "Delete"


MODE_OF_PACKAGE_TYPE = {"Upsert": Mode.UPSERT, "Update": Mode.UPDATE, "Delete": Mode.DELETE}
CREATING_MODES = frozenset({Mode.UPSERT, Mode.FULL})

CONDITIONS = ("New", "LikeNew", "VeryGoodState", "GoodState", "AverageState", "Refurbished")
# Matched case-insensitively (the field reference says so); XML packages also use the legacy numbers.
_CONDITIONS = {c.lower(): c for c in CONDITIONS} | {
    "1": "LikeNew",
    "2": "VeryGoodState",
    "3": "GoodState",
    "4": "AverageState",
    "5": "Refurbished",
    "6": "New",
}

_REFERENCE = re.compile(r"^[A-Za-z0-9{}@%;$=\[\]/,()'\"\\&!#^?_+:. -]{1,50}$")
_DIGITS = re.compile(r"^[0-9]+$")

TAX_VAT, TAX_ECO, TAX_DEA = "VAT", "EcoTax", "DeaTax"
_TAX_CODES = {"vat": TAX_VAT, "ecotax": TAX_ECO, "ecopart": TAX_ECO, "deatax": TAX_DEA}
_TAX_TYPES = {TAX_VAT: "rate", TAX_ECO: "amount", TAX_DEA: "amount"}

DISCOUNT_TYPES = ("Sales", "FlashSale")
DISCOUNT_UNITS = ("Amount", "Percentage")


class DeliveryMode(msgspec.Struct, frozen=True, gc=False):
    code: str
    cost: Decimal
    additional_cost: Decimal


class TaxInput(msgspec.Struct, frozen=True, gc=False):
    code: str
    value: Decimal
    type: str | None = None


class Discount(msgspec.Struct, frozen=True, gc=False):
    type: str
    unit: str
    value: Decimal
    start: datetime | None = None
    end: datetime | None = None
    sales_reference_price: Decimal | None = None


class OfferInput(msgspec.Struct, gc=False):
    """One offer request from either format; None means "not carried"."""

    reference: str
    gtin: str | None = None
    product_reference: str | None = None
    condition: str | None = None
    price: Decimal | None = None
    origin_price: Decimal | None = None
    currency: str | None = None
    taxes: list[TaxInput] | None = None
    quantity: int | None = None
    delivery_modes: list[DeliveryMode] | None = None
    preparation_time: int | None = None
    price_must_be_aligned: bool | None = None
    minimum_price_for_alignment: Decimal | None = None
    packaging_unit: str | None = None
    packaging_value: Decimal | None = None
    discounts: list[Discount] | None = None
    # Format errors found while reading the request (XML attributes that are not numbers...).
    problems: list[Problem] = []


class ChannelRules(msgspec.Struct, frozen=True, gc=False):
    channel_id: str
    currency: str
    seller_modes: frozenset[str]

    @property
    def is_cdiscount(self) -> bool:
        return self.channel_id == CDISCOUNT

    def gtin_problem(self, gtin: str) -> Problem | None:
        if self.is_cdiscount:
            if len(gtin) != 13 or not _DIGITS.match(gtin):
                return Problem(
                    Code.INVALID_GTIN, f"The GTIN {gtin!r} must be 13 digits on {self.channel_id}."
                )
        elif not 8 <= len(gtin) <= 14 or not _DIGITS.match(gtin):
            return Problem(Code.INVALID_GTIN, f"The GTIN {gtin!r} must be 8 to 14 digits.")
        return None


# Offer values by column name; a Change carries the subset its request sets.
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
_REPLACED_BY_FULL = tuple(f for f in OFFER_FIELDS if f != "quantity")


class Change(msgspec.Struct, gc=False):
    """A checked offer request: what it names and the offer values it sets."""

    reference: str
    gtin: str | None
    product_reference: str | None
    condition: str | None
    fields: dict[str, Any]


def parse_condition(text: str) -> str | None:
    return _CONDITIONS.get(text.strip().lower())


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _amount(
    value: Decimal, what: str, code: str, problems: list[Problem], *, positive: bool = False
) -> Decimal:
    if not value.is_finite() or value < 0 or (positive and value == 0) or value > MAX_AMOUNT:
        low = "above 0" if positive else "0 or more"
        problems.append(Problem(code, f"{what} must be {low} and at most {MAX_AMOUNT}."))
        return value
    return money(value)


def normalize_taxes(
    taxes: Sequence[TaxInput], *, require_vat: bool, problems: list[Problem]
) -> dict[str, Any]:
    """The whole tax list, as vat_rate (percent), eco_tax and dea_tax; codes match case-insensitively.

    Two conventions exist: `{code: VAT, value: 20}` and `{code: vat, type: Rate, value: 0.2}`; a VAT
    value strictly between 0 and 1 is read as a fraction, since no such percentage rate exists.
    """
    out: dict[str, Any] = {"vat_rate": None, "eco_tax": None, "dea_tax": None}
    seen: set[str] = set()
    for tax in taxes:
        code = _TAX_CODES.get(tax.code.strip().lower())
        if code is None:
            problems.append(
                Problem(Code.INVALID_TAXES, f"Unknown tax code {tax.code!r}: use VAT, EcoTax or DeaTax.")
            )
            continue
        if code in seen:
            problems.append(Problem(Code.INVALID_TAXES, f"The tax {code} is given twice."))
            continue
        seen.add(code)
        if tax.type is not None and tax.type.strip().lower() != _TAX_TYPES[code]:
            problems.append(
                Problem(
                    Code.INVALID_TAXES,
                    f"The tax {code} is a{'' if code == TAX_VAT else 'n'} "
                    f"{_TAX_TYPES[code].capitalize()}, not {tax.type!r}.",
                )
            )
            continue
        value = tax.value
        if code == TAX_VAT:
            if value.is_finite() and 0 < value < 1:
                value = value * 100
            if not value.is_finite() or not 0 <= value <= 100:
                problems.append(
                    Problem(Code.INVALID_TAXES, "The VAT rate must be between 0 and 100 percent.")
                )
                continue
            out["vat_rate"] = value.quantize(CENT, rounding=ROUND_HALF_UP)
        else:
            out["eco_tax" if code == TAX_ECO else "dea_tax"] = _amount(
                value, code, Code.INVALID_TAXES, problems
            )
    if require_vat and TAX_VAT not in seen:
        problems.append(Problem(Code.INVALID_TAXES, "The tax list must contain the VAT rate."))
    return out


def normalize_delivery_modes(
    modes: Sequence[DeliveryMode], rules: ChannelRules, problems: list[Problem]
) -> tuple[DeliveryMode, ...]:
    out = []
    seen: set[str] = set()
    for mode in modes:
        code = mode.code.strip().upper()
        if code not in rules.seller_modes:
            allowed = ", ".join(sorted(rules.seller_modes)) or "none"
            problems.append(
                Problem(
                    Code.INVALID_DELIVERY_MODE,
                    f"The delivery mode {mode.code!r} is not one of the seller's modes on "
                    f"{rules.channel_id} ({allowed}).",
                )
            )
            continue
        if code in seen:
            problems.append(Problem(Code.INVALID_DELIVERY_MODE, f"The delivery mode {code} is given twice."))
            continue
        seen.add(code)
        cost = _amount(mode.cost, f"The cost of {code}", Code.INVALID_DELIVERY_MODE, problems)
        extra = _amount(
            mode.additional_cost, f"The additional cost of {code}", Code.INVALID_DELIVERY_MODE, problems
        )
        out.append(DeliveryMode(code, cost, extra))
    return tuple(out)


def _missing(problems: list[Problem], name: str) -> None:
    problems.append(Problem(Code.MISSING_FIELD, f"{name} is required."))


def normalize(inp: OfferInput, mode: Mode, rules: ChannelRules) -> Change | list[Problem]:
    """Checks one offer request on its own (no lookups) and returns what it changes, or why not."""
    problems = list(inp.problems)
    if not _REFERENCE.match(inp.reference):
        problems.append(
            Problem(
                Code.INVALID_REFERENCE,
                "sellerExternalReference must be 1 to 50 letters, digits, spaces or "
                "{ } @ % ; $ = [ ] / , - ( ) ' \" \\ & ! # ^ ? _ + : . characters.",
            )
        )
    gtin = inp.gtin.strip() if inp.gtin else None
    product_reference = inp.product_reference.strip() if inp.product_reference else None
    if gtin:
        gtin_problem = rules.gtin_problem(gtin)
        if gtin_problem:
            problems.append(gtin_problem)
    if mode is Mode.DELETE:
        return problems or Change(inp.reference, gtin, product_reference, None, {})
    if mode is Mode.UPSERT and not gtin and not product_reference:
        _missing(problems, "product.gtin or product.reference")
    if mode is Mode.FULL and not gtin:
        _missing(problems, "ProductEan")

    condition = None
    if inp.condition is not None:
        condition = parse_condition(inp.condition)
        if condition is None:
            problems.append(
                Problem(
                    Code.INVALID_CONDITION,
                    f"Unknown condition {inp.condition!r}: use {', '.join(CONDITIONS)}.",
                )
            )
    elif mode is Mode.UPSERT:
        _missing(problems, "condition")
    elif mode is Mode.FULL:
        condition = "New"

    fields: dict[str, Any] = dict.fromkeys(_REPLACED_BY_FULL) if mode in CREATING_MODES else {}
    if inp.price is not None:
        fields["price"] = _amount(inp.price, "price", Code.INVALID_PRICE, problems, positive=True)
    elif mode is Mode.UPSERT:
        _missing(problems, "price.price")
    if inp.currency is not None and inp.currency.strip().upper() != rules.currency:
        problems.append(
            Problem(
                Code.INVALID_CURRENCY,
                f"Prices on {rules.channel_id} are in {rules.currency}, not {inp.currency}.",
            )
        )

    if mode is Mode.STOCK_AND_PRICE:
        if inp.quantity is not None:
            fields["quantity"] = _quantity(inp.quantity, problems)
        if inp.price is None and inp.quantity is None:
            _missing(problems, "Stock or Price")
        return problems or Change(inp.reference, gtin, product_reference, condition, fields)

    if inp.origin_price is not None:
        fields["origin_price"] = _amount(
            inp.origin_price, "originPrice", Code.INVALID_PRICE, problems, positive=True
        )
    if inp.taxes is not None:
        fields.update(normalize_taxes(inp.taxes, require_vat=mode is not Mode.FULL, problems=problems))
    elif mode is Mode.UPSERT:
        _missing(problems, "price.taxes")
    if inp.quantity is not None:
        fields["quantity"] = _quantity(inp.quantity, problems)
    elif mode is Mode.UPSERT:
        _missing(problems, "quantity")
    if inp.delivery_modes is not None:
        fields["delivery_modes"] = normalize_delivery_modes(inp.delivery_modes, rules, problems)
        if mode is Mode.UPSERT and not inp.delivery_modes:
            _missing(problems, "deliveryModes (at least one)")
    elif mode is Mode.UPSERT:
        _missing(problems, "deliveryModes")
    if inp.preparation_time is not None:
        low, high = PREPARATION_DAYS
        if not low <= inp.preparation_time <= high:
            problems.append(
                Problem(Code.INVALID_PREPARATION_TIME, f"preparationTime must be {low} to {high} days.")
            )
        fields["preparation_time"] = inp.preparation_time
    if inp.price_must_be_aligned is not None:
        fields["price_must_be_aligned"] = inp.price_must_be_aligned
    if inp.minimum_price_for_alignment is not None:
        fields["minimum_price_for_alignment"] = _amount(
            inp.minimum_price_for_alignment,
            "MinimumPriceForPriceAlignment",
            Code.INVALID_PRICE_ALIGNMENT,
            problems,
        )
    if inp.packaging_unit is not None:
        if not 0 < len(inp.packaging_unit) <= MAX_PACKAGING_UNIT:
            problems.append(
                Problem(
                    Code.INVALID_PACKAGING,
                    f"ProductPackagingUnit takes 1 to {MAX_PACKAGING_UNIT} characters.",
                )
            )
        fields["packaging_unit"] = inp.packaging_unit
    if inp.packaging_value is not None:
        if not inp.packaging_value.is_finite() or not 0 < inp.packaging_value <= MAX_AMOUNT:
            problems.append(Problem(Code.INVALID_PACKAGING, "ProductPackagingValue must be above 0."))
        fields["packaging_value"] = inp.packaging_value
    if inp.discounts:
        if not rules.is_cdiscount:
            problems.append(
                Problem(Code.DISCOUNT_NOT_ALLOWED, f"Commercial operations are only possible on {CDISCOUNT}.")
            )
        fields["discounts"] = tuple(_check_discount(d, problems) for d in inp.discounts)
    return problems or Change(inp.reference, gtin, product_reference, condition, fields)


def _quantity(value: int, problems: list[Problem]) -> int:
    if not 0 <= value <= MAX_QUANTITY:
        problems.append(Problem(Code.INVALID_QUANTITY, f"quantity must be 0 to {MAX_QUANTITY}."))
    return value


def _check_discount(d: Discount, problems: list[Problem]) -> Discount:
    if d.type not in DISCOUNT_TYPES or d.unit not in DISCOUNT_UNITS:
        problems.append(Problem(Code.INVALID_DISCOUNT, "Unknown discount type or unit."))
    elif not d.value.is_finite() or d.value <= 0 or (d.unit == "Percentage" and d.value >= 100):
        problems.append(
            Problem(Code.INVALID_DISCOUNT, "A discount value must be above 0 (and below 100 percent).")
        )
    elif d.start is not None and d.end is not None and d.start >= d.end:
        problems.append(Problem(Code.INVALID_DISCOUNT, "A discount must end after it starts."))
    return d


def duplicated_references(references: Iterable[str]) -> set[str]:
    """References given more than once: every request naming them is refused as Duplicated."""
    seen: set[str] = set()
    twice: set[str] = set()
    for ref in references:
        (twice if ref in seen else seen).add(ref)
    return twice


# --- products and identity ------------------------------------------------------------------------


class ProductInfo(msgspec.Struct, frozen=True, gc=False):
    id: int
    gtin: str
    reference: str
    language: str


def resolve_product(
    change: Change,
    by_gtin: Mapping[str, ProductInfo],
    by_reference: Mapping[str, ProductInfo],
    rules: ChannelRules,
) -> ProductInfo | Problem | None:
    """The integrated product a request names (None when it names none), or why it cannot be used."""
    found_by_gtin = by_gtin.get(change.gtin) if change.gtin else None
    found_by_ref = by_reference.get(change.product_reference) if change.product_reference else None
    if change.gtin and found_by_gtin is None:
        return Problem(Code.UNKNOWN_PRODUCT, f"No integrated product has the GTIN {change.gtin}.")
    if change.product_reference and found_by_ref is None:
        return Problem(
            Code.UNKNOWN_PRODUCT, f"No integrated product has the reference {change.product_reference}."
        )
    if found_by_gtin and found_by_ref and found_by_gtin.id != found_by_ref.id:
        return Problem(Code.PRODUCT_MISMATCH, "product.gtin and product.reference name different products.")
    product = found_by_gtin or found_by_ref
    if product and rules.is_cdiscount and product.language != CDISCOUNT_LANGUAGE:
        return Problem(
            Code.PRODUCT_NOT_ON_CHANNEL, f"Only {CDISCOUNT_LANGUAGE} products can be sold on {CDISCOUNT}."
        )
    return product


def identity_problem(
    existing_product_id: int, existing_condition: str, product: ProductInfo | None, condition: str | None
) -> Problem | None:
    """An offer's product and condition are part of its identity: they cannot change under a reference."""
    if product is not None and product.id != existing_product_id:
        return Problem(
            Code.IDENTITY_CHANGED, "The product of an existing offer cannot change; delete it first."
        )
    if condition is not None and condition != existing_condition:
        return Problem(
            Code.IDENTITY_CHANGED, "The condition of an existing offer cannot change; delete it first."
        )
    return None


def merged_problems(values: Mapping[str, Any]) -> list[Problem]:
    """Rules between fields, checked on the offer as it would be after the change."""
    problems = []
    price, origin = values.get("price"), values.get("origin_price")
    if price is not None and origin is not None and origin < price:
        problems.append(
            Problem(Code.INVALID_PRICE, "originPrice (strike-through price) must not be below price.")
        )
    minimum = values.get("minimum_price_for_alignment")
    if price is not None and minimum is not None and minimum > price:
        problems.append(
            Problem(Code.INVALID_PRICE_ALIGNMENT, "The minimum price for alignment is above the price.")
        )
    for d in values.get("discounts") or ():
        if price is not None and d.unit == "Amount" and d.value >= price:
            problems.append(Problem(Code.INVALID_DISCOUNT, "A discount amount must be below the price."))
    return problems


# --- offer state, prices, competition --------------------------------------------------------------


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


class Competitor(msgspec.Struct, frozen=True, gc=False):
    seller_id: str
    condition: str
    price: Decimal
    shipping_cost: Decimal | None

    @property
    def total_price(self) -> Decimal:
        return self.price + (self.shipping_cost or Decimal(0))


def cheapest_shipping(modes: Sequence[DeliveryMode]) -> Decimal | None:
    return min((m.cost for m in modes), default=None)


def best_offer(candidates: Iterable[Competitor]) -> Competitor | None:
    """The winning offer: lowest total (price plus cheapest delivery), then lowest price, then seller."""
    return min(candidates, key=lambda c: (c.total_price, c.price, c.seller_id), default=None)


def offer_quality(
    *, is_best: bool, quantity: int, preparation_time: int | None, has_origin_price: bool
) -> tuple[int, list[str]]:
    """A 0-100 score with the reasons it is below 100, from the offer's own data."""
    reasons = []
    if not is_best:
        reasons.append("NotBestOffer")
    if quantity < 5:
        reasons.append("LowStock")
    if preparation_time is not None and preparation_time > 3:
        reasons.append("LongPreparationTime")
    if not has_origin_price:
        reasons.append("NoStrikethroughPrice")
    return 100 - 25 * len(reasons), reasons


# --- GET /offers field selection -------------------------------------------------------------------

BASE_FIELDS = ("offerId", "sellerExternalReference", "offerState", "createdAt", "updatedAt")


def project(document: Mapping[str, Any], paths: Sequence[str]) -> dict[str, Any]:
    """The base fields plus each requested field, node or dotted path; unknown paths are ignored."""
    out: dict[str, Any] = {k: document[k] for k in BASE_FIELDS if k in document}
    for path in paths:
        _copy_path(document, out, path.split("."))
    return out


def _copy_path(source: Mapping[str, Any], target: dict[str, Any], parts: list[str]) -> None:
    head, rest = parts[0], parts[1:]
    if head not in source:
        return
    value = source[head]
    if not rest:
        target[head] = value
    elif isinstance(value, Mapping):
        child = target.get(head)
        if not isinstance(child, dict):
            child = target[head] = {}
        _copy_path(value, child, rest)
    elif isinstance(value, list):
        items = target.setdefault(head, [{} for _ in value])
        for item, into in zip(value, items, strict=False):
            if isinstance(item, Mapping):
                _copy_path(item, into, rest)
