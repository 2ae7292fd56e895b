"""How an inbound line, an outbound item or a return line names a product: its seller reference,
which wins when both are given, or the Octopia product id with a condition. Pure: no database."""

from __future__ import annotations

from dataclasses import dataclass

from comptoir.errors import ValidationFailed
from comptoir.fulfillment import domain as core


@dataclass(frozen=True)
class ProductKey:
    seller_product_reference: str | None
    product_id: str | None
    product_condition: str | None


def product_key(
    field: str,
    seller_product_reference: str | None,
    product_id: str | None,
    product_condition: str | None,
    *,
    noun: str = "line",
) -> ProductKey:
    """Checks what a line names, or a 400 naming `field`: the seller reference, or a product id with
    a known condition (any casing). `noun` is what the client calls the line ("line", "item")."""
    reference = (seller_product_reference or "").strip()
    if reference:
        return ProductKey(reference, None, None)
    product, condition_name = (product_id or "").strip(), (product_condition or "").strip()
    if not product or not condition_name:
        article = "An" if noun[:1] in "aeiou" else "A"
        raise ValidationFailed.field(
            field,
            f"{article} {noun} names a sellerProductReference, or a productId with its productCondition.",
        )
    condition = core.condition(condition_name)
    if condition is None:
        raise ValidationFailed.field(
            f"{field}.productCondition",
            f"Unknown product condition {condition_name!r}; one of {', '.join(core.PRODUCT_CONDITIONS)}.",
        )
    return ProductKey(None, product, condition)


def describe(key: ProductKey) -> str:
    if key.seller_product_reference:
        return f"seller product reference {key.seller_product_reference}"
    return f"product {key.product_id} ({key.product_condition})"
