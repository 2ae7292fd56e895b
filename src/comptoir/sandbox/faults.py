"""Sandbox control: faults as production shows them, injected by rules the operator sets.

A rule names a fault (429 with Retry-After, 500, 503, a proxy's HTML 503, added latency, a token
refused as expired, a connection closed without an answer), the calls it matches (method, path
prefix, seller) and how often it fires (the next `times` calls, every `every`th call, or with a
`probability` drawn from a `seed`). Rules live in the database (`platform_state`, `sandbox.` keys), so
that every API process applies the same ones (each reads the list again every second), and a rule's
counters are moved by atomic UPDATEs, so that a `times: 1` rule fires once whichever process serves
the calls.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, TypeVar

import msgspec
from anyio import sleep, to_thread
from litestar import Request, Response, delete, get, post
from sqlalchemy import Connection, Integer, String, cast, select, update
from sqlalchemy import delete as sql_delete
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.api.context import AppContext
from comptoir.api.deps import BEARER_CHALLENGE
from comptoir.api.pagination import Page, page_of
from comptoir.api.problems import handle_exception
from comptoir.api.wire import Wire
from comptoir.db import Database, ReadSession
from comptoir.errors import Conflict, DomainError, NotFound, Unauthorized, ValidationFailed
from comptoir.platform.models import PlatformState

Kind = Literal["429", "500", "503", "503-html", "latency", "token-expired", "connection-closed"]
LATENCY: Kind = "latency"
TOKEN_EXPIRED: Kind = "token-expired"
CONNECTION_CLOSED: Kind = "connection-closed"
PROXY_503: Kind = "503-html"
# Kinds that may carry a Retry-After (a 429 always does).
RETRY_AFTER_KINDS = ("429", "503")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

# Where faults apply: the seller API, the token endpoint and the Allegro face (its own token URL
# included). The sandbox controls and /health never fault, so a test can always undo a rule.
FACES = ("/seller/v2", "/auth/realms/maas/protocol/openid-connect/token", "/allegro")

RULES_KEY = "sandbox.faults"
HITS_PREFIX = "sandbox.faults.hits."
MAX_RULES = 100
# Hits kept; older ones are pruned every PRUNE_EVERY hits of a rule.
MAX_HITS = 1000
PRUNE_EVERY = 50
MAX_COUNT = 1_000_000
# How long a process trusts its copy of the rules: one read of the list a second, rather than one
# per request (140 us on SQLite, 320 us on PostgreSQL, as much as the rest of a seller read).
FRESH_SECONDS = 1.0

# A time after every token's expiry: asking the token verifier at that time gives exactly the
# refusal an expired token gets.
AFTER_EVERY_EXPIRY = datetime.max.replace(tzinfo=UTC)

# What nginx itself answers when it has no upstream to give a request to (its built-in error page).
NGINX_503 = (
    b"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    b"<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
    b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)

T = TypeVar("T")
Count = Annotated[int, msgspec.Meta(ge=1, le=MAX_COUNT)]


class FaultIn(Wire):
    """At most one of `times` (the next N matching calls; 1 when none is given), `every` (every Nth
    matching call) or `probability` (each matching call, drawn from `seed`)."""

    fault: Kind
    method: Annotated[str, msgspec.Meta(min_length=1, max_length=10)] | None = None
    path: Annotated[str, msgspec.Meta(min_length=1, max_length=500)] | None = None
    seller_id: Annotated[str, msgspec.Meta(min_length=1, max_length=50)] | None = None
    times: Count | None = None
    every: Count | None = None
    probability: Annotated[float, msgspec.Meta(gt=0, le=1)] | None = None
    seed: Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)] | None = None
    latency_ms: Annotated[int, msgspec.Meta(ge=1, le=60_000)] | None = None
    retry_after_seconds: Annotated[int, msgspec.Meta(ge=0, le=86_400)] | None = None


class FaultRule(Wire):
    """A rule as stored and listed; `matched` and `fired` count the calls it saw and the faults it
    injected (a `times` rule stops counting once spent)."""

    id: str
    fault: Kind
    created_at: str
    method: str | None = None
    path: str | None = None
    seller_id: str | None = None
    times: int | None = None
    every: int | None = None
    probability: float | None = None
    seed: int | None = None
    latency_ms: int | None = None
    retry_after_seconds: int | None = None
    matched: int = 0
    fired: int = 0


class FaultHit(Wire):
    at: str
    rule_id: str
    fault: str
    method: str
    path: str
    seller_id: str | None


_rules_type = msgspec.json.Decoder(list[FaultRule])
_hit_type = msgspec.json.Decoder(FaultHit)


# --- rules ------------------------------------------------------------------------------------------


def _calls_key(rule_id: str) -> str:
    return f"{RULES_KEY}.{rule_id}.calls"


def _fired_key(rule_id: str) -> str:
    return f"{RULES_KEY}.{rule_id}.fired"


def _on_a_face(path: str) -> bool:
    return any(path == face or path.startswith(face + "/") for face in FACES)


def _normal_path(path: str | None) -> str | None:
    """A rule's path prefix, whole segments only; 400 when it cannot match any route that faults."""
    if path is None:
        return None
    if not path.startswith("/"):
        raise ValidationFailed.field("path", "path must start with /, e.g. /seller/v2/offers.")
    path = path.rstrip("/") or "/"
    if not (_on_a_face(path) or any(face.startswith(path if path == "/" else path + "/") for face in FACES)):
        raise ValidationFailed.field("path", f"Faults apply only under {', '.join(FACES)}.")
    return path


def _new_rule(data: FaultIn, taken: set[str]) -> FaultRule:
    modes = [m for m in (data.times, data.every, data.probability) if m is not None]
    if len(modes) > 1:
        raise ValidationFailed.field("body", "Give at most one of times, every or probability.")
    if data.seed is not None and data.probability is None:
        raise ValidationFailed.field("seed", "seed goes with probability.")
    if data.fault == LATENCY and data.latency_ms is None:
        raise ValidationFailed.field("latencyMs", "A latency fault needs latencyMs.")
    if data.retry_after_seconds is not None and data.fault not in RETRY_AFTER_KINDS:
        message = f"retryAfterSeconds goes with faults {' and '.join(RETRY_AFTER_KINDS)}."
        raise ValidationFailed.field("retryAfterSeconds", message)
    method = data.method.upper() if data.method else None
    if method is not None and method not in METHODS:
        raise ValidationFailed.field("method", f"method must be one of {', '.join(METHODS)}.")
    retry = data.retry_after_seconds is not None
    rule_id = secrets.token_hex(4)
    while rule_id in taken:
        rule_id = secrets.token_hex(4)
    return FaultRule(
        id=rule_id,
        fault=data.fault,
        created_at=clock.iso_z(clock.now()) or "",
        method=method,
        path=_normal_path(data.path),
        seller_id=data.seller_id,
        times=data.times if modes else 1,
        every=data.every,
        probability=data.probability,
        # A seed drawn here still replays: the rule shows it.
        seed=(secrets.randbits(63) if data.seed is None else data.seed) if data.probability else None,
        latency_ms=data.latency_ms,
        retry_after_seconds=1 if data.fault == "429" and not retry else data.retry_after_seconds,
    )


def _stored(conn: Session | Connection, *, lock: bool = False) -> tuple[str | None, list[FaultRule]]:
    query = select(PlatformState.value).where(PlatformState.key == RULES_KEY)
    raw = conn.scalar(query.with_for_update() if lock else query)
    return raw, _rules_type.decode(raw) if raw else []


def _write_rules(session: Session, rules: list[FaultRule]) -> None:
    raw = msgspec.json.encode(rules).decode()
    row = session.get(PlatformState, RULES_KEY)
    if row is None:
        session.add(PlatformState(key=RULES_KEY, value=raw))
    else:
        row.value = raw
    session.flush()


def add_rule(session: Session, data: FaultIn) -> FaultRule:
    _, rules = _stored(session, lock=True)
    if len(rules) >= MAX_RULES:
        raise Conflict(f"At most {MAX_RULES} fault rules; delete some first.")
    rule = _new_rule(data, {r.id for r in rules})
    session.add_all(
        [PlatformState(key=_calls_key(rule.id), value="0"), PlatformState(key=_fired_key(rule.id), value="0")]
    )
    _write_rules(session, [*rules, rule])
    return rule


def list_rules(session: Session) -> list[FaultRule]:
    _, rules = _stored(session)
    keys = [key for r in rules for key in (_calls_key(r.id), _fired_key(r.id))]
    counts = dict(
        session.execute(
            select(PlatformState.key, PlatformState.value).where(PlatformState.key.in_(keys))
        ).all()
    )
    return [
        msgspec.structs.replace(
            r, matched=int(counts.get(_calls_key(r.id), 0)), fired=int(counts.get(_fired_key(r.id), 0))
        )
        for r in rules
    ]


def delete_rule(session: Session, rule_id: str) -> None:
    _, rules = _stored(session, lock=True)
    kept = [r for r in rules if r.id != rule_id]
    if len(kept) == len(rules):
        raise NotFound(f"No fault rule {rule_id}.")
    # Without its counters the rule cannot fire, even in a process that has not read the new list.
    session.execute(
        sql_delete(PlatformState).where(PlatformState.key.in_((_calls_key(rule_id), _fired_key(rule_id))))
    )
    _write_rules(session, kept)


def clear_faults(session: Session) -> None:
    """Forgets every rule, its counters and the hits."""
    session.execute(
        sql_delete(PlatformState).where(
            (PlatformState.key == RULES_KEY) | PlatformState.key.like(RULES_KEY + ".%")
        )
    )


def list_hits(session: Session) -> list[FaultHit]:
    rows = session.execute(
        select(PlatformState.key, PlatformState.value).where(PlatformState.key.like(HITS_PREFIX + "%"))
    ).all()
    return [_hit_type.decode(value) for _, value in sorted(rows, reverse=True)]


# --- firing -----------------------------------------------------------------------------------------


def draw(seed: int, call: int) -> float:
    """The number in [0, 1) a probability rule compares with for its `call`th matching call: the same
    in every process and every run."""
    return random.Random(f"{seed}:{call}").random()


def _fires(rule: FaultRule, call: int) -> bool:
    if rule.every is not None:
        return call % rule.every == 0
    if rule.probability is not None:
        return draw(rule.seed or 0, call) < rule.probability
    return True  # a `times` rule counted this call only while it had some left


class Call(msgspec.Struct, frozen=True):
    method: str
    path: str
    seller_id: str | None


def _increment(session: Session, key: str, below: int | None = None) -> int | None:
    """Adds one to a counter in one statement (so two processes never both take the last use) and
    returns it; None when the counter is gone (rule deleted) or already at `below`."""
    stmt = update(PlatformState).where(PlatformState.key == key)
    if below is not None:
        stmt = stmt.where(cast(PlatformState.value, Integer) < below)
    stmt = stmt.values(value=cast(cast(PlatformState.value, Integer) + 1, String))
    value = session.execute(
        stmt.returning(PlatformState.value).execution_options(synchronize_session=False)
    ).scalar()
    return None if value is None else int(value)


def _take(db: Database, rules: Sequence[FaultRule], call: Call) -> tuple[list[FaultRule], set[str]]:
    """Counts the call against each matching rule in turn, until one that answers for the call fires
    (latency rules add their delay and let the next rules count too). Answers the rules that fired and
    the ids of rules found spent or deleted."""
    fired: list[FaultRule] = []
    spent: set[str] = set()
    with db.transaction() as session:
        for rule in rules:
            calls = _increment(session, _calls_key(rule.id), rule.times)
            if calls is None:
                spent.add(rule.id)
                continue
            if not _fires(rule, calls):
                continue
            count = _increment(session, _fired_key(rule.id)) or 0
            hit = FaultHit(
                clock.iso_z(clock.now()) or "", rule.id, rule.fault, call.method, call.path, call.seller_id
            )
            key = f"{HITS_PREFIX}{time.time_ns():020d}.{secrets.token_hex(3)}"
            session.add(PlatformState(key=key, value=msgspec.json.encode(hit).decode()))
            if count % PRUNE_EVERY == 0:
                _prune_hits(session)
            fired.append(rule)
            if rule.fault != LATENCY:
                break
    return fired, spent


def _prune_hits(session: Session) -> None:
    session.flush()
    keys = sorted(session.scalars(select(PlatformState.key).where(PlatformState.key.like(HITS_PREFIX + "%"))))
    if len(keys) > MAX_HITS:
        session.execute(sql_delete(PlatformState).where(PlatformState.key.in_(keys[:-MAX_HITS])))


class ActiveRules:
    """This process's copy of the rule list, read again once it is FRESH_SECONDS old (and at once
    after a change made through this process), decoded only when it changed. Another process's new
    rule applies here within FRESH_SECONDS; a deleted one never fires again anywhere, having lost
    its counters. Rules found spent are skipped until the list changes, so that a spent `times` rule
    costs no write."""

    def __init__(self) -> None:
        self.raw: str | None = None
        self.rules: list[FaultRule] = []
        self.spent: set[str] = set()
        self.fresh_until = 0.0

    def read(self, db: Database) -> list[FaultRule]:
        now = time.monotonic()
        if now >= self.fresh_until:
            with db.read_connection() as conn:
                raw = conn.scalar(select(PlatformState.value).where(PlatformState.key == RULES_KEY))
            if raw != self.raw:
                self.raw, self.rules, self.spent = raw, _rules_type.decode(raw) if raw else [], set()
            self.fresh_until = now + FRESH_SECONDS
        return [r for r in self.rules if r.id not in self.spent]

    def clear(self) -> None:
        self.fresh_until = 0.0


# --- the middleware ---------------------------------------------------------------------------------

Renderer = Callable[[Request[Any, Any, Any], Exception], Response[Any]]


class TooManyRequests(DomainError):
    status = 429
    title = "Too Many Requests"
    code = "TooManyRequests"


class InternalServerError(DomainError):
    status = 500
    title = "Internal Server Error"
    code = "InternalServerError"


class ServiceUnavailable(DomainError):
    status = 503
    title = "Service Unavailable"
    code = "ServiceUnavailable"


def _header(scope: Mapping[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _bearer(scope: Mapping[str, Any]) -> str | None:
    scheme, _, token = (_header(scope, b"authorization") or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _seller(scope: Mapping[str, Any], context: AppContext) -> str | None:
    """The `SellerId` header, else the one seller the Bearer token acts for (Allegro sends no header)."""
    seller = (_header(scope, b"sellerid") or "").strip()
    if seller:
        return seller
    token = _bearer(scope)
    if token is None:
        return None
    try:
        sellers = context.tokens.verify(token, now=clock.now()).seller_ids
    except Unauthorized:
        return None
    return next(iter(sellers)) if len(sellers) == 1 else None


def _matches(rule: FaultRule, scope: Mapping[str, Any]) -> bool:
    path = scope["path"]
    if rule.method is not None and scope["method"] != rule.method:
        return False
    if (
        rule.path is not None
        and rule.path != "/"
        and path != rule.path
        and not path.startswith(rule.path + "/")
    ):
        return False
    # A token can only be refused where one is sent.
    return rule.fault != TOKEN_EXPIRED or _bearer(scope) is not None


def _expired(context: AppContext, token: str) -> Unauthorized:
    """The seller API's own refusal of this token once expired, challenge included (an invalid
    token is refused as invalid, as it would be anyway)."""
    try:
        context.tokens.verify(token, now=AFTER_EVERY_EXPIRY)
    except Unauthorized as exc:
        return Unauthorized(exc.detail, headers=BEARER_CHALLENGE)
    raise AssertionError("no token outlives AFTER_EVERY_EXPIRY")


def _error(rule: FaultRule, scope: Mapping[str, Any], context: AppContext) -> DomainError:
    if rule.fault == TOKEN_EXPIRED:
        return _expired(context, _bearer(scope) or "")
    retry = {"Retry-After": str(rule.retry_after_seconds)} if rule.retry_after_seconds is not None else {}
    if rule.fault == "429":
        return TooManyRequests(
            f"Too many requests; retry after {rule.retry_after_seconds} seconds.", headers=retry
        )
    if rule.fault == "503":
        return ServiceUnavailable("The service is temporarily unavailable; retry later.", headers=retry)
    return InternalServerError("The server could not complete the request.")


class FaultMiddleware:
    """Sandbox mode only: answers a call with the fault a rule names instead of the route's answer
    (or delays it), marking it with `X-Comptoir-Fault: <kind>; rule=<id>`. Errors are rendered by
    the renderer of the face the path belongs to (`renderers`, by path prefix; problem documents
    otherwise), as the route's own errors would be."""

    def __init__(self, app: Any, renderers: Mapping[str, Renderer] | None = None) -> None:
        self.app = app
        self.renderers = dict(renderers or {})

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not _on_a_face(scope["path"]):
            await self.app(scope, receive, send)
            return
        context: AppContext = scope["app"].state.context
        active = context.cache(ActiveRules)
        matching = [r for r in active.read(context.db) if _matches(r, scope)]
        if any(r.seller_id is not None for r in matching):
            seller = _seller(scope, context)
            matching = [r for r in matching if r.seller_id is None or r.seller_id == seller]
        else:
            seller = _header(scope, b"sellerid")
        if not matching:
            await self.app(scope, receive, send)
            return
        call = Call(scope["method"], scope["path"], seller)
        fired, spent = await to_thread.run_sync(
            _take, context.db, matching, call, limiter=context.commit_threads
        )
        active.spent |= spent
        if not fired:
            await self.app(scope, receive, send)
            return
        delay = sum(r.latency_ms or 0 for r in fired)
        if delay:
            await sleep(delay / 1000)
        marks = [(b"x-comptoir-fault", f"{r.fault}; rule={r.id}".encode()) for r in fired]

        async def marked(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *marks]
            await send(message)

        answer = fired[-1]
        if answer.fault == LATENCY:
            await self.app(scope, receive, marked)
        elif answer.fault == CONNECTION_CLOSED:
            await _close_without_answer(send)
        elif answer.fault == PROXY_503:
            headers = [(b"content-type", b"text/html"), (b"content-length", str(len(NGINX_503)).encode())]
            await marked({"type": "http.response.start", "status": 503, "headers": headers})
            await marked({"type": "http.response.body", "body": NGINX_503})
        else:
            request: Request[Any, Any, Any] = Request(scope, receive)
            response = self._renderer(scope["path"])(request, _error(answer, scope, context))
            await response.to_asgi_response(scope["app"], request)(scope, receive, marked)

    def _renderer(self, path: str) -> Renderer:
        for prefix, renderer in self.renderers.items():
            if path == prefix or path.startswith(prefix + "/"):
                return renderer
        return handle_exception


async def _close_without_answer(send: Any) -> None:
    # ASGI has no message that drops a connection, and a server answers 500 to an app that returns
    # without starting a response. A response start the server must refuse (a line break in a
    # header value, which uvicorn checks before it writes a byte) makes it close the connection
    # instead, having sent nothing: the client sees the peer close without an answer.
    try:
        await send({"type": "http.response.start", "status": 503, "headers": [(b"x-comptoir-fault", b"\n")]})
    except Exception:  # the server's refusal is the point
        return


# --- routes -----------------------------------------------------------------------------------------


def _changing(context: AppContext, change: Callable[[Session], T]) -> T:
    """Runs a change of the rules in its own transaction, then makes this process read them again:
    its very next call sees the change."""
    with context.db.transaction() as session:
        result = change(session)
    context.cache(ActiveRules).clear()
    return result


@post("/faults", sync_to_thread=True, tags=["sandbox"], status_code=201)
def post_fault(context: AppContext, data: FaultIn) -> FaultRule:
    """Adds a fault rule: it applies from this process's next call, and within a second in others."""
    return _changing(context, lambda session: add_rule(session, data))


@get("/faults", sync_to_thread=True, tags=["sandbox"])
def get_faults(reader: ReadSession) -> Page[FaultRule]:
    """The rules in force, oldest first (the order they are tried in), with their counts."""
    return page_of(list_rules(reader))


@delete("/faults", sync_to_thread=True, tags=["sandbox"], status_code=204)
def delete_faults(context: AppContext) -> None:
    """Removes every rule and the hits."""
    _changing(context, clear_faults)


@delete("/faults/{rule_id:str}", sync_to_thread=True, tags=["sandbox"], status_code=204)
def delete_fault(context: AppContext, rule_id: str) -> None:
    _changing(context, lambda session: delete_rule(session, rule_id))


@get("/faults/hits", sync_to_thread=True, tags=["sandbox"])
def get_hits(reader: ReadSession) -> Page[FaultHit]:
    """The faults injected, newest first (the last thousand or so)."""
    return page_of(list_hits(reader))


routes = [post_fault, get_faults, delete_faults, delete_fault, get_hits]
