"""Offer requests (spec sections 10 and 11): each request, from a JSON or an XML package, is read
into an `OfferInput`, then checked on its own and normalized here into a `Change`; `offer_changes`
checks it against the product it names and the offer it changes.

Pure: no database, no HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any

import msgspec

from comptoir.offers.domain import (
    CDISCOUNT,
    OFFER_FIELDS,
    TAX_DEA,
    TAX_ECO,
    TAX_VAT,
    Code,
    DeliveryMode,
    Discount,
    Problem,
    problem,
)
from comptoir.platform.money import money

MAX_AMOUNT = Decimal("1000000")
MAX_QUANTITY = 999_999
PREPARATION_DAYS = (1, 10)
MAX_PACKAGING_UNIT = 20


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

_TAX_CODES = {"vat": TAX_VAT, "ecotax": TAX_ECO, "ecopart": TAX_ECO, "deatax": TAX_DEA}
_TAX_TYPES = {TAX_VAT: "rate", TAX_ECO: "amount", TAX_DEA: "amount"}

DISCOUNT_TYPES = ("Sales", "FlashSale")
DISCOUNT_UNITS = ("Amount", "Percentage")


class TaxInput(msgspec.Struct, frozen=True, gc=False):
    code: str
    value: Decimal
    type: str | None = None


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
                return problem(Code.INVALID_GTIN, "gtin_13_digits", gtin=gtin, channel=self.channel_id)
        elif not 8 <= len(gtin) <= 14 or not _DIGITS.match(gtin):
            return problem(Code.INVALID_GTIN, "gtin_8_to_14_digits", gtin=gtin)
        return None


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


def _amount(value: Decimal, code: str, problems: list[Problem], key: str, **args: object) -> Decimal:
    """The amount to the cent; out of range, a problem whose text (`key`) says the range, 0 or more
    (above 0 for the `amount_above_zero` ones) and at most MAX_AMOUNT."""
    positive = key == "amount_above_zero"
    if not value.is_finite() or value < 0 or (positive and value == 0) or value > MAX_AMOUNT:
        problems.append(problem(code, key, max=MAX_AMOUNT, **args))
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
            problems.append(problem(Code.INVALID_TAXES, "tax_unknown", tax=tax.code))
            continue
        if code in seen:
            problems.append(problem(Code.INVALID_TAXES, "tax_twice", tax=code))
            continue
        seen.add(code)
        if tax.type is not None and tax.type.strip().lower() != _TAX_TYPES[code]:
            key = "tax_is_a_rate" if code == TAX_VAT else "tax_is_an_amount"
            problems.append(problem(Code.INVALID_TAXES, key, tax=code, type=tax.type))
            continue
        value = tax.value
        if code == TAX_VAT:
            if value.is_finite() and 0 < value < 1:
                value = value * 100
            if not value.is_finite() or not 0 <= value <= 100:
                problems.append(problem(Code.INVALID_TAXES, "vat_rate_range"))
                continue
            out["vat_rate"] = money(value)
        else:
            out["eco_tax" if code == TAX_ECO else "dea_tax"] = _amount(
                value, Code.INVALID_TAXES, problems, "amount_zero_or_more", field=code
            )
    if require_vat and TAX_VAT not in seen:
        problems.append(problem(Code.INVALID_TAXES, "vat_required"))
    return out


def normalize_delivery_modes(
    modes: Sequence[DeliveryMode], rules: ChannelRules, problems: list[Problem]
) -> tuple[DeliveryMode, ...]:
    out = []
    seen: set[str] = set()
    for mode in modes:
        code = mode.code.strip().upper()
        if code not in rules.seller_modes:
            if rules.seller_modes:
                allowed = ", ".join(sorted(rules.seller_modes))
                args = {"mode": mode.code, "channel": rules.channel_id, "allowed": allowed}
                problems.append(problem(Code.INVALID_DELIVERY_MODE, "delivery_mode_not_the_sellers", **args))
            else:
                args = {"mode": mode.code, "channel": rules.channel_id}
                problems.append(problem(Code.INVALID_DELIVERY_MODE, "seller_has_no_delivery_mode", **args))
            continue
        if code in seen:
            problems.append(problem(Code.INVALID_DELIVERY_MODE, "delivery_mode_twice", mode=code))
            continue
        seen.add(code)
        cost = _amount(mode.cost, Code.INVALID_DELIVERY_MODE, problems, "delivery_cost_range", mode=code)
        extra = _amount(
            mode.additional_cost, Code.INVALID_DELIVERY_MODE, problems, "additional_cost_range", mode=code
        )
        out.append(DeliveryMode(code, cost, extra))
    return tuple(out)


def _missing(problems: list[Problem], name: str) -> None:
    problems.append(problem(Code.MISSING_FIELD, "field_required", field=name))


def normalize(inp: OfferInput, mode: Mode, rules: ChannelRules) -> Change | list[Problem]:
    """Checks one offer request on its own (no lookups) and returns what it changes, or why not."""
    problems = list(inp.problems)
    if not _REFERENCE.match(inp.reference):
        problems.append(problem(Code.INVALID_REFERENCE, "reference_invalid"))
    gtin = inp.gtin.strip() if inp.gtin else None
    product_reference = inp.product_reference.strip() if inp.product_reference else None
    if gtin:
        gtin_problem = rules.gtin_problem(gtin)
        if gtin_problem:
            problems.append(gtin_problem)
    if mode is Mode.DELETE:
        return problems or Change(inp.reference, gtin, product_reference, None, {})
    if mode is Mode.UPSERT and not gtin and not product_reference:
        problems.append(problem(Code.MISSING_FIELD, "product_required"))
    if mode is Mode.FULL and not gtin:
        _missing(problems, "ProductEan")

    condition = None
    if inp.condition is not None:
        condition = parse_condition(inp.condition)
        if condition is None:
            args = {"condition": inp.condition, "conditions": ", ".join(CONDITIONS)}
            problems.append(problem(Code.INVALID_CONDITION, "condition_unknown", **args))
    elif mode is Mode.UPSERT:
        _missing(problems, "condition")
    elif mode is Mode.FULL:
        condition = "New"

    fields: dict[str, Any] = dict.fromkeys(_REPLACED_BY_FULL) if mode in CREATING_MODES else {}
    if inp.price is not None:
        fields["price"] = _amount(inp.price, Code.INVALID_PRICE, problems, "amount_above_zero", field="price")
    elif mode is Mode.UPSERT:
        _missing(problems, "price.price")
    if inp.currency is not None and inp.currency.strip().upper() != rules.currency:
        args = {"channel": rules.channel_id, "currency": rules.currency, "given": inp.currency}
        problems.append(problem(Code.INVALID_CURRENCY, "currency_wrong", **args))

    if mode is Mode.STOCK_AND_PRICE:
        if inp.quantity is not None:
            fields["quantity"] = _quantity(inp.quantity, problems)
        if inp.price is None and inp.quantity is None:
            problems.append(problem(Code.MISSING_FIELD, "stock_or_price_required"))
        return problems or Change(inp.reference, gtin, product_reference, condition, fields)

    if inp.origin_price is not None:
        fields["origin_price"] = _amount(
            inp.origin_price, Code.INVALID_PRICE, problems, "amount_above_zero", field="originPrice"
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
            problems.append(problem(Code.MISSING_FIELD, "delivery_mode_required"))
    elif mode is Mode.UPSERT:
        _missing(problems, "deliveryModes")
    if inp.preparation_time is not None:
        low, high = PREPARATION_DAYS
        if not low <= inp.preparation_time <= high:
            problems.append(
                problem(Code.INVALID_PREPARATION_TIME, "preparation_time_range", low=low, high=high)
            )
        fields["preparation_time"] = inp.preparation_time
    if inp.price_must_be_aligned is not None:
        fields["price_must_be_aligned"] = inp.price_must_be_aligned
    if inp.minimum_price_for_alignment is not None:
        fields["minimum_price_for_alignment"] = _amount(
            inp.minimum_price_for_alignment,
            Code.INVALID_PRICE_ALIGNMENT,
            problems,
            "amount_zero_or_more",
            field="MinimumPriceForPriceAlignment",
        )
    if inp.packaging_unit is not None:
        if not 0 < len(inp.packaging_unit) <= MAX_PACKAGING_UNIT:
            problems.append(problem(Code.INVALID_PACKAGING, "packaging_unit_length", max=MAX_PACKAGING_UNIT))
        fields["packaging_unit"] = inp.packaging_unit
    if inp.packaging_value is not None:
        if not inp.packaging_value.is_finite() or not 0 < inp.packaging_value <= MAX_AMOUNT:
            problems.append(problem(Code.INVALID_PACKAGING, "packaging_value_positive"))
        fields["packaging_value"] = inp.packaging_value
    if inp.discounts:
        if not rules.is_cdiscount:
            problems.append(problem(Code.DISCOUNT_NOT_ALLOWED, "discounts_cdiscount_only", channel=CDISCOUNT))
        fields["discounts"] = tuple(_check_discount(d, problems) for d in inp.discounts)
    return problems or Change(inp.reference, gtin, product_reference, condition, fields)


def _quantity(value: int, problems: list[Problem]) -> int:
    if not 0 <= value <= MAX_QUANTITY:
        problems.append(problem(Code.INVALID_QUANTITY, "quantity_range", max=MAX_QUANTITY))
    return value


def _check_discount(d: Discount, problems: list[Problem]) -> Discount:
    if d.type not in DISCOUNT_TYPES or d.unit not in DISCOUNT_UNITS:
        problems.append(problem(Code.INVALID_DISCOUNT, "discount_unknown"))
    elif not d.value.is_finite() or d.value <= 0 or (d.unit == "Percentage" and d.value >= 100):
        problems.append(problem(Code.INVALID_DISCOUNT, "discount_value_range"))
    elif d.start is not None and d.end is not None and d.start >= d.end:
        problems.append(problem(Code.INVALID_DISCOUNT, "discount_dates"))
    return d


def duplicated_references(references: Iterable[str]) -> set[str]:
    """References given more than once: every request naming them is refused as Duplicated."""
    seen: set[str] = set()
    twice: set[str] = set()
    for ref in references:
        (twice if ref in seen else seen).add(ref)
    return twice
