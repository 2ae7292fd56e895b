"""Copies of a seller's offers on other channels, as Allegro-style commands publish them.

A copy is the seller's offer row on the other channel: same seller, reference, product and
condition, with the values the publisher gives (amounts in that channel's currency). Its quantity
is not given: a copy shares the stock of the offers it copies (see `stock`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.db.bulk import BulkWriter
from comptoir.offers import stock
from comptoir.offers.domain import DeliveryMode, offer_state
from comptoir.offers.rows import encode_modes, offers


class OfferCopy(msgspec.Struct, frozen=True, kw_only=True):
    """What an offer says on the channel it is copied to."""

    reference: str
    product_id: int
    condition: str
    price: Decimal | None
    origin_price: Decimal | None
    vat_rate: Decimal | None
    eco_tax: Decimal | None
    dea_tax: Decimal | None
    preparation_time: int | None
    delivery_modes: list[DeliveryMode] | None
    packaging_unit: str | None
    packaging_value: Decimal | None


# The columns a copy writes, in the order of the tuples built for them; the others of an existing
# row (price alignment, discounts) are left as they are.
_COPIED = (
    "price",
    "origin_price",
    "vat_rate",
    "eco_tax",
    "dea_tax",
    "quantity",
    "preparation_time",
    "delivery_modes",
    "packaging_unit",
    "packaging_value",
    "offer_state",
    "updated_at",
)
_INSERTED = (
    "seller_id",
    "sales_channel_id",
    "seller_external_reference",
    "product_id",
    "condition",
    *_COPIED,
    "created_at",
)


def publish_copies(
    session: Session, *, seller_id: str, channel_id: str, copies: Sequence[OfferCopy]
) -> list[bool]:
    """Writes the copies on the channel, creating or rewriting the seller's rows there; for each copy,
    whether it was published. The channel holds one row per reference and one per product and
    condition: a copy that cannot fit both (another reference sells its product there, or its
    reference sells another product) is refused. A reference copied twice keeps the last copy."""
    same_products = stock.seller_offers(session, seller_id, {c.product_id for c in copies})
    shared = stock.shared_stock(same_products)
    ids: dict[str, int] = {}
    key_of_ref: dict[str, stock.Key] = {}
    ref_of_key: dict[stock.Key, str] = {}
    by_reference = BulkWriter(session, offers).select_in(
        ("id", "seller_external_reference", "product_id", "condition"),
        "seller_external_reference",
        sorted({c.reference for c in copies}),
        seller_id=seller_id,
        sales_channel_id=channel_id,
    )
    on_channel = [(r.id, r.reference, r.key) for r in same_products if r.channel_id == channel_id]
    for offer_pk, ref, key in [*on_channel, *((pk, ref, (p, c)) for pk, ref, p, c in by_reference)]:
        ids[ref] = offer_pk
        key_of_ref[ref] = key
        ref_of_key[key] = ref
    published: list[bool] = []
    planned: dict[str, tuple[OfferCopy, stock.Key]] = {}
    for copy in copies:
        ref, key = copy.reference, (copy.product_id, copy.condition)
        if key_of_ref.get(ref, key) != key or ref_of_key.get(key, ref) != ref:
            published.append(False)
            continue
        key_of_ref[ref], ref_of_key[key] = key, ref
        planned[ref] = (copy, key)
        published.append(True)
    now = clock.now()
    inserts, updates = [], []
    for ref, (copy, key) in planned.items():
        row = _row(copy, shared.get(key), now)
        if ref in ids:
            updates.append((*row, ids[ref]))
        else:
            inserts.append((seller_id, channel_id, ref, copy.product_id, copy.condition, *row, now))
    writer = BulkWriter(session, offers)
    if inserts:
        writer.insert(_INSERTED, inserts)
    if updates:
        writer.update_by_id(_COPIED, updates)
    return published


def _row(copy: OfferCopy, quantity: int | None, now: datetime) -> tuple[Any, ...]:
    """The copy's values in `_COPIED` order."""
    values: dict[str, Any] = {
        "price": copy.price,
        "vat_rate": copy.vat_rate,
        "quantity": quantity,
        "delivery_modes": copy.delivery_modes,
    }
    return (
        copy.price,
        copy.origin_price,
        copy.vat_rate,
        copy.eco_tax,
        copy.dea_tax,
        quantity,
        copy.preparation_time,
        encode_modes(copy.delivery_modes),
        copy.packaging_unit,
        copy.packaging_value,
        offer_state(values, copy.condition),
        now,
    )
