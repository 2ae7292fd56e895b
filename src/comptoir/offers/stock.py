"""The stock a seller's offers share: one stock per product and condition, whatever the channel.

Every row keeps the shared quantity, so that reads need no join; this module is where that holds.
A package that writes a quantity copies it to the sibling rows (`follow_stock`), a copy on another
channel starts with the shared stock (`shared_stock`), orders take from it and cancellations give
back to it on every sibling at once (`reserve_stock`, `release_stock`); states follow the quantity.
A Fulfillment offer's stock is what the warehouses hold, written by fulfillment (`set_warehouse_stock`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.db.bulk import BulkWriter
from comptoir.offers.domain import offer_state
from comptoir.offers.models import Offer
from comptoir.offers.rows import decode_modes, offers

Key = tuple[int, str]  # (product id, condition): the offers that share one stock


@dataclass(slots=True)
class StockRow:
    """One of the seller's offers, with the values its state depends on (delivery modes as stored:
    most rows are never decoded)."""

    id: int
    channel_id: str
    reference: str
    key: Key
    price: Decimal | None
    vat_rate: Decimal | None
    delivery_modes: str | None
    quantity: int | None

    @property
    def condition(self) -> str:
        return self.key[1]


_STOCK_COLUMNS = (
    "id",
    "sales_channel_id",
    "seller_external_reference",
    "product_id",
    "condition",
    "price",
    "vat_rate",
    "delivery_modes",
    "quantity",
)


def _state(row: Offer | StockRow) -> str:
    """The offer's state from its stored values."""
    values = {
        "price": row.price,
        "vat_rate": row.vat_rate,
        "quantity": row.quantity,
        "delivery_modes": decode_modes(row.delivery_modes),
    }
    return offer_state(values, row.condition)


def seller_offers(session: Session, seller_id: str, product_ids: Iterable[int]) -> list[StockRow]:
    """The seller's offers on these products, on every channel."""
    rows = BulkWriter(session, offers).select_in(
        _STOCK_COLUMNS, "product_id", sorted(set(product_ids)), seller_id=seller_id
    )
    return [
        StockRow(offer_pk, channel_id, ref, (product_id, condition), price, vat_rate, modes, quantity)
        for offer_pk, channel_id, ref, product_id, condition, price, vat_rate, modes, quantity in rows
    ]


def shared_stock(rows: Iterable[StockRow]) -> dict[Key, int | None]:
    return {row.key: row.quantity for row in rows}


def follow_stock(
    session: Session,
    rows: Iterable[StockRow],
    stock: Mapping[Key, int | None],
    changed: set[Key],
    now: datetime,
) -> None:
    """Copies the new shared stock of the `changed` keys to the rows that do not have it yet."""
    params = []
    for row in rows:
        if row.key in changed and stock[row.key] != row.quantity:
            row.quantity = stock[row.key]
            params.append({"_id": row.id, "v_quantity": row.quantity, "v_state": _state(row)})
    if params:
        # Bound names must differ from column names in an UPDATE's SET clause.
        stmt = (
            update(offers)
            .where(offers.c.id == bindparam("_id"))
            .values(quantity=bindparam("v_quantity"), offer_state=bindparam("v_state"), updated_at=now)
        )
        session.execute(stmt, params)


def _siblings(offer: Offer) -> Any:
    return and_(
        Offer.seller_id == offer.seller_id,
        Offer.product_id == offer.product_id,
        Offer.condition == offer.condition,
    )


def _refresh_states(session: Session, siblings: Any) -> None:
    # populate_existing: the rows were just changed by a Core UPDATE behind the identity map.
    for row in session.scalars(select(Offer).where(siblings).execution_options(populate_existing=True)):
        row.offer_state = _state(row)
    session.flush()


def reserve_stock(session: Session, offer: Offer, quantity: int) -> bool:
    """Takes `quantity` from the shared stock if it is there; the conditional update makes two
    concurrent orders unable to take the same last units."""
    taken = session.execute(
        update(Offer)
        .where(_siblings(offer), Offer.quantity >= quantity)
        .values(quantity=Offer.quantity - quantity, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount == 0:  # type: ignore[attr-defined]
        return False
    _refresh_states(session, _siblings(offer))
    return True


def release_stock(session: Session, offer_id: int, quantity: int) -> None:
    """Gives `quantity` back to the stock of the offer (and its siblings); a deleted offer takes none."""
    offer = session.get(Offer, offer_id)
    if offer is None or quantity <= 0:
        return
    session.execute(
        update(Offer)
        .where(_siblings(offer))
        .values(quantity=Offer.quantity + quantity, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    _refresh_states(session, _siblings(offer))


def set_warehouse_stock(
    session: Session, seller_id: str, product_id: int, condition: str, quantity: int
) -> None:
    """The shared stock of a Fulfillment offer is what the warehouses hold: written by fulfillment
    when it changed, on every sibling at once."""
    siblings = and_(
        Offer.seller_id == seller_id, Offer.product_id == product_id, Offer.condition == condition
    )
    moved = session.execute(
        update(Offer)
        .where(siblings, or_(Offer.quantity.is_(None), Offer.quantity != quantity))
        .values(quantity=quantity, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount:  # type: ignore[attr-defined]
        _refresh_states(session, siblings)
