"""Order pages at scale: N orders for seller 98979, then at 32 connections

    GET /seller/v2/orders?status=InPreparation&updatedAtMin=...&pageSize=100   (page 1 and page 5,000)
    GET /seller/v2/orders/count?status=InPreparation&updatedAtMin=...
    GET /seller/v2/orders/{orderId}                                              (one order)

and a client walking pages 1..K in order (what page K costs once the walk got there).

    python bench/orders_pages.py [--orders 1000000] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/x]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import create_engine, insert

from _server import reset_postgres, server, token, wrk
from comptoir import features


def load(url: str, n: int) -> None:
    """Orders with one line and their status events, written with Core executemany in batches."""
    subprocess.run(
        [sys.executable, "-m", "comptoir.cli", "seed", "--database-url", url],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    features.load_models()
    from comptoir.orders.models import Order, OrderLine, StatusEvent

    engine = create_engine(url)
    start = datetime.now(UTC) - timedelta(days=20)
    address = {
        "firstName": "A",
        "lastName": "B",
        "addressLine1": "1 rue C",
        "postalCode": "75001",
        "city": "Paris",
        "countryCode": "FR",
    }
    batch = 20_000
    t0 = time.perf_counter()
    for first in range(0, n, batch):
        orders, lines, events = [], [], []
        for i in range(first, min(n, first + batch)):
            at = start + timedelta(seconds=i)
            oid = f"B{i:014d}"
            orders.append(
                {
                    "id": oid,
                    "seller_id": "98979",
                    "sales_channel_id": "SELLZZ",
                    "status": "InPreparation",
                    "reference": None,
                    "business_order": False,
                    "customer_reference": f"c{i}",
                    "payment_method": "Card",
                    "currency": "EUR",
                    "delivery_mode": "THD",
                    "supply_mode": "Seller",
                    "shipping_country": "FR",
                    "billing_address": address,
                    "shipping_address": address,
                    "total_offer_price": 24.89,
                    "total_selling_price": 24.89,
                    "rejection_reasons": [],
                    "purchased_at": at,
                    "created_at": at,
                    "updated_at": at,
                    "accepted_at": at,
                    "acceptance_deadline": None,
                    "shipped_at": None,
                    "shipped_at_max": at + timedelta(days=2),
                    "delivered_at": None,
                }
            )
            lines.append(
                {
                    "order_id": oid,
                    "line_id": "AAAA",
                    "position": 0,
                    "status": "InPreparation",
                    "requested_offer_id": None,
                    "seller_external_reference": "REF1",
                    "offer_id": 1,
                    "product_id": 1,
                    "product_gtin": "3000000000001",
                    "product_reference": "TST0000001",
                    "product_title": "Bench product",
                    "condition": "New",
                    "supply_mode": "Seller",
                    "quantity": 1,
                    "reserved_quantity": 1,
                    "unit_price": 19.99,
                    "shipping_cost": 4.90,
                    "commission_rate": 12,
                    "commission_with_vat": 2.99,
                    "commission_without_vat": 2.49,
                    "vat_rate": 20,
                    "promised_at_min": at + timedelta(days=5),
                    "promised_at_max": at + timedelta(days=7),
                    "shipped_at_max": at + timedelta(days=2),
                    "shipped_at": None,
                }
            )
            events += [
                {
                    "order_id": oid,
                    "line_id": None,
                    "status": s,
                    "actor": "Marketplace",
                    "reason": None,
                    "occurred_at": at,
                }
                for s in ("Processing", "Accepted", "InPreparation")
            ]
        with engine.begin() as conn:
            conn.execute(insert(Order), orders)
            conn.execute(insert(OrderLine), lines)
            conn.execute(insert(StatusEvent), events)
    # VACUUM as autovacuum would after a load: PostgreSQL's index-only scans need the visibility map.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    engine.dispose()
    print(f"loaded {n} orders in {time.perf_counter() - t0:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--walk", type=int, default=5000, help="pages a client walks in order")
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="comptoir-orders-")
    url = args.database_url or f"sqlite:///{tmp}/orders.db"
    if url.startswith("postgresql"):
        reset_postgres(url)
    load(url, args.orders)
    since = (datetime.now(UTC) - timedelta(days=25)).strftime("%Y-%m-%dT%H:%M:%SZ")
    query = f"status=InPreparation&updatedAtMin={since}&pageSize=100"
    try:
        with server(url, keep_database=True) as base:
            headers = {"Authorization": f"Bearer {token(base)}", "SellerId": "98979"}
            walk_ms: list[float] = []
            with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
                for page in range(1, args.walk + 1):
                    t = time.perf_counter()
                    r = http.get(f"/seller/v2/orders?{query}&pageIndex={page}")
                    walk_ms.append((time.perf_counter() - t) * 1000)
                    r.raise_for_status()
                    if len(r.json()["items"]) < 100:
                        break
            results = {}
            for name, path in (
                ("page 1", f"/seller/v2/orders?{query}&pageIndex=1"),
                (f"page {len(walk_ms)}", f"/seller/v2/orders?{query}&pageIndex={len(walk_ms)}"),
                ("count", f"/seller/v2/orders/count?status=InPreparation&updatedAtMin={since}"),
                ("one order", f"/seller/v2/orders/B{args.orders // 2:014d}"),
            ):
                wrk(base + path, headers=headers, connections=32, seconds=2)
                results[name] = wrk(base + path, headers=headers, connections=32, seconds=args.seconds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    db = url.split("@")[-1] if "@" in url else "SQLite"
    print(f"database: {db}; {args.orders} orders; 32 connections, {args.seconds}s per route")
    print(f"{'request':<16}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for name, m in results.items():
        print(f"{name:<16}{m['rps']:>10.0f}{m['p50']:>10.2f}{m['p99']:>10.2f}")
    first, last = walk_ms[:50], walk_ms[-50:]
    print(
        f"one client walking {len(walk_ms)} pages in order: median of the first 50 pages "
        f"{statistics.median(first):.2f} ms, of the last 50 {statistics.median(last):.2f} ms"
    )


if __name__ == "__main__":
    os.environ.setdefault("COMPTOIR_TOKEN_RATE_LIMIT_PER_HOUR", "0")
    main()
