"""Claiming, running and retrying jobs.

A handler runs in one transaction together with the update that marks its job done, and that
update only succeeds if this worker still holds the lease: a job's effects commit exactly once,
even when a crashed worker's lease expired and another worker took the job over.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.db import Database
from comptoir.jobs import progress
from comptoir.jobs.models import Job, JobStatus, JobSubject
from comptoir.platform import state

log = logging.getLogger("comptoir.jobs")

Handler = Callable[[Session, dict[str, Any]], None]


FailHandler = Callable[[Session, dict[str, Any], str | None, str | None], None]


@dataclass(frozen=True)
class JobKind:
    """A kind of job and its handler. `on_give_up` runs, in the transaction that marks the job failed,
    when its retries are spent: so that what the job was finishing (a command, an order) ends in a
    visible error state instead of "in progress". `fail` ends the job's object rejected, with a
    result code and message (or the family's usual ones when None), under the sandbox policy `fail`."""

    name: str
    run: Handler
    on_give_up: Handler | None = None
    fail: FailHandler | None = None
    # The kind of object (`Subject.kind`) this job moves forward, if any.
    subject: str | None = None


@dataclass(frozen=True)
class Claimed:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int
    outcome: str | None
    subject: tuple[str, str] | None


# Filled once at start-up by `features.register_jobs()`, from each feature's `JOBS` list.
_KINDS: dict[str, JobKind] = {}
_wake = threading.Event()

BACKOFF_CAP_SECONDS = 300


def register(*kinds: JobKind) -> None:
    for kind in kinds:
        _KINDS[kind.name] = kind


def subject_kinds() -> dict[str, tuple[str, ...]]:
    """Each kind of object the sandbox progress controls address, with the job kinds moving it."""
    kinds: dict[str, tuple[str, ...]] = {}
    for kind in _KINDS.values():
        if kind.subject:
            kinds[kind.subject] = (*kinds.get(kind.subject, ()), kind.name)
    return kinds


def failable(job_kind: str) -> bool:
    kind = _KINDS.get(job_kind)
    return kind is not None and kind.fail is not None


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    run_at: datetime | None = None,
    max_attempts: int = 5,
    subject: progress.Subject | None = None,
) -> Job:
    """Adds a job to the caller's transaction: it exists, and runs, only if that transaction commits.
    A job that moves an object forward names it (`subject`), so that sandbox policies apply."""
    now = clock.now()
    job = Job(
        kind=kind,
        payload=payload,
        status=JobStatus.QUEUED,
        attempts=0,
        max_attempts=max_attempts,
        run_at=run_at or now,
        created_at=now,
        subject_kind=subject.kind if subject else None,
        subject_id=subject.id if subject else None,
    )
    step = progress.plan(session, subject) if subject else None
    if step is not None:
        job.status, job.run_at, job.outcome = step.status, now + step.delay, step.outcome
    session.add(job)
    session.flush()
    if step is not None and step.run_now:
        progress.run_after_commit(session, job.id)
    else:
        _wake.set()
    return job


def _claimable(platform_now: datetime, wall_now: datetime) -> Any:
    return or_(
        and_(Job.status == JobStatus.QUEUED, Job.run_at <= platform_now),
        and_(Job.status == JobStatus.RUNNING, Job.lease_expires_at < wall_now),
    )


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS))


class Worker:
    def __init__(self, db: Database, *, lease_seconds: float = 60.0, poll_seconds: float = 0.2) -> None:
        self.db = db
        self.lease = timedelta(seconds=lease_seconds)
        self.poll_seconds = poll_seconds
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"

    def claim(self, job_id: int | None = None) -> Claimed | None:
        """The next ready job, or job `job_id` when the sandbox runs it now (held or not yet due)."""
        with self.db.transaction() as session:
            state.load_clock(session)
            platform_now, wall_now = clock.now(), clock.system_now()
            if job_id is None:
                claimable = _claimable(platform_now, wall_now)
                candidate = select(Job.id).where(claimable).order_by(Job.run_at, Job.id).limit(1)
                if not self.db.sqlite:
                    candidate = candidate.with_for_update(skip_locked=True)
                job_id = session.scalar(candidate)
                if job_id is None:
                    return None
            else:
                claimable = Job.status.in_((JobStatus.HELD, JobStatus.QUEUED))
            # The repeated condition makes the claim safe where SKIP LOCKED does not exist.
            claimed = session.execute(
                update(Job)
                .where(Job.id == job_id, claimable)
                .values(
                    status=JobStatus.RUNNING,
                    attempts=Job.attempts + 1,
                    worker_id=self.worker_id,
                    lease_expires_at=wall_now + self.lease,
                )
                .returning(
                    Job.kind,
                    Job.payload,
                    Job.attempts,
                    Job.max_attempts,
                    Job.outcome,
                    Job.subject_kind,
                    Job.subject_id,
                )
            ).first()
            if claimed is None:
                return None
            subject = (claimed.subject_kind, claimed.subject_id) if claimed.subject_kind else None
            return Claimed(
                job_id,
                claimed.kind,
                claimed.payload,
                claimed.attempts,
                claimed.max_attempts,
                claimed.outcome,
                subject,
            )

    def run_one(self) -> bool:
        """Claims and runs one job; False when nothing was ready."""
        claimed = self.claim()
        if claimed is None:
            return False
        self.run_now(self.execute(claimed))
        return True

    def run_now(self, job_ids: list[int]) -> None:
        """Runs these jobs at once, and the jobs they release in turn (sandbox `immediate`)."""
        waiting = list(job_ids)
        while waiting:
            claimed = self.claim(waiting.pop(0))
            if claimed is not None:
                waiting.extend(self.execute(claimed))

    def execute(self, claimed: Claimed) -> list[int]:
        """Runs a claimed job and marks it done in the same transaction, if this worker still holds
        its lease; otherwise the job's effects are rolled back with the refused completion. Answers
        the jobs it enqueued to run at once."""
        job_id, kind, payload = claimed.id, claimed.kind, claimed.payload
        if claimed.attempts > claimed.max_attempts:
            self._fail(job_id, kind, payload, "lease expired too many times", final=True)
            return []
        job_kind = _KINDS.get(kind)
        if job_kind is None:
            self._fail(job_id, kind, payload, f"no handler for job kind {kind!r}", final=True)
            return []
        try:
            with self.db.transaction() as session:
                if claimed.outcome == progress.FAIL and job_kind.fail is not None and claimed.subject:
                    record = progress.subject_record(session, *claimed.subject)
                    code, message = (record.result_code, record.message) if record else (None, None)
                    job_kind.fail(session, payload, code, message)
                else:
                    job_kind.run(session, payload)
                done = session.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.worker_id == self.worker_id, Job.status == JobStatus.RUNNING)
                    .values(
                        status=JobStatus.DONE, finished_at=clock.now(), lease_expires_at=None, last_error=None
                    )
                )
                if done.rowcount != 1:  # type: ignore[attr-defined]
                    raise _LeaseLost(job_id)
                follow_ups = progress.take_run_after_commit(session)
        except _LeaseLost:
            log.warning("job %s was taken over by another worker; its work here is discarded", job_id)
        except Exception:
            log.exception("job %s (%s) failed on attempt %s", job_id, kind, claimed.attempts)
            final = claimed.attempts >= claimed.max_attempts
            self._fail(
                job_id, kind, payload, traceback.format_exc(limit=5), final=final, attempts=claimed.attempts
            )
        else:
            return follow_ups
        return []

    def _fail(
        self, job_id: int, kind: str, payload: dict[str, Any], error: str, *, final: bool, attempts: int = 0
    ) -> None:
        with self.db.transaction() as session:
            job_kind = _KINDS.get(kind)
            give_up = job_kind.on_give_up if final and job_kind else None
            if give_up is not None:
                give_up(session, payload)
            values: dict[str, Any] = {
                "last_error": error[-4000:],
                "lease_expires_at": None,
                "worker_id": None,
            }
            if final:
                values.update(status=JobStatus.FAILED, finished_at=clock.now())
            else:
                values.update(status=JobStatus.QUEUED, run_at=clock.now() + backoff(attempts))
            session.execute(
                update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING).values(**values)
            )

    def drain(self, max_jobs: int = 100_000) -> int:
        """Runs every job that is ready now; for tests and the CLI."""
        ran = 0
        while ran < max_jobs and self.run_one():
            ran += 1
        return ran

    def run_forever(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                if self.run_one():
                    continue
            except Exception:
                log.exception("worker loop error")
            _wake.wait(self.poll_seconds)
            _wake.clear()


class _LeaseLost(Exception):
    pass


def start_in_process(db: Database, *, lease_seconds: float, poll_seconds: float) -> Callable[[], None]:
    """Runs a worker on a daemon thread beside the API; returns the function that stops it."""
    stop = threading.Event()
    worker = Worker(db, lease_seconds=lease_seconds, poll_seconds=poll_seconds)
    thread = threading.Thread(target=worker.run_forever, args=(stop,), name="comptoir-worker", daemon=True)
    thread.start()

    def stop_worker() -> None:
        stop.set()
        _wake.set()
        thread.join(timeout=10)

    return stop_worker


def run_committed(db: Database, session: Session) -> None:
    """After a request's transaction committed: the jobs it asked to run at once run now, so that the
    answer already shows their effects (sandbox `immediate`, released jobs)."""
    job_ids = progress.take_run_after_commit(session)
    if job_ids:
        Worker(db).run_now(job_ids)


def polled(db: Database, kind: str, subject_id: str, seller_id: str | None) -> None:
    """A client (the seller `seller_id`) read an object it waits for: counts the poll for the sandbox
    `after-polls` policy, and runs the object to its end on the last poll needed, before the caller
    reads it. Nothing to do outside sandbox mode."""
    if db.progress is None:
        return
    # Most objects are not waiting for polls: one autocommit read says so, without a write
    # transaction (which cost ~0.9 ms on every sandbox GET of an order).
    with db.read_connection() as conn:
        mode = conn.scalar(
            select(JobSubject.mode).where(JobSubject.kind == kind, JobSubject.subject_id == subject_id)
        )
    if mode != progress.AFTER_POLLS:
        return
    with db.transaction() as session:
        progress.polled(session, kind, subject_id, seller_id)
        released = progress.take_run_after_commit(session)
    Worker(db).run_now(released)


def wake_workers() -> None:
    """Lets an in-process worker look for jobs now instead of at its next poll."""
    _wake.set()
