"""A seller's Fulfillment offers sell what the warehouses hold: every offer of a product and condition
the seller referenced for fulfillment shows the Available units of all its stock records. Movements of
Available mark their product (`stock.move` calls `changed`) and the transaction writes the new figure
on the offers as it commits; offer packages read the same figures (`warehouse_quantities`) so that a
package cannot set them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, event, func, select
from sqlalchemy.orm import Session

from comptoir import offers
from comptoir.catalog import Product
from comptoir.fulfillment.models import FulfillmentProduct, Stock

# Products per IN list: well below SQLite's bound on parameters.
_CHUNK = 1000
_CHANGED = "fulfillment.changed_offer_quantities"
_LISTENING = "fulfillment.following_offer_quantities"


def available(session: Session, seller_id: str, product_id: str, condition: str) -> int:
    """Available units of a product in a condition, every storage country together."""
    total = session.scalar(
        select(func.coalesce(func.sum(Stock.available), 0)).where(
            Stock.seller_id == seller_id, Stock.product_id == product_id, Stock.product_condition == condition
        )
    )
    return int(total or 0)


def changed(session: Session, seller_id: str, product_id: str, condition: str) -> None:
    """Marks the product's offers to follow the warehouses when the transaction commits: by then every
    movement of the transaction is done, so concurrent movements on two storage countries of the same
    product cannot deadlock on the offers, nor leave them an older sum."""
    marked = session.info.setdefault(_CHANGED, set())
    if not session.info.get(_LISTENING):
        # Once per session, which lives for one request or job.
        event.listen(session, "before_commit", _follow_marked)
        session.info[_LISTENING] = True
    marked.add((seller_id, product_id, condition))


def _follow_marked(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint's release: the transaction's own commit follows
    for key in sorted(session.info.pop(_CHANGED, ())):
        follow(session, *key)


def follow(session: Session, seller_id: str, product_id: str, condition: str) -> None:
    """Writes the warehouses' Available units on the seller's offers of this referenced product and
    condition. The referencing row is locked first, so that the sum read after it sees every movement
    committed before (PostgreSQL; SQLite has one writer)."""
    referenced = session.scalar(
        select(FulfillmentProduct.id)
        .where(
            FulfillmentProduct.seller_id == seller_id,
            FulfillmentProduct.product_id == product_id,
            FulfillmentProduct.product_condition == condition,
        )
        .with_for_update()
    )
    catalogue_id = session.scalar(select(Product.id).where(Product.product_reference == product_id))
    if referenced is not None and catalogue_id is not None:
        quantity = available(session, seller_id, product_id, condition)
        offers.set_warehouse_stock(session, seller_id, catalogue_id, condition, quantity)


def warehouse_quantities(
    session: Session, seller_id: str, catalogue_ids: Iterable[int]
) -> dict[tuple[int, str], int]:
    """For the catalogue products (`Product.id`) the seller referenced, by (product, condition): the
    Available units the warehouses hold. Keys absent are not Fulfillment offers."""
    ids = sorted(set(catalogue_ids))
    found: dict[tuple[int, str], int] = {}
    stock = and_(
        Stock.seller_id == FulfillmentProduct.seller_id,
        Stock.product_id == FulfillmentProduct.product_id,
        Stock.product_condition == FulfillmentProduct.product_condition,
    )
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(
                Product.id, FulfillmentProduct.product_condition, func.coalesce(func.sum(Stock.available), 0)
            )
            .join(FulfillmentProduct, FulfillmentProduct.product_id == Product.product_reference)
            .outerjoin(Stock, stock)
            .where(FulfillmentProduct.seller_id == seller_id, Product.id.in_(ids[start : start + _CHUNK]))
            .group_by(Product.id, FulfillmentProduct.product_condition)
        )
        found.update({(catalogue_id, condition): int(total) for catalogue_id, condition, total in rows})
    return found
