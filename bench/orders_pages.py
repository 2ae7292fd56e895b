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
from decimal import Decimal

import httpx
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from _server import reset_postgres, server, token, wrk
from comptoir import features


def load(url: str, n: int) -> None:
    """Orders with one line InPreparation, written by the orders' bulk writer in batches."""
    subprocess.run(
        [sys.executable, "-m", "comptoir.cli", "seed", "--database-url", url],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    features.load_models()
    from comptoir.orders.demo import LineDraft, OrderDraft, Sold, Terms, write_orders
    from comptoir.orders.domain import Status

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
    terms = Terms("SELLZZ", Decimal(12), False, 24, 3)
    sold = Sold(
        offer_id=1,
        seller_external_reference="REF1",
        product_id=1,
        gtin="3000000000001",
        product_reference="TST0000001",
        title="Bench product",
        unit_price=Decimal("19.99"),
        shipping_cost=Decimal("4.90"),
        additional_cost=Decimal("0"),
        vat_rate=Decimal(20),
        preparation_days=2,
    )
    batch = 20_000
    t0 = time.perf_counter()
    for first in range(0, n, batch):
        drafts = [
            OrderDraft(
                order_id=f"B{i:014d}",
                seller_id="98979",
                terms=terms,
                status=Status.IN_PREPARATION,
                customer_reference=f"c{i}",
                placed_at=start + timedelta(seconds=i),
                delivery_mode="THD",
                address=address,
                lines=(LineDraft("AAAA", sold, 1),),
            )
            for i in range(first, min(n, first + batch))
        ]
        with Session(engine) as session, session.begin():
            write_orders(session, drafts)
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
