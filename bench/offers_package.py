"""A 50,000-offer Upsert package end to end, against plain sqlite3 upserting the same rows.

    python bench/offers_package.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/comptoir_offers]

Prepares a fresh database (a temporary SQLite file, or the PostgreSQL database emptied) with 50,000
products, starts `comptoir serve` on it (worker in process), then times, over HTTP: create the
package, 500 uploads of 100 offer requests, PATCH Ready, poll until Integrated. In the same run it
times `sqlite3.executemany` upserting the same 50,000 offer rows into a bare table, and prints both
rates in offers per second and their ratio.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import insert

from _server import reset_postgres, server

TOKEN_PATH = "/auth/realms/maas/protocol/openid-connect/token"
CHANNEL = "SELLZZ"
BATCH = 100


def prepare(url: str, count: int) -> None:
    """Schema, demo data, and `count` products for the offers to attach to."""
    from comptoir import features
    from comptoir.catalog.models import Product
    from comptoir.db import Database
    from comptoir.db.migrate import upgrade
    from comptoir.demo import seed

    if url.startswith("postgresql"):
        reset_postgres(url)
    upgrade(url)
    features.load_models()
    db = Database(url)
    now = datetime.now(UTC)
    with db.transaction() as session:
        seed(session)
        session.execute(
            insert(Product.__table__),  # type: ignore[arg-type]
            [
                {
                    "product_reference": f"BENCH{i:09d}",
                    "gtin": gtin(i),
                    "seller_id": "98979",
                    "category_code": "010201",
                    "language": "fr-FR",
                    "title": f"Bench product {i}",
                    "description": "Bench product",
                    "attributes": [],
                    "pictures": [],
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(count)
            ],
        )
    db.dispose()


def gtin(i: int) -> str:
    return f"4{i:012d}"


def offer(i: int) -> dict[str, Any]:
    return {
        "sellerExternalReference": f"SKU-{i:06d}",
        "product": {"gtin": gtin(i)},
        "condition": "New",
        "price": {"price": 19.99 + i % 50, "originPrice": 89.99, "taxes": [{"code": "VAT", "value": 20}]},
        "deliveryModes": [{"code": "THD", "cost": 2.99, "additionalCost": 0.5}],
        "preparationTime": 2,
        "quantity": 1 + i % 40,
    }


def run_package(base: str, count: int) -> tuple[float, float]:
    """Seconds from package creation to Integrated, and from Ready to Integrated."""
    with httpx.Client(base_url=base, timeout=120) as http:
        token = http.post(
            TOKEN_PATH,
            data={
                "grant_type": "client_credentials",
                "client_id": "demo-client",
                "client_secret": "demo-secret",
            },
        ).json()["access_token"]
        headers = {
            "Authorization": f"Bearer {token}",
            "SellerId": "98979",
            "Content-Type": "application/json",
        }
        bodies = [
            json.dumps([offer(i) for i in range(s, min(s + BATCH, count))]) for s in range(0, count, BATCH)
        ]
        started = time.perf_counter()
        r = http.post(
            "/seller/v2/offer-packages",
            content=json.dumps({"packageType": "Upsert"}),
            headers={**headers, "SalesChannelId": CHANNEL},
        )
        r.raise_for_status()
        path = "/seller/v2" + r.headers["content-location"]
        for body in bodies:
            http.post(f"{path}/offer-requests", content=body, headers=headers).raise_for_status()
        http.patch(path, content=json.dumps({"state": "Ready"}), headers=headers).raise_for_status()
        uploaded = time.perf_counter()
        while (state := http.get(path, headers=headers).json()["state"]) not in ("Integrated", "Rejected"):
            time.sleep(0.05)
        finished = time.perf_counter()
        if state != "Integrated":
            sys.exit(f"package ended {state}")
        results = http.get(f"{path}/offer-requests-results", params={"limit": 1000}, headers=headers).json()
        if any(item["integrationStatus"] != "Integrated" for item in results["items"]):
            sys.exit(f"some offers were not integrated: {results['items'][:3]}")
    print(f"  uploads (create + {len(bodies)} POSTs + PATCH): {uploaded - started:.2f} s")
    return finished - started, finished - uploaded


def bare_upsert(count: int, folder: str, run: int) -> float:
    """Seconds for sqlite3.executemany to upsert the same offer rows into a bare table, committed."""
    conn = sqlite3.connect(f"{folder}/bare-{run}.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE offers (id INTEGER PRIMARY KEY, seller_id TEXT, sales_channel_id TEXT, "
        "seller_external_reference TEXT, product_id INTEGER, condition TEXT, price NUMERIC, "
        "origin_price NUMERIC, vat_rate NUMERIC, quantity INTEGER, preparation_time INTEGER, "
        "delivery_modes TEXT, offer_state TEXT, created_at TEXT, updated_at TEXT, "
        "UNIQUE (seller_id, sales_channel_id, seller_external_reference))"
    )
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    rows = []
    for i in range(count):
        o = offer(i)
        modes = json.dumps([{"code": "THD", "cost": "2.99", "additional_cost": "0.50"}])
        rows.append(
            (
                "98979",
                CHANNEL,
                o["sellerExternalReference"],
                i + 1,
                "New",
                o["price"]["price"],
                89.99,
                20,
                o["quantity"],
                2,
                modes,
                "Active",
                now,
                now,
            )
        )
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO offers (seller_id, sales_channel_id, seller_external_reference, product_id, condition, "
        "price, origin_price, vat_rate, quantity, preparation_time, delivery_modes, offer_state, created_at, "
        "updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (seller_id, sales_channel_id, seller_external_reference) DO UPDATE SET "
        "product_id = excluded.product_id, condition = excluded.condition, price = excluded.price, "
        "origin_price = excluded.origin_price, vat_rate = excluded.vat_rate, quantity = excluded.quantity, "
        "preparation_time = excluded.preparation_time, delivery_modes = excluded.delivery_modes, "
        "offer_state = excluded.offer_state, updated_at = excluded.updated_at",
        rows,
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite database")
    parser.add_argument("--offers", type=int, default=50_000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="comptoir-offers-bench-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    try:
        prepare(url, args.offers)
        with server(url, keep_database=True, worker=True) as base:
            database = url.split("@")[-1] if "@" in url else "SQLite (temporary file)"
            print(f"database: {database}; {args.offers} offers, uploads of {BATCH}")
            package_seconds, integration_seconds = run_package(base, args.offers)
        # The bare rate varies from run to run on a shared machine: the median of three.
        bare_seconds = statistics.median(bare_upsert(args.offers, folder, run) for run in range(3))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    bare_rate = args.offers / bare_seconds
    print(f"sqlite3.executemany bare      : {bare_seconds:6.2f} s  {bare_rate:9.0f} offers/s (median of 3)")
    for label, seconds in (
        ("package end to end", package_seconds),
        ("integration (Ready->done)", integration_seconds),
    ):
        rate = args.offers / seconds
        print(f"{label:<30}: {seconds:6.2f} s  {rate:9.0f} offers/s  ratio to bare {rate / bare_rate:.3f}")


if __name__ == "__main__":
    main()
