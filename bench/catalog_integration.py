"""Product integration: one package of 10,000 products, from the POST to a complete report.

    python bench/catalog_integration.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/comptoir_catalog]

Starts a comptoir server without its in-process worker on a fresh database (a temporary SQLite file,
or the PostgreSQL database given, emptied), posts a package in which 9 products in 10 are valid and
each other one fails a different check, then runs the two integration jobs in this process, timing
each, and reads the whole report back to check it. Every run posts new GTINs, so every valid product
is a creation. Prints each run and the medians; "checked/s" is products per second of the checking
job, "reported/s" products per second from the POST to the last report item written.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from typing import Any

import httpx
import msgspec

from _server import server, token
from comptoir import features
from comptoir.catalog.domain import with_check_digit
from comptoir.db import Database
from comptoir.jobs.runtime import Worker

PICTURES = [
    {"index": 1, "url": "https://images.example.com/p/1.jpg"},
    {"index": 2, "url": "https://images.example.com/p/2.jpg"},
]

# Valid products of four categories: toys, laptops (brand required), T-shirts (variants), books.
TEMPLATES: list[dict[str, Any]] = [
    {
        "categoryCode": "090101",
        "brand": "Juntek",
        "attributes": [
            {"propertyReference": "60001", "values": ["3"]},
            {"propertyReference": "60002", "files": ["https://docs.example.com/safety.pdf"]},
            {"propertyReference": "20004", "values": ["Bois"]},
        ],
    },
    {
        "categoryCode": "010103",
        "brand": "Soltek",
        "attributes": [
            {"propertyReference": "10001", "values": ["Air 14"]},
            {"propertyReference": "30002", "values": ["Linux"]},
            {"propertyReference": "30004", "values": ["512"]},
            {"propertyReference": "30003", "values": ["Wi-Fi", "USB-C"]},
        ],
    },
    {
        "categoryCode": "050201",
        "brand": "Velora",
        "variantGroupReference": "TSH",
        "attributes": [
            {"propertyReference": "20001", "values": ["Bleu"]},
            {"propertyReference": "20002", "values": ["L"]},
            {"propertyReference": "20005", "values": ["Homme"]},
        ],
    },
    {
        "categoryCode": "100101",
        "attributes": [
            {"propertyReference": "60003", "values": ["A. Author"]},
            {"propertyReference": "60005", "values": ["Français"]},
        ],
    },
]

# One broken field each: what a real package's refused products look like.
BREAKAGES: list[dict[str, Any]] = [
    {"gtin": "3760000000000"},
    {"categoryCode": "999999"},
    {"attributes": []},
    {
        "attributes": [
            {"propertyReference": "60001", "values": ["3"]},
            {"propertyReference": "20004", "values": ["Osier"]},
        ]
    },
    {"sellerPictureUrls": [{"index": 1, "url": "images/p.jpg"}]},
]


def package(run: int, size: int) -> tuple[list[dict[str, Any]], int]:
    """The products of one run, and how many of them are valid: every tenth is a broken toy."""
    products = []
    for i in range(size):
        broken = i % 10 == 9
        product = {
            "gtin": with_check_digit(f"3{run:03d}{i:08d}"),
            "sellerProductReference": f"SKU-{run}-{i}",
            "title": f"Product {i} of run {run}",
            "description": "A product of the integration benchmark, described in a few words. " * 3,
            "language": "fr-FR",
            "sellerPictureUrls": PICTURES,
            **TEMPLATES[0 if broken else i % len(TEMPLATES)],
        }
        if broken:
            product.update(BREAKAGES[(i // 10) % len(BREAKAGES)])
        products.append(product)
    return products, size - size // 10


def read_report(client: httpx.Client, package_id: str) -> dict[str, int]:
    statuses: dict[str, int] = {}
    page = 1
    while True:
        items = client.get(
            "/seller/v2/products-integration-reports",
            params={"packageId": package_id, "pageSize": 100, "pageIndex": page},
        ).json()["items"]
        for item in items:
            statuses[item["status"]] = statuses.get(item["status"], 0) + 1
        if len(items) < 100:
            return statuses
        page += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite database")
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    features.load_models()
    features.register_jobs()
    rows = []
    tmp = tempfile.mkdtemp(prefix="comptoir-bench-catalog-")
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    with server(url) as base:
        # The server has no worker: this process runs the jobs, on the same database.
        db = Database(url)
        worker = Worker(db, lease_seconds=600)
        headers = {"Authorization": f"Bearer {token(base)}", "SellerId": "98979"}
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            for run in range(1, args.runs + 1):
                products, valid = package(run, args.products)
                # Encoded beforehand: the figure is the server's, not the client's JSON encoder's.
                body = msgspec.json.encode({"products": products})
                start = time.perf_counter()
                r = client.post(
                    "/seller/v2/products-integration",
                    content=body,
                    headers={"Content-Type": "application/json"},
                )
                accepted = time.perf_counter()
                assert r.status_code == 202, r.text
                assert worker.run_one()
                checked = time.perf_counter()
                assert worker.run_one()
                written = time.perf_counter()
                statuses = read_report(client, r.json()["packageId"])
                read = time.perf_counter()
                expected = {"Integrated": valid, "Refused": args.products - valid}
                assert statuses == expected, (statuses, expected)
                rows.append(
                    {
                        "post s": accepted - start,
                        "check s": checked - accepted,
                        "write s": written - checked,
                        "reported s": written - start,
                        "read report s": read - written,
                        "checked/s": args.products / (checked - accepted),
                        "reported/s": args.products / (written - start),
                    }
                )
        db.dispose()
    shutil.rmtree(tmp, ignore_errors=True)

    where = args.database_url.split("@")[-1] if args.database_url else "SQLite (temporary file)"
    refused = args.products // 10
    print(f"database: {where}; {args.products} products per package ({refused} refused), {args.runs} runs")
    names = list(rows[0])
    print(f"{'run':<8}" + "".join(f"{n:>15}" for n in names))
    for i, row in enumerate(rows, 1):
        print(f"{i:<8}" + "".join(f"{row[n]:>15.2f}" if row[n] < 100 else f"{row[n]:>15.0f}" for n in names))
    medians = {n: statistics.median(r[n] for r in rows) for n in names}
    print(f"{'median':<8}" + "".join(f"{v:>15.2f}" if v < 100 else f"{v:>15.0f}" for v in medians.values()))


if __name__ == "__main__":
    main()
