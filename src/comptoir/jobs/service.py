"""Reading the job table for operators."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir.db.pagination import CursorPage, SortKey, cursor_page
from comptoir.jobs.models import Job, JobStatus


def list_jobs(
    session: Session, *, status: JobStatus | None, kind: str | None, limit: int, cursor: str | None
) -> CursorPage[Job]:
    """Newest first."""
    stmt = select(Job)
    if status:
        stmt = stmt.where(Job.status == status)
    if kind:
        stmt = stmt.where(Job.kind == kind)
    return cursor_page(
        session,
        stmt,
        keys=[SortKey(Job.id, descending=True)],
        key_of=lambda job: [job.id],
        limit=limit,
        cursor=cursor,
    )
