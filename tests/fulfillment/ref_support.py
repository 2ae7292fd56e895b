"""Helpers of the referencing, stock and marketplace-order tests: catalogue products straight in the
database (the catalogue is tested apart), referencing and stock driven over HTTP."""

from __future__ import annotations

import itertools
from typing import Any

from comptoir import clock
from comptoir.catalog import Product

BASE = "/seller/v2"
OP = "/operator/v1"
_serial = itertools.count(1)


def catalogue_product(db: Any, seller_id: str = "98979") -> dict[str, Any]:
    """An integrated catalogue product: its row id, Octopia product id and GTIN."""
    n = next(_serial) + 700_000
    with db.transaction() as s:
        product = Product(
            product_reference=f"FFM{n:07d}",
            gtin=f"4{n:012d}",
            seller_id=seller_id,
            category_code="010201",
            language="fr-FR",
            title=f"Stored product {n}",
            description="A product for fulfillment tests.",
            attributes=[],
            pictures=[],
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        s.add(product)
        s.flush()
        return {"id": product.id, "product_id": product.product_reference, "gtin": product.gtin}


def reference(client: Any, headers: dict[str, str], product: dict[str, Any], ref: str, **fields: Any) -> Any:
    body = {"gtin": product["gtin"], "sellerProductReference": ref, "productCondition": "New", **fields}
    r = client.post(f"{BASE}/fulfillment-products", json=[body], headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()[0]["status"] in ("Created", "Updated"), r.text
    return r.json()[0]


def adjust(client: Any, operator_headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"{OP}/fulfillment/stock-adjustments", json=body, headers=operator_headers)


def stock_in(
    client: Any,
    operator_headers: dict[str, str],
    ref: str,
    quantity: int,
    country: str = "FR",
    seller_id: str = "98979",
) -> dict[str, Any]:
    """Sets a referenced product's Available units in a warehouse by an inventory count."""
    r = adjust(
        client,
        operator_headers,
        reason="Inventory",
        sellerId=seller_id,
        sellerProductReference=ref,
        storageCountry=country,
        countedQuantity=quantity,
    )
    assert r.status_code == 200, r.text
    return dict(r.json()["stock"])


def warehouse_offer(
    client: Any,
    db: Any,
    seller_headers: dict[str, str],
    operator_headers: dict[str, str],
    offer: dict[str, Any],
    quantity: int,
    country: str = "FR",
) -> dict[str, Any]:
    """Makes an offer of `order_helpers.make_offer` a Fulfillment offer: its product referenced (as
    `FFM-<offer reference>`) and `quantity` units in a warehouse; returns the stock record."""
    with db.read() as s:
        gtin = s.get(Product, offer["product_id"]).gtin
    ref = f"FFM-{offer['reference']}"
    r = client.post(
        f"{BASE}/fulfillment-products",
        json={"gtin": gtin, "sellerProductReference": ref},
        headers=seller_headers,
    )
    assert r.json()["status"] in ("Created", "Updated"), r.text
    return stock_in(client, operator_headers, ref, quantity, country)
