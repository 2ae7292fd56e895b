"""Demo offers: seller 12345 competes on the first demo products, so that competition is real data."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir.catalog import Product
from comptoir.channels import SalesChannel
from comptoir.offers.apply import apply_offer_changes
from comptoir.offers.domain import CDISCOUNT_LANGUAGE, TAX_VAT, DeliveryMode
from comptoir.offers.models import Offer
from comptoir.offers.offer_requests import Mode, OfferInput, TaxInput

COMPETITOR = "12345"
PRODUCTS = 6
# Channel, delivery mode and its cost.
CHANNELS = (("CDISFR", "TRK", Decimal("4.90")), ("SELLZZ", "THD", Decimal("5.90")))


def seed(session: Session) -> None:
    """Idempotent: does nothing once the competitor has offers, or while there are no products."""
    if session.scalar(select(Offer.id).where(Offer.seller_id == COMPETITOR).limit(1)) is not None:
        return
    gtins = session.scalars(
        select(Product.gtin)
        .where(Product.language == CDISCOUNT_LANGUAGE)
        .order_by(Product.id)
        .limit(PRODUCTS)
    ).all()
    for channel_id, mode, cost in CHANNELS:
        channel = session.get(SalesChannel, channel_id)
        if channel is None:
            continue
        inputs = [
            OfferInput(
                reference=f"OTHER-{gtin}",
                gtin=gtin,
                condition="New",
                price=Decimal(19 + 10 * i) + Decimal("0.90"),
                taxes=[TaxInput(TAX_VAT, Decimal(20))],
                quantity=5 + i,
                delivery_modes=[DeliveryMode(mode, cost, Decimal("1.00"))],
                preparation_time=2,
            )
            for i, gtin in enumerate(gtins)
        ]
        apply_offer_changes(session, seller_id=COMPETITOR, channel=channel, mode=Mode.UPSERT, inputs=inputs)
