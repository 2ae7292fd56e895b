"""The Allegro face under /allegro (commands, token) and the operator routes of additional platforms.

Everything under /allegro speaks Allegro's media type and error format (`{"errors": [...]}` with a
`userMessage` in the language of `Accept-Language`), so the router carries its own error handler.
"""

from __future__ import annotations

from typing import Any

from litestar import HttpMethod, Request, Response, Router, get, post, put, route
from litestar.di import Provide
from litestar.exceptions import MethodNotAllowedException
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.orm import Session

from comptoir.api.context import AppContext
from comptoir.api.deps import principal
from comptoir.api.pagination import Page, page_of
from comptoir.api.problems import handle_exception
from comptoir.auth import token_response
from comptoir.commands import domain, platforms, service
from comptoir.commands import schemas as s
from comptoir.db import ReadSession
from comptoir.errors import DomainError, Forbidden, NotFound, UnsupportedMediaType, ValidationFailed
from comptoir.jobs import polled

TAGS = ["allegro: offer commands"]
OP_TAGS = ["operator: additional platforms"]
COMMAND_PATH = "/offers/change-additional-platforms-commands/{command_id:str}"


class NotAcceptable(DomainError):
    status = 406
    title = "Not Acceptable"
    code = "NotAcceptable"


def allegro_response(content: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(content=content, status_code=status, media_type=domain.MEDIA_TYPE, headers=headers or {})


def allegro_error(request: Request[Any, Any, Any], exc: Exception) -> Response[s.ErrorsOut]:
    """Any error in Allegro's format, built from the problem the shared handler makes of it: the same
    statuses, headers and logging (a 500 says nothing of its cause)."""
    problem = handle_exception(request, exc)
    status = problem.status_code or 500
    # An error raised with a code of its own (TooManyOffersException) keeps it; others are named by status.
    explicit = isinstance(exc, DomainError) and exc.code != type(exc).code
    code = exc.code if explicit else domain.status_code_name(status)  # type: ignore[attr-defined]
    user = domain.user_message(code, domain.language(request.headers.get("accept-language")), status)
    fields: dict[str, list[str]] = problem.content.get("errors") or {}
    errors = [s.ErrorOut(code, m, None, path, user) for path, messages in fields.items() for m in messages]
    return allegro_response(
        s.ErrorsOut(errors or [s.ErrorOut(code, problem.content["detail"], None, None, user)]),
        status,
        dict(problem.headers),
    )


def allegro_media(connection: Any, _: BaseRouteHandler) -> None:
    """Guard: the answer must be acceptable in Allegro's media type, and a body must be sent in it.
    Bodiless GETs are not judged by their Content-Type (some clients send application/json)."""
    if not domain.accepts_allegro(connection.headers.get("accept")):
        raise NotAcceptable(f"This resource answers {domain.MEDIA_TYPE} only; the Accept header excludes it.")
    content_type = connection.headers.get("content-type")
    if connection.method != HttpMethod.GET and not domain.is_allegro_content_type(content_type):
        sent = content_type or "no media type"
        raise UnsupportedMediaType(f"Send the body as {domain.MEDIA_TYPE}, not {sent}.")


def allegro_seller(request: Request[Any, Any, Any]) -> str:
    """The seller the token acts for. A client bound to several sellers names one in a `SellerId`
    header (Allegro has none: its tokens are per seller); without it the request is refused."""
    who = principal(request)
    if who.kind != "seller" or not who.seller_ids:
        raise Forbidden("This API needs the token of a seller's client.")
    chosen = (request.headers.get("sellerid") or "").strip()
    if chosen:
        if chosen not in who.seller_ids:
            raise Forbidden(f"This client is not allowed to act for seller {chosen}.")
        return chosen
    if len(who.seller_ids) > 1:
        message = "This client acts for several sellers: name one in the SellerId header."
        raise ValidationFailed(message, errors={"SellerId": [message]})
    return next(iter(who.seller_ids))


def allegro_language(request: Request[Any, Any, Any]) -> str:
    """The language of the user messages, from `Accept-Language`."""
    return domain.language(request.headers.get("accept-language"))


@put(COMMAND_PATH, sync_to_thread=True, guards=[allegro_media], tags=TAGS, status_code=200)
def put_command(
    session: Session, seller_id: str, language: str, command_id: str, data: s.CommandIn
) -> Response[s.CommandOut]:
    """Publishes offers on additional platforms (Allegro `change-additional-platforms-commands`).
    Sent again with the same body, answers the same command; with another body, 409."""
    command = service.put_command(session, seller_id, command_id, data)
    return allegro_response(service.command_out(command, language))


@get(COMMAND_PATH, sync_to_thread=True, guards=[allegro_media], tags=TAGS)
def get_command(
    context: AppContext, reader: ReadSession, seller_id: str, language: str, command_id: str
) -> Response[s.CommandOut]:
    """The command's status: RUNNING, then SUCCESSFUL, PARTIAL_SUCCESS or ERROR with `output.errors`."""
    polled(context.db, service.PROGRESS_KIND, service.command_key(command_id), seller_id)
    command = service.get_command(reader, seller_id, command_id)
    return allegro_response(service.command_out(command, language))


@route(
    COMMAND_PATH,
    http_method=[HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE],
    sync_to_thread=False,
    include_in_schema=False,
)
def command_other_methods() -> None:
    # Declared so that the refusal is rendered by this router, in Allegro's format.
    raise MethodNotAllowedException(headers={"Allow": "GET, PUT"})


@route(
    "/{path:path}",
    http_method=[HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE],
    sync_to_thread=False,
    include_in_schema=False,
)
def unknown_route(request: Request[Any, Any, Any]) -> None:
    # Unknown paths under /allegro answer in Allegro's format too; the message names the whole path,
    # so the handler reads it from the request rather than from the `path` parameter.
    raise NotFound(f"No resource matches {request.method} {request.url.path}.")


@post("/auth/oauth/token", status_code=200, sync_to_thread=True, tags=TAGS)
def allegro_token(request: Request[Any, Any, Any], body: bytes, context: AppContext) -> Response[Any]:
    """Allegro's token URL: the same client-credentials tokens as comptoir's token endpoint. Allegro
    clients put `grant_type` in the query string and the credentials in HTTP Basic."""
    query_and_form = "&".join((request.url.query, body.decode("utf-8", "replace"))).encode()
    return token_response(request, query_and_form, context)


def allegro_router() -> Router:
    return Router(
        path="/allegro",
        route_handlers=[put_command, get_command, command_other_methods, unknown_route, allegro_token],
        dependencies={
            "seller_id": Provide(allegro_seller, sync_to_thread=False),
            "language": Provide(allegro_language, sync_to_thread=False),
        },
        exception_handlers={Exception: allegro_error},
    )


# --- operator -------------------------------------------------------------------------------------


@get("/additional-platforms", sync_to_thread=True, tags=OP_TAGS)
def list_platforms(reader: ReadSession) -> Page[s.PlatformOut]:
    return page_of([platforms.platform_out(reader, p) for p in platforms.list_platforms(reader)])


@get("/additional-platforms/{platform_id:str}", sync_to_thread=True, tags=OP_TAGS)
def get_platform(reader: ReadSession, platform_id: str) -> s.PlatformOut:
    return platforms.platform_out(reader, platforms.get_platform(reader, platform_id))


@put("/additional-platforms/{platform_id:str}", sync_to_thread=True, tags=OP_TAGS)
def put_platform(session: Session, platform_id: str, data: s.PlatformIn) -> s.PlatformOut:
    """Declares a sales channel as an additional platform (or redeclares it), with the exchange rates
    from the currencies of the channels offers come from; `rates` replaces the whole list."""
    return platforms.platform_out(session, platforms.put_platform(session, platform_id, data))


@put("/additional-platforms/{platform_id:str}/rates/{currency:str}", sync_to_thread=True, tags=OP_TAGS)
def put_rate(session: Session, platform_id: str, currency: str, data: s.RatePut) -> s.PlatformOut:
    """Sets one exchange rate: platform-currency units per unit of `currency`."""
    return platforms.platform_out(session, platforms.put_rate(session, platform_id, currency, data))


operator_routes = [list_platforms, get_platform, put_platform, put_rate]
