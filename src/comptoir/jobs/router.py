"""Operator view of background jobs, so that failed work is visible rather than silent."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import Parameter

from comptoir.api.pagination import Cursor, Limit500, Page, cursor_links, page_of
from comptoir.db import ReadSession
from comptoir.jobs import service
from comptoir.jobs.models import JobStatus
from comptoir.jobs.schemas import JobOut, job_out

Status = Annotated[JobStatus | None, Parameter(query="status")]


@get("/jobs", sync_to_thread=True, tags=["operator: platform"])
def list_jobs(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    status: Status = None,
    kind: str | None = None,
    limit: Limit500 = 50,
    cursor: Cursor = None,
) -> Response[Page[JobOut]]:
    """Newest first; cursor pagination with `Link` headers."""
    page = service.list_jobs(reader, status=status, kind=kind, limit=limit, cursor=cursor)
    return Response(page_of([job_out(j) for j in page.items]), headers=cursor_links(request, page, limit))


operator_routes = [list_jobs]
