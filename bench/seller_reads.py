"""Authenticated `GET /seller/v2/sellers` against the unauthenticated health route, same server, same run.

    python bench/seller_reads.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/comptoir_bench]

Prints median requests/s and p50/p99 latency over a few wrk runs at 32 connections, and the ratio of
authenticated reads to health checks (what token checking and the database cost).
"""

from __future__ import annotations

import argparse
import statistics

from _server import server, token, wrk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite database")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with server(args.database_url) as base:
        bearer = {"Authorization": f"Bearer {token(base)}", "SellerId": "98979"}
        routes = {
            "GET /health": (f"{base}/health", {}),
            "GET /seller/v2/sellers": (f"{base}/seller/v2/sellers", bearer),
        }
        # Warm up both routes (connection pools, code paths) before measuring.
        for url, headers in routes.values():
            wrk(url, headers=headers, connections=args.connections, seconds=2)
        results: dict[str, list[dict[str, float]]] = {name: [] for name in routes}
        for _ in range(args.runs):
            for name, (url, headers) in routes.items():
                results[name].append(
                    wrk(url, headers=headers, connections=args.connections, seconds=args.seconds)
                )

    db = args.database_url.split("@")[-1] if args.database_url else "SQLite (temporary file)"
    print(f"database: {db}; {args.connections} connections, {args.runs} runs of {args.seconds}s, medians")
    print(f"{'route':<24}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    medians = {}
    for name, runs in results.items():
        medians[name] = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p99")}
        m = medians[name]
        print(f"{name:<24}{m['rps']:>10.0f}{m['p50']:>10.2f}{m['p99']:>10.2f}")
    ratio = medians["GET /seller/v2/sellers"]["rps"] / medians["GET /health"]["rps"]
    print(f"authenticated / health throughput: {ratio:.2f}")


if __name__ == "__main__":
    main()
