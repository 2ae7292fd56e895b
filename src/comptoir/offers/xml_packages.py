"""XML offer integration packages (spec section 11): a ZIP at a URL, integrated by a worker."""

from __future__ import annotations

import logging

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.channels import SalesChannel
from comptoir.db.bulk import chunked
from comptoir.errors import NotFound, ValidationFailed
from comptoir.jobs import Subject, enqueue
from comptoir.offers import domain as d
from comptoir.offers import messages, runs
from comptoir.offers import schemas as s
from comptoir.offers.apply import Outcome, apply_offer_changes
from comptoir.offers.fetch import PackageFetchError, check_url, fetch, open_offers_xml
from comptoir.offers.models import Offer, OfferIntegrationLog, OfferIntegrationPackage
from comptoir.offers.offer_requests import Mode, OfferInput
from comptoir.offers.offers_xml import ParsedPackage, XmlPackageError, parse_offers_xml
from comptoir.sellers import is_subscribed

log = logging.getLogger("comptoir.offers")

PENDING, INTEGRATED, REJECTED = "Pending", "Integrated", "Rejected"
# The sandbox progress controls' name for these packages (`/sandbox/v1/progress/offer-xml-packages/{id}`).
PROGRESS_KIND = "offer-xml-packages"


def package_url(data: str | s.XmlPackageIn) -> str:
    url = data if isinstance(data, str) else (data.url or data.package_url or data.zip_file_full_path or "")
    if not url.strip():
        raise ValidationFailed.field("url", "The URL of the package ZIP is required.")
    return url.strip()


def create(session: Session, seller_id: str, url: str, *, allow_local: bool) -> OfferIntegrationPackage:
    try:
        check_url(url, allow_local=allow_local)
    except PackageFetchError as exc:
        raise ValidationFailed.field("url", str(exc)) from exc
    package = OfferIntegrationPackage(
        seller_id=seller_id,
        url=url,
        status=PENDING,
        purge_and_replace=False,
        sales_channel_ids=[],
        created_at=clock.now(),
    )
    session.add(package)
    session.flush()
    # What the worker may fetch is decided here, where the settings are known.
    enqueue(
        session,
        "offers.integrate_xml_package",
        {"package_id": package.id, "url": url, "allow_local": allow_local},
        subject=Subject(PROGRESS_KIND, str(package.id), seller_id),
    )
    return package


def reject(session: Session, package_id: int, code: str | None, message: str | None) -> None:
    """Ends a package still Pending rejected, unread (sandbox policy `fail`). These packages carry a
    message only: a chosen result code leads it."""
    package = session.get(OfferIntegrationPackage, package_id, with_for_update=True)
    if package is None or package.status != PENDING:
        return
    text = message or "The package was refused."
    package.status, package.processed_at = REJECTED, clock.now()
    package.message = f"{code}: {text}" if code else text


def integrate(session: Session, package_id: int, *, url: str, allow_local: bool) -> None:
    """Fetches, reads and applies the package. Idempotent: a package no longer Pending is left alone."""
    # Fetch before the first statement: on SQLite that statement takes the write lock for the job.
    parsed: ParsedPackage | None = None
    error = None
    try:
        parsed = parse_offers_xml(open_offers_xml(fetch(url, allow_local=allow_local)))
    except (PackageFetchError, XmlPackageError) as exc:
        error = str(exc)
    except Exception:
        # Whatever the content, the package must end Rejected, not stay Pending through retries.
        log.exception("XML offer package %s could not be read", package_id)
        error = "The package could not be read."
    package = session.get(OfferIntegrationPackage, package_id, with_for_update=True)
    if package is None or package.status != PENDING:
        return
    package.processed_at = clock.now()
    if parsed is None:
        package.status, package.message = REJECTED, error
        return
    # The name is only shown back: a longer one is cut to the column.
    package.name, package.package_type = parsed.name and parsed.name[:200], parsed.package_type
    package.purge_and_replace = parsed.purge_and_replace
    package.sales_channel_ids = parsed.channel_ids or [d.CDISCOUNT]
    package.offer_count = len(parsed.offers)
    channels, refusal = _channels(session, package.seller_id, package.sales_channel_ids, parsed.package_type)
    if refusal:
        package.status, package.message = REJECTED, refusal
        return
    mode = Mode.STOCK_AND_PRICE if parsed.package_type == "StockAndPrice" else Mode.FULL
    logs: list[s.OfferLogOut[s.StoredResult]] = []
    when = clock.iso_net(package.processed_at)
    for channel in channels:
        outcomes = apply_offer_changes(
            session, seller_id=package.seller_id, channel=channel, mode=mode, inputs=parsed.offers
        )
        logs += [_log(inp, channel.id, o, when) for inp, o in zip(parsed.offers, outcomes, strict=True)]
        if parsed.purge_and_replace:
            package.purged_count += _purge(
                session, package.seller_id, channel.id, {o.reference for o in parsed.offers}
            )
    runs.store_runs(session, OfferIntegrationLog, package.id, logs)
    package.integrated_count = sum(1 for x in logs if x.offer_integration_status == INTEGRATED)
    package.rejected_count = len(logs) - package.integrated_count
    package.status = INTEGRATED


def _channels(
    session: Session, seller_id: str, channel_ids: list[str], package_type: str
) -> tuple[list[SalesChannel], str | None]:
    channels = []
    for channel_id in channel_ids:
        channel = session.get(SalesChannel, channel_id)
        if channel is None or not channel.active:
            return [], f"The sales channel {channel_id} does not exist or is not open."
        if not is_subscribed(session, seller_id, channel_id):
            return [], f"You are not subscribed to the sales channel {channel_id}."
        if package_type == "StockAndPrice" and channel_id != d.CDISCOUNT:
            return [], f"StockAndPrice packages are only for {d.CDISCOUNT}, not {channel_id}."
        channels.append(channel)
    return channels, None


def _log(
    inp: OfferInput, channel_id: str, outcome: Outcome, when: str | None
) -> s.OfferLogOut[s.StoredResult]:
    return s.OfferLogOut(
        seller_product_id=inp.reference,
        product_ean=inp.gtin,
        sales_channel_id=channel_id,
        offer_integration_status=INTEGRATED if outcome.status == INTEGRATED else REJECTED,
        validated=outcome.status == INTEGRATED,
        log_date=when,
        results=[s.stored_result(p) for p in outcome.results],
        offer_id=outcome.offer_id,
    )


def _purge(session: Session, seller_id: str, channel_id: str, keep: set[str]) -> int:
    """PurgeAndReplace: the seller's offers on the channel that the package does not name are removed."""
    rows = session.execute(
        select(Offer.id, Offer.seller_external_reference).where(
            Offer.seller_id == seller_id, Offer.sales_channel_id == channel_id
        )
    )
    gone = [row.id for row in rows if row.seller_external_reference not in keep]
    for part in chunked(gone):
        session.execute(delete(Offer).where(Offer.id.in_(part)))
    return len(gone)


def get(
    session: Session, seller_id: str, package_id: str, *, page: int, limit: int, language: str
) -> s.XmlPackageOut:
    """The package and one page of its per-offer log lines, their messages in the language."""
    package = session.scalar(
        select(OfferIntegrationPackage).where(
            OfferIntegrationPackage.id == d.package_key(package_id),
            OfferIntegrationPackage.seller_id == seller_id,
        )
    )
    if package is None:
        raise NotFound(f"Offer integration package {package_id} does not exist.")
    start = (page - 1) * limit
    stored = runs.read_slice(
        session, OfferIntegrationLog, s.OfferLogOut[s.StoredResult], package.id, start, start + limit
    )
    logs = [
        s.OfferLogOut(
            seller_product_id=line.seller_product_id,
            product_ean=line.product_ean,
            sales_channel_id=line.sales_channel_id,
            offer_integration_status=line.offer_integration_status,
            validated=line.validated,
            log_date=line.log_date,
            results=messages.results_out(line.results, language),
            offer_id=line.offer_id,
        )
        for line in stored
    ]
    return s.XmlPackageOut(
        package_id=str(package.id),
        package_url=package.url,
        status=package.status,
        package_name=package.name,
        package_type=package.package_type,
        purge_and_replace=package.purge_and_replace,
        sales_channel_ids=list(package.sales_channel_ids),
        submission_date=clock.iso_net(package.created_at) or "",
        integration_date=clock.iso_net(package.processed_at),
        message=package.message,
        offer_count=package.offer_count,
        integrated_offer_count=package.integrated_count,
        rejected_offer_count=package.rejected_count,
        purged_offer_count=package.purged_count,
        offer_logs=s.OfferLogsOut(items_per_page=len(logs), page_index=page, items=logs),
    )
