"""Small shared state kept in the database: the clock offset and the signing key."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from comptoir.clock import clock
from comptoir.platform.models import PlatformState

CLOCK_OFFSET = "clock_offset_seconds"


def get(session: Session | Connection, key: str) -> str | None:
    return session.scalar(select(PlatformState.value).where(PlatformState.key == key))


def put(session: Session, key: str, value: str) -> None:
    row = session.get(PlatformState, key)
    if row is None:
        session.add(PlatformState(key=key, value=value))
    else:
        row.value = value
    session.flush()


def load_clock(session: Session | Connection) -> None:
    """Make this process's clock follow the offset stored by whoever set it last."""
    value = get(session, CLOCK_OFFSET)
    clock.set_offset(timedelta(seconds=float(value)) if value else timedelta(0))


def store_clock(session: Session, offset: timedelta) -> None:
    put(session, CLOCK_OFFSET, repr(offset.total_seconds()))
    clock.set_offset(offset)
