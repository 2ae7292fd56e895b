"""Returns (spec 15.5): the seller declares a customer return on a shipped outbound shipment (never
more units than were shipped, counting earlier returns), the warehouse records carrier returns,
receives either into the Return bucket, then puts each unit back into Available or Blocked.

Stock moves only through `fulfillment.stock.move`, in the warehouse the shipment left: reception
(ReturnReceived), then inspection (ReturnRestocked, ReturnBlocked).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from comptoir import clock, ids, orders
from comptoir.db.pagination import CursorPage
from comptoir.errors import Conflict, NotFound, ValidationFailed
from comptoir.fulfillment import domain as core
from comptoir.fulfillment import items, records, stock
from comptoir.fulfillment.inbound.domain import WAREHOUSES
from comptoir.fulfillment.models import Stock, StockMovement
from comptoir.fulfillment.outbound import domain as outbound_rules
from comptoir.fulfillment.outbound import service as outbound
from comptoir.fulfillment.outbound.models import OutboundParcel, OutboundShipment
from comptoir.fulfillment.referencing import referenced
from comptoir.fulfillment.returns import domain as d
from comptoir.fulfillment.returns import labels
from comptoir.fulfillment.returns import schemas as s
from comptoir.fulfillment.returns.models import FulfillmentReturn, ReturnLine

B = core.Bucket
# How the warehouse's shipments of marketplace orders name them in the stock ledger.
ORDER_SOURCE = "order"


# --- declaring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """What a return takes units back from: a shipped outbound shipment, or the Fulfillment lines
    the warehouse shipped for a marketplace order."""

    seller_id: str
    shipment_id: str | None
    order_id: str | None
    reference: str
    shipped: list[d.Shipped]
    # The first parcel's number: what a carrier brings back when none is named.
    parcel: str


def _from_shipment(
    session: Session, seller_id: str | None, shipment_id: str | None, reference: str | None
) -> Origin:
    """The shipment a return names, locked so that two returns on it count each other's units."""
    if shipment_id:
        found = session.get(OutboundShipment, shipment_id, with_for_update=True)
        if found is None or (seller_id is not None and found.seller_id != seller_id):
            raise NotFound(f"Outbound shipment {shipment_id} does not exist.")
    else:
        found = session.scalar(
            select(OutboundShipment)
            .where(OutboundShipment.seller_id == seller_id, OutboundShipment.reference == reference)
            .with_for_update()
        )
        if found is None:
            raise NotFound(f"No outbound shipment has the reference {reference}.")
    if found.status != outbound_rules.Status.SHIPPED:
        raise d.TransitionRefused(
            f"The outbound shipment is {found.status}: only a shipped one can be returned."
        )
    assert found.storage_country is not None  # a shipped shipment left one warehouse
    totals: dict[str, d.Shipped] = {}
    for item in outbound.items_of(session, found.id):
        assert item.seller_product_reference and item.product_id and item.product_condition
        known = totals.get(item.seller_product_reference)
        totals[item.seller_product_reference] = d.Shipped(
            item.seller_product_reference,
            item.product_id,
            item.product_condition,
            found.storage_country,
            item.quantity + (known.quantity if known else 0),
        )
    parcel = session.scalar(
        select(OutboundParcel.tracking_number)
        .where(OutboundParcel.shipment_id == found.id)
        .order_by(OutboundParcel.position)
        .limit(1)
    )
    return Origin(found.seller_id, found.id, None, found.reference, list(totals.values()), parcel or found.id)


def _from_order(session: Session, seller_id: str | None, order_id: str) -> Origin:
    """A marketplace order's units the warehouse shipped, as its stock ledger tells them (the order
    belongs to the orders feature; its shipments of warehouse stock are movements of ours)."""
    order = orders.order_view(session, order_id, seller_id=seller_id)
    shipped = (
        StockMovement.source_kind == ORDER_SOURCE,
        StockMovement.source_id == order.order_id,
        StockMovement.reason == core.Reason.ORDER_SHIPPED,
    )
    # Locked, so that two returns on the order count each other's units.
    session.scalars(select(StockMovement.id).where(*shipped).with_for_update()).all()
    rows = session.execute(
        select(
            Stock.product_id,
            Stock.product_condition,
            Stock.storage_country,
            func.sum(-StockMovement.allocated),
        )
        .join(Stock, Stock.id == StockMovement.stock_id)
        .where(*shipped, Stock.seller_id == order.seller_id)
        .group_by(Stock.product_id, Stock.product_condition, Stock.storage_country)
        .order_by(Stock.product_id, Stock.product_condition, Stock.storage_country)
    ).all()
    if not rows:
        raise d.TransitionRefused(
            f"The warehouse shipped nothing of order {order.order_id}: nothing to return."
        )
    products = []
    for product_id, condition, country, quantity in rows:
        known = referenced(session, order.seller_id, product_id=product_id, condition=condition)
        reference = known.seller_product_reference if known else product_id
        products.append(d.Shipped(reference, product_id, condition, country, int(quantity)))
    return Origin(order.seller_id, None, order.order_id, order.order_id, products, order.order_id)


def _origin(
    session: Session,
    seller_id: str | None,
    *,
    shipment_id: str | None,
    reference: str | None,
    order_id: str | None,
) -> Origin:
    if shipment_id or reference:
        return _from_shipment(session, seller_id, shipment_id, reference)
    if order_id:
        return _from_order(session, seller_id, order_id)
    raise ValidationFailed.field(
        "outboundShipmentId",
        "A return names its outboundShipmentId (or the shipment's reference), or an orderSellerId.",
    )


def _returned(session: Session, origin: Origin) -> dict[tuple[str, str], int]:
    """What earlier returns declared, by product and warehouse."""
    linked = (
        FulfillmentReturn.outbound_shipment_id == origin.shipment_id
        if origin.shipment_id
        else FulfillmentReturn.order_id == origin.order_id
    )
    rows = session.execute(
        select(
            ReturnLine.seller_product_reference,
            FulfillmentReturn.storage_country,
            func.sum(ReturnLine.declared_quantity),
        )
        .join(FulfillmentReturn, FulfillmentReturn.id == ReturnLine.return_id)
        .where(linked)
        .group_by(ReturnLine.seller_product_reference, FulfillmentReturn.storage_country)
    )
    return {(reference, country): int(total) for reference, country, total in rows}


def _keys(lines: Sequence[s.ReturnLineIn]) -> list[tuple[items.ProductKey, int]]:
    return [
        (
            items.product_key(
                f"lines[{i}]", line.seller_product_reference, line.product_id, line.product_condition
            ),
            line.quantity,
        )
        for i, line in enumerate(lines)
    ]


def _open(
    session: Session,
    origin: Origin,
    type_: d.Type,
    reason: str,
    comment: str | None,
    parcel_id: str,
    lines: Sequence[tuple[d.Shipped, int]],
) -> FulfillmentReturn:
    now = clock.now()
    found = FulfillmentReturn(
        id=ids.new_uuid(),
        seller_id=origin.seller_id,
        type=type_.value,
        status=d.Status.CREATED.value,
        reason=reason,
        comment=comment,
        outbound_shipment_id=origin.shipment_id,
        order_id=origin.order_id,
        reference=origin.reference,
        storage_country=d.one_warehouse([product for product, _ in lines]),
        parcel_id=parcel_id,
        created_at=now,
        updated_at=now,
    )
    session.add(found)
    session.flush()
    for number, (product, quantity) in enumerate(lines, start=1):
        session.add(
            ReturnLine(
                return_id=found.id,
                line_number=number,
                seller_product_reference=product.seller_product_reference,
                product_id=product.product_id,
                product_condition=product.product_condition,
                declared_quantity=quantity,
            )
        )
    session.flush()
    return found


def _declared(
    origin: Origin, keys: Sequence[tuple[items.ProductKey, int]], returned: dict[tuple[str, str], int]
) -> list[tuple[d.Shipped, int]]:
    products = d.returnable(keys, origin.shipped, returned)
    return [(product, quantity) for product, (_, quantity) in zip(products, keys, strict=True)]


def create(session: Session, seller_id: str, data: s.ReturnIn) -> FulfillmentReturn:
    """A customer return: at most what was shipped, less what earlier returns declared."""
    reason = d.one_of("reason", data.reason, d.REASONS)
    keys = _keys(data.lines)  # the lines' form first: a 400 before anything is looked up
    origin = _origin(
        session,
        seller_id,
        shipment_id=data.outbound_shipment_id,
        reference=data.reference,
        order_id=data.order_seller_id or data.order_id,
    )
    lines = _declared(origin, keys, _returned(session, origin))
    parcel = f"RT{outbound.parcel_digits()}{d.one_warehouse([p for p, _ in lines])}"
    return _open(session, origin, d.Type.CUSTOMER, reason, data.comment, parcel, lines)


def carrier_return(session: Session, data: s.CarrierReturnIn) -> FulfillmentReturn:
    """The carrier brought a shipment (or an order's parcel) back (operator): the lines given, or
    every unit not returned yet; no label."""
    reason = d.one_of("reason", data.reason, d.REASONS) if data.reason else d.CARRIER_REASON
    origin = _origin(
        session, None, shipment_id=data.outbound_shipment_id, reference=None, order_id=data.order_seller_id
    )
    returned = _returned(session, origin)
    if data.lines is not None:
        lines = _declared(origin, _keys(data.lines), returned)
    else:
        lines = [(p, left) for p in origin.shipped if (left := p.quantity - returned.get(p.key, 0)) > 0]
    if not lines:
        raise Conflict("Every unit shipped was already returned.", code="AlreadyReturned")
    return _open(
        session, origin, d.Type.CARRIER, reason, data.comment, data.parcel_id or origin.parcel, lines
    )


# --- the warehouse receives and inspects ----------------------------------------------------------


def _operated(session: Session, return_id: str) -> tuple[FulfillmentReturn, list[ReturnLine]]:
    found = session.get(FulfillmentReturn, return_id, with_for_update=True, populate_existing=True)
    if found is None:
        raise NotFound(f"Return {return_id} does not exist.")
    return found, lines_of(session, found.id)


def _record(session: Session, found: FulfillmentReturn, line: ReturnLine) -> Any:
    return stock.record(
        session, found.seller_id, line.product_id, line.product_condition, found.storage_country
    )


def receive(session: Session, return_id: str, data: s.ReceptionIn) -> FulfillmentReturn:
    """The parcel is in: the counted units enter Return (ReturnReceived); the return is Pending."""
    found, lines = _operated(session, return_id)
    d.expect(found.status, d.Status.CREATED, "received")
    received = d.counted(
        "lines",
        ((g.line_number, g.received_quantity) for g in data.lines),
        [ln.declared_quantity for ln in lines],
        "received",
    )
    source = stock.Source("return", found.id)
    for line, quantity in zip(lines, received, strict=True):
        line.received_quantity = quantity
        if quantity:
            stock.move(
                session,
                _record(session, found, line),
                {B.RETURN: quantity},
                core.Reason.RETURN_RECEIVED,
                source,
            )
    now = clock.now()
    found.status, found.receipt_date, found.updated_at = d.Status.PENDING.value, now, now
    found.warehouse_comment = data.warehouse_comment or found.warehouse_comment
    return found


def inspect(session: Session, return_id: str, data: s.InspectionIn) -> FulfillmentReturn:
    """Each line's unfit units go to Blocked (ReturnBlocked), the others back to Available
    (ReturnRestocked); the return is Completed."""
    found, lines = _operated(session, return_id)
    d.expect(found.status, d.Status.PENDING, "inspected")
    blocked = d.counted(
        "lines",
        ((g.line_number, g.blocked_quantity) for g in data.lines),
        [ln.received_quantity or 0 for ln in lines],
        "blocked",
    )
    source = stock.Source("return", found.id)
    for line, unfit in zip(lines, blocked, strict=True):
        line.blocked_quantity = unfit
        fit = (line.received_quantity or 0) - unfit
        if fit or unfit:
            record = _record(session, found, line)
            stock.move(
                session, record, {B.RETURN: -fit, B.AVAILABLE: fit}, core.Reason.RETURN_RESTOCKED, source
            )
            stock.move(
                session, record, {B.RETURN: -unfit, B.BLOCKED: unfit}, core.Reason.RETURN_BLOCKED, source
            )
    if data.recommended_return_reason:
        found.recommended_return_reason = d.one_of(
            "recommendedReturnReason", data.recommended_return_reason, d.REASONS
        )
    found.warehouse_comment = data.warehouse_comment or found.warehouse_comment
    found.status, found.updated_at = d.Status.COMPLETED.value, clock.now()
    return found


# --- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnFilter:
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    outbound_shipment_id: str | None = None
    order_id: str | None = None
    created: tuple[datetime | None, datetime | None] = (None, None)
    updated: tuple[datetime | None, datetime | None] = (None, None)


def _filtered(stmt: Any, seller_id: str, filters: ReturnFilter) -> Any:
    stmt = stmt.where(FulfillmentReturn.seller_id == seller_id)
    if filters.types:
        stmt = stmt.where(FulfillmentReturn.type.in_(filters.types))
    if filters.statuses:
        stmt = stmt.where(FulfillmentReturn.status.in_(filters.statuses))
    if filters.outbound_shipment_id:
        stmt = stmt.where(FulfillmentReturn.outbound_shipment_id == filters.outbound_shipment_id)
    if filters.order_id:
        stmt = stmt.where(FulfillmentReturn.order_id == filters.order_id)
    for column, (low, high) in (
        (FulfillmentReturn.created_at, filters.created),
        (FulfillmentReturn.updated_at, filters.updated),
    ):
        if low is not None:
            stmt = stmt.where(column >= low)
        if high is not None:
            stmt = stmt.where(column <= high)
    return stmt


def list_returns(
    session: Session, seller_id: str, filters: ReturnFilter, *, limit: int, cursor: str | None
) -> CursorPage[FulfillmentReturn]:
    """Latest update first."""
    return records.latest_first(
        session,
        _filtered(select(FulfillmentReturn), seller_id, filters),
        FulfillmentReturn.updated_at,
        FulfillmentReturn.id,
        limit=limit,
        cursor=cursor,
    )


def count_returns(session: Session, seller_id: str, filters: ReturnFilter) -> int:
    return int(session.scalar(_filtered(select(func.count(FulfillmentReturn.id)), seller_id, filters)) or 0)


def get_return(session: Session, seller_id: str | None, return_id: str) -> FulfillmentReturn:
    """The seller's return (any return for the operator, `seller_id` None)."""
    missing = f"Return {return_id} does not exist."
    return records.owned(session, FulfillmentReturn, return_id, seller_id, missing)


def lines_of(session: Session, return_id: str) -> list[ReturnLine]:
    return list(
        session.scalars(
            select(ReturnLine).where(ReturnLine.return_id == return_id).order_by(ReturnLine.line_number)
        )
    )


def _line_document(line: ReturnLine) -> s.ReturnLineOut:
    inspected = line.blocked_quantity is not None
    return s.ReturnLineOut(
        line_number=line.line_number,
        seller_product_reference=line.seller_product_reference,
        product_id=line.product_id,
        product_condition=line.product_condition,
        declared_quantity=line.declared_quantity,
        received_quantity=line.received_quantity,
        restocked_quantity=(line.received_quantity or 0) - (line.blocked_quantity or 0)
        if inspected
        else None,
        blocked_quantity=line.blocked_quantity,
    )


def documents(session: Session, returns: Sequence[FulfillmentReturn]) -> list[s.ReturnOut]:
    """Every return with its lines, in one query of lines whatever the page's size."""
    lines: dict[str, list[s.ReturnLineOut]] = {r.id: [] for r in returns}
    for line in session.scalars(
        select(ReturnLine)
        .where(ReturnLine.return_id.in_(list(lines)))
        .order_by(ReturnLine.return_id, ReturnLine.line_number)
    ):
        lines[line.return_id].append(_line_document(line))
    out = []
    for found in returns:
        labelled = d.has_label(found.type, found.storage_country)
        out.append(
            s.ReturnOut(
                return_id=found.id,
                type=found.type,
                status=found.status,
                reason=found.reason,
                recommended_return_reason=found.recommended_return_reason,
                comment=found.comment,
                warehouse_comment=found.warehouse_comment,
                outbound_shipment_id=found.outbound_shipment_id,
                order_seller_id=found.order_id,
                reference=found.reference,
                storage_country=found.storage_country,
                parcel_id=found.parcel_id,
                receipt_date=clock.iso_z(found.receipt_date),
                created_at=clock.iso_z(found.created_at) or "",
                updated_at=clock.iso_z(found.updated_at) or "",
                lines=lines[found.id],
                has_label=labelled,
                label_url=f"/returns/{found.id}/label" if labelled else None,
            )
        )
    return out


def document(session: Session, found: FulfillmentReturn) -> s.ReturnOut:
    return documents(session, [found])[0]


def label(session: Session, seller_id: str, return_id: str) -> bytes:
    """The PDF label of a customer return to the FR warehouse; a 404 saying why for the others."""
    found = get_return(session, seller_id, return_id)
    if found.type == d.Type.CARRIER:
        raise NotFound(
            "A carrier return has no label: the carrier brings the parcel back itself.", code="NoReturnLabel"
        )
    if not d.has_label(found.type, found.storage_country):
        raise NotFound(
            f"Returns to the {found.storage_country} warehouse have no label to download: "
            "the customer receives it by mail.",
            code="LabelSentByMail",
        )
    # The customer's address is known for outbound shipments; orders keep theirs to themselves.
    shipment = (
        session.get(OutboundShipment, found.outbound_shipment_id) if found.outbound_shipment_id else None
    )
    return labels.render(
        return_id=found.id,
        parcel_id=found.parcel_id,
        reference=found.reference,
        created_at=found.created_at,
        sender=shipment.delivery_address if shipment else None,
        to=WAREHOUSES[found.storage_country],
        lines=[
            labels.LabelLine(ln.seller_product_reference, ln.declared_quantity)
            for ln in lines_of(session, found.id)
        ],
    )
