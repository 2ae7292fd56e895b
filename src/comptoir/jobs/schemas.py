"""Jobs as operators read them."""

from __future__ import annotations

from comptoir import clock
from comptoir.api.wire import Wire
from comptoir.jobs.models import Job


class JobOut(Wire):
    id: int
    kind: str
    status: str
    attempts: int
    max_attempts: int
    run_at: str
    created_at: str
    finished_at: str | None
    last_error: str | None


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        run_at=clock.iso_z(job.run_at) or "",
        created_at=clock.iso_z(job.created_at) or "",
        finished_at=clock.iso_z(job.finished_at),
        last_error=job.last_error,
    )
