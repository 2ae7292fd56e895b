"""Inbound shipments (spec 15.2): announced by the seller, checked by the warehouse (a job: the
country open to the seller, every product referenced), then sent, counted and received into stock.

Counted units enter the stock only through `fulfillment.stock.move`: the sound ones Available
(InboundReceived), the damaged ones Blocked (InboundDamaged), each movement naming the inbound. In
sandbox mode the warehouse moves on by itself, one job per step (accepted, in transit, received as
announced), so that the progress policies pace it; elsewhere, and whenever a test wants
discrepancies, the operator's warehouse routes do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comptoir import clock, ids
from comptoir.db.pagination import CursorPage
from comptoir.errors import Conflict, NotFound, ValidationFailed
from comptoir.fulfillment import domain as core
from comptoir.fulfillment import items, records, referenced, stock, storage_countries
from comptoir.fulfillment.inbound import domain as d
from comptoir.fulfillment.inbound import schemas as s
from comptoir.fulfillment.inbound.models import InboundLine, InboundShipment
from comptoir.jobs import Subject, enqueue, paced

# The sandbox progress controls' name for inbounds (`/sandbox/v1/progress/inbound-shipments/{id}`).
PROGRESS_KIND = "inbound-shipments"
VALIDATE_JOB, TRANSIT_JOB, RECEIVE_JOB = (
    "fulfillment.inbound.validate",
    "fulfillment.inbound.transit",
    "fulfillment.inbound.receive",
)
AVAILABLE, BLOCKED = core.Bucket.AVAILABLE, core.Bucket.BLOCKED


def _subject(shipment: InboundShipment) -> Subject:
    return Subject(PROGRESS_KIND, shipment.id, shipment.seller_id)


# --- the seller's announcement --------------------------------------------------------------------


def create(session: Session, seller_id: str, data: s.InboundShipmentIn) -> InboundShipment:
    """Checks the announcement's form at once (400 naming the field); what it names (the country's
    access, the products' referencing) the warehouse checks afterwards, refusing it with reasons."""
    country = d.storage_country("storageCountry", data.storage_country)
    keys = [
        items.product_key(
            f"lines[{i}]", line.seller_product_reference, line.product_id, line.product_condition
        )
        for i, line in enumerate(data.lines)
    ]
    d.check_distinct(keys)
    existing = session.scalar(
        select(InboundShipment.id).where(
            InboundShipment.seller_id == seller_id, InboundShipment.reference == data.reference
        )
    )
    if existing is not None:
        raise _duplicate(existing)
    now = clock.now()
    shipment = InboundShipment(
        id=ids.new_uuid(),
        seller_id=seller_id,
        reference=data.reference,
        storage_country=country,
        status=d.InboundStatus.CREATED.value,
        refusal_reasons=[],
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
    for number, (line, key) in enumerate(zip(data.lines, keys, strict=True), start=1):
        session.add(
            InboundLine(
                shipment_id=shipment.id,
                line_number=number,
                seller_product_reference=key.seller_product_reference,
                product_id=key.product_id,
                product_condition=key.product_condition,
                quantity=line.quantity,
                received_quantity=0,
                damaged_quantity=0,
            )
        )
    session.flush()
    enqueue(session, VALIDATE_JOB, {"shipment_id": shipment.id}, subject=_subject(shipment))
    return shipment


def _duplicate(existing: str | None) -> Conflict:
    named = f" ({existing})" if existing else ""
    return Conflict(
        f"An inbound shipment with this reference already exists{named}.", code="DuplicateReference"
    )


def lines_of(session: Session, shipment_id: str) -> list[InboundLine]:
    return list(
        session.scalars(
            select(InboundLine)
            .where(InboundLine.shipment_id == shipment_id)
            .order_by(InboundLine.line_number)
        )
    )


def _locked(session: Session, shipment_id: str) -> InboundShipment | None:
    return session.get(InboundShipment, shipment_id, with_for_update=True, populate_existing=True)


def _set_status(shipment: InboundShipment, action: d.Action) -> None:
    shipment.status = d.transition(shipment.status, action).value
    shipment.status_updated_at = clock.now()


# --- the warehouse's checks -----------------------------------------------------------------------


def validate(session: Session, shipment_id: str) -> None:
    """The job: accepts an inbound still Created (its code issued, its lines resolved to the
    referenced products) or refuses it with reasons. Idempotent."""
    shipment = _locked(session, shipment_id)
    if shipment is None or shipment.status != d.InboundStatus.CREATED:
        return
    lines = lines_of(session, shipment.id)
    products = [
        referenced(
            session,
            shipment.seller_id,
            line.seller_product_reference,
            line.product_id,
            line.product_condition,
        )
        for line in lines
    ]
    keys = [
        items.ProductKey(line.seller_product_reference, line.product_id, line.product_condition)
        for line in lines
    ]
    found = d.refusals(
        shipment.storage_country,
        storage_countries(session, shipment.seller_id),
        [product is not None for product in products],
        keys,
    )
    if found:
        _refuse(shipment, found)
        return
    for line, product in zip(lines, products, strict=True):
        assert product is not None
        line.seller_product_reference = product.seller_product_reference
        line.product_id, line.product_condition = product.product_id, product.product_condition
        line.label = product.label
    _set_status(shipment, d.Action.ACCEPT)
    shipment.accepted_at = shipment.status_updated_at
    shipment.code = d.code(shipment.storage_country, ids.letters(d.CODE_LETTERS))
    if paced(session):
        enqueue(session, TRANSIT_JOB, {"shipment_id": shipment.id}, subject=_subject(shipment))


def _refuse(shipment: InboundShipment, reasons: Sequence[d.Refusal]) -> None:
    _set_status(shipment, d.Action.REFUSE)
    shipment.refusal_reasons = [
        {"code": r.code, "message": r.message, "lineNumber": r.line_number} for r in reasons
    ]


def refuse(session: Session, shipment_id: str, code: str | None, message: str | None) -> None:
    """Refuses an inbound the warehouse has not started counting (sandbox policy `fail`), with a code
    and message of the sandbox's choosing or the warehouse's usual ones."""
    shipment = _locked(session, shipment_id)
    if shipment is not None and d.allowed(shipment.status, d.Action.REFUSE):
        default_code, default_message = d.REFUSED_BY_WAREHOUSE
        _refuse(shipment, [d.Refusal(code or default_code, message or default_message)])


def validation_unavailable(session: Session, shipment_id: str) -> None:
    """The checks gave up after their retries: the inbound ends refused rather than Created forever."""
    shipment = _locked(session, shipment_id)
    if shipment is not None and shipment.status == d.InboundStatus.CREATED:
        _refuse(shipment, [d.Refusal(*d.UNAVAILABLE)])


# --- the warehouse receives -----------------------------------------------------------------------


def _operator_shipment(session: Session, shipment_id: str) -> InboundShipment:
    shipment = _locked(session, shipment_id)
    if shipment is None:
        raise NotFound(f"Inbound shipment {shipment_id} does not exist.")
    return shipment


def _ship(shipment: InboundShipment) -> None:
    _set_status(shipment, d.Action.SHIP)
    shipment.in_transit_at = shipment.status_updated_at


def transit(session: Session, shipment_id: str) -> InboundShipment:
    """The carrier took an Accepted inbound to the warehouse (optional: a count may start without
    it). Once the operator moves an inbound, the sandbox warehouse leaves it to the operator."""
    shipment = _operator_shipment(session, shipment_id)
    _ship(shipment)
    return shipment


def receive(session: Session, shipment_id: str, data: s.ReceptionIn) -> InboundShipment:
    """A pass of counting by the warehouse: the counted units enter the stock at once; `complete`
    closes the count."""
    counts = [d.Count(c.line_number, c.received_quantity, c.damaged_quantity) for c in data.lines]
    if not counts and not data.complete:
        raise ValidationFailed.field("lines", "A pass that does not close the count counts some line.")
    shipment = _operator_shipment(session, shipment_id)
    lines = lines_of(session, shipment.id)
    d.check_counts(len(lines), counts)
    _count(session, shipment, lines, counts, close=data.complete)
    return shipment


def receive_as_announced(session: Session, shipment_id: str) -> None:
    """The sandbox warehouse's last step: every line counted as announced, none damaged. Idempotent,
    and it leaves alone an inbound the operator is counting by hand."""
    shipment = _locked(session, shipment_id)
    if shipment is None or shipment.status not in (d.InboundStatus.ACCEPTED, d.InboundStatus.IN_TRANSIT):
        return
    lines = lines_of(session, shipment.id)
    _count(session, shipment, lines, [d.Count(line.line_number, line.quantity) for line in lines], close=True)


def move_to_transit(session: Session, shipment_id: str) -> None:
    """The sandbox warehouse's second step; the count follows it."""
    shipment = _locked(session, shipment_id)
    if shipment is None or shipment.status != d.InboundStatus.ACCEPTED:
        return
    _ship(shipment)
    enqueue(session, RECEIVE_JOB, {"shipment_id": shipment.id}, subject=_subject(shipment))


def _count(
    session: Session,
    shipment: InboundShipment,
    lines: list[InboundLine],
    counts: Sequence[d.Count],
    *,
    close: bool,
) -> None:
    before = [d.Line(line.quantity, line.received_quantity, line.damaged_quantity) for line in lines]
    after = d.counted(before, counts)
    action = d.closing(after) if close else d.Action.COUNT
    # The status first: a count the status forbids moves no stock.
    _set_status(shipment, action)
    now = shipment.status_updated_at
    shipment.reception_started_at = shipment.reception_started_at or now
    if close:
        shipment.received_at = now
    source = stock.Source("inbound", shipment.id)
    for count in counts:
        line = lines[count.line_number - 1]
        assert line.product_id is not None and line.product_condition is not None  # resolved on acceptance
        line.received_quantity += count.received
        line.damaged_quantity += count.damaged
        if not count.received:
            continue
        record = stock.record(
            session, shipment.seller_id, line.product_id, line.product_condition, shipment.storage_country
        )
        sound = count.received - count.damaged
        if sound:
            stock.move(session, record, {AVAILABLE: sound}, core.Reason.INBOUND_RECEIVED, source)
        if count.damaged:
            stock.move(session, record, {BLOCKED: count.damaged}, core.Reason.INBOUND_DAMAGED, source)


# --- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboundFilter:
    statuses: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    reference: str | None = None
    created_min: datetime | None = None
    created_max: datetime | None = None


def _filtered(stmt: Select[Any], seller_id: str, f: InboundFilter) -> Select[Any]:
    stmt = stmt.where(InboundShipment.seller_id == seller_id)
    if f.statuses:
        stmt = stmt.where(InboundShipment.status.in_(f.statuses))
    if f.countries:
        stmt = stmt.where(InboundShipment.storage_country.in_(f.countries))
    if f.reference:
        stmt = stmt.where(InboundShipment.reference == f.reference)
    if f.created_min is not None:
        stmt = stmt.where(InboundShipment.created_at >= f.created_min)
    if f.created_max is not None:
        stmt = stmt.where(InboundShipment.created_at <= f.created_max)
    return stmt


def list_shipments(
    session: Session, seller_id: str, f: InboundFilter, *, limit: int, cursor: str | None
) -> CursorPage[InboundShipment]:
    """Newest first."""
    return records.latest_first(
        session,
        _filtered(select(InboundShipment), seller_id, f),
        InboundShipment.created_at,
        InboundShipment.id,
        limit=limit,
        cursor=cursor,
    )


def count_shipments(session: Session, seller_id: str, f: InboundFilter) -> int:
    return int(session.scalar(_filtered(select(func.count(InboundShipment.id)), seller_id, f)) or 0)


def get_shipment(session: Session, seller_id: str | None, shipment_id: str) -> InboundShipment:
    """The seller's inbound (any inbound for the operator, `seller_id` None)."""
    missing = f"Inbound shipment {shipment_id} does not exist."
    return records.owned(session, InboundShipment, shipment_id, seller_id, missing)


def document(session: Session, shipment: InboundShipment) -> s.InboundShipmentOut:
    return _document(shipment, lines_of(session, shipment.id))


def documents(session: Session, shipments: Sequence[InboundShipment]) -> list[s.InboundShipmentOut]:
    """One query for every page's lines."""
    by_shipment: dict[str, list[InboundLine]] = {shipment.id: [] for shipment in shipments}
    if by_shipment:
        found = session.scalars(
            select(InboundLine)
            .where(InboundLine.shipment_id.in_(by_shipment))
            .order_by(InboundLine.shipment_id, InboundLine.line_number)
        )
        for line in found:
            by_shipment[line.shipment_id].append(line)
    return [_document(shipment, by_shipment[shipment.id]) for shipment in shipments]


def _document(shipment: InboundShipment, lines: Sequence[InboundLine]) -> s.InboundShipmentOut:
    warehouse = d.WAREHOUSES[shipment.storage_country]
    return s.InboundShipmentOut(
        inbound_shipment_id=shipment.id,
        reference=shipment.reference,
        code=shipment.code,
        storage_country=shipment.storage_country,
        status=d.InboundStatus(shipment.status),
        delivery_note_available=shipment.status in d.WITH_DELIVERY_NOTE,
        warehouse=s.WarehouseOut(warehouse.name, list(warehouse.lines), shipment.storage_country),
        lines=[
            s.InboundLineOut(
                line_number=line.line_number,
                seller_product_reference=line.seller_product_reference,
                product_id=line.product_id,
                product_condition=line.product_condition,
                label=line.label,
                quantity=line.quantity,
                received_quantity=line.received_quantity,
                damaged_quantity=line.damaged_quantity,
                discrepancy_quantity=d.Line(line.quantity, line.received_quantity).discrepancy,
            )
            for line in lines
        ],
        refusal_reasons=[
            s.RefusalOut(r["code"], r["message"], r.get("lineNumber")) for r in shipment.refusal_reasons
        ],
        created_at=clock.iso_z(shipment.created_at) or "",
        status_updated_at=clock.iso_z(shipment.status_updated_at) or "",
        accepted_at=clock.iso_z(shipment.accepted_at),
        in_transit_at=clock.iso_z(shipment.in_transit_at),
        reception_started_at=clock.iso_z(shipment.reception_started_at),
        received_at=clock.iso_z(shipment.received_at),
    )
