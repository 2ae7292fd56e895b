"""Outbound shipping orders (spec 15.4): created by the seller, checked and allocated by the warehouse
(a job), prepared and shipped by it, or cancelled by the seller before they leave.

Units move only through `fulfillment.stock.move`: Available to Allocated when the warehouse accepts
a shipment (every item or none, in one warehouse), back when it is cancelled or rejected, out of
Allocated when it ships. In sandbox mode the warehouse moves on by itself, one job per step, so that
the progress policies pace it; elsewhere the operator's warehouse routes do.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comptoir import clock, ids
from comptoir.db.pagination import CursorPage
from comptoir.errors import Conflict, NotFound, ValidationFailed
from comptoir.fulfillment import domain as core
from comptoir.fulfillment import items, records, stock
from comptoir.fulfillment.models import Stock
from comptoir.fulfillment.outbound import domain as d
from comptoir.fulfillment.outbound import schemas as s
from comptoir.fulfillment.outbound.models import (
    OutboundCancellation,
    OutboundItem,
    OutboundParcel,
    OutboundShipment,
)
from comptoir.fulfillment.referencing import referenced
from comptoir.jobs import Subject, enqueue, paced

# The sandbox progress controls' name for shipping orders (`/sandbox/v1/progress/outbound-shipments/{id}`).
PROGRESS_KIND = "outbound-shipments"
VALIDATE_JOB, PREPARE_JOB, SHIP_JOB = (
    "fulfillment.outbound.validate",
    "fulfillment.outbound.prepare",
    "fulfillment.outbound.ship",
)
CANCELLATION_ACCEPTED = "Accepted"
A, AL = core.Bucket.AVAILABLE, core.Bucket.ALLOCATED


def parcel_digits() -> str:
    """Eleven digits of a generated parcel number, from the id generator (seeded in a sandbox reset)."""
    return f"{uuid.UUID(ids.new_uuid()).int % 10**11:011d}"


def _subject(shipment: OutboundShipment) -> Subject:
    return Subject(PROGRESS_KIND, shipment.id, shipment.seller_id)


# --- the seller's order ---------------------------------------------------------------------------


def create(session: Session, seller_id: str, data: s.OutboundShipmentIn) -> OutboundShipment:
    """Checks the order's form at once (400 naming the field); what it names (products, stock, the
    warehouse country) the warehouse checks afterwards, rejecting it with reasons."""
    mode = d.delivery_mode(data.delivery_mode)
    keys = [
        items.product_key(
            f"items[{i}]", item.seller_product_reference, item.product_id, item.product_condition, noun="item"
        )
        for i, item in enumerate(data.items)
    ]
    requested = None
    if data.storage_country:
        requested = core.storage_country(data.storage_country)
        if requested is None:
            known = ", ".join(core.STORAGE_COUNTRIES)
            raise ValidationFailed.field(
                "storageCountry", f"Unknown storage country {data.storage_country!r}; one of {known}."
            )
    existing = session.scalar(
        select(OutboundShipment.id).where(
            OutboundShipment.seller_id == seller_id, OutboundShipment.reference == data.reference
        )
    )
    if existing is not None:
        raise _duplicate(existing)
    now = clock.now()
    address = msgspec.to_builtins(data.delivery_address)
    address["countryCode"] = address["countryCode"].upper()
    shipment = OutboundShipment(
        id=ids.new_uuid(),
        seller_id=seller_id,
        reference=data.reference,
        status=d.Status.CREATED.value,
        validity=d.PENDING,
        delivery_mode=mode,
        requested_country=requested,
        delivery_address=address,
        rejection_reasons=[],
        created_at=now,
        status_updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(shipment)
            session.flush()
    except IntegrityError:
        # The same reference sent twice at once (PostgreSQL): the other one was first.
        raise _duplicate(None) from None
    for position, (item, key) in enumerate(zip(data.items, keys, strict=True)):
        session.add(
            OutboundItem(
                shipment_id=shipment.id,
                position=position,
                seller_product_reference=key.seller_product_reference,
                product_id=key.product_id,
                product_condition=key.product_condition,
                quantity=item.quantity,
            )
        )
    session.flush()
    enqueue(session, VALIDATE_JOB, {"shipment_id": shipment.id}, subject=_subject(shipment))
    return shipment


def _duplicate(existing: str | None) -> Conflict:
    named = f" ({existing})" if existing else ""
    return Conflict(
        f"An outbound shipment with this reference already exists{named}.", code="DuplicateReference"
    )


def items_of(session: Session, shipment_id: str) -> list[OutboundItem]:
    return list(
        session.scalars(
            select(OutboundItem)
            .where(OutboundItem.shipment_id == shipment_id)
            .order_by(OutboundItem.position)
        )
    )


def _locked(session: Session, shipment_id: str) -> OutboundShipment | None:
    return session.get(OutboundShipment, shipment_id, with_for_update=True, populate_existing=True)


def _set_status(shipment: OutboundShipment, action: d.Action) -> None:
    shipment.status = d.transition(shipment.status, action).value
    shipment.validity = d.VALIDITY_AFTER.get(action, shipment.validity)
    shipment.status_updated_at = clock.now()


# --- the warehouse checks and allocates -----------------------------------------------------------


def _key(item: OutboundItem) -> items.ProductKey:
    return items.ProductKey(item.seller_product_reference, item.product_id, item.product_condition)


class _Short(Exception):
    def __init__(self, item: OutboundItem) -> None:
        self.item = item


def _allocate(
    session: Session, shipment: OutboundShipment, items: Sequence[OutboundItem], country: str
) -> None:
    """Allocates every item in `country`'s warehouse or none (one savepoint); _Short names the first
    item the warehouse lacks. Stock records are locked in one order, so that concurrent allocations
    never wait on each other in a circle."""
    source = stock.Source("outbound", shipment.id)
    ordered = sorted(items, key=lambda i: (i.product_id or "", i.product_condition or "", i.position))
    with session.begin_nested():
        for item in ordered:
            record = session.scalar(
                select(Stock).where(
                    Stock.seller_id == shipment.seller_id,
                    Stock.product_id == item.product_id,
                    Stock.product_condition == item.product_condition,
                    Stock.storage_country == country,
                )
            )
            if record is None:
                raise _Short(item)
            try:
                stock.move(
                    session,
                    record,
                    {A: -item.quantity, AL: item.quantity},
                    core.Reason.OUTBOUND_ALLOCATED,
                    source,
                )
            except stock.InsufficientStock:
                raise _Short(item) from None
            item.stock_id = record.id


def validate(session: Session, shipment_id: str) -> None:
    """The job: accepts a shipment still Created (its items known, its units allocated in one
    warehouse) or rejects it with reasons. Idempotent."""
    shipment = _locked(session, shipment_id)
    if shipment is None or shipment.status != d.Status.CREATED:
        return
    items = items_of(session, shipment.id)
    unknown = []
    for item in items:
        product = referenced(
            session,
            shipment.seller_id,
            item.seller_product_reference,
            item.product_id,
            item.product_condition,
        )
        if product is None:
            unknown.append(d.unknown_product(item.position, _key(item)))
            continue
        item.seller_product_reference = product.seller_product_reference
        item.product_id, item.product_condition = product.product_id, product.product_condition
    if unknown:
        _reject(session, shipment, unknown)
        return
    destination = shipment.delivery_address["countryCode"]
    countries = d.warehouses(shipment.requested_country, destination)
    if not countries:
        _reject(session, shipment, [d.destination_not_served(destination, shipment.requested_country)])
        return
    short: OutboundItem | None = None
    for country in countries:
        try:
            _allocate(session, shipment, items, country)
        except _Short as lacking:
            # The nearest warehouse's shortage is the one reported if none holds it all.
            short = short or lacking.item
            continue
        shipment.storage_country = country
        _set_status(shipment, d.Action.ACCEPT)
        if paced(session):
            enqueue(session, PREPARE_JOB, {"shipment_id": shipment.id}, subject=_subject(shipment))
        return
    assert short is not None
    _reject(session, shipment, [d.insufficient_stock(short.position, _key(short), short.quantity, countries)])


def _release(session: Session, shipment: OutboundShipment) -> None:
    """Allocated units go back to Available (a shipment cancelled or rejected after acceptance)."""
    if shipment.status not in d.ALLOCATED:
        return
    source = stock.Source("outbound", shipment.id)
    for item in items_of(session, shipment.id):
        record = session.get(Stock, item.stock_id) if item.stock_id else None
        if record is not None:
            stock.move(
                session, record, {AL: -item.quantity, A: item.quantity}, core.Reason.OUTBOUND_RELEASED, source
            )


def _reject(session: Session, shipment: OutboundShipment, reasons: Iterable[d.Rejection]) -> None:
    _release(session, shipment)
    _set_status(shipment, d.Action.REJECT)
    shipment.rejection_reasons = [
        {"code": r.code, "message": r.message, "itemIndex": r.item_index} for r in reasons
    ]


def fail(session: Session, shipment_id: str, code: str | None, message: str | None) -> None:
    """Rejects a shipment not yet shipped (sandbox policy `fail`, or a validation that could not
    run), with the chosen code and message or the warehouse's usual ones; units go back."""
    shipment = _locked(session, shipment_id)
    if shipment is None or not d.allowed(shipment.status, d.Action.REJECT):
        return
    default_code, default_message = d.REJECTED_BY_WAREHOUSE
    _reject(session, shipment, [d.Rejection(code or default_code, message or default_message)])


def give_up(session: Session, shipment_id: str) -> None:
    fail(session, shipment_id, *d.UNAVAILABLE)


# --- the warehouse prepares and ships -------------------------------------------------------------


def _operated(session: Session, shipment_id: str) -> OutboundShipment:
    shipment = _locked(session, shipment_id)
    if shipment is None:
        raise NotFound(f"Outbound shipment {shipment_id} does not exist.")
    return shipment


def prepare(session: Session, shipment_id: str) -> OutboundShipment:
    """The warehouse starts picking an accepted shipment (operator); 409 in any other status."""
    shipment = _operated(session, shipment_id)
    _set_status(shipment, d.Action.PREPARE)
    return shipment


def ship(session: Session, shipment_id: str, data: s.WarehouseShipmentIn) -> OutboundShipment:
    """The warehouse hands a shipment in preparation to its carrier (operator); 409 otherwise."""
    shipment = _operated(session, shipment_id)
    d.transition(shipment.status, d.Action.SHIP)
    _ship(session, shipment, data.carrier, [(p.tracking_number, p.tracking_url) for p in data.parcels])
    return shipment


def _ship(
    session: Session, shipment: OutboundShipment, carrier: str, parcels: Sequence[tuple[str, str | None]]
) -> None:
    """The allocated units leave the stock; the parcels and their tracking are recorded."""
    source = stock.Source("outbound", shipment.id)
    for item in items_of(session, shipment.id):
        record = session.get(Stock, item.stock_id) if item.stock_id else None
        if record is not None:
            stock.move(session, record, {AL: -item.quantity}, core.Reason.OUTBOUND_SHIPPED, source)
    for position, (number, url) in enumerate(parcels):
        session.add(
            OutboundParcel(
                id=ids.new_uuid(),
                shipment_id=shipment.id,
                position=position,
                tracking_number=number,
                tracking_url=url,
            )
        )
    _set_status(shipment, d.Action.SHIP)
    shipment.carrier = carrier
    shipment.shipped_at = shipment.status_updated_at
    session.flush()


def prepare_step(session: Session, shipment_id: str) -> None:
    """The sandbox warehouse's own step: an accepted shipment goes into preparation. Idempotent."""
    shipment = _locked(session, shipment_id)
    if shipment is None or shipment.status != d.Status.ACCEPTED:
        return
    _set_status(shipment, d.Action.PREPARE)
    enqueue(session, SHIP_JOB, {"shipment_id": shipment.id}, subject=_subject(shipment))


def ship_step(session: Session, shipment_id: str) -> None:
    """The sandbox warehouse's own step: a shipment in preparation leaves with the delivery mode's
    carrier and a generated tracking number. Idempotent."""
    shipment = _locked(session, shipment_id)
    if shipment is None or shipment.status != d.Status.IN_PREPARATION:
        return
    carrier = d.DELIVERY_MODES[shipment.delivery_mode]
    number = d.tracking_number(shipment.delivery_mode, parcel_digits())
    _ship(session, shipment, carrier.name, [(number, carrier.tracking_url.format(number))])


# --- cancellation requests ------------------------------------------------------------------------


def cancel(session: Session, seller_id: str, data: s.CancellationIn) -> OutboundCancellation:
    """Cancels a shipment not yet shipped, at once: allocated units go back to Available. After
    shipment (or once rejected or cancelled) the request is refused with a 409."""
    shipment = _locked(session, data.outbound_shipment_id)
    if shipment is None or shipment.seller_id != seller_id:
        raise NotFound(f"Outbound shipment {data.outbound_shipment_id} does not exist.")
    if not d.allowed(shipment.status, d.Action.CANCEL):
        raise d.TransitionRefused(
            f"The outbound shipment is {shipment.status}: it can be cancelled only before it is shipped."
        )
    previous = shipment.status
    _release(session, shipment)
    _set_status(shipment, d.Action.CANCEL)
    request = OutboundCancellation(
        id=ids.new_uuid(),
        seller_id=seller_id,
        shipment_id=shipment.id,
        shipment_status=previous,
        reason=data.reason,
        created_at=clock.now(),
    )
    session.add(request)
    session.flush()
    return request


def get_cancellation(session: Session, seller_id: str, request_id: str) -> OutboundCancellation:
    missing = f"Outbound cancellation request {request_id} does not exist."
    return records.owned(session, OutboundCancellation, request_id, seller_id, missing)


def cancellation_document(request: OutboundCancellation) -> s.CancellationOut:
    return s.CancellationOut(
        cancellation_request_id=request.id,
        outbound_shipment_id=request.shipment_id,
        status=CANCELLATION_ACCEPTED,
        reason=request.reason,
        previous_status=request.shipment_status,
        created_at=clock.iso_z(request.created_at) or "",
    )


# --- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboundFilter:
    validities: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    updated_min: datetime | None = None
    updated_max: datetime | None = None


def _filtered(stmt: Any, seller_id: str, filters: OutboundFilter) -> Any:
    stmt = stmt.where(OutboundShipment.seller_id == seller_id)
    if filters.validities:
        stmt = stmt.where(OutboundShipment.validity.in_(filters.validities))
    if filters.statuses:
        stmt = stmt.where(OutboundShipment.status.in_(filters.statuses))
    if filters.updated_min is not None:
        stmt = stmt.where(OutboundShipment.status_updated_at >= filters.updated_min)
    if filters.updated_max is not None:
        stmt = stmt.where(OutboundShipment.status_updated_at <= filters.updated_max)
    return stmt


def list_shipments(
    session: Session, seller_id: str, filters: OutboundFilter, *, limit: int, cursor: str | None
) -> CursorPage[OutboundShipment]:
    """Latest status change first."""
    return records.latest_first(
        session,
        _filtered(select(OutboundShipment), seller_id, filters),
        OutboundShipment.status_updated_at,
        OutboundShipment.id,
        limit=limit,
        cursor=cursor,
    )


def count_shipments(session: Session, seller_id: str, filters: OutboundFilter) -> int:
    return int(session.scalar(_filtered(select(func.count(OutboundShipment.id)), seller_id, filters)) or 0)


def get_shipment(session: Session, seller_id: str | None, shipment_id: str) -> OutboundShipment:
    """The seller's shipment (any shipment for the operator, `seller_id` None)."""
    missing = f"Outbound shipment {shipment_id} does not exist."
    return records.owned(session, OutboundShipment, shipment_id, seller_id, missing)


def documents(session: Session, shipments: Sequence[OutboundShipment]) -> list[s.OutboundShipmentOut]:
    """Every shipment with its items and parcels, in two queries whatever the page's size."""
    wanted = [shipment.id for shipment in shipments]
    items: dict[str, list[s.ItemOut]] = {i: [] for i in wanted}
    parcels: dict[str, list[s.ParcelOut]] = {i: [] for i in wanted}
    for item in session.scalars(
        select(OutboundItem).where(OutboundItem.shipment_id.in_(wanted)).order_by(OutboundItem.position)
    ):
        items[item.shipment_id].append(
            s.ItemOut(item.seller_product_reference, item.product_id, item.product_condition, item.quantity)
        )
    for parcel in session.scalars(
        select(OutboundParcel).where(OutboundParcel.shipment_id.in_(wanted)).order_by(OutboundParcel.position)
    ):
        parcels[parcel.shipment_id].append(
            s.ParcelOut(parcel.id, parcel.tracking_number, parcel.tracking_url)
        )
    return [
        s.OutboundShipmentOut(
            outbound_shipment_id=shipment.id,
            reference=shipment.reference,
            status=shipment.status,
            state=shipment.validity,
            delivery_mode=shipment.delivery_mode,
            storage_country=shipment.storage_country or shipment.requested_country,
            delivery_address=msgspec.convert(shipment.delivery_address, s.AddressIn),
            items=items[shipment.id],
            carrier=shipment.carrier,
            parcels=parcels[shipment.id],
            rejection_reasons=[
                s.RejectionOut(r["code"], r["message"], r.get("itemIndex"))
                for r in shipment.rejection_reasons
            ],
            created_at=clock.iso_z(shipment.created_at) or "",
            status_updated_at=clock.iso_z(shipment.status_updated_at) or "",
            shipped_at=clock.iso_z(shipment.shipped_at),
        )
        for shipment in shipments
    ]


def document(session: Session, shipment: OutboundShipment) -> s.OutboundShipmentOut:
    return documents(session, [shipment])[0]
