"""JSON offer packages (spec section 10) and the live offer catalogue (spec section 9)."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

import msgspec
from sqlalchemy import Select, Table, delete, false, insert, select, tuple_, update
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.catalog.models import Product
from comptoir.channels.models import SalesChannel
from comptoir.db.pagination import CursorPage, SortKey, cursor_page
from comptoir.errors import Conflict, NotFound, ValidationFailed
from comptoir.jobs import enqueue
from comptoir.offers import domain as d
from comptoir.offers import runs
from comptoir.offers import schemas as s
from comptoir.offers.apply import (
    Outcome,
    apply_offer_changes,
    decode_discounts,
    decode_modes,
    offer_id,
)
from comptoir.offers.models import Offer, OfferPackage, OfferPackageResults, OfferPackageUpload
from comptoir.platform.params import csv_values, timestamp
from comptoir.sellers.models import Seller, SellerAddress
from comptoir.sellers.service import is_subscribed

MAX_FILTER_VALUES = 1000
_requests_decoder = msgspec.json.Decoder(list[s.OfferRequestIn])

# --- JSON offer packages --------------------------------------------------------------------------


def _known_channel(session: Session, channel_id: str | None, field: str) -> SalesChannel:
    if not channel_id:
        raise ValidationFailed.field(field, f"The {field} is required.")
    channel = session.get(SalesChannel, channel_id)
    if channel is None:
        raise ValidationFailed.field(field, f"Sales channel {channel_id} does not exist.")
    return channel


def create_package(
    session: Session, seller_id: str, *, package_type: str, channel_id: str | None
) -> OfferPackage:
    if package_type not in d.PACKAGE_TYPES:
        raise ValidationFailed.field(
            "packageType", f"packageType must be one of {', '.join(d.PACKAGE_TYPES)} (case-sensitive)."
        )
    channel = _known_channel(session, channel_id, "SalesChannelId")
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


def get_package(session: Session, seller_id: str, package_id: str, *, lock: bool = False) -> OfferPackage:
    """The seller's package; another seller's is as unknown as a missing one."""
    stmt = select(OfferPackage).where(
        OfferPackage.id == d.package_key(package_id),
        OfferPackage.seller_id == seller_id,
    )
    package = session.scalar(stmt.with_for_update() if lock else stmt)
    if package is None:
        raise NotFound(f"Offer package {package_id} does not exist.")
    return package


def package_out(package: OfferPackage) -> s.PackageOut:
    result = None
    if package.result_code:
        result = s.PackageResult(message=package.result_message or "", result_code=package.result_code)
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
) -> CursorPage[OfferPackage]:
    if state is not None and state not in d.PACKAGE_STATES:
        raise ValidationFailed.field("state", f"state must be one of {', '.join(d.PACKAGE_STATES)}.")
    stmt = select(OfferPackage).where(OfferPackage.seller_id == seller_id)
    if state:
        stmt = stmt.where(OfferPackage.state == state)
    if channel_id:
        stmt = stmt.where(OfferPackage.sales_channel_id == channel_id)
    return cursor_page(
        session,
        stmt,
        keys=[SortKey(OfferPackage.id, descending=True)],
        key_of=lambda p: [p.id],
        limit=limit,
        cursor=cursor,
    )


def add_requests(session: Session, seller_id: str, package_id: str, count: int, body: bytes) -> s.UploadOut:
    """Stores an upload as one row (its JSON); its requests are checked and applied at integration.

    The hot path is two Core statements: one conditional update that counts the upload in, and the
    insert. Only when the update matches nothing is the package read, to say why.
    """
    d.check_upload_size(0, count)
    packages = cast(Table, OfferPackage.__table__)
    total = (
        session.connection()
        .execute(
            update(packages)
            .where(
                packages.c.id == d.package_key(package_id),
                packages.c.seller_id == seller_id,
                packages.c.state == d.PackageState.WAITING_FOR_COMPLETION,
                packages.c.offer_request_count <= d.MAX_REQUESTS_PER_PACKAGE - count,
            )
            .values(offer_request_count=packages.c.offer_request_count + count)
            .returning(packages.c.offer_request_count)
        )
        .scalar()
    )
    if total is None:
        package = get_package(session, seller_id, package_id)
        d.check_uploadable(package.state)
        d.check_upload_size(package.offer_request_count, count)
        raise Conflict("The package changed during this upload; send it again.")
    session.connection().execute(
        insert(cast(Table, OfferPackageUpload.__table__)).values(
            package_id=int(package_id),
            # The position of the upload's first request: unique, and in upload order.
            seq=total - count,
            item_count=count,
            body=body.decode(),
        )
    )
    return s.UploadOut(package_id=package_id, offer_request_count=total)


def mark_ready(session: Session, seller_id: str, package_id: str, requested_state: str) -> OfferPackage:
    package = get_package(session, seller_id, package_id, lock=True)
    package.state = d.check_ready_request(package.state, requested_state)
    enqueue(session, "offers.start_package", {"package_id": package.id})
    session.flush()
    return package


def start_package(session: Session, package_id: int) -> None:
    """Ready -> IntegrationPending, or Rejected when the whole package is refused. Idempotent."""
    package = session.get(OfferPackage, package_id, with_for_update=True)
    if package is None or package.state != d.PackageState.READY:
        return
    channel = session.get(SalesChannel, package.sales_channel_id)
    refusal = None
    if channel is None or not channel.active:
        refusal = (d.Code.CHANNEL_INACTIVE, f"The sales channel {package.sales_channel_id} is not open.")
    elif not is_subscribed(session, package.seller_id, package.sales_channel_id):
        refusal = (d.Code.NOT_SUBSCRIBED, f"You are not subscribed to the sales channel {channel.id}.")
    if refusal:
        package.state = d.transition(package.state, d.PackageState.REJECTED)
        package.result_code, package.result_message = refusal
        package.processed_at = clock.now()
        session.execute(delete(OfferPackageUpload).where(OfferPackageUpload.package_id == package.id))
        return
    package.state = d.transition(package.state, d.PackageState.INTEGRATION_PENDING)
    enqueue(session, "offers.integrate_package", {"package_id": package.id})


def _exact(value: float) -> Decimal:
    # The shortest repr of a float read from JSON is the number as written.
    return Decimal(repr(value))


def to_input(request: s.OfferRequestIn) -> d.OfferInput:
    price, product, modes = request.price, request.product, request.delivery_modes
    return d.OfferInput(
        reference=request.seller_external_reference,
        gtin=product.gtin if product else None,
        product_reference=product.reference if product else None,
        condition=request.condition,
        price=_exact(price.price) if price and price.price is not None else None,
        origin_price=_exact(price.origin_price) if price and price.origin_price is not None else None,
        currency=price.currency_code if price else None,
        taxes=(
            [d.TaxInput(t.code, _exact(t.value), t.type) for t in price.taxes]
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


@functools.lru_cache(maxsize=4096)
def _result_out(problem: d.Problem) -> s.ResultOut:
    # Most results are the same few problems (8000 Offer created...): each is built once.
    return s.ResultOut(result_code=problem.code, message=problem.message)


def result_item(reference: str, outcome: Outcome) -> s.OfferRequestResult:
    return s.OfferRequestResult(
        seller_external_reference=reference,
        integration_status=outcome.status,
        results=[_result_out(p) for p in outcome.results],
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
        mode=d.MODE_OF_PACKAGE_TYPE[package.package_type],
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
    session: Session, seller_id: str, package_id: str, *, limit: int, cursor: str | None
) -> CursorPage[dict[str, Any]]:
    """Empty until the package is processed, and again once the 3-day retention has passed."""
    package = get_package(session, seller_id, package_id)
    processed = package.processed_at
    if processed is None or clock.now() >= processed + timedelta(days=d.RESULT_RETENTION_DAYS):
        return CursorPage([], None, None)
    return runs.cursor_slice(session, OfferPackageResults, package.id, limit=limit, cursor=cursor)


# --- live catalogue -------------------------------------------------------------------------------

OFFER_STATES = ("Active", "Inactive")


def _csv(values: Sequence[str] | None, name: str) -> list[str]:
    """Comma-separated values, repeated parameters, or both, at most MAX_FILTER_VALUES of them."""
    out = csv_values(values)
    if len(out) > MAX_FILTER_VALUES:
        raise ValidationFailed.field(name, f"{name} takes at most {MAX_FILTER_VALUES} values.")
    return out


def _offer_keys(offer_ids: list[str], seller_id: str, channel_id: str) -> list[tuple[str, str]]:
    """(product reference, condition) of the composite ids that can be this seller's on this channel."""
    keys = []
    for text in offer_ids:
        parts = text.split("_")
        if len(parts) >= 4 and parts[0] == seller_id and parts[-1] == channel_id:
            keys.append(("_".join(parts[1:-2]), parts[-2]))
    return keys


def list_offers(
    session: Session,
    seller_id: str,
    *,
    channel_id: str | None,
    offer_ids: Sequence[str] | None = None,
    references: Sequence[str] | None = None,
    gtins: Sequence[str] | None = None,
    states: Sequence[str] | None = None,
    updated_at_min: str | None = None,
    fields: Sequence[str] | None = None,
    expand: str | None = None,
    limit: int,
    cursor: str | None,
) -> CursorPage[dict[str, Any]]:
    channel = _known_channel(session, channel_id, "salesChannelId")
    field_paths = _csv(fields, "fields")
    # When both are given, fields wins and expand is ignored.
    if field_paths:
        feedback = any(p.split(".")[0] == "salesChannelFeedback" for p in field_paths)
    else:
        wanted = (expand or "").strip()
        if wanted and wanted != "salesChannelFeedback":
            raise ValidationFailed.field("expand", "expand only takes salesChannelFeedback.")
        feedback = bool(wanted)
    if feedback and channel.id != d.CDISCOUNT:
        raise ValidationFailed.field(
            "fields" if field_paths else "expand", f"salesChannelFeedback is only available on {d.CDISCOUNT}."
        )
    # Typed loosely: the keyset pager takes any select.
    stmt = cast(
        "Select[Any]",
        select(Offer, Product.gtin, Product.product_reference)
        .join(Product, Product.id == Offer.product_id)
        .where(Offer.seller_id == seller_id, Offer.sales_channel_id == channel.id),
    )
    if offer_ids:
        keys = _offer_keys(_csv(offer_ids, "offerIds"), seller_id, channel.id)
        stmt = stmt.where(tuple_(Product.product_reference, Offer.condition).in_(keys) if keys else false())
    if references:
        stmt = stmt.where(Offer.seller_external_reference.in_(_csv(references, "sellerExternalReferences")))
    if gtins:
        stmt = stmt.where(Product.gtin.in_(_csv(gtins, "gtins")))
    if states:
        chosen = _csv(states, "offerStates")
        unknown = [v for v in chosen if v not in OFFER_STATES]
        if unknown:
            raise ValidationFailed.field(
                "offerStates", f"offerStates takes Active and Inactive, not {unknown[0]!r}."
            )
        stmt = stmt.where(Offer.offer_state.in_(chosen))
    since = timestamp("updatedAtMin", updated_at_min)
    if since is not None:
        stmt = stmt.where(Offer.updated_at >= since)
    page = cursor_page(
        session,
        stmt,
        keys=[SortKey(Offer.seller_external_reference)],
        key_of=lambda row: [row[0].seller_external_reference],
        limit=limit,
        cursor=cursor,
        scalars=False,
    )
    documents = _documents(session, channel, seller_id, list(page.items), feedback=feedback)
    if field_paths:
        documents = [d.project(doc, field_paths) for doc in documents]
    return CursorPage(documents, page.next_cursor, page.prev_cursor)


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _taxes(offer: Offer) -> list[dict[str, Any]]:
    pairs = ((d.TAX_VAT, offer.vat_rate), (d.TAX_ECO, offer.eco_tax), (d.TAX_DEA, offer.dea_tax))
    return [{"code": code, "value": float(value)} for code, value in pairs if value is not None]


def _competitors(
    session: Session, channel: SalesChannel, product_ids: set[int], now: datetime
) -> dict[int, list[tuple[d.Competitor, str]]]:
    """Every Active offer on these products on the channel, at the price customers see."""
    out: dict[int, list[tuple[d.Competitor, str]]] = defaultdict(list)
    if not product_ids:
        return out
    rows = session.execute(
        select(
            Offer.product_id,
            Offer.seller_id,
            Seller.shop_name,
            Offer.condition,
            Offer.price,
            Offer.discounts,
            Offer.delivery_modes,
        )
        .join(Seller, Seller.id == Offer.seller_id)
        .where(
            Offer.sales_channel_id == channel.id,
            Offer.product_id.in_(sorted(product_ids)),
            Offer.offer_state == "Active",
        )
    )
    cdiscount = channel.id == d.CDISCOUNT
    for r in rows:
        price = d.facial_price(r.price, decode_discounts(r.discounts), now, cdiscount=cdiscount)
        shipping = d.cheapest_shipping(decode_modes(r.delivery_modes) or [])
        out[r.product_id].append((d.Competitor(r.seller_id, r.condition, price, shipping), r.shop_name))
    return out


def _documents(
    session: Session, channel: SalesChannel, seller_id: str, rows: list[Any], *, feedback: bool
) -> list[dict[str, Any]]:
    now = clock.now()
    cdiscount = channel.id == d.CDISCOUNT
    market = _competitors(session, channel, {row[0].product_id for row in rows}, now)
    storage_country = None
    if not cdiscount:
        storage_country = (
            session.scalar(
                select(SellerAddress.country).where(
                    SellerAddress.seller_id == seller_id, SellerAddress.type == "Shipping"
                )
            )
            or channel.country_code
        )
    documents = []
    for offer, gtin, product_reference in rows:
        modes = decode_modes(offer.delivery_modes) or []
        discounts = decode_discounts(offer.discounts)
        facial = (
            d.facial_price(offer.price, discounts, now, cdiscount=cdiscount)
            if offer.price is not None
            else None
        )
        peers = market.get(offer.product_id, [])
        best = d.best_offer(c for c, _ in peers if c.condition == offer.condition)
        is_best = best is not None and best.seller_id == seller_id
        doc: dict[str, Any] = {
            "offerId": offer_id(seller_id, product_reference, offer.condition, channel.id),
            "sellerId": seller_id,
            "salesChannelId": channel.id,
            "sellerExternalReference": offer.seller_external_reference,
            "gtin": gtin,
            "productReference": product_reference,
            "condition": offer.condition,
            "offerState": offer.offer_state,
            "integrationPrice": _num(offer.price),
            "originPrice": _num(offer.origin_price),
            "facialPrice": None
            if facial is None
            else {"price": float(facial), "currencyCode": channel.currency},
            "taxes": _taxes(offer),
            "quantity": offer.quantity,
            "preparationTime": offer.preparation_time,
            "deliveryModes": [
                {"code": m.code, "cost": float(m.cost), "additionalCost": float(m.additional_cost)}
                for m in modes
            ],
            "priceMustBeAligned": offer.price_must_be_aligned,
            "minimumPriceForPriceAlignment": _num(offer.minimum_price_for_alignment),
            "productPackagingUnit": offer.packaging_unit,
            "productPackagingValue": _num(offer.packaging_value),
            "createdAt": clock.iso_net(offer.created_at),
            "updatedAt": clock.iso_net(offer.updated_at),
        }
        best_doc = (
            None
            if best is None
            else {
                "sellerId": best.seller_id,
                "price": float(best.price),
                "totalPrice": float(best.total_price),
            }
        )
        if cdiscount:
            doc["commercialOperations"] = [
                {
                    "type": x.type,
                    "discountUnit": x.unit,
                    "discountValue": float(x.value),
                    "startDate": clock.iso_net(x.start),
                    "endDate": clock.iso_net(x.end),
                    "salesReferencePrice": _num(x.sales_reference_price),
                }
                for x in discounts
            ]
            doc["offerCompetition"] = {
                "competingOfferCount": sum(1 for c, _ in peers if c.seller_id != seller_id),
                "isBestOffer": is_best,
                "bestOfferPrice": None if best is None else float(best.price),
            }
        else:
            doc["salesChannelAcceptanceStatus"] = "Accepted" if offer.offer_state == "Active" else "Pending"
            doc["deliveryOffers"] = [
                {"storageCountry": storage_country, "deliveryModeCode": m.code, "cost": float(m.cost)}
                for m in modes
            ]
            doc["isBestOffer"] = is_best
            doc["bestOffer"] = best_doc
        if feedback:
            score, reasons = d.offer_quality(
                is_best=is_best,
                quantity=offer.quantity or 0,
                preparation_time=offer.preparation_time,
                has_origin_price=offer.origin_price is not None,
            )
            active = offer.offer_state == "Active"
            doc["salesChannelFeedback"] = {
                "onlineStatus": "Online" if active else "Offline",
                "isVisible": active,
                "bestOfferDetails": None if best is None else {**best_doc, "isBestOffer": is_best},  # type: ignore[dict-item]
                "offerQuality": {"score": score, "scoreReasons": reasons},
                "competingOffers": [
                    {
                        "sellerId": c.seller_id,
                        "sellerName": name,
                        "condition": c.condition,
                        "price": float(c.price),
                        "shippingCost": _num(c.shipping_cost),
                        "totalPrice": float(c.total_price),
                        "isBestOffer": best is not None and c == best,
                    }
                    for c, name in peers
                    if c.seller_id != seller_id
                ],
                "productInformation": {"productReviewsAverageRating": None, "productReviewsCount": 0},
            }
        documents.append(doc)
    return documents
