"""Reading orders: filters, sorts, counts and page walks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.errors import NotFound
from comptoir.orders import domain as d
from comptoir.orders.models import Order

A = d.Action
RECENT_WINDOW = timedelta(days=30)


SORT_FIELDS = {
    "updatedAt": Order.updated_at,
    "createdAt": Order.created_at,
    "shippedAt": Order.shipped_at,
    "purchasedAt": Order.purchased_at,
}


@dataclass(frozen=True)
class OrderFilter:
    statuses: tuple[str, ...] = ()
    reference: str | None = None
    sales_channel_id: str | None = None
    business_order: bool | None = None
    supply_mode: str | None = None
    shipping_country: str | None = None
    created_at_min: datetime | None = None
    created_at_max: datetime | None = None
    updated_at_min: datetime | None = None
    updated_at_max: datetime | None = None
    shipped_at_min: datetime | None = None
    shipped_at_max: datetime | None = None

    @property
    def has_date(self) -> bool:
        return any(
            (
                self.created_at_min,
                self.created_at_max,
                self.updated_at_min,
                self.updated_at_max,
                self.shipped_at_min,
                self.shipped_at_max,
            )
        )


def _conditions(seller_id: str, f: OrderFilter) -> list[Any]:
    conds: list[Any] = [Order.seller_id == seller_id]
    if f.statuses:
        conds.append(Order.status.in_(f.statuses) if len(f.statuses) > 1 else Order.status == f.statuses[0])
    equals: tuple[tuple[Any, Any], ...] = (
        (Order.reference, f.reference),
        (Order.sales_channel_id, f.sales_channel_id),
        (Order.business_order, f.business_order),
        (Order.supply_mode, f.supply_mode),
        (Order.shipping_country, f.shipping_country),
    )
    for column, value in equals:
        if value is not None:
            conds.append(column == value)
    ranges: tuple[tuple[Any, datetime | None, datetime | None], ...] = (
        (Order.created_at, f.created_at_min, f.created_at_max),
        (Order.updated_at, f.updated_at_min, f.updated_at_max),
        (Order.shipped_at, f.shipped_at_min, f.shipped_at_max),
    )
    for column, low, high in ranges:
        if low is not None:
            conds.append(column >= low)
        if high is not None:
            conds.append(column <= high)
    if not f.has_date:
        # Documented: without a date filter only the latest orders come back.
        conds.append(Order.updated_at >= clock.now() - RECENT_WINDOW)
    return conds


def count_orders(session: Session, seller_id: str, f: OrderFilter) -> int:
    return int(session.scalar(select(func.count()).select_from(Order).where(*_conditions(seller_id, f))) or 0)


class PageWalks:
    """Where each page of a walk ended, so that page N+1 continues from a key instead of an OFFSET.

    Keyed by everything that defines the list (seller, filters, sort, page size); bounded in size.
    A page never seen falls back to OFFSET from the nearest known page before it.
    """

    def __init__(self, max_walks: int = 4096) -> None:
        self.max_walks = max_walks
        self._walks: dict[Any, dict[int, tuple[Any, str]]] = {}

    def clear(self) -> None:
        self._walks.clear()

    def nearest(self, walk: Any, page_index: int) -> tuple[int, tuple[Any, str]] | None:
        pages = self._walks.get(walk)
        if not pages:
            return None
        if page_index - 1 in pages:
            return page_index - 1, pages[page_index - 1]
        known = [p for p in pages if p < page_index]
        return (max(known), pages[max(known)]) if known else None

    def remember(self, walk: Any, page_index: int, key: tuple[Any, str]) -> None:
        pages = self._walks.get(walk)
        if pages is None:
            if len(self._walks) >= self.max_walks:
                self._walks.pop(next(iter(self._walks)))
            pages = self._walks[walk] = {}
        pages[page_index] = key


ORDERS = Order.__table__


@dataclass(frozen=True)
class PageRow:
    id: str
    updated_at: datetime


def list_orders(
    session: Session,
    seller_id: str,
    f: OrderFilter,
    *,
    page_index: int,
    page_size: int,
    sort: str,
    descending: bool,
    walks: PageWalks,
) -> tuple[list[PageRow], bool]:
    """The ids (and versions) of one page; rendering is left to `rendered`, which caches by version."""
    column: Any = SORT_FIELDS[sort]
    order_by: list[Any] = [column.desc(), Order.id.desc()] if descending else [column.asc(), Order.id.asc()]
    stmt: Select[Any] = (
        # Table columns, not mapped attributes: plain rows, without the ORM's per-row bookkeeping.
        select(ORDERS.c.id, ORDERS.c.updated_at, ORDERS.c[column.key].label("sort_key"))
        .where(*_conditions(seller_id, f))
        .order_by(*order_by)
    )
    walk = (seller_id, f if f.has_date else None, sort, descending, page_size)
    start = walks.nearest(walk, page_index) if f.has_date else None
    if start is not None:
        known_page, (value, last_id) = start
        # A row-value comparison, so that both databases range-scan the index instead of an OR.
        key: Any
        bound: Any
        if value is None:
            key, bound = Order.id, last_id
        else:
            key, bound = tuple_(column, Order.id), tuple_(value, last_id)
        after = key < bound if descending else key > bound
        stmt = stmt.where(after).offset((page_index - 1 - known_page) * page_size)
    else:
        stmt = stmt.offset((page_index - 1) * page_size)
    rows = session.execute(stmt.limit(page_size + 1)).all()
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    if rows and f.has_date:
        walks.remember(walk, page_index, (rows[-1].sort_key, rows[-1].id))
    return [PageRow(r.id, r.updated_at) for r in rows], has_next


def get_order(session: Session, seller_id: str, order_id: str, *, lock: bool = False) -> Order:
    order = session.get(Order, order_id, with_for_update=lock or None)
    if order is None or order.seller_id != seller_id:
        raise NotFound(f"Order {order_id} does not exist.")
    return order
