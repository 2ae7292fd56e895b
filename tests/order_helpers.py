"""Builds the offers orders are placed on, directly in the database (the offers feature is tested apart)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from comptoir import clock
from comptoir.catalog import Product
from comptoir.offers import DeliveryMode, Offer, offer_id
from comptoir.offers.rows import encode_modes

_gtins = itertools.count(1)

CHANNEL_MODES = {"CDISFR": ["TRK", "STD"], "SELLZZ": ["THD", "EHD"]}


def make_offer(
    db: Any,
    *,
    seller_id: str = "98979",
    channel: str = "SELLZZ",
    reference: str = "REF1",
    quantity: int = 10,
    price: str = "19.99",
    preparation_time: int = 2,
    product_id: int | None = None,
    state: str = "Active",
) -> dict[str, Any]:
    now = clock.now()
    with db.transaction() as session:
        if product_id is None:
            n = next(_gtins)
            product = Product(
                product_reference=f"TST{n:07d}",
                gtin=f"{3000000000000 + n}",
                seller_id=seller_id,
                category_code="010101",
                language="fr-FR",
                title=f"Test product {n}",
                description="A product.",
                attributes=[],
                pictures=[],
                created_at=now,
                updated_at=now,
            )
            session.add(product)
            session.flush()
            product_id = product.id
        product_reference = session.get(Product, product_id).product_reference
        modes = [DeliveryMode(code, Decimal("4.90"), Decimal("1.00")) for code in CHANNEL_MODES[channel]]
        offer = Offer(
            seller_id=seller_id,
            sales_channel_id=channel,
            seller_external_reference=reference,
            product_id=product_id,
            condition="New",
            price=Decimal(price),
            vat_rate=Decimal("20"),
            quantity=quantity,
            preparation_time=preparation_time,
            delivery_modes=encode_modes(modes),
            offer_state=state,
            created_at=now,
            updated_at=now,
        )
        session.add(offer)
        session.flush()
        return {
            "offer_id": offer.id,
            # The id clients see: on order lines as on GET /offers.
            "id": offer_id(seller_id, product_reference, "New", channel),
            "product_id": product_id,
            "reference": reference,
        }


def row_offer_id(db: Any, reference: str, seller_id: str = "98979") -> int:
    """The row id order lines showed before the composite id (old clients still send it)."""
    with db.read() as session:
        return int(
            session.scalars(
                select(Offer.id).where(
                    Offer.seller_id == seller_id, Offer.seller_external_reference == reference
                )
            ).one()
        )


def stock(db: Any, offer_id: int) -> tuple[int | None, str]:
    with db.read() as session:
        offer = session.get(Offer, offer_id)
        return offer.quantity, offer.offer_state


ADDRESS = {
    "firstName": "Marie",
    "lastName": "Curie",
    "addressLine1": "1 rue Pierre et Marie Curie",
    "postalCode": "75005",
    "city": "Paris",
    "countryCode": "FR",
}


def order_body(
    channel: str = "SELLZZ", lines: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "salesChannelId": channel,
        "customer": {"reference": "c-1"},
        "shippingAddress": ADDRESS,
        "lines": lines or [{"sellerId": "98979", "sellerExternalReference": "REF1", "quantity": 1}],
        **extra,
    }


def place(client: Any, operator_headers: dict[str, str], drain: Any, **kwargs: Any) -> dict[str, Any]:
    """Places an order as a customer and lets the marketplace controls run; returns the order id."""
    r = client.post("/operator/v1/orders", json=order_body(**kwargs), headers=operator_headers)
    assert r.status_code == 201, r.text
    drain()
    return dict(r.json())
