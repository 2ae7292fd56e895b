"""Token quota per client (production: 500 tokens per hour), counted in the store.

Counts go in one-minute buckets over the last hour, so that every process sharing a Redis store
counts against the same quota. A token is counted first and given back if it was one too many:
concurrent requests can both be refused near the limit, never both served past it.
"""

from __future__ import annotations

from datetime import datetime

from comptoir.platform.store import Store

BUCKET_SECONDS = 60
WINDOW_BUCKETS = 60
TTL_SECONDS = (WINDOW_BUCKETS + 1) * BUCKET_SECONDS


class TokenQuota:
    def __init__(self, per_hour: int, store: Store) -> None:
        self.per_hour = per_hour
        self.store = store

    def take(self, client_id: str, now: datetime) -> int | None:
        """Counts one token for the client; returns the seconds to wait instead when over quota."""
        if self.per_hour <= 0:
            return None
        seconds = int(now.timestamp())
        current = seconds // BUCKET_SECONDS
        buckets = [f"quota:{client_id}:{current - i}" for i in range(WINDOW_BUCKETS)]
        self.store.incr(buckets[0], 1, ttl_seconds=TTL_SECONDS)
        counts = [int(v) if v else 0 for v in self.store.get_many(buckets)]
        if sum(counts) <= self.per_hour:
            return None
        self.store.incr(buckets[0], -1, ttl_seconds=TTL_SECONDS)
        oldest = max(i for i, count in enumerate(counts) if count)
        frees_at = (current - oldest + WINDOW_BUCKETS) * BUCKET_SECONDS
        return max(1, frees_at - seconds)
