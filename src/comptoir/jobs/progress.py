"""Sandbox progress: how each asynchronous object (a package, a command, an order's controls) moves on.

One mechanism for every family, inside the job runtime: a family names the object a job moves forward
(`Subject`, by the kind and id its clients see) when it enqueues the job, and gives its job kinds a
`fail` hook. In sandbox mode the first job of an object decides, from the policies the operator set
(`sandbox.progress` in platform state, per seller and kind), how the object progresses:

- `immediate`: its jobs run before the request that created them answers;
- `realistic` (the default): each step waits `delaySeconds` on the platform clock;
- `after-polls`: its jobs are held until the client has polled the object `polls` times;
- `manual`: held until `POST /sandbox/v1/progress/{kind}/{id}` advances or finishes it;
- `fail`: it ends rejected, with the chosen result code and message, through the kind's `fail` hook.

Outside sandbox mode nothing here runs: sessions carry no progress settings, and jobs are enqueued as
they always were.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.jobs.models import Job, JobStatus, JobSubject
from comptoir.platform import state

IMMEDIATE, REALISTIC, AFTER_POLLS, MANUAL, FAIL = "immediate", "realistic", "after-polls", "manual", "fail"
MODES = (IMMEDIATE, REALISTIC, AFTER_POLLS, MANUAL, FAIL)
ALL_KINDS = "all"
POLICIES_KEY = "sandbox.progress"
# Production takes minutes on some families; a policy may ask for up to an hour a step.
MAX_DELAY_SECONDS = 3600.0
# Jobs a committed transaction must run before its request answers (`immediate`, released jobs).
RUN_AFTER_COMMIT = "comptoir.run_after_commit"


@dataclass(frozen=True)
class Subject:
    kind: str
    id: str
    seller_id: str | None = None


@dataclass(frozen=True)
class Settings:
    """What a sandbox's sessions carry (`Database.progress`): the default delay of a realistic step."""

    step_seconds: float


@dataclass(frozen=True)
class Policy:
    mode: str = REALISTIC
    delay_seconds: float | None = None
    polls: int = 1
    result_code: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class Step:
    status: str
    delay: timedelta
    outcome: str | None
    run_now: bool


# --- policies ------------------------------------------------------------------------------------


def load_policies(session: Session) -> dict[str, dict[str, dict[str, Any]]]:
    """`{scope: {kind: policy}}`, scope `all` or a seller id, kind `all` or a subject kind."""
    raw = state.get(session, POLICIES_KEY)
    return json.loads(raw) if raw else {}


def set_policy(session: Session, kind: str, policy: Policy, seller_id: str | None) -> None:
    policies = load_policies(session)
    policies.setdefault(seller_id or ALL_KINDS, {})[kind] = {
        k: v for k, v in asdict(policy).items() if v is not None
    }
    state.put(session, POLICIES_KEY, json.dumps(policies, sort_keys=True))


def clear_policy(session: Session, kind: str | None, seller_id: str | None) -> None:
    """Forgets one kind's policy in a scope, or the whole scope's when `kind` is None."""
    policies = load_policies(session)
    scope = seller_id or ALL_KINDS
    if kind is None:
        policies.pop(scope, None)
    else:
        policies.get(scope, {}).pop(kind, None)
    state.put(session, POLICIES_KEY, json.dumps({k: v for k, v in policies.items() if v}, sort_keys=True))


def policy_for(policies: dict[str, dict[str, dict[str, Any]]], kind: str, seller_id: str | None) -> Policy:
    """The most specific policy: the seller's for this kind, the seller's for all, then the server's."""
    for scope in (seller_id, ALL_KINDS):
        rules = policies.get(scope, {}) if scope else {}
        for key in (kind, ALL_KINDS):
            if key in rules:
                return Policy(**rules[key])
    return Policy()


# --- enqueueing ----------------------------------------------------------------------------------


def _settings(session: Session) -> Settings | None:
    """Sandbox mode's progress settings, which its sessions carry; None elsewhere."""
    return getattr(session.info.get("database"), "progress", None)


def paced(session: Session) -> bool:
    """Sandbox mode: objects move on by themselves, one job per step, as the policies pace them."""
    return _settings(session) is not None


def plan(session: Session, subject: Subject) -> Step | None:
    """How the next job of `subject` is enqueued; None outside sandbox mode (as ever: now, claimable)."""
    record = session.get(JobSubject, (subject.kind, subject.id))
    if record is None:
        settings = _settings(session)
        if settings is None:
            return None
        policy = policy_for(load_policies(session), subject.kind, subject.seller_id)
        record = JobSubject(
            kind=subject.kind,
            subject_id=subject.id,
            seller_id=subject.seller_id,
            mode=policy.mode,
            delay_seconds=settings.step_seconds if policy.delay_seconds is None else policy.delay_seconds,
            polls=0,
            polls_needed=policy.polls if policy.mode == AFTER_POLLS else 0,
            result_code=policy.result_code,
            message=policy.message,
            created_at=clock.now(),
        )
        session.add(record)
    delay = timedelta(seconds=record.delay_seconds)
    if record.mode == IMMEDIATE:
        # Held, so that no background worker takes it first: the committing request runs it.
        return Step(JobStatus.HELD, timedelta(0), None, run_now=True)
    if record.mode in (AFTER_POLLS, MANUAL):
        return Step(JobStatus.HELD, timedelta(0), None, run_now=False)
    return Step(JobStatus.QUEUED, delay, FAIL if record.mode == FAIL else None, run_now=False)


def run_after_commit(session: Session, job_id: int) -> None:
    session.info.setdefault(RUN_AFTER_COMMIT, []).append(job_id)


def take_run_after_commit(session: Session) -> list[int]:
    return session.info.pop(RUN_AFTER_COMMIT, None) or []


# --- what the client and the operator do ---------------------------------------------------------


def subject_record(session: Session, kind: str, subject_id: str, *, lock: bool = False) -> JobSubject | None:
    return session.get(JobSubject, (kind, subject_id), with_for_update=lock)


def pending_jobs(session: Session, kind: str, subject_id: str) -> list[Job]:
    return list(
        session.scalars(
            select(Job)
            .where(
                Job.subject_kind == kind,
                Job.subject_id == subject_id,
                Job.status.in_((JobStatus.HELD, JobStatus.QUEUED)),
            )
            .order_by(Job.run_at, Job.id)
        )
    )


def release(session: Session, jobs: list[Job], *, outcome: str | None = None) -> None:
    """The jobs run now, before the releasing request answers."""
    for job in jobs:
        session.execute(
            update(Job)
            .where(Job.id == job.id)
            .values(status=JobStatus.HELD, run_at=clock.now(), outcome=outcome or job.outcome)
        )
        run_after_commit(session, job.id)


def polled(session: Session, kind: str, subject_id: str, seller_id: str | None) -> None:
    """Its seller read the object: under `after-polls`, the last poll needed releases it, so that this
    very poll answers it finished. Another seller's reads do not count."""
    record = session.get(JobSubject, (kind, subject_id), with_for_update=True)
    if record is None or record.mode != AFTER_POLLS or record.seller_id != seller_id:
        return
    record.polls += 1
    if record.polls >= record.polls_needed:
        record.mode = IMMEDIATE
        release(session, pending_jobs(session, kind, subject_id))
    session.flush()


def advance(session: Session, record: JobSubject, action: str, code: str | None, message: str | None) -> int:
    """`advance` runs the object's next step now, `finish` every step, `fail` ends it rejected.
    Answers how many jobs were released (0: nothing was waiting)."""
    jobs = pending_jobs(session, record.kind, record.subject_id)
    if action == "advance":
        release(session, jobs[:1])
        return len(jobs[:1])
    if action == "finish":
        record.mode = IMMEDIATE
        release(session, jobs)
    else:
        record.mode, record.result_code, record.message = FAIL, code, message
        release(session, jobs[:1], outcome=FAIL)
        return len(jobs[:1])
    return len(jobs)
