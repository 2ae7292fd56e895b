"""Small shared state kept in the database: the clock and the signing key; sandbox controls keep
their settings here under `sandbox.` keys."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from comptoir.clock import clock, parse_iso, system_now
from comptoir.platform.models import PlatformState

CLOCK_OFFSET = "clock_offset_seconds"
CLOCK_FROZEN_AT = "sandbox.clock_frozen_at"


def get(session: Session | Connection, key: str) -> str | None:
    return session.scalar(select(PlatformState.value).where(PlatformState.key == key))


def put(session: Session, key: str, value: str) -> None:
    row = session.get(PlatformState, key)
    if row is None:
        session.add(PlatformState(key=key, value=value))
    else:
        row.value = value
    session.flush()


def delete(session: Session, key: str) -> None:
    row = session.get(PlatformState, key)
    if row is not None:
        session.delete(row)
        session.flush()


def load_clock(session: Session | Connection) -> None:
    """Make this process's clock follow what whoever set it last stored: one read of both keys."""
    keys = (CLOCK_OFFSET, CLOCK_FROZEN_AT)
    rows = dict(
        session.execute(
            select(PlatformState.key, PlatformState.value).where(PlatformState.key.in_(keys))
        ).all()
    )
    offset = rows.get(CLOCK_OFFSET)
    frozen = rows.get(CLOCK_FROZEN_AT)
    clock.follow(
        timedelta(seconds=float(offset)) if offset else timedelta(0), parse_iso(frozen) if frozen else None
    )


def store_clock(session: Session, offset: timedelta, frozen_at: datetime | None = None) -> None:
    put(session, CLOCK_OFFSET, repr(offset.total_seconds()))
    if frozen_at is None:
        delete(session, CLOCK_FROZEN_AT)
    else:
        put(session, CLOCK_FROZEN_AT, frozen_at.isoformat())
    clock.follow(offset, frozen_at)


def set_time(session: Session, when: datetime, *, frozen: bool) -> None:
    """The platform clock reads `when` now; it stays there if `frozen`, runs on from it otherwise."""
    store_clock(session, when - system_now(), when if frozen else None)
