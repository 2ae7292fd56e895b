"""The one way warehouse stock changes: a movement of bucket quantities on a stock record, applied by
a conditional UPDATE that refuses to take any bucket below zero (so concurrent shipments on the same
units allocate exactly what is there, on SQLite and PostgreSQL) and written to the ledger in the same
transaction. A change of Available reaches the seller's Fulfillment offers as the transaction commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comptoir import clock, ids
from comptoir.db import table
from comptoir.fulfillment import domain as d
from comptoir.fulfillment import offer_quantity
from comptoir.fulfillment.models import Stock, StockMovement


class InsufficientStock(Exception):
    """A movement would take a bucket below zero; nothing was changed."""

    def __init__(self, stock_id: str, deltas: dict[d.Bucket, int]) -> None:
        super().__init__(f"stock {stock_id} cannot move {dict(deltas)}")
        self.stock_id, self.deltas = stock_id, deltas


@dataclass(frozen=True)
class Source:
    """What caused a movement: ("inbound", id), ("outbound", id), ("order", id), ("return", id)..."""

    kind: str
    id: str | None = None


def record(session: Session, seller_id: str, product_id: str, condition: str, country: str) -> Stock:
    """The stock record of a product in a condition and a country, created empty the first time."""
    key = (Stock.seller_id == seller_id, Stock.product_id == product_id)
    where = and_(*key, Stock.product_condition == condition, Stock.storage_country == country)
    found = session.scalar(select(Stock).where(where))
    if found is not None:
        return found
    now = clock.now()
    stock = Stock(
        id=ids.new_uuid(),
        seller_id=seller_id,
        product_id=product_id,
        product_condition=condition,
        storage_country=country,
        created_at=now,
        updated_at=now,
        **dict.fromkeys(d.COLUMNS.values(), 0),
    )
    try:
        with session.begin_nested():
            session.add(stock)
    except IntegrityError:
        # Created concurrently (PostgreSQL): the other transaction's record is the one.
        return session.scalars(select(Stock).where(where)).one()
    return stock


def move(
    session: Session,
    stock: Stock,
    deltas: dict[d.Bucket, int],
    reason: d.Reason,
    source: Source | None = None,
    comment: str | None = None,
) -> None:
    """Applies `deltas` to `stock` and writes the ledger row; InsufficientStock if a bucket would
    fall below zero (the caller decides: reject the shipment, refuse the request...)."""
    changes = {d.COLUMNS[bucket]: delta for bucket, delta in deltas.items() if delta}
    if not changes:
        return
    now = clock.now()
    stocks = table(Stock)
    guards = [stocks.c[column] + delta >= 0 for column, delta in changes.items() if delta < 0]
    moved = session.execute(
        update(stocks)
        .where(stocks.c.id == stock.id, *guards)
        .values(updated_at=now, **{column: stocks.c[column] + delta for column, delta in changes.items()})
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise InsufficientStock(stock.id, deltas)
    session.execute(
        insert(StockMovement).values(
            stock_id=stock.id,
            at=now,
            reason=reason,
            source_kind=source.kind if source else None,
            source_id=source.id if source else None,
            comment=comment[:300] if comment else None,
            **changes,
        )
    )
    if d.COLUMNS[d.Bucket.AVAILABLE] in changes:
        offer_quantity.changed(session, stock.seller_id, stock.product_id, stock.product_condition)
    session.expire(stock)


def quantities(stock: Stock) -> dict[d.Bucket, int]:
    return {bucket: getattr(stock, column) for bucket, column in d.COLUMNS.items()}
