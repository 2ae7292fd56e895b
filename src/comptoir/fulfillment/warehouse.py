"""The warehouse's side of the core: the storage countries the operator opens to a seller, the units
it holds for marketplace orders it ships (supplyMode Fulfillment), and the operator's stock
adjustments. Every quantity moves through `stock.move`, with its reason in the ledger."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.errors import Conflict, NotFound, ValidationFailed
from comptoir.fulfillment import domain as d
from comptoir.fulfillment import referencing, stock
from comptoir.fulfillment import schemas as s
from comptoir.fulfillment.models import OrderAllocation, Stock, StockMovement, StorageCountry
from comptoir.sellers import Seller

A, AL = d.Bucket.AVAILABLE, d.Bucket.ALLOCATED
ADJUSTMENT_REASONS = (d.Reason.INVENTORY, d.Reason.DAMAGE, d.Reason.REMOVAL)
# Where the units an adjustment takes from Available go.
_ADJUSTED_TO = {d.Reason.DAMAGE: d.Bucket.BLOCKED, d.Reason.REMOVAL: d.Bucket.REMOVAL}


# --- storage countries ----------------------------------------------------------------------------


def storage_countries(session: Session, seller_id: str) -> tuple[str, ...]:
    """The countries whose warehouses the seller may store in, as FR, ES, UK order them."""
    opened = set(session.scalars(select(StorageCountry.country).where(StorageCountry.seller_id == seller_id)))
    return tuple(c for c in d.STORAGE_COUNTRIES if c in opened)


def set_storage_countries(session: Session, seller_id: str, countries: list[str]) -> tuple[str, ...]:
    """Opens exactly these countries to the seller and closes the others. Stock already stored in a
    closed country stays there and still ships; only new inbound shipments need an open country."""
    if session.get(Seller, seller_id) is None:
        raise NotFound(f"Seller {seller_id} does not exist.")
    wanted: set[str] = set()
    for i, value in enumerate(countries):
        code = d.storage_country(value)
        if code is None:
            raise ValidationFailed.field(
                f"storageCountries[{i}]",
                f"{value!r} is not a storage country: {', '.join(d.STORAGE_COUNTRIES)}.",
            )
        wanted.add(code)
    current = set(storage_countries(session, seller_id))
    if current - wanted:
        session.execute(
            delete(StorageCountry).where(
                StorageCountry.seller_id == seller_id, StorageCountry.country.in_(sorted(current - wanted))
            )
        )
    session.add_all(StorageCountry(seller_id=seller_id, country=c) for c in sorted(wanted - current))
    session.flush()
    return tuple(c for c in d.STORAGE_COUNTRIES if c in wanted)


# --- marketplace orders shipped by the warehouse --------------------------------------------------


def _source(order_id: str) -> stock.Source:
    return stock.Source("order", order_id)


def allocate_order_line(
    session: Session,
    seller_id: str,
    order_id: str,
    line_id: str,
    product_id: str,
    condition: str,
    quantity: int,
    delivery_country: str,
) -> bool:
    """Holds `quantity` units for an order line (Available to Allocated) in one warehouse that delivers
    the customer's country, its own country's first; False when none holds them (or the product is
    not referenced) and nothing moved. Idempotent."""
    if session.get(OrderAllocation, (order_id, line_id)) is not None:
        return True
    if referencing.referenced(session, seller_id, product_id=product_id, condition=condition) is None:
        return False
    for country in d.serving_countries(delivery_country):
        record = session.scalar(
            select(Stock).where(
                Stock.seller_id == seller_id,
                Stock.product_id == product_id,
                Stock.product_condition == condition,
                Stock.storage_country == country,
            )
        )
        if record is None:
            continue
        try:
            stock.move(
                session,
                record,
                {A: -quantity, AL: quantity},
                d.Reason.ORDER_ALLOCATED,
                _source(order_id),
                f"Line {line_id}",
            )
        except stock.InsufficientStock:
            continue
        session.add(
            OrderAllocation(
                order_id=order_id,
                line_id=line_id,
                stock_id=record.id,
                quantity=quantity,
                created_at=clock.now(),
            )
        )
        session.flush()
        return True
    return False


def _held(session: Session, order_id: str, line_id: str) -> tuple[OrderAllocation, Stock] | None:
    held = session.get(OrderAllocation, (order_id, line_id), with_for_update=True)
    if held is None:
        return None
    return held, session.get_one(Stock, held.stock_id)


def release_order_line(session: Session, order_id: str, line_id: str) -> None:
    """Gives the line's units back to Available (the order was refused, cancelled or expired)."""
    found = _held(session, order_id, line_id)
    if found is not None:
        held, record = found
        deltas = {A: held.quantity, AL: -held.quantity}
        stock.move(session, record, deltas, d.Reason.ORDER_RELEASED, _source(order_id), f"Line {line_id}")
        session.delete(held)


def ship_order_line(session: Session, order_id: str, line_id: str) -> None:
    """The warehouse shipped the line: its units leave Allocated, and the warehouse."""
    found = _held(session, order_id, line_id)
    if found is not None:
        held, record = found
        deltas = {AL: -held.quantity}
        stock.move(session, record, deltas, d.Reason.ORDER_SHIPPED, _source(order_id), f"Line {line_id}")
        session.delete(held)


# --- adjustments ----------------------------------------------------------------------------------


def _reason(value: str) -> d.Reason:
    for reason in ADJUSTMENT_REASONS:
        if value.strip().lower() == reason.lower():
            return reason
    raise ValidationFailed.field("reason", f"reason is one of {', '.join(ADJUSTMENT_REASONS)}.")


def _target(session: Session, data: s.StockAdjustmentIn) -> Stock:
    if data.stock_id:
        found = session.get(Stock, data.stock_id)
        if found is None:
            raise NotFound(f"Stock {data.stock_id} does not exist.")
        return found
    if not data.seller_id:
        raise ValidationFailed.field(
            "stockId", "Name the stock by stockId, or by sellerId, the product and storageCountry."
        )
    product = referencing.referenced(
        session, data.seller_id, data.seller_product_reference, data.product_id, data.product_condition
    )
    if product is None:
        raise NotFound("The seller has not referenced this product for fulfillment.")
    country = d.storage_country(data.storage_country or "")
    if country is None:
        raise ValidationFailed.field(
            "storageCountry", f"storageCountry is one of {', '.join(d.STORAGE_COUNTRIES)}."
        )
    existing = session.scalar(
        select(Stock.id).where(
            Stock.seller_id == data.seller_id,
            Stock.product_id == product.product_id,
            Stock.product_condition == product.product_condition,
            Stock.storage_country == country,
        )
    )
    if existing is None and country not in storage_countries(session, data.seller_id):
        raise Conflict(f"{country} is not open to seller {data.seller_id}: nothing is stored there.")
    return stock.record(session, data.seller_id, product.product_id, product.product_condition, country)


def adjust(session: Session, data: s.StockAdjustmentIn) -> tuple[Stock, StockMovement | None]:
    """An operator's adjustment: Inventory sets Available to the units counted, Damage blocks units,
    Removal sets units apart for the seller to take back. 409 when Available holds too few."""
    reason = _reason(data.reason)
    if reason == d.Reason.INVENTORY:
        if data.counted_quantity is None:
            raise ValidationFailed.field("countedQuantity", "An Inventory adjustment gives countedQuantity.")
    elif data.quantity is None:
        raise ValidationFailed.field("quantity", f"A {reason} adjustment gives quantity.")
    record = _target(session, data)
    if reason == d.Reason.INVENTORY:
        assert data.counted_quantity is not None
        deltas = {A: data.counted_quantity - record.available}
    else:
        assert data.quantity is not None
        deltas = {A: -data.quantity, _ADJUSTED_TO[reason]: data.quantity}
    last = _last_movement(session, record.id)
    try:
        stock.move(session, record, deltas, reason, stock.Source("adjustment"), data.comment)
    except stock.InsufficientStock as exc:
        raise Conflict(
            f"Only {record.available} units are Available in this stock.", code="InsufficientStock"
        ) from exc
    movement = _last_movement(session, record.id)
    return record, movement if movement is not None and movement.id != (last.id if last else None) else None


def _last_movement(session: Session, stock_id: str) -> StockMovement | None:
    return session.scalar(
        select(StockMovement)
        .where(StockMovement.stock_id == stock_id)
        .order_by(StockMovement.id.desc())
        .limit(1)
    )
