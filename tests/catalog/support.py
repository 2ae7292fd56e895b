"""Helpers of the catalog tests: products of a few demo categories, and a package's round trip."""

from __future__ import annotations

import re

from comptoir.catalog import domain

API = "/seller/v2"
OP = "/operator/v1"
REMOVE = object()

# The fields of seed 000's "Product Schema Example": report items and products carry them all.
PRODUCT_MODEL = {
    *("gtin", "gtinReference", "variantGroupReference", "productReference", "sellerProductReference"),
    *("title", "description", "richMarketingDescription", "brand", "categoryCode", "language"),
    *("attributes", "createdAt", "updatedAt", "integratedProductId", "packageId", "sellerId"),
    *("submissionDate", "submissionType", "status", "operationType", "sellerPictureUrls"),
    *("integrationPictureUrls", "publicationCompleteness", "wasMarketable", "wasAllowedToEdit"),
    *("wasAllowedToEnrich", "errors", "warnings", "infos"),
}


def links(response):
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers.get("link", ""))}


def gtin(n: int) -> str:
    """13-digit GTINs apart from the demo products' ones."""
    return domain.with_check_digit(f"3769{n:08d}")


def _with(product: dict, changes: dict) -> dict:
    product.update(changes)
    return {k: v for k, v in product.items() if v is not REMOVE}


def toy(n: int, **changes) -> dict:
    """A complete product of 090101 (toys: minimum age mandatory, safety sheet recommended)."""
    return _with(
        {
            "gtin": gtin(n),
            "sellerProductReference": f"TOY-{n}",
            "title": f"Wooden blocks {n}",
            "description": "A box of beech wood blocks.",
            "brand": "Juntek",
            "categoryCode": "090101",
            "language": "fr-FR",
            "attributes": [
                {"propertyReference": "60001", "values": ["3"]},
                {"propertyReference": "60002", "files": ["https://docs.example.com/safety.pdf"]},
            ],
            "sellerPictureUrls": [{"index": 1, "url": "https://images.example.com/blocks.jpg"}],
        },
        changes,
    )


def laptop(n: int, **changes) -> dict:
    """A product of 010103, a category that requires a brand."""
    return _with(
        {
            "gtin": gtin(n),
            "title": "Laptop 14 inches",
            "description": "A light laptop.",
            "brand": "Soltek",
            "categoryCode": "010103",
            "attributes": [{"propertyReference": "10001", "values": ["Air 14"]}],
            "sellerPictureUrls": [{"index": 1, "url": "https://images.example.com/laptop.jpg"}],
        },
        changes,
    )


def shirt(n: int, **changes) -> dict:
    """A product of 050201, a variant category: colour (20001) and size (20002) vary within a group."""
    return _with(
        {
            "gtin": gtin(n),
            "title": "T-shirt",
            "description": "Organic cotton T-shirt.",
            "categoryCode": "050201",
            "variantGroupReference": "TSH-1",
            "attributes": [
                {"propertyReference": "20001", "values": ["Rouge"]},
                {"propertyReference": "20002", "values": ["M"]},
                {"propertyReference": "20005", "values": ["Homme"]},
            ],
            "sellerPictureUrls": [{"index": 1, "url": "https://images.example.com/shirt.jpg"}],
        },
        changes,
    )


def submit(client, headers, products, **extra) -> str:
    r = client.post(f"{API}/products-integration", json={"products": products}, headers={**headers, **extra})
    assert r.status_code == 202, r.text
    return str(r.json()["packageId"])


def report(client, headers, package_id, **params) -> list[dict]:
    r = client.get(
        f"{API}/products-integration-reports",
        params={"packageId": package_id, "pageSize": 100, **params},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def integrate(client, headers, drain, products, **extra) -> list[dict]:
    package_id = submit(client, headers, products, **extra)
    drain()
    return report(client, headers, package_id)


def codes(messages) -> list[tuple[str, str]]:
    return [(m["code"], m["field"]) for m in messages]
