"""JSON offer packages (spec section 10): created, filled by uploads of offer requests, handed to
the worker with Ready, integrated in the background; per-request results are kept three days."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import cast

import msgspec
from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.channels import SalesChannel
from comptoir.db.pagination import CursorPage, SortKey, cursor_page
from comptoir.errors import Conflict, NotFound, ValidationFailed
from comptoir.jobs import Subject, enqueue
from comptoir.offers import domain as d
from comptoir.offers import messages, runs
from comptoir.offers import schemas as s
from comptoir.offers.apply import Outcome, apply_offer_changes
from comptoir.offers.channel import known_channel
from comptoir.offers.models import OfferPackage, OfferPackageResults, OfferPackageUpload
from comptoir.offers.offer_requests import MODE_OF_PACKAGE_TYPE, OfferInput, TaxInput
from comptoir.sellers import is_subscribed

_requests_decoder = msgspec.json.Decoder(list[s.OfferRequestIn])


def create_package(
    session: Session, seller_id: str, *, package_type: str, channel_id: str | None
) -> OfferPackage:
    if package_type not in d.PACKAGE_TYPES:
        raise ValidationFailed.field(
            "packageType", f"packageType must be one of {', '.join(d.PACKAGE_TYPES)} (case-sensitive)."
        )
    channel = known_channel(session, channel_id, "SalesChannelId")
    package = OfferPackage(
        seller_id=seller_id,
        sales_channel_id=channel.id,
        package_type=package_type,
        state=d.PackageState.WAITING_FOR_COMPLETION.value,
        offer_request_count=0,
        created_at=clock.now(),
    )
    session.add(package)
    session.flush()
    return package


# Built once, as the upload statements below: clients poll their package while it integrates.
# The sandbox progress controls' name for these packages (`/sandbox/v1/progress/offer-packages/{id}`).
PROGRESS_KIND = "offer-packages"

_PACKAGE = select(OfferPackage).where(
    OfferPackage.id == bindparam("key"), OfferPackage.seller_id == bindparam("seller")
)
_PACKAGE_LOCKED = _PACKAGE.with_for_update()


def get_package(session: Session, seller_id: str, package_id: str, *, lock: bool = False) -> OfferPackage:
    """The seller's package; another seller's is as unknown as a missing one."""
    params = {"key": d.package_key(package_id), "seller": seller_id}
    package = session.scalar(_PACKAGE_LOCKED if lock else _PACKAGE, params)
    if package is None:
        raise NotFound(f"Offer package {package_id} does not exist.")
    return package


def package_out(package: OfferPackage, language: str) -> s.PackageOut:
    result = None
    if package.result_code:
        # A package is refused about its channel: the message key's one argument.
        args = [("channel", package.sales_channel_id)]
        message = messages.text(package.result_message or "", language, args)
        result = s.PackageResult(message=message, result_code=package.result_code)
    return s.PackageOut(
        offer_request_count=package.offer_request_count,
        package_id=str(package.id),
        state=package.state,
        type=package.package_type,
        sales_channel_id=package.sales_channel_id,
        submission_date=clock.iso_net(package.created_at) or "",
        result=result,
    )


def list_packages(
    session: Session,
    seller_id: str,
    *,
    state: str | None,
    channel_id: str | None,
    limit: int,
    cursor: str | None,
    language: str,
) -> CursorPage[s.PackageOut]:
    """The seller's packages, newest first."""
    if state is not None and state not in d.PACKAGE_STATES:
        raise ValidationFailed.field("state", f"state must be one of {', '.join(d.PACKAGE_STATES)}.")
    stmt = select(OfferPackage).where(OfferPackage.seller_id == seller_id)
    if state:
        stmt = stmt.where(OfferPackage.state == state)
    if channel_id:
        stmt = stmt.where(OfferPackage.sales_channel_id == channel_id)
    page = cursor_page(
        session,
        stmt,
        keys=[SortKey(OfferPackage.id, descending=True)],
        key_of=lambda p: [p.id],
        limit=limit,
        cursor=cursor,
    )
    return CursorPage([package_out(p, language) for p in page.items], page.next_cursor, page.prev_cursor)


_packages = cast(Table, OfferPackage.__table__)
_uploads = cast(Table, OfferPackageUpload.__table__)
# The two statements of every upload, built once: building and keying a statement per call costs
# more than running it.
_COUNT_UPLOAD_IN = (
    update(_packages)
    .where(
        _packages.c.id == bindparam("key"),
        _packages.c.seller_id == bindparam("seller"),
        _packages.c.state == d.PackageState.WAITING_FOR_COMPLETION,
        _packages.c.offer_request_count <= bindparam("room"),
    )
    .values(offer_request_count=_packages.c.offer_request_count + bindparam("count"))
    .returning(_packages.c.offer_request_count)
)
_STORE_UPLOAD = insert(_uploads).values(
    package_id=bindparam("key"),
    seq=bindparam("first"),
    item_count=bindparam("count"),
    body=bindparam("json"),
)


def add_requests(session: Session, seller_id: str, package_id: str, count: int, body: bytes) -> s.UploadOut:
    """Stores an upload as one row (its JSON); its requests are checked and applied at integration.

    The hot path is two Core statements: one conditional update that counts the upload in, and the
    insert. Only when the update matches nothing is the package read, to say why.
    """
    d.check_upload_size(0, count)
    key = d.package_key(package_id)
    connection = session.connection()
    total = connection.execute(
        _COUNT_UPLOAD_IN,
        {"key": key, "seller": seller_id, "room": d.MAX_REQUESTS_PER_PACKAGE - count, "count": count},
    ).scalar()
    if total is None:
        package = get_package(session, seller_id, package_id)
        d.check_uploadable(package.state)
        d.check_upload_size(package.offer_request_count, count)
        raise Conflict("The package changed during this upload; send it again.")
    # `first`: the position of the upload's first request, unique and in upload order.
    connection.execute(
        _STORE_UPLOAD, {"key": key, "first": total - count, "count": count, "json": body.decode()}
    )
    return s.UploadOut(package_id=package_id, offer_request_count=total)


def mark_ready(session: Session, seller_id: str, package_id: str, requested_state: str) -> OfferPackage:
    package = get_package(session, seller_id, package_id, lock=True)
    package.state = d.check_ready_request(package.state, requested_state)
    enqueue(session, "offers.start_package", {"package_id": package.id}, subject=progress_subject(package))
    session.flush()
    return package


def progress_subject(package: OfferPackage) -> Subject:
    return Subject(PROGRESS_KIND, str(package.id), package.seller_id)


def start_package(session: Session, package_id: int) -> None:
    """Ready -> IntegrationPending, or Rejected when the whole package is refused. Idempotent."""
    package = session.get(OfferPackage, package_id, with_for_update=True)
    if package is None or package.state != d.PackageState.READY:
        return
    channel = session.get(SalesChannel, package.sales_channel_id)
    refusal = None
    # The message is kept as its key (see `package_out`).
    if channel is None or not channel.active:
        refusal = (d.Code.CHANNEL_INACTIVE, "channel_not_open")
    elif not is_subscribed(session, package.seller_id, package.sales_channel_id):
        refusal = (d.Code.NOT_SUBSCRIBED, "not_subscribed")
    if refusal:
        _reject(session, package, *refusal)
        return
    package.state = d.transition(package.state, d.PackageState.INTEGRATION_PENDING)
    enqueue(
        session, "offers.integrate_package", {"package_id": package.id}, subject=progress_subject(package)
    )


def reject_package(session: Session, package_id: int, code: str | None, message: str | None) -> None:
    """Ends a package still in progress rejected as a whole (sandbox policy `fail`)."""
    package = session.get(OfferPackage, package_id, with_for_update=True)
    if package is not None and package.state in (d.PackageState.READY, d.PackageState.INTEGRATION_PENDING):
        _reject(session, package, code or d.Code.CHANNEL_INACTIVE, message or "The package was refused.")


def _reject(session: Session, package: OfferPackage, code: str, message: str) -> None:
    package.state = d.transition(package.state, d.PackageState.REJECTED)
    package.result_code, package.result_message = code[:10], message[:300]
    package.processed_at = clock.now()
    session.execute(delete(OfferPackageUpload).where(OfferPackageUpload.package_id == package.id))


def _exact(value: float) -> Decimal:
    # The shortest repr of a float read from JSON is the number as written.
    return Decimal(repr(value))


def to_input(request: s.OfferRequestIn) -> OfferInput:
    price, product, modes = request.price, request.product, request.delivery_modes
    return OfferInput(
        reference=request.seller_external_reference,
        gtin=product.gtin if product else None,
        product_reference=product.reference if product else None,
        condition=request.condition,
        price=_exact(price.price) if price and price.price is not None else None,
        origin_price=_exact(price.origin_price) if price and price.origin_price is not None else None,
        currency=price.currency_code if price else None,
        taxes=(
            [TaxInput(t.code, _exact(t.value), t.type) for t in price.taxes]
            if price and price.taxes is not None
            else None
        ),
        quantity=request.quantity,
        delivery_modes=(
            [d.DeliveryMode(m.code, _exact(m.cost), _exact(m.additional_cost)) for m in modes]
            if modes is not None
            else None
        ),
        preparation_time=request.preparation_time,
    )


def result_item(reference: str, outcome: Outcome) -> s.OfferRequestResult[s.StoredResult]:
    return s.OfferRequestResult(
        seller_external_reference=reference,
        integration_status=outcome.status,
        results=[s.stored_result(p) for p in outcome.results],
        offer_id=outcome.offer_id,
    )


def integrate_package(session: Session, package_id: int) -> None:
    """Applies every request of an IntegrationPending package, then marks it Integrated. Idempotent:
    it runs in the job's transaction, so a crash leaves the package pending, untouched, for a retry."""
    package = session.get(OfferPackage, package_id, with_for_update=True)
    if package is None or package.state != d.PackageState.INTEGRATION_PENDING:
        return
    bodies = session.scalars(
        select(OfferPackageUpload.body)
        .where(OfferPackageUpload.package_id == package.id)
        .order_by(OfferPackageUpload.seq)
    )
    requests = [r for body in bodies for r in _requests_decoder.decode(body)]
    channel = session.get(SalesChannel, package.sales_channel_id)
    assert channel is not None
    outcomes = apply_offer_changes(
        session,
        seller_id=package.seller_id,
        channel=channel,
        mode=MODE_OF_PACKAGE_TYPE[package.package_type],
        inputs=[to_input(r) for r in requests],
    )
    items = [result_item(r.seller_external_reference, o) for r, o in zip(requests, outcomes, strict=True)]
    runs.store_runs(session, OfferPackageResults, package.id, items)
    session.execute(delete(OfferPackageUpload).where(OfferPackageUpload.package_id == package.id))
    now = clock.now()
    package.state = d.transition(package.state, d.PackageState.INTEGRATED)
    package.processed_at = now
    enqueue(
        session,
        "offers.purge_results",
        {"package_id": package.id},
        run_at=now + timedelta(days=d.RESULT_RETENTION_DAYS),
    )


def purge_results(session: Session, package_id: int) -> None:
    session.execute(delete(OfferPackageResults).where(OfferPackageResults.package_id == package_id))


def request_results(
    session: Session, seller_id: str, package_id: str, *, limit: int, cursor: str | None, language: str
) -> CursorPage[s.OfferRequestResult[s.ResultOut]]:
    """Empty until the package is processed, and again once the 3-day retention has passed; messages
    in the language."""
    package = get_package(session, seller_id, package_id)
    processed = package.processed_at
    if processed is None or clock.now() >= processed + timedelta(days=d.RESULT_RETENTION_DAYS):
        return CursorPage([], None, None)
    page = runs.cursor_slice(
        session,
        OfferPackageResults,
        s.OfferRequestResult[s.StoredResult],
        package.id,
        limit=limit,
        cursor=cursor,
    )
    items = [
        s.OfferRequestResult(
            seller_external_reference=item.seller_external_reference,
            integration_status=item.integration_status,
            results=messages.results_out(item.results, language),
            offer_id=item.offer_id,
        )
        for item in page.items
    ]
    return CursorPage(items, page.next_cursor, page.prev_cursor)
