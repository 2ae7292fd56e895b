"""Offer test helpers: products to offer, packages driven over HTTP as a client would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from comptoir import clock
from comptoir.catalog.models import Product
from comptoir.offers.offer_requests import ChannelRules

BASE = "/seller/v2"
# The rules of the demo channels for the demo seller, for the pure tests.
SELLZZ_RULES = ChannelRules("SELLZZ", "EUR", frozenset({"THD", "EHD"}))
CDISFR_RULES = ChannelRules("CDISFR", "EUR", frozenset({"TRK", "STD"}))
_serial = itertools.count(1)


@dataclass
class ProductRef:
    id: int
    gtin: str
    reference: str


def gtin13(n: int) -> str:
    return f"3{n:012d}"


def product_maker(db: Any) -> Any:
    """Inserts products straight into the catalogue (the offers tests do not integrate products)."""

    def make(count: int = 1, *, language: str = "fr-FR", gtin_length: int = 13) -> list[ProductRef]:
        rows = []
        with db.transaction() as s:
            for _ in range(count):
                n = next(_serial) + 900_000
                gtin = gtin13(n) if gtin_length == 13 else f"{n:0{gtin_length}d}"[-gtin_length:]
                product = Product(
                    product_reference=f"TST{n:09d}",
                    gtin=gtin,
                    seller_id="98979",
                    category_code="010201",
                    language=language,
                    title=f"Test product {n}",
                    description="A product for offer tests.",
                    attributes=[],
                    pictures=[],
                    created_at=clock.now(),
                    updated_at=clock.now(),
                )
                s.add(product)
                s.flush()
                rows.append(ProductRef(product.id, product.gtin, product.product_reference))
        return rows

    return make


def offer_request(ref: str, product: ProductRef | None, /, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sellerExternalReference": ref,
        "product": {"gtin": product.gtin} if product else None,
        "condition": "New",
        "price": {"price": 49.99, "originPrice": 59.99, "taxes": [{"code": "VAT", "value": 20}]},
        "deliveryModes": [{"code": "THD", "cost": 1.99, "additionalCost": 0.5}],
        "preparationTime": 2,
        "quantity": 10,
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


class Packages:
    """Drives JSON offer packages over HTTP as a client would."""

    def __init__(self, client: Any, headers: dict[str, str], drain: Any) -> None:
        self.client, self.headers, self.drain = client, headers, drain

    def create(self, package_type: str = "Upsert", channel: str = "SELLZZ") -> str:
        r = self.client.post(
            f"{BASE}/offer-packages",
            json={"packageType": package_type},
            headers={**self.headers, "SalesChannelId": channel},
        )
        assert r.status_code == 201, r.text
        return str(r.headers["content-location"].rsplit("/", 1)[-1])

    def upload(self, package_id: str, requests: list[dict[str, Any]]) -> Any:
        return self.client.post(
            f"{BASE}/offer-packages/{package_id}/offer-requests", json=requests, headers=self.headers
        )

    def ready(self, package_id: str) -> Any:
        return self.client.patch(
            f"{BASE}/offer-packages/{package_id}", json={"state": "Ready"}, headers=self.headers
        )

    def get(self, package_id: str) -> dict[str, Any]:
        r = self.client.get(f"{BASE}/offer-packages/{package_id}", headers=self.headers)
        assert r.status_code == 200, r.text
        return dict(r.json())

    def results(self, package_id: str, **params: Any) -> list[dict[str, Any]]:
        r = self.client.get(
            f"{BASE}/offer-packages/{package_id}/offer-requests-results",
            params=params or None,
            headers=self.headers,
        )
        assert r.status_code == 200, r.text
        return list(r.json()["items"])

    def run(
        self, requests: list[dict[str, Any]], package_type: str = "Upsert", channel: str = "SELLZZ"
    ) -> list[Any]:
        """Create, upload, Ready, integrate; the results by request, in order."""
        package_id = self.create(package_type, channel)
        for start in range(0, len(requests), 100):
            r = self.upload(package_id, requests[start : start + 100])
            assert r.status_code == 200, r.text
        assert self.ready(package_id).status_code == 200
        self.drain()
        assert self.get(package_id)["state"] == "Integrated"
        return self.results(package_id, limit=1000)

    def offers(self, channel: str = "SELLZZ", **params: Any) -> list[dict[str, Any]]:
        r = self.client.get(
            f"{BASE}/offers", params={"salesChannelId": channel, **params}, headers=self.headers
        )
        assert r.status_code == 200, r.text
        return list(r.json()["items"])


def offer_row(db: Any, seller_id: str, channel: str, ref: str) -> Any:
    from comptoir.offers.models import Offer

    with db.read() as s:
        return s.scalar(
            select(Offer).where(
                Offer.seller_id == seller_id,
                Offer.sales_channel_id == channel,
                Offer.seller_external_reference == ref,
            )
        )
