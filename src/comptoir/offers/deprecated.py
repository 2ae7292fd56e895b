"""The deprecated offer routes old connectors still call (spec 9.2, 9.3 and 17), answered from the
live catalogue as `listing` reads it.

`POST /offers/search` takes the filters of `GET /offers` in its body. `/competing-offers` and
`/competing-offer-changes` answer what their successor answers, `GET /offers` with
`fields=salesChannelFeedback.competingOffers`: the seller's offers on the products named, or on the
products where another seller's offer changed. All three page by the legacy `$limit` and `$page`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, aliased

from comptoir import clock
from comptoir.catalog import Product
from comptoir.channels import SalesChannel
from comptoir.errors import ValidationFailed
from comptoir.offers import listing
from comptoir.offers import schemas as s
from comptoir.offers.channel import known_channel
from comptoir.offers.domain import CDISCOUNT
from comptoir.offers.models import Offer
from comptoir.platform.params import timestamp

# RFC 9745 gives the date a resource was deprecated, as `@` and a Unix time: here the day GET /offers
# gained `fields` and `expand=salesChannelFeedback` (June 2025), which replace these routes.
DEPRECATED_ON = datetime(2025, 6, 1, tzinfo=UTC)
DEPRECATION = f"@{int(DEPRECATED_ON.timestamp())}"

# The parts of an offer the competition routes answer, beside the base fields every offer carries.
COMPETITION_FIELDS = (
    "salesChannelId",
    "productReference",
    "gtin",
    "condition",
    "facialPrice",
    "salesChannelFeedback.bestOfferDetails",
    "salesChannelFeedback.competingOffers",
)
# How far back /competing-offer-changes looks when the client does not say (its clients send nothing).
CHANGES_WINDOW = timedelta(hours=24)


def _page(
    session: Session,
    channel: SalesChannel,
    seller_id: str,
    stmt: Select[Any],
    *,
    page: int,
    limit: int,
    competition: bool = False,
) -> list[s.OfferOut]:
    """One `$page` of the offers, in the order of GET /offers (by sellerExternalReference): whole, or
    only their competition."""
    query = stmt.order_by(Offer.seller_external_reference).offset((page - 1) * limit).limit(limit)
    rows = list(session.execute(query))
    offers = listing.offers_out(session, channel, seller_id, rows, feedback=competition)
    return [listing.select_fields(o, COMPETITION_FIELDS) for o in offers] if competition else offers


def search(
    session: Session,
    seller_id: str,
    data: s.OfferSearchIn | None,
    *,
    channel_id: str | None,
    page: int,
    limit: int,
) -> list[s.OfferOut]:
    """The seller's offers on the channel (from the header or query, else the body) that pass the
    body's filters, as GET /offers lists them."""
    data = data or s.OfferSearchIn()
    channel = known_channel(session, channel_id or data.sales_channel_id, "salesChannelId")
    stmt = listing.offers_query(
        seller_id,
        channel.id,
        offer_ids=data.offer_ids,
        references=data.seller_external_references,
        gtins=data.gtins,
        states=data.offer_states,
        updated_at_min=data.updated_at_min,
    )
    return _page(session, channel, seller_id, stmt, page=page, limit=limit)


def competing_offers(
    session: Session,
    seller_id: str,
    *,
    channel_id: str | None,
    products: Sequence[str],
    page: int,
    limit: int,
) -> list[s.OfferOut]:
    """The seller's offers on the products named (by product reference or GTIN), with the other
    sellers' offers on them; on CDISFR unless the client names another channel."""
    named = listing.filter_values(products, "products")
    if not named:
        raise ValidationFailed.field(
            "products", "Name at least one product (product reference or GTIN) in products."
        )
    channel = known_channel(session, channel_id or CDISCOUNT, "salesChannelId")
    stmt = listing.offers_query(seller_id, channel.id).where(
        or_(Product.product_reference.in_(named), Product.gtin.in_(named))
    )
    return _page(session, channel, seller_id, stmt, page=page, limit=limit, competition=True)


def competing_offer_changes(
    session: Session,
    seller_id: str,
    *,
    channel_id: str | None,
    updated_at_min: str | None,
    page: int,
    limit: int,
) -> list[s.OfferOut]:
    """The seller's offers on products where another seller's offer changed since `updatedAtMin`
    (the last 24 hours of the platform clock by default), with the competition as it is now.
    An offer a competitor deleted is gone: its removal is not listed."""
    channel = known_channel(session, channel_id or CDISCOUNT, "salesChannelId")
    since = timestamp("updatedAtMin", updated_at_min) or clock.now() - CHANGES_WINDOW
    other = aliased(Offer)
    changed = select(other.product_id).where(
        other.sales_channel_id == channel.id, other.seller_id != seller_id, other.updated_at >= since
    )
    stmt = listing.offers_query(seller_id, channel.id).where(Offer.product_id.in_(changed))
    return _page(session, channel, seller_id, stmt, page=page, limit=limit, competition=True)
