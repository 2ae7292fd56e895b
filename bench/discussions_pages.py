"""Discussion pages at scale: N discussions of 5 messages each for seller 98979 (one per order), then,
same server, same run, at 32 connections

    GET /health
    GET /seller/v2/discussions?includeMessages=LastMessage&pageSize=100                 (page 1)
    GET /seller/v2/discussions?includeMessages=LastMessage&pageSize=100&pageIndex=100   (the 10,000th on)

    python bench/discussions_pages.py [--discussions 100000] [--database-url postgresql+psycopg://...]

Prints the median requests/s (pages/s) and p50/p99 latency over a few wrk runs, and each page route's
throughput beside the health route's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from _server import reset_postgres, server, token, wrk
from orders_pages import load as load_orders

MESSAGES = 5
SUBS = ("productIsDamaged", "wrongProductReceived", "orderNotShipped", "missingItemInProduct")
BODIES = (
    "The product arrived broken, the box was crushed. What can you do for me?",
    "Sorry for that: we are sending you a new one today, you will get a tracking number.",
    "Thank you, I still have not received the tracking number though.",
    "Here it is: the parcel left this morning with Colissimo, tracking PARCEL-001.",
    "Received, thanks a lot for the quick answer.",
)


def _uuid(kind: int, n: int) -> str:
    return f"00000000-0000-4000-{8000 + kind}-{n:012d}"


def load(url: str, n: int) -> None:
    """N orders (the orders bench's loader), then one discussion per order with 5 messages, the
    customer and the seller in turn, through the discussions' bulk writer (COPY on PostgreSQL)."""
    load_orders(url, n)
    from comptoir.discussions.demo import DiscussionDraft, MessageDraft, write_discussions

    engine = create_engine(url)
    start = datetime.now(UTC) - timedelta(days=20)
    batch = 10_000
    t0 = time.perf_counter()
    for first in range(0, n, batch):
        drafts = []
        for i in range(first, min(n, first + batch)):
            at = start + timedelta(seconds=i)
            # A tenth still wait for the seller (the customer opened and wrote last); the others the
            # seller opened and answered last. A third are closed.
            waiting = i % 10 == 0
            messages = tuple(
                MessageDraft(
                    _uuid(1, i * MESSAGES + k), (k % 2 == 0) == waiting, BODIES[k], at + timedelta(minutes=k)
                )
                for k in range(MESSAGES)
            )
            drafts.append(
                DiscussionDraft(
                    discussion_id=_uuid(0, i),
                    seller_id="98979",
                    channel_id="SELLZZ",
                    order_id=f"B{i:014d}",
                    customer_id=f"c{i}",
                    subject="Broken product",
                    sub_typology=SUBS[i % len(SUBS)],
                    messages=messages,
                    is_open=i % 3 != 0,
                    claim=i % 20 == 0,
                    escalation=timedelta(hours=48),
                )
            )
        with Session(engine) as session, session.begin():
            write_discussions(session, drafts)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    engine.dispose()
    print(f"loaded {n} discussions, {n * MESSAGES} messages in {time.perf_counter() - t0:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--discussions", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite database")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="comptoir-discussions-")
    url = args.database_url or f"sqlite:///{tmp}/discussions.db"
    if url.startswith("postgresql"):
        reset_postgres(url)
    load(url, args.discussions)
    query = "/seller/v2/discussions?includeMessages=LastMessage&pageSize=100"
    deep = min(100, max(1, args.discussions // 100))
    try:
        with server(url, keep_database=True) as base:
            bearer = {"Authorization": f"Bearer {token(base)}", "SellerId": "98979"}
            routes = {
                "GET /health": (f"{base}/health", {}),
                "discussions page 1": (f"{base}{query}", bearer),
                f"discussions page {deep}": (f"{base}{query}&pageIndex={deep}", bearer),
            }
            for url_, headers in routes.values():
                wrk(url_, headers=headers, connections=args.connections, seconds=2)
            results: dict[str, list[dict[str, float]]] = {name: [] for name in routes}
            for _ in range(args.runs):
                for name, (url_, headers) in routes.items():
                    results[name].append(
                        wrk(url_, headers=headers, connections=args.connections, seconds=args.seconds)
                    )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    db = url.split("@")[-1] if "@" in url else "SQLite"
    print(
        f"database: {db}; {args.discussions} discussions of {MESSAGES} messages; {args.connections} "
        f"connections, {args.runs} runs of {args.seconds}s, medians"
    )
    print(f"{'request':<24}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'/ health':>10}")
    health = statistics.median(r["rps"] for r in results["GET /health"])
    for name, runs in results.items():
        m = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p99")}
        print(f"{name:<24}{m['rps']:>10.0f}{m['p50']:>10.2f}{m['p99']:>10.2f}{m['rps'] / health:>10.2f}")


if __name__ == "__main__":
    os.environ.setdefault("COMPTOIR_TOKEN_RATE_LIMIT_PER_HOUR", "0")
    main()
