"""Reading warehouse stock (spec 15.3): stock records page by page, one record with the product's
records in every storage country and its ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir.db.pagination import CursorPage, SortKey, cursor_page
from comptoir.errors import NotFound
from comptoir.fulfillment import domain as d
from comptoir.fulfillment import schemas as s
from comptoir.fulfillment.models import FulfillmentProduct, Stock, StockMovement

# The newest movements GET /stocks/{id} shows; the ledger keeps every one.
MOVEMENTS_SHOWN = 200
# Pages read plain rows, not ORM objects: a page of a thousand records then leaves the collector
# little to track (with objects, every fifth page paid a 100 ms full collection).
_STOCK = (
    Stock.id,
    Stock.seller_id,
    Stock.product_id,
    Stock.product_condition,
    Stock.storage_country,
    *(getattr(Stock, column) for column in d.COLUMNS.values()),
    Stock.created_at,
    Stock.updated_at,
)
_REFERENCE = (
    FulfillmentProduct.product_id,
    FulfillmentProduct.product_condition,
    FulfillmentProduct.seller_product_reference,
    FulfillmentProduct.gtin,
)


@dataclass(frozen=True)
class StockFilter:
    storage_country: str | None = None
    updated_at_min: datetime | None = None
    updated_at_max: datetime | None = None
    sort: d.Bucket | None = None
    descending: bool = False
    delivery_country: str | None = None


def _quantities(row: Any) -> s.QuantitiesOut:
    """The buckets of a stock record or a movement: an ORM object or a row."""
    return s.QuantitiesOut(
        available=row.available,
        allocated=row.allocated,
        blocked=row.blocked,
        litigation=row.litigation,
        removal=row.removal,
        returned=row.returned,
        logistic_operations=row.logistic_operations,
    )


def _references(session: Session, seller_id: str, stocks: Sequence[Any]) -> dict[tuple[str, str], Any]:
    """The seller's reference and GTIN of the records' products, by (product, condition)."""
    product_ids = sorted({stock.product_id for stock in stocks})
    if not product_ids:
        return {}
    rows = session.execute(
        select(*_REFERENCE).where(
            FulfillmentProduct.seller_id == seller_id, FulfillmentProduct.product_id.in_(product_ids)
        )
    )
    return {(p.product_id, p.product_condition): p for p in rows}


def _out(stock: Any, referenced: Any) -> s.StockOut:
    return s.StockOut(
        id=stock.id,
        product_id=stock.product_id,
        product_state=d.product_state(stock.product_condition),
        product_condition=stock.product_condition,
        seller_product_reference=referenced.seller_product_reference if referenced else None,
        gtin=referenced.gtin if referenced else None,
        storage_country=stock.storage_country,
        quantities=_quantities(stock),
        created_at=stock.created_at,
        updated_at=stock.updated_at,
    )


def stock_out(session: Session, stock: Stock) -> s.StockOut:
    references = _references(session, stock.seller_id, [stock])
    return _out(stock, references.get((stock.product_id, stock.product_condition)))


def list_stocks(
    session: Session, seller_id: str, filters: StockFilter, *, limit: int, cursor: str | None
) -> CursorPage[s.StockOut]:
    """The seller's stock records: by the bucket `sort` names, else by last change; `deliveryCountry`
    keeps the records of the warehouses that deliver there, in id order."""
    stmt = select(*_STOCK).where(Stock.seller_id == seller_id)
    keys: list[SortKey]
    if filters.delivery_country is not None:
        stmt = stmt.where(Stock.storage_country.in_(d.serving_countries(filters.delivery_country)))
        keys = [SortKey(Stock.id)]
    else:
        if filters.storage_country:
            stmt = stmt.where(Stock.storage_country == filters.storage_country)
        if filters.updated_at_min:
            stmt = stmt.where(Stock.updated_at >= filters.updated_at_min)
        if filters.updated_at_max:
            stmt = stmt.where(Stock.updated_at <= filters.updated_at_max)
        first = getattr(Stock, d.COLUMNS[filters.sort]) if filters.sort else Stock.updated_at
        keys = [SortKey(first, filters.descending), SortKey(Stock.id, filters.descending)]
    page = cursor_page(
        session,
        stmt,
        keys=keys,
        key_of=lambda row: [getattr(row, key.column.key) for key in keys],
        limit=limit,
        cursor=cursor,
        scalars=False,
    )
    references = _references(session, seller_id, page.items)
    items = [_out(row, references.get((row.product_id, row.product_condition))) for row in page.items]
    return CursorPage(items, page.next_cursor, page.prev_cursor)


def _owned(session: Session, seller_id: str, stock_id: str) -> Stock:
    stock = session.get(Stock, stock_id)
    if stock is None or stock.seller_id != seller_id:
        raise NotFound(f"Stock {stock_id} does not exist.")
    return stock


def movement_out(m: StockMovement) -> s.MovementOut:
    return s.MovementOut(
        id=m.id,
        at=m.at,
        reason=m.reason,
        source_type=m.source_kind.capitalize() if m.source_kind else None,
        source_id=m.source_id,
        comment=m.comment,
        changes=_quantities(m),
    )


def stock_detail(session: Session, seller_id: str, stock_id: str) -> s.StockDetailOut:
    stock = _owned(session, seller_id, stock_id)
    base = stock_out(session, stock)
    siblings = session.scalars(
        select(Stock)
        .where(
            Stock.seller_id == seller_id,
            Stock.product_id == stock.product_id,
            Stock.product_condition == stock.product_condition,
        )
        .order_by(Stock.storage_country)
    )
    movements = session.scalars(
        select(StockMovement)
        .where(StockMovement.stock_id == stock.id)
        .order_by(StockMovement.id.desc())
        .limit(MOVEMENTS_SHOWN)
    )
    return s.StockDetailOut(
        **{f: getattr(base, f) for f in base.__struct_fields__},
        localizations=[
            s.LocalizationOut(
                stock_id=row.id,
                storage_country=row.storage_country,
                quantities=_quantities(row),
                updated_at=row.updated_at,
            )
            for row in siblings
        ],
        movements=[movement_out(m) for m in movements],
    )
