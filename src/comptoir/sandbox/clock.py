"""Sandbox control: the platform clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import msgspec
from litestar import get, post
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.api.wire import Wire
from comptoir.errors import ValidationFailed
from comptoir.jobs.runtime import wake_workers
from comptoir.platform import state


class ClockIn(Wire):
    """Give `now` to set the clock, or `advanceSeconds` to move it; `reset` goes back to system time."""

    now: str | None = None
    advance_seconds: Annotated[float, msgspec.Meta(ge=0, le=10 * 365 * 86400)] | None = None
    reset: bool = False


class ClockOut(Wire):
    now: str
    offset_seconds: float


def _out() -> ClockOut:
    return ClockOut(now=clock.iso_z(clock.now()) or "", offset_seconds=clock.clock.offset.total_seconds())


@get("/clock", sync_to_thread=False, tags=["sandbox"])
def get_clock() -> ClockOut:
    """The platform clock (every sandbox request has just read its offset from the database)."""
    return _out()


@post("/clock", sync_to_thread=True, tags=["sandbox"], status_code=200)
def set_clock(session: Session, data: ClockIn) -> ClockOut:
    """Moves the platform clock; deadlines, token expiry and scheduled jobs follow it."""
    given = [x for x in (data.now is not None, data.advance_seconds is not None, data.reset) if x]
    if len(given) != 1:
        raise ValidationFailed.field("body", "Give exactly one of now, advanceSeconds or reset.")
    state.load_clock(session)
    if data.reset:
        offset = timedelta(0)
    elif data.advance_seconds is not None:
        offset = clock.clock.offset + timedelta(seconds=data.advance_seconds)
    else:
        try:
            target = clock.parse_iso(data.now or "")
        except ValueError as exc:
            raise ValidationFailed.field("now", "now must be an ISO-8601 timestamp.") from exc
        offset = target - clock.system_now()
    state.store_clock(session, offset)
    wake_workers()
    return _out()


routes = [get_clock, set_clock]
