"""Sandbox control: the request log, what the connector sent and what it was answered."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, delete, get
from litestar.params import Parameter
from sqlalchemy import delete as delete_rows
from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir.api.context import AppContext
from comptoir.api.pagination import Cursor, Limit500, Page, cursor_links, page_of
from comptoir.api.wire import Wire
from comptoir.clock import parse_iso
from comptoir.db import ReadSession
from comptoir.db.pagination import SortKey, cursor_page
from comptoir.errors import ValidationFailed
from comptoir.sandbox.models import SandboxRequest
from comptoir.sandbox.recording import RequestLog

TAGS = ["sandbox"]


class MessageOut(Wire):
    """One side of a call. `body` is the text as logged: cut at 16 KB (`truncated`), secrets masked;
    null for a binary body, which `contentType` and `size` describe."""

    headers: dict[str, str]
    content_type: str | None
    size: int
    body: str | None
    truncated: bool


class RequestOut(Wire):
    id: int
    # The platform clock's time when the call arrived, and the wall time.
    at: str
    wall_at: str
    seller_id: str | None
    client_id: str | None
    method: str
    path: str
    query: str
    status: int
    duration_ms: float
    trace_id: str
    request: MessageOut
    response: MessageOut


_message = msgspec.json.Decoder(MessageOut).decode


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _out(row: SandboxRequest) -> RequestOut:
    return RequestOut(
        id=row.id,
        at=_iso(row.at),
        wall_at=_iso(row.wall_at),
        seller_id=row.seller_id,
        client_id=row.client_id,
        method=row.method,
        path=row.path,
        query=row.query,
        status=row.status,
        duration_ms=row.duration_ms,
        trace_id=row.trace_id,
        request=_message(row.request),
        response=_message(row.response),
    )


def _instant(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_iso(value)
    except ValueError as exc:
        raise ValidationFailed.field(name, f"{name} must be an ISO-8601 timestamp.") from exc


def clear_requests(session: Session, requests: RequestLog | None = None) -> None:
    """Empties the log (the reset control calls this too). Given the app's `RequestLog`, records not
    written yet are dropped as well; call it before the transaction writes anything else, since it
    waits for a batch in flight."""
    if requests is not None:
        requests.discard_pending()
    session.execute(delete_rows(SandboxRequest))


@get("/requests", sync_to_thread=True, tags=TAGS)
def list_requests(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    context: AppContext,
    seller_id: Annotated[str | None, Parameter(query="sellerId", max_length=50)] = None,
    client_id: Annotated[str | None, Parameter(query="clientId", max_length=100)] = None,
    path: Annotated[str | None, Parameter(query="path", max_length=2000, description="Path prefix.")] = None,
    status: Annotated[int | None, Parameter(query="status", ge=100, le=599)] = None,
    method: Annotated[str | None, Parameter(query="method", max_length=16)] = None,
    since: Annotated[str | None, Parameter(query="since", description="ISO-8601, platform clock.")] = None,
    until: Annotated[str | None, Parameter(query="until", description="ISO-8601, platform clock.")] = None,
    trace_id: Annotated[
        str | None,
        Parameter(
            query="traceId", max_length=64, description="A response's x-trace-id, or its 32 hex digits."
        ),
    ] = None,
    limit: Limit500 = 50,
    cursor: Cursor = None,
) -> Response[Page[RequestOut]]:
    """Every API call this server answered, newest first: who called, what was sent and answered
    (bodies cut at 16 KB, secrets and tokens masked), the status and the time taken. Calls whose
    answer has left this process are all listed."""
    if context.request_log is not None:
        context.request_log.flush()
    start, end = _instant("since", since), _instant("until", until)
    stmt = select(SandboxRequest)
    if seller_id:
        stmt = stmt.where(SandboxRequest.seller_id == seller_id)
    if client_id:
        stmt = stmt.where(SandboxRequest.client_id == client_id)
    if path:
        stmt = stmt.where(SandboxRequest.path.startswith(path, autoescape=True))
    if status is not None:
        stmt = stmt.where(SandboxRequest.status == status)
    if method:
        stmt = stmt.where(SandboxRequest.method == method.upper())
    if start is not None:
        stmt = stmt.where(SandboxRequest.at >= start)
    if end is not None:
        stmt = stmt.where(SandboxRequest.at <= end)
    if trace_id:
        trace = trace_id.strip().lower()
        if len(trace) == 32:
            stmt = stmt.where(SandboxRequest.trace_id.startswith(f"00-{trace}-", autoescape=True))
        else:
            stmt = stmt.where(SandboxRequest.trace_id == trace)
    page = cursor_page(
        reader,
        stmt,
        keys=[SortKey(SandboxRequest.id, descending=True)],
        key_of=lambda row: [row.id],
        limit=limit,
        cursor=cursor,
    )
    return Response(page_of([_out(row) for row in page.items]), headers=cursor_links(request, page, limit))


@delete("/requests", sync_to_thread=True, tags=TAGS, status_code=204)
def delete_requests(session: Session, context: AppContext) -> None:
    """Empties the request log."""
    clear_requests(session, context.request_log)


routes = [list_requests, delete_requests]
