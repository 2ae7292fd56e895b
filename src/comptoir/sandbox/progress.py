"""Sandbox control: how asynchronous objects progress (see `jobs.progress`), per kind and seller, and
moving one object on by hand."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import delete, get, post, put
from litestar.params import Parameter
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.api.context import AppContext
from comptoir.api.wire import Wire
from comptoir.db import ReadSession
from comptoir.errors import Conflict, NotFound, ValidationFailed
from comptoir.jobs import progress
from comptoir.jobs.models import Job, JobSubject
from comptoir.jobs.runtime import Worker, failable, subject_kinds

Mode = Literal["immediate", "realistic", "after-polls", "manual", "fail"]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Message = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
SellerId = Annotated[str | None, Parameter(query="sellerId", max_length=20)]


class PolicyIn(Wire):
    """`delaySeconds`: each step's wait under `realistic` and `fail` (the server's default when
    absent); `polls`: under `after-polls`; `resultCode` and `message`: how `fail` ends the object."""

    mode: Mode
    seller_id: Annotated[str, msgspec.Meta(min_length=1, max_length=20)] | None = None
    delay_seconds: Annotated[float, msgspec.Meta(ge=0, le=progress.MAX_DELAY_SECONDS)] | None = None
    polls: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 1
    result_code: Code | None = None
    message: Message | None = None


class PolicyOut(Wire):
    kind: str
    mode: str
    seller_id: str | None = None
    delay_seconds: float | None = None
    polls: int | None = None
    result_code: str | None = None
    message: str | None = None


class PoliciesOut(Wire):
    kinds: list[str]
    policies: list[PolicyOut]


class ProgressIn(Wire):
    """`advance`: the next step now; `finish`: every step now; `fail`: end it rejected."""

    action: Literal["advance", "finish", "fail"] = "finish"
    result_code: Code | None = None
    message: Message | None = None


class JobOut(Wire):
    kind: str
    status: str
    run_at: str


class SubjectOut(Wire):
    kind: str
    id: str
    mode: str
    seller_id: str | None
    polls: int
    polls_needed: int
    jobs: list[JobOut]


def _kind(kind: str, *, wildcard: bool = False) -> str:
    if kind in subject_kinds() or (wildcard and kind == progress.ALL_KINDS):
        return kind
    allowed = ", ".join(sorted(subject_kinds()) + ([progress.ALL_KINDS] if wildcard else []))
    raise ValidationFailed.field("kind", f"Unknown kind {kind!r}; one of {allowed}.")


def _policies(session: Session) -> PoliciesOut:
    listed = [
        PolicyOut(kind=kind, seller_id=None if scope == progress.ALL_KINDS else scope, **rule)
        for scope, rules in sorted(progress.load_policies(session).items())
        for kind, rule in sorted(rules.items())
    ]
    return PoliciesOut(kinds=sorted(subject_kinds()), policies=listed)


def _subject(session: Session, record: JobSubject) -> SubjectOut:
    jobs = session.query(Job).filter(Job.subject_kind == record.kind, Job.subject_id == record.subject_id)
    return SubjectOut(
        kind=record.kind,
        id=record.subject_id,
        mode=record.mode,
        seller_id=record.seller_id,
        polls=record.polls,
        polls_needed=record.polls_needed,
        jobs=[JobOut(j.kind, j.status, clock.iso_z(j.run_at) or "") for j in jobs.order_by(Job.id)],
    )


@get("/progress-policies", sync_to_thread=True, tags=["sandbox"])
def list_policies(reader: ReadSession) -> PoliciesOut:
    """The policies in force (a seller's before the server's, a kind's before `all`) and the kinds."""
    return _policies(reader)


@put("/progress-policies/{kind:str}", sync_to_thread=True, tags=["sandbox"])
def set_policy(session: Session, kind: str, data: PolicyIn) -> PoliciesOut:
    """Sets how objects of `kind` (or `all`) created from now on progress, server-wide or for one seller."""
    _kind(kind, wildcard=True)
    if data.mode == progress.FAIL and kind != progress.ALL_KINDS and not failable_kind(kind):
        raise ValidationFailed.field("mode", f"{kind} objects cannot be failed on demand.")
    policy = progress.Policy(data.mode, data.delay_seconds, data.polls, data.result_code, data.message)
    progress.set_policy(session, kind, policy, data.seller_id)
    return _policies(session)


@delete("/progress-policies", sync_to_thread=True, tags=["sandbox"], status_code=204)
def clear_policies(session: Session, seller_id: SellerId = None) -> None:
    """Back to `realistic` for every kind, server-wide or for one seller."""
    progress.clear_policy(session, None, seller_id)


@delete("/progress-policies/{kind:str}", sync_to_thread=True, tags=["sandbox"], status_code=204)
def clear_policy(session: Session, kind: str, seller_id: SellerId = None) -> None:
    progress.clear_policy(session, _kind(kind, wildcard=True), seller_id)


def _record(session: Session, kind: str, subject_id: str, *, lock: bool = False) -> JobSubject:
    record = progress.subject_record(session, _kind(kind), subject_id, lock=lock)
    if record is None:
        raise NotFound(f"No {kind} object {subject_id} was created in sandbox mode.")
    return record


@get("/progress/{kind:str}/{subject_id:str}", sync_to_thread=True, tags=["sandbox"])
def get_progress(reader: ReadSession, kind: str, subject_id: str) -> SubjectOut:
    """How one object progresses: its mode, the polls seen, its jobs."""
    return _subject(reader, _record(reader, kind, subject_id))


@post("/progress/{kind:str}/{subject_id:str}", sync_to_thread=True, tags=["sandbox"], status_code=200)
def move_on(context: AppContext, kind: str, subject_id: str, data: ProgressIn) -> SubjectOut:
    """Runs the object's next step (`advance`), all of them (`finish`), or ends it rejected (`fail`),
    and answers once they ran; 409 when none of its steps is waiting."""
    if data.action == "fail" and not failable_kind(_kind(kind)):
        raise ValidationFailed.field("action", f"{kind} objects cannot be failed on demand.")
    with context.db.transaction() as session:
        record = _record(session, kind, subject_id, lock=True)
        if progress.advance(session, record, data.action, data.result_code, data.message) == 0:
            raise Conflict(f"{kind} {subject_id} has no step waiting; it is done or running.")
        released = progress.take_run_after_commit(session)
    Worker(context.db).run_now(released)
    with context.db.read() as reader:
        return _subject(reader, _record(reader, kind, subject_id))


def failable_kind(kind: str) -> bool:
    return any(failable(job_kind) for job_kind in subject_kinds().get(kind, ()))


routes = [list_policies, set_policy, clear_policies, clear_policy, get_progress, move_on]
