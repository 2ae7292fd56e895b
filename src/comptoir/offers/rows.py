"""The offers table as the bulk paths read and write it: plain tuples through the bulk writer, and
delivery modes and discounts as the JSON text they are stored in."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import msgspec
from sqlalchemy import Table, delete
from sqlalchemy.orm import Session

from comptoir.catalog import Product
from comptoir.db.bulk import BulkWriter, chunked
from comptoir.offers.domain import OFFER_FIELDS, DeliveryMode, Discount, offer_state
from comptoir.offers.models import Offer
from comptoir.offers.offer_changes import ProductInfo

offers = cast(Table, Offer.__table__)
_products = cast(Table, Product.__table__)
_encode = msgspec.json.Encoder().encode
_modes_decoder = msgspec.json.Decoder(list[DeliveryMode])
_discounts_decoder = msgspec.json.Decoder(list[Discount])
# Columns written, in the order of the tuples built for them.
UPDATED_COLUMNS = (*OFFER_FIELDS, "offer_state", "updated_at")
INSERTED_COLUMNS = (
    "seller_id",
    "sales_channel_id",
    "seller_external_reference",
    "product_id",
    "condition",
    *UPDATED_COLUMNS,
    "created_at",
)
_offer_values = operator.itemgetter(*OFFER_FIELDS)
_MODES_AT = OFFER_FIELDS.index("delivery_modes")
_DISCOUNTS_AT = OFFER_FIELDS.index("discounts")


def encode_modes(modes: Sequence[DeliveryMode] | None) -> str | None:
    return None if modes is None else _encode(modes).decode()


def decode_modes(text: str | None) -> list[DeliveryMode] | None:
    return None if text is None else _modes_decoder.decode(text)


def encode_discounts(discounts: Sequence[Discount] | None) -> str | None:
    return _encode(discounts).decode() if discounts else None


def decode_discounts(text: str | None) -> list[Discount]:
    return _discounts_decoder.decode(text) if text else []


def values_row(values: dict[str, Any], condition: str, now: datetime) -> tuple[Any, ...]:
    """The offer's values (every one of `OFFER_FIELDS`) in `UPDATED_COLUMNS` order."""
    row = list(_offer_values(values))
    row[_MODES_AT] = encode_modes(row[_MODES_AT])
    row[_DISCOUNTS_AT] = encode_discounts(row[_DISCOUNTS_AT])
    return (*row, offer_state(values, condition), now)


def find_products(
    session: Session, gtins: Sequence[str], references: Sequence[str]
) -> tuple[dict[str, ProductInfo], dict[str, ProductInfo]]:
    """The integrated products with these GTINs, and those with these references."""
    products = BulkWriter(session, _products)
    names = ("id", "gtin", "product_reference", "language")
    by_gtin = {row[1]: ProductInfo(*row) for row in products.select_in(names, "gtin", gtins)}
    by_reference = {
        row[2]: ProductInfo(*row) for row in products.select_in(names, "product_reference", references)
    }
    return by_gtin, by_reference


@dataclass(slots=True)
class Existing:
    """An offer of the seller on the channel, with its values by column name."""

    id: int
    product_id: int
    product_reference: str
    condition: str
    values: dict[str, Any] = field(default_factory=dict)


def existing_offers(
    session: Session, seller_id: str, channel_id: str, refs: Sequence[str]
) -> dict[str, Existing]:
    """The seller's offers on the channel with these references, by reference."""
    names = ("seller_external_reference", "id", "product_id", "condition", *OFFER_FIELDS)
    rows = BulkWriter(session, offers).select_in(
        names,
        "seller_external_reference",
        sorted(set(refs)),
        seller_id=seller_id,
        sales_channel_id=channel_id,
    )
    product_refs = dict(
        BulkWriter(session, _products).select_in(("id", "product_reference"), "id", [r[2] for r in rows])
    )
    out: dict[str, Existing] = {}
    for ref, offer_pk, product_id, condition, *fields in rows:
        values = dict(zip(OFFER_FIELDS, fields, strict=True))
        values["delivery_modes"] = decode_modes(values["delivery_modes"])
        values["discounts"] = decode_discounts(values["discounts"])
        out[ref] = Existing(offer_pk, product_id, product_refs[product_id], condition, values)
    return out


def write(
    session: Session, inserts: list[tuple[Any, ...]], updates: list[tuple[Any, ...]], deleted: list[int]
) -> None:
    """Inserts rows in `INSERTED_COLUMNS` order, updates rows in `UPDATED_COLUMNS` order followed by
    the id, and deletes offers by id."""
    writer = BulkWriter(session, offers)
    if inserts:
        writer.insert(INSERTED_COLUMNS, inserts)
    if updates:
        writer.update_by_id(UPDATED_COLUMNS, updates)
    for part in chunked(deleted):
        session.execute(delete(offers).where(offers.c.id.in_(part)))
