"""Operator view of background jobs, so that failed work is visible rather than silent."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from sqlalchemy import select

from comptoir import clock
from comptoir.api.deps import app_db
from comptoir.api.pagination import Cursor, Limit, cursor_links, envelope
from comptoir.api.wire import Wire
from comptoir.auth.tokens import Principal
from comptoir.db.pagination import SortKey, check_limit, cursor_page
from comptoir.errors import ValidationFailed
from comptoir.jobs.models import Job

STATUSES = ("queued", "running", "done", "failed")


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


@get("/jobs", sync_to_thread=True, tags=["operator: platform"])
def list_jobs(
    request: Request[Any, Any, Any],
    operator: Principal,
    status: str | None = None,
    kind: str | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response[Any]:
    """Newest first; cursor pagination with `Link` headers."""
    check_limit(limit, max_limit=500)
    if status is not None and status not in STATUSES:
        raise ValidationFailed.field("status", f"status must be one of {', '.join(STATUSES)}.")
    stmt = select(Job)
    if status:
        stmt = stmt.where(Job.status == status)
    if kind:
        stmt = stmt.where(Job.kind == kind)
    with app_db(request).read() as session:
        page = cursor_page(
            session,
            stmt,
            keys=[SortKey(Job.id, descending=True)],
            key_of=lambda job: [job.id],
            limit=limit,
            cursor=cursor,
        )
        items = [
            JobOut(
                id=j.id,
                kind=j.kind,
                status=j.status,
                attempts=j.attempts,
                max_attempts=j.max_attempts,
                run_at=clock.iso_z(j.run_at) or "",
                created_at=clock.iso_z(j.created_at) or "",
                finished_at=clock.iso_z(j.finished_at),
                last_error=j.last_error,
            )
            for j in page.items
        ]
    return Response(content=envelope(items), headers=cursor_links(request, page, limit))


operator_routes = [list_jobs]
