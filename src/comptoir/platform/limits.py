"""Rate limits, one mechanism for every profile: which limits each fidelity profile applies, how
they are counted, and the headers a limited answer carries.

Every limit counts uses in one-minute buckets over a sliding window, so that a use frees itself a
window after it was made. The counts live where every process that decides can see them: in the
store for a limit checked on the request path (memory, or Redis shared by every API process), in
the database for a limit a background job spends (a `comptoir worker` process holds no store).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from comptoir.platform.models import RateLimitCount
from comptoir.platform.profiles import LENIENT, PRODUCTION, Profile
from comptoir.platform.store import Store

BUCKET_SECONDS = 60


@dataclass(frozen=True)
class Limit:
    name: str
    # Who is counted: an OAuth client or a seller.
    per: Literal["client", "seller"]
    count: int
    window_seconds: int = 3600

    @property
    def buckets(self) -> int:
        return self.window_seconds // BUCKET_SECONDS


# Spec 3.1: 500 tokens per hour and client (published). Spec 8.1: about 25 product creations per
# seller and hour before items come back Refused with QuotaExceeded (measured on one account).
# No other route's limit is known (spec 19.9), so none is invented.
TOKENS = Limit("tokens", "client", 500)
PRODUCT_CREATIONS = Limit("productCreations", "seller", 25)

LIMITS: Mapping[Profile, tuple[Limit, ...]] = {
    LENIENT: (TOKENS,),
    PRODUCTION: (TOKENS, PRODUCT_CREATIONS),
}


def limit_in(profile: Profile, limit: Limit) -> Limit | None:
    """The limit as the profile applies it, or None when the profile does not limit that use."""
    return next((known for known in LIMITS[profile] if known.name == limit.name), None)


@dataclass(frozen=True)
class Usage:
    """One client's or seller's count under one limit."""

    limit: Limit
    subject: str
    used: int
    # Seconds until the oldest counted use leaves the window and frees one (0: nothing counted).
    reset_seconds: int

    @property
    def remaining(self) -> int:
        return max(self.limit.count - self.used, 0)

    def headers(self, *, refused: bool = False) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit.count),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_seconds),
        }
        if refused:
            headers["Retry-After"] = str(max(1, self.reset_seconds))
        return headers


def _usage(limit: Limit, subject: str, counts: Mapping[int, int], now: datetime) -> Usage:
    seconds = int(now.timestamp())
    first = seconds // BUCKET_SECONDS - limit.buckets + 1
    live = [bucket for bucket, count in counts.items() if bucket >= first and count > 0]
    used = sum(counts[bucket] for bucket in live)
    reset = max(1, (min(live) + limit.buckets) * BUCKET_SECONDS - seconds) if live else 0
    return Usage(limit, subject, used, reset)


class StoreCounter:
    """A limit counted in the store. A use is counted first and given back if it was one too many:
    concurrent requests near the limit can both be refused, never both served past it."""

    def __init__(self, limit: Limit, store: Store) -> None:
        self.limit = limit
        self.store = store
        self._prefix = f"limit:{limit.name}:"
        self._ttl = (limit.buckets + 1) * BUCKET_SECONDS

    def _keys(self, subject: str, now: datetime) -> list[tuple[int, str]]:
        current = int(now.timestamp()) // BUCKET_SECONDS
        return [(b, f"{self._prefix}{subject}:{b}") for b in range(current, current - self.limit.buckets, -1)]

    def _read(self, subject: str, keys: list[tuple[int, str]], now: datetime) -> Usage:
        values = self.store.get_many([key for _, key in keys])
        counts = {bucket: int(v) for (bucket, _), v in zip(keys, values, strict=True) if v}
        return _usage(self.limit, subject, counts, now)

    def take(self, subject: str, now: datetime) -> tuple[bool, Usage]:
        """Counts one use; says whether it was within the limit, and the count after it."""
        keys = self._keys(subject, now)
        self.store.incr(keys[0][1], 1, ttl_seconds=self._ttl)
        usage = self._read(subject, keys, now)
        if usage.used <= self.limit.count:
            return True, usage
        self.store.incr(keys[0][1], -1, ttl_seconds=self._ttl)
        return False, Usage(self.limit, subject, usage.used - 1, usage.reset_seconds)

    def usage(self, subject: str, now: datetime) -> Usage:
        return self._read(subject, self._keys(subject, now), now)

    def usages(self, now: datetime) -> list[Usage]:
        """Every subject with uses in the window."""
        subjects = {key[len(self._prefix) :].rsplit(":", 1)[0] for key in self.store.keys(self._prefix)}
        found = [self.usage(subject, now) for subject in sorted(subjects)]
        return [usage for usage in found if usage.used]

    def reset(self) -> None:
        self.store.delete(self.store.keys(self._prefix))


class DatabaseCounter:
    """A limit counted in the database, spent inside the caller's transaction (a job's), so that a
    job redone after a crash spends exactly once."""

    def __init__(self, limit: Limit) -> None:
        self.limit = limit

    def _rows(self, session: Session, now: datetime, subject: str | None = None) -> dict[str, dict[int, int]]:
        first = int(now.timestamp()) // BUCKET_SECONDS - self.limit.buckets + 1
        stmt = select(RateLimitCount.subject, RateLimitCount.bucket, RateLimitCount.count).where(
            RateLimitCount.limit_name == self.limit.name, RateLimitCount.bucket >= first
        )
        if subject is not None:
            stmt = stmt.where(RateLimitCount.subject == subject)
        found: dict[str, dict[int, int]] = defaultdict(dict)
        for who, bucket, count in session.execute(stmt):
            found[who][bucket] = count
        return found

    def usage(self, session: Session, subject: str, now: datetime) -> Usage:
        return _usage(self.limit, subject, self._rows(session, now, subject).get(subject, {}), now)

    def usages(self, session: Session, now: datetime) -> list[Usage]:
        rows = self._rows(session, now)
        return [_usage(self.limit, who, rows[who], now) for who in sorted(rows)]

    def spend(self, session: Session, subject: str, amount: int, now: datetime) -> None:
        """Adds `amount` uses now and drops the subject's buckets that left the window."""
        if amount <= 0:
            return
        bucket = int(now.timestamp()) // BUCKET_SECONDS
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        upsert = dialect.insert(RateLimitCount).values(
            limit_name=self.limit.name, subject=subject, bucket=bucket, count=amount
        )
        session.execute(
            upsert.on_conflict_do_update(
                index_elements=["limit_name", "subject", "bucket"],
                set_={"count": RateLimitCount.count + upsert.excluded.count},
            )
        )
        session.execute(
            delete(RateLimitCount).where(
                RateLimitCount.limit_name == self.limit.name,
                RateLimitCount.subject == subject,
                RateLimitCount.bucket <= bucket - self.limit.buckets,
            )
        )

    def reset(self, session: Session) -> None:
        session.execute(delete(RateLimitCount).where(RateLimitCount.limit_name == self.limit.name))


# The checks job spends product creations, so they are counted in the database.
PRODUCT_CREATION_COUNTS = DatabaseCounter(PRODUCT_CREATIONS)
