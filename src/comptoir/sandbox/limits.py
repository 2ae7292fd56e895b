"""Sandbox control: the rate limits each profile applies and their counters, shown and reset."""

from __future__ import annotations

from litestar import delete, get
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.api.context import AppContext
from comptoir.api.wire import Wire
from comptoir.db import ReadSession
from comptoir.platform.limits import LIMITS, PRODUCT_CREATION_COUNTS, Limit, Usage

TAGS = ["sandbox"]


class LimitOut(Wire):
    name: str
    per: str
    # Uses allowed per window; 0 when the limit is turned off (COMPTOIR_TOKEN_RATE_LIMIT_PER_HOUR=0).
    limit: int
    window_seconds: int
    profiles: list[str]


class CounterOut(Wire):
    name: str
    client_id: str | None
    seller_id: str | None
    limit: int
    used: int
    remaining: int
    reset_seconds: int


class RateLimitsOut(Wire):
    limits: list[LimitOut]
    counters: list[CounterOut]


def _limits(tokens: Limit) -> list[LimitOut]:
    seen: dict[str, LimitOut] = {}
    for profile, limits in LIMITS.items():
        for limit in limits:
            shown = tokens if limit.name == tokens.name else limit
            out = seen.setdefault(
                limit.name, LimitOut(limit.name, limit.per, shown.count, limit.window_seconds, [])
            )
            out.profiles.append(profile)
    return list(seen.values())


def _counter(usage: Usage) -> CounterOut:
    by_client = usage.limit.per == "client"
    return CounterOut(
        name=usage.limit.name,
        client_id=usage.subject if by_client else None,
        seller_id=None if by_client else usage.subject,
        limit=usage.limit.count,
        used=usage.used,
        remaining=usage.remaining,
        reset_seconds=usage.reset_seconds,
    )


@get("/rate-limits", sync_to_thread=True, tags=TAGS)
def get_rate_limits(reader: ReadSession, context: AppContext) -> RateLimitsOut:
    """The limits of each fidelity profile, and every client's and seller's count in its window:
    tokens per client (wall time, in the store), product creations per production-profile seller
    (platform clock, in the database)."""
    usages = [*context.quota.usages(clock.system_now()), *PRODUCT_CREATION_COUNTS.usages(reader, clock.now())]
    return RateLimitsOut(limits=_limits(context.quota.limit), counters=[_counter(u) for u in usages])


def reset_rate_limits(context: AppContext, session: Session) -> None:
    """Every counter back to zero (the reset control calls this too)."""
    context.quota.reset()
    PRODUCT_CREATION_COUNTS.reset(session)


@delete("/rate-limits", sync_to_thread=True, tags=TAGS, status_code=204)
def delete_rate_limits(session: Session, context: AppContext) -> None:
    """Resets every counter: a test starts with the whole quota."""
    reset_rate_limits(context, session)


routes = [get_rate_limits, delete_rate_limits]
