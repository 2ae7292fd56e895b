"""Demo offers: seller 12345 competes on the first demo products, so that competition is real data;
and a busy seller's catalogue of offers (the busy-seller pack)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from comptoir.catalog import Product
from comptoir.channels import SalesChannel
from comptoir.db.bulk import BulkWriter
from comptoir.offers import rows
from comptoir.offers.apply import apply_offer_changes
from comptoir.offers.domain import CDISCOUNT_LANGUAGE, OFFER_FIELDS, TAX_VAT, DeliveryMode
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


# A busy seller's delivery modes by channel: code, cost, cost of each further unit.
SELLER_MODES = {
    "CDISFR": (("TRK", "4.90", "1.00"), ("STD", "3.90", "0.50"), ("EXP", "9.90", "2.00")),
    "SELLZZ": (("THD", "5.90", "1.00"), ("EHD", "11.90", "2.00")),
}
OUT_OF_STOCK = 0.05  # the share of a busy seller's products sold out, their offers Inactive


def seed_seller_offers(
    session: Session, rng: random.Random, seller_id: str, gtins: Sequence[str], at: datetime
) -> None:
    """An offer of the seller on each of these products and each channel of `SELLER_MODES`, drawn from
    `rng` and dated `at`, written as an integration writes them. Stock is the product's, shared by
    both channels; a few products are sold out."""
    found = BulkWriter(session, cast(Table, Product.__table__)).select_in(
        ("gtin", "id", "seller_product_reference"), "gtin", gtins, seller_id=seller_id
    )
    products = {gtin: (product_id, reference) for gtin, product_id, reference in found}
    modes = {
        channel: [DeliveryMode(code, Decimal(cost), Decimal(more)) for code, cost, more in table]
        for channel, table in SELLER_MODES.items()
    }
    inserts = []
    for product_id, reference in (products[gtin] for gtin in gtins):
        quantity = 0 if rng.random() < OUT_OF_STOCK else rng.randint(1, 250)
        price = Decimal(rng.randint(499, 149_999)) / 100
        preparation = rng.randint(1, 3)
        for channel, channel_modes in modes.items():
            values = dict.fromkeys(OFFER_FIELDS) | {
                # Octopia's channel sells a little dearer.
                "price": price if channel == "CDISFR" else price + Decimal("1.00"),
                "vat_rate": Decimal(20),
                "quantity": quantity,
                "preparation_time": preparation,
                "delivery_modes": channel_modes,
            }
            inserts.append(
                (seller_id, channel, reference, product_id, "New", *rows.values_row(values, "New", at), at)
            )
    rows.write(session, inserts, [], [])
