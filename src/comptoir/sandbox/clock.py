"""Sandbox control: the platform clock. Set, advance, freeze, resume; moving it forward runs, in time
order, every job that falls due on the way, and answers once that work is done."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Annotated

import msgspec
from litestar import get, post
from sqlalchemy import func, select

from comptoir import clock
from comptoir.api.context import AppContext
from comptoir.api.wire import Wire
from comptoir.db import Database
from comptoir.errors import ValidationFailed
from comptoir.jobs.models import Job, JobStatus
from comptoir.jobs.runtime import Worker, wake_workers
from comptoir.platform import state

# A job that re-enqueues itself at the same instant must not hold the clock call forever.
MAX_JOBS_PER_MOVE = 100_000
SCHEDULED_SHOWN = 10


class ClockIn(Wire):
    """Applied in this order: `freeze` (true stops time, false lets it run on from where it stands),
    `now` (set), `advanceSeconds` (move forward), `reset` (back to system time)."""

    freeze: bool | None = None
    now: str | None = None
    advance_seconds: Annotated[float, msgspec.Meta(ge=0, le=10 * 365 * 86400)] | None = None
    reset: bool = False


class ScheduledOut(Wire):
    kind: str
    run_at: str
    subject_kind: str | None = None
    subject_id: str | None = None


class ClockOut(Wire):
    now: str
    frozen: bool
    offset_seconds: float
    scheduled: list[ScheduledOut]


def _out(db: Database) -> ClockOut:
    with db.read() as session:
        jobs = session.scalars(
            select(Job)
            .where(Job.status == JobStatus.QUEUED)
            .order_by(Job.run_at, Job.id)
            .limit(SCHEDULED_SHOWN)
        ).all()
    return ClockOut(
        now=clock.iso_z(clock.now()) or "",
        frozen=clock.clock.frozen_at is not None,
        offset_seconds=clock.clock.offset.total_seconds(),
        scheduled=[
            ScheduledOut(j.kind, clock.iso_z(j.run_at) or "", j.subject_kind, j.subject_id) for j in jobs
        ],
    )


def move_clock(db: Database, change: ClockIn) -> None:
    with db.transaction() as session:
        state.load_clock(session)
    frozen = clock.clock.frozen_at is not None if change.freeze is None else change.freeze
    target = clock.now()
    if change.now is not None:
        try:
            target = clock.parse_iso(change.now)
        except ValueError as exc:
            raise ValidationFailed.field("now", "now must be an ISO-8601 timestamp.") from exc
    if change.advance_seconds is not None:
        target += timedelta(seconds=change.advance_seconds)
    if change.reset:
        # Back to system time and running, unless this very call froze it.
        target, frozen = clock.system_now(), change.freeze is True
    if target > clock.now():
        run_due_until(db, target)
    with db.transaction() as session:
        if change.reset and not frozen:
            state.store_clock(session, timedelta(0))
        else:
            state.set_time(session, target, frozen=frozen)
    wake_workers()


def run_due_until(db: Database, target: datetime) -> None:
    """Steps the clock to each moment a job falls due, up to `target`, and runs what is due there:
    the jobs run in time order, and see the time they were due at."""
    worker = Worker(db)
    ran = 0
    while ran < MAX_JOBS_PER_MOVE:
        with db.transaction() as session:
            due = session.scalar(
                select(func.min(Job.run_at)).where(Job.status == JobStatus.QUEUED, Job.run_at <= target)
            )
            if due is None:
                break
            if due > clock.now():
                state.set_time(session, due, frozen=True)
        ran += max(worker.drain(), 1)
        _wait_for_running(db)


def _wait_for_running(db: Database, timeout: float = 60.0) -> None:
    """Jobs another worker claimed are part of "the work done" the caller waits for."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.read() as session:
            if session.scalar(select(Job.id).where(Job.status == JobStatus.RUNNING).limit(1)) is None:
                return
        time.sleep(0.01)


@get("/clock", sync_to_thread=True, tags=["sandbox"])
def get_clock(context: AppContext) -> ClockOut:
    """The platform clock, whether it is frozen, and the jobs scheduled next."""
    return _out(context.db)


@post("/clock", sync_to_thread=True, tags=["sandbox"], status_code=200)
def set_clock(context: AppContext, data: ClockIn) -> ClockOut:
    """Moves the platform clock; deadlines, token expiry and scheduled jobs follow it. Moving it forward
    runs every job due on the way, in time order, before answering."""
    if data.freeze is None and data.now is None and data.advance_seconds is None and not data.reset:
        raise ValidationFailed.field("body", "Give at least one of freeze, now, advanceSeconds or reset.")
    move_clock(context.db, data)
    return _out(context.db)


routes = [get_clock, set_clock]
