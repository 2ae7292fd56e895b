"""Reading the job table for operators."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir.db.pagination import CursorPage, SortKey, check_limit, cursor_page
from comptoir.errors import ValidationFailed
from comptoir.jobs.models import Job

STATUSES = ("queued", "running", "done", "failed")
MAX_LIMIT = 500


def list_jobs(
    session: Session, *, status: str | None, kind: str | None, limit: int, cursor: str | None
) -> CursorPage[Job]:
    """Newest first."""
    check_limit(limit, max_limit=MAX_LIMIT)
    if status is not None and status not in STATUSES:
        raise ValidationFailed.field("status", f"status must be one of {', '.join(STATUSES)}.")
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
