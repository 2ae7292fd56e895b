"""Operator view of background jobs, so that failed work is visible rather than silent."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from comptoir import clock
from comptoir.api.deps import app_db
from comptoir.api.pagination import Cursor, Limit, cursor_links, envelope
from comptoir.api.wire import Wire
from comptoir.auth.tokens import Principal
from comptoir.jobs import service


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
    with app_db(request).read() as session:
        page = service.list_jobs(session, status=status, kind=kind, limit=limit, cursor=cursor)
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
