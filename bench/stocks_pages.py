"""Stock pages at scale: N stock records for seller 98979 (N/2 referenced products, each stored in the
FR and ES warehouses), then, same server, same run:

    GET /health                                          wrk, 32 connections
    GET /seller/v2/stocks?limit=1000, walked by cursor   wrk, 32 connections, each request the next
                                                         page of a walk (every page in turn)
    one client walking every page by its Link header     pages/s, p50 and p99 of a page

    python bench/stocks_pages.py [--stocks 100000] [--database-url postgresql+psycopg://...]

Prints the median requests/s (pages/s) and p50/p99 latency over a few wrk runs, the walk's, and each
page route's throughput beside the health route's.
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
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from _server import reset_postgres, server, token, wrk
from comptoir import features

SELLER = "98979"
COUNTRIES = ("FR", "ES")
QUERY = "/seller/v2/stocks?limit=1000"


def load(url: str, n: int) -> None:
    """The demo, then N/2 referenced products and their stock records in FR and ES, written through
    the bulk writer (COPY on PostgreSQL) in batches."""
    subprocess.run(
        [sys.executable, "-m", "comptoir.cli", "seed", "--database-url", url],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    features.load_models()
    from comptoir.db import table
    from comptoir.db.bulk import BulkWriter
    from comptoir.fulfillment.models import FulfillmentProduct, Stock

    products = n // len(COUNTRIES)
    start = datetime.now(UTC) - timedelta(days=30)
    engine = create_engine(url)
    t0 = time.perf_counter()
    batch = 10_000
    product_columns = (
        "seller_id",
        "seller_product_reference",
        "gtin",
        "product_id",
        "product_condition",
        "label",
        "weight",
        "has_expiration_date",
        "created_at",
        "updated_at",
    )
    stock_columns = (
        "id",
        "seller_id",
        "product_id",
        "product_condition",
        "storage_country",
        "available",
        "allocated",
        "blocked",
        "litigation",
        "removal",
        "returned",
        "logistic_operations",
        "created_at",
        "updated_at",
    )
    for first in range(0, products, batch):
        referenced: list[tuple[Any, ...]] = []
        stocks: list[tuple[Any, ...]] = []
        for i in range(first, min(products, first + batch)):
            at = start + timedelta(seconds=i)
            product_id = f"BNCH{i:07d}"
            referenced.append(
                (
                    SELLER,
                    f"SKU-{i}",
                    f"5{i:012d}",
                    product_id,
                    "New",
                    f"Stored product {i}",
                    Decimal("1.5"),
                    False,
                    at,
                    at,
                )
            )
            for k, country in enumerate(COUNTRIES):
                changed = at + timedelta(seconds=products + k * products)
                buckets = (i * 7 + k) % 500, i % 5, i % 3, 0, i % 2, i % 4, 0
                stocks.append(
                    (
                        f"00000000-0000-4000-8{k:03d}-{i:012d}",
                        SELLER,
                        product_id,
                        "New",
                        country,
                        *buckets,
                        at,
                        changed,
                    )
                )
        with Session(engine) as session, session.begin():
            BulkWriter(session, table(FulfillmentProduct)).insert(product_columns, referenced)
            BulkWriter(session, table(Stock)).insert(stock_columns, stocks)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    engine.dispose()
    print(
        f"loaded {products} referenced products, {products * len(COUNTRIES)} stock records "
        f"in {time.perf_counter() - t0:.0f} s",
        flush=True,
    )


def walk(base: str, headers: dict[str, str]) -> tuple[list[str], list[float], int]:
    """One client following `Link: rel="next"` from the first page to the last: the page paths, each
    page's seconds, and the records seen."""
    paths, seconds, seen = [QUERY], [], 0
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        while True:
            t0 = time.perf_counter()
            r = client.get(paths[-1])
            seconds.append(time.perf_counter() - t0)
            r.raise_for_status()
            seen += len(r.json()["items"])
            nxt = r.links.get("next")
            if not nxt:
                return paths, seconds, seen
            parts = urlsplit(nxt["url"])
            paths.append(f"{parts.path}?{parts.query}")


def cycling_script(paths: list[str], folder: str) -> str:
    """A wrk script whose requests go through the walk's pages in turn."""
    listed = ",\n".join(f'  "{p}"' for p in paths)
    script = Path(folder) / "stocks_pages.lua"
    script.write_text(
        f"local paths = {{\n{listed}\n}}\nlocal i = 0\n"
        'request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n'
    )
    return str(script)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stocks", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite database")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="comptoir-stocks-")
    url = args.database_url or f"sqlite:///{tmp}/stocks.db"
    if url.startswith("postgresql"):
        reset_postgres(url)
    load(url, args.stocks)
    try:
        with server(url, keep_database=True) as base:
            bearer = {"Authorization": f"Bearer {token(base)}", "SellerId": SELLER}
            paths, _, seen = walk(base, bearer)
            assert seen == args.stocks // len(COUNTRIES) * len(COUNTRIES), seen
            script = cycling_script(paths, tmp)
            routes = {
                "GET /health": (f"{base}/health", {}, None),
                "stocks pages by cursor": (f"{base}{QUERY}", bearer, script),
            }
            for url_, headers, lua in routes.values():
                wrk(url_, headers=headers, connections=args.connections, seconds=2, script=lua)
            results: dict[str, list[dict[str, float]]] = {name: [] for name in routes}
            walks: list[list[float]] = []
            for _ in range(args.runs):
                for name, (url_, headers, lua) in routes.items():
                    results[name].append(
                        wrk(
                            url_,
                            headers=headers,
                            connections=args.connections,
                            seconds=args.seconds,
                            script=lua,
                        )
                    )
                # Requests wrk left queued when it stopped would still be served before the walk's.
                time.sleep(2)
                walks.append(walk(base, bearer)[1])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    db = url.split("@")[-1] if "@" in url else "SQLite"
    print(
        f"database: {db}; {seen} stock records, {len(paths)} pages of 1000; {args.connections} "
        f"connections, {args.runs} runs of {args.seconds}s, medians"
    )
    print(f"{'request':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'/ health':>10}")
    health = statistics.median(r["rps"] for r in results["GET /health"])
    for name, runs in results.items():
        m = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p99")}
        print(f"{name:<28}{m['rps']:>10.0f}{m['p50']:>10.2f}{m['p99']:>10.2f}{m['rps'] / health:>10.2f}")
    pages = sorted(s for run in walks for s in run)
    rate = statistics.median(len(run) / sum(run) for run in walks)
    p50, p99 = pages[len(pages) // 2] * 1000, pages[min(len(pages) - 1, int(len(pages) * 0.99))] * 1000
    print(f"{'one client walking':<28}{rate:>10.1f}{p50:>10.2f}{p99:>10.2f}{rate / health:>10.4f}")


if __name__ == "__main__":
    os.environ.setdefault("COMPTOIR_TOKEN_RATE_LIMIT_PER_HOUR", "0")
    main()
