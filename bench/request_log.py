"""What the sandbox's request log costs: authenticated `GET /seller/v2/sellers` on two sandbox
servers, one recording every call (the default) and one with COMPTOIR_REQUEST_LOG=0.

    python bench/request_log.py [--database-url postgresql+psycopg://…] [--runs 3]

The servers run one after the other on fresh databases; runs alternate between them so that the
machine's other load falls on both. Prints median requests/s and p50/p99 latency, and the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
from contextlib import ExitStack

from _server import server, token, wrk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None, help="default: temporary SQLite databases")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    results: dict[str, list[dict[str, float]]] = {"log on": [], "log off": []}
    with ExitStack() as stack:
        targets = {}
        for name, flag in (("log on", "1"), ("log off", "0")):
            os.environ["COMPTOIR_REQUEST_LOG"] = flag
            # On PostgreSQL both servers share the database, so each needs it as it is after the first.
            base = stack.enter_context(
                server(
                    args.database_url,
                    sandbox=True,
                    keep_database=name == "log off" and bool(args.database_url),
                )
            )
            bearer = {"Authorization": f"Bearer {token(base)}", "SellerId": "98979"}
            targets[name] = (f"{base}/seller/v2/sellers", bearer)
            wrk(targets[name][0], headers=bearer, connections=args.connections, seconds=2)
        for _ in range(args.runs):
            for name, (url, headers) in targets.items():
                results[name].append(
                    wrk(url, headers=headers, connections=args.connections, seconds=args.seconds)
                )

    db = args.database_url.split("@")[-1] if args.database_url else "SQLite (temporary files)"
    print(f"database: {db}; {args.connections} connections, {args.runs} runs of {args.seconds}s, medians")
    print(f"{'GET /seller/v2/sellers':<24}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    medians = {}
    for name, runs in results.items():
        medians[name] = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p99")}
        m = medians[name]
        print(f"{name:<24}{m['rps']:>10.0f}{m['p50']:>10.2f}{m['p99']:>10.2f}")
    print(f"log on / log off throughput: {medians['log on']['rps'] / medians['log off']['rps']:.2f}")


if __name__ == "__main__":
    main()
