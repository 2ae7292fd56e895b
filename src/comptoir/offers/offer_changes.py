"""What a checked offer request may do to the offer it lands on: the product it names, the identity
of an existing offer, and the rules between fields of the offer as it would be after the change.

Pure: the products and offers are looked up by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from comptoir.offers.domain import CDISCOUNT, CDISCOUNT_LANGUAGE, Code, Problem, problem
from comptoir.offers.offer_requests import Change, ChannelRules


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
        return problem(Code.UNKNOWN_PRODUCT, "unknown_gtin", gtin=change.gtin)
    if change.product_reference and found_by_ref is None:
        return problem(Code.UNKNOWN_PRODUCT, "unknown_product_reference", reference=change.product_reference)
    if found_by_gtin and found_by_ref and found_by_gtin.id != found_by_ref.id:
        return problem(Code.PRODUCT_MISMATCH, "gtin_and_reference_differ")
    product = found_by_gtin or found_by_ref
    if product and rules.is_cdiscount and product.language != CDISCOUNT_LANGUAGE:
        args = {"language": CDISCOUNT_LANGUAGE, "channel": CDISCOUNT}
        return problem(Code.PRODUCT_NOT_ON_CHANNEL, "product_language_not_on_channel", **args)
    return product


def identity_problem(
    existing_product_id: int, existing_condition: str, product: ProductInfo | None, condition: str | None
) -> Problem | None:
    """An offer's product and condition are part of its identity: they cannot change under a reference."""
    if product is not None and product.id != existing_product_id:
        return problem(Code.IDENTITY_CHANGED, "product_changed")
    if condition is not None and condition != existing_condition:
        return problem(Code.IDENTITY_CHANGED, "condition_changed")
    return None


def merged_problems(values: Mapping[str, Any]) -> list[Problem]:
    """Rules between fields, checked on the offer as it would be after the change."""
    problems = []
    price, origin = values.get("price"), values.get("origin_price")
    if price is not None and origin is not None and origin < price:
        problems.append(problem(Code.INVALID_PRICE, "origin_price_below_price"))
    minimum = values.get("minimum_price_for_alignment")
    if price is not None and minimum is not None and minimum > price:
        problems.append(problem(Code.INVALID_PRICE_ALIGNMENT, "alignment_minimum_above_price"))
    for d in values.get("discounts") or ():
        if price is not None and d.unit == "Amount" and d.value >= price:
            problems.append(problem(Code.INVALID_DISCOUNT, "discount_amount_above_price"))
    return problems
