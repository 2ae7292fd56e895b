"""Recording every API call for the sandbox's request log, off the request's path.

The middleware only copies references and the first bytes of each body as the answer leaves; a
background thread masks secrets, cuts bodies and writes the records in batches. A record is handed
over before the last byte of its answer is sent, so that `flush()` (which the log's own route calls)
makes every call whose answer a client has received visible.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, cast
from urllib.parse import parse_qsl, unquote_plus

import msgspec
from sqlalchemy import Table, delete, func, select

from comptoir import clock
from comptoir.db import Database
from comptoir.db.bulk import BulkWriter
from comptoir.sandbox.models import SandboxRequest

log = logging.getLogger("comptoir.sandbox")
TABLE = cast(Table, SandboxRequest.__table__)
_encode = msgspec.json.Encoder().encode
COLUMNS = (
    *("at", "wall_at", "seller_id", "client_id", "method", "path", "query", "status", "duration_ms"),
    *("trace_id", "request", "response"),
)

BODY_LIMIT = 16 * 1024
# Bounds on memory and on the table: a flood of calls drops the oldest pending records, and the
# table keeps the newest rows only.
MAX_PENDING = 10_000
KEEP_ROWS = 100_000
PRUNE_EVERY = 1_000
# Not API calls, or the log's own route (reading the log must not grow it).
UNRECORDED = ("/health", "/docs", "/openapi.json", "/static/", "/sandbox/v1/requests")
MASK = "***"
MASKED_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
_SECRET_KEY = re.compile(
    r"(?i)^(?:.*(?:secret|password|passwd|api[_-]?key).*|(?:access|refresh|id)?[_-]?token|authorization)$"
)
# A JSON member (key, separator, value); the value may be cut short by the size limit.
_JSON_MEMBER = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,}\]]+)')
_FORM_FIELD = re.compile(r"(^|[&?])([^=&]+)=([^&]*)")
# Most bodies name no secret at all: looking for these words (plain substring searches, 8 times
# faster than a case-insensitive pattern) spares them the two substitutions.
_SECRET_WORDS = ("secret", "passw", "token", "key", "authorization")
_TEXT_TYPES = ("json", "xml", "text/", "x-www-form-urlencoded", "javascript", "yaml")
# The writer waits this long after a first pending record, so that one transaction (one disk
# flush) writes the records of many calls; `flush()` writes at once when the log is read.
BATCH_SECONDS = 0.2


class Verifier(Protocol):
    """The app's token verifier: who a Bearer token names, when it is valid."""

    def verify(self, token: str, *, now: datetime) -> Any: ...


@dataclass(slots=True)
class Captured:
    """What the middleware copied from one call; turned into a row on the writer thread."""

    at: datetime
    wall_at: datetime
    duration_ms: float
    method: str
    path: str
    query: bytes
    request_headers: Sequence[tuple[bytes, bytes]]
    request_body: bytes
    request_size: int
    status: int
    response_headers: Sequence[tuple[bytes, bytes]]
    response_body: bytes
    response_size: int
    # The scope's state: the trace id, and who the guards found calling.
    state: dict[str, Any]


def _secret(key: str) -> bool:
    return bool(_SECRET_KEY.match(key.strip()))


def mask_text(text: str) -> str:
    """Masks secret members of JSON and secret fields of forms and query strings, even in text
    cut short."""
    lowered = text.lower()
    if not any(word in lowered for word in _SECRET_WORDS):
        return text

    def member(match: re.Match[str]) -> str:
        if not _secret(match.group(1)):
            return match.group(0)
        return f'"{match.group(1)}"{match.group(2)}"{MASK}"'

    def field(match: re.Match[str]) -> str:
        if not _secret(unquote_plus(match.group(2))):
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}={MASK}"

    return _FORM_FIELD.sub(field, _JSON_MEMBER.sub(member, text))


def _credentials(value: str) -> str:
    scheme, _, secret = value.partition(" ")
    return f"{scheme} {MASK}" if secret else MASK


def decoded(raw: Sequence[tuple[bytes, bytes]]) -> dict[str, str]:
    """Header names in lower case; repeated headers joined by commas, as HTTP allows."""
    out: dict[str, str] = {}
    for name, value in raw:
        key, text = name.decode("latin-1").lower(), value.decode("latin-1")
        out[key] = f"{out[key]}, {text}" if key in out else text
    return out


def masked(headers: dict[str, str]) -> dict[str, str]:
    return {k: _credentials(v) if k in MASKED_HEADERS else v for k, v in headers.items()}


def body_of(headers: dict[str, str], data: bytes, size: int) -> str:
    """The body as logged: text bodies cut at the limit and masked; binary ones by type and size."""
    content_type = headers.get("content-type")
    declared = headers.get("content-length", "")
    if declared.isdigit():
        # A body the server never read (a request refused before its body) still has a size.
        size = max(size, int(declared))
    text = None
    if data:
        lowered = (content_type or "").lower()
        if any(kind in lowered for kind in _TEXT_TYPES) or (not lowered and b"\0" not in data):
            text = mask_text(data.decode("utf-8", "replace"))
    document = {
        "headers": masked(headers),
        "contentType": content_type,
        "size": size,
        "body": text,
        "truncated": text is not None and size > len(data),
    }
    return _encode(document).decode()


def _form_client(headers: dict[str, str], body: bytes) -> str | None:
    """The client a token request names, in HTTP Basic credentials or the form."""
    basic = headers.get("authorization", "")
    if basic.lower().startswith("basic "):
        try:
            return unquote_plus(base64.b64decode(basic[6:].strip()).decode().partition(":")[0]) or None
        except ValueError:
            return None
    if "x-www-form-urlencoded" in headers.get("content-type", "").lower():
        return dict(parse_qsl(body.decode("utf-8", "replace"))).get("client_id") or None
    return None


class RequestLog:
    """Pending records in memory, written by one background thread in batches."""

    def __init__(self, db: Database, tokens: Verifier) -> None:
        self.db = db
        self.tokens = tokens
        self.dropped = 0
        self._pending: deque[Captured] = deque()
        self._wake = threading.Event()
        self._stop = threading.Event()
        # Held while a batch is taken and written, so that `flush` waits for one in flight.
        self._writing = threading.Lock()
        self._since_prune = 0

    def add(self, captured: Captured) -> None:
        if len(self._pending) >= MAX_PENDING:
            self._pending.popleft()
            self.dropped += 1
        self._pending.append(captured)
        self._wake.set()

    def start(self) -> Callable[[], None]:
        thread = threading.Thread(target=self._run, name="comptoir-request-log", daemon=True)
        thread.start()

        def stop() -> None:
            self._stop.set()
            self._wake.set()
            thread.join(timeout=10)
            self.flush()

        return stop

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._stop.wait(BATCH_SECONDS)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # a failed write loses that batch of records, never the thread
                log.exception("the request log could not be written")

    def flush(self) -> None:
        """Writes every pending record now, on the caller's thread."""
        with self._writing:
            batch = [self._pending.popleft() for _ in range(len(self._pending))]
            if not batch:
                return
            rows = [self._row(captured) for captured in batch]
            with self.db.transaction() as session:
                # The bulk writer (COPY on PostgreSQL): a third of the cost of an ORM insert per record.
                BulkWriter(session, TABLE).insert(COLUMNS, rows)
                self._since_prune += len(rows)
                if self._since_prune >= PRUNE_EVERY:
                    self._since_prune = 0
                    newest = session.scalar(select(func.max(SandboxRequest.id))) or 0
                    session.execute(delete(SandboxRequest).where(SandboxRequest.id <= newest - KEEP_ROWS))

    def discard_pending(self) -> None:
        """Forgets the records not written yet (the log is being cleared); waits for a batch in flight."""
        with self._writing:
            self._pending.clear()

    def _who(self, captured: Captured, headers: dict[str, str]) -> tuple[str | None, str | None]:
        """(seller id, client id): as the guards verified them, else as the call named them."""
        seller = captured.state.get("seller")
        if seller is not None:
            return seller.seller_id, seller.client_id
        principal = captured.state.get("principal")
        client_id = principal.client_id if principal is not None else None
        sellers: frozenset[str] = frozenset()
        bearer = headers.get("authorization", "")
        if principal is None and bearer.lower().startswith("bearer "):
            try:
                who = self.tokens.verify(bearer[7:].strip(), now=captured.at)
                client_id, sellers = who.client_id, who.seller_ids
            except Exception:  # an invalid or expired token names nobody
                pass
        client_id = client_id or _form_client(headers, captured.request_body)
        named = headers.get("sellerid", "").strip()
        seller_id = named or (next(iter(sellers)) if len(sellers) == 1 else None)
        return seller_id[:50] if seller_id else None, client_id[:100] if client_id else None

    def _row(self, c: Captured) -> tuple[Any, ...]:
        """The values of `COLUMNS`."""
        sent = decoded(c.request_headers)
        seller_id, client_id = self._who(c, sent)
        return (
            c.at,
            c.wall_at,
            seller_id,
            client_id,
            c.method[:16],
            c.path[:2000],
            mask_text(c.query.decode("latin-1")),
            c.status,
            round(c.duration_ms, 3),
            str(c.state.get("trace_id", ""))[:64],
            body_of(sent, c.request_body, c.request_size),
            body_of(decoded(c.response_headers), c.response_body, c.response_size),
        )


class RequestRecorder:
    """The ASGI layer that hands every API call to the log (outermost, so that it sees the answer's
    final headers and the query string as the client sent it)."""

    def __init__(self, app: Any, requests: RequestLog) -> None:
        self.app = app
        self.requests = requests

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNRECORDED):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        captured = Captured(
            at=clock.now(),
            wall_at=clock.system_now(),
            duration_ms=0.0,
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b""),
            request_headers=scope.get("headers", ()),
            request_body=b"",
            request_size=0,
            status=500,
            response_headers=(),
            response_body=b"",
            response_size=0,
            state=scope.setdefault("state", {}),
        )
        request_body, response_body = bytearray(), bytearray()
        handed = False

        def hand_over() -> None:
            nonlocal handed
            handed = True
            captured.duration_ms = (time.perf_counter() - started) * 1000
            captured.request_body, captured.response_body = bytes(request_body), bytes(response_body)
            self.requests.add(captured)

        async def receive_and_copy() -> Any:
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                captured.request_size += len(chunk)
                if len(request_body) < BODY_LIMIT:
                    request_body.extend(chunk[: BODY_LIMIT - len(request_body)])
            return message

        async def send_and_copy(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                captured.status = message["status"]
                captured.response_headers = message.get("headers", ())
            elif message["type"] == "http.response.body":
                chunk = message.get("body", b"")
                captured.response_size += len(chunk)
                if len(response_body) < BODY_LIMIT:
                    response_body.extend(chunk[: BODY_LIMIT - len(response_body)])
                if not message.get("more_body", False):
                    hand_over()
            await send(message)

        try:
            await self.app(scope, receive_and_copy, send_and_copy)
        finally:
            if not handed:
                hand_over()
