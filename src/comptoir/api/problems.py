"""The one handler that renders every error as application/problem+json."""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)
from litestar.params import ParameterKwarg

from comptoir import ids
from comptoir.errors import DomainError

log = logging.getLogger("comptoir.api")

PROBLEM_TYPE = "https://tools.ietf.org/html/rfc7231"
PROBLEM_JSON = "application/problem+json"

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def trace_id_of(request: Request[Any, Any, Any]) -> str:
    trace = request.scope.get("state", {}).get("trace_id")
    return trace or ids.trace_id()


def problem(
    request: Request[Any, Any, Any],
    status: int,
    detail: str | None,
    *,
    title: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE,
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        # Production's field name (seed 000); `status` is RFC 9457's. Clients read one or the other.
        "statusCode": status,
        "detail": detail,
        "instance": request.url.path,
        "traceId": trace_id_of(request),
    }
    if errors:
        body["errors"] = errors
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers or {})


_MISSING = re.compile(r"Object missing required field `([^`]+)`")


def _aliases(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The name a client sends for each parameter of the route, by its Python name (`limit` is
    `$limit`), over the handler and the dependencies that read parameters too."""
    handler = request.scope.get("route_handler")
    if handler is None:
        return {}
    signatures = [handler.parsed_fn_signature]
    signatures += [provider.parsed_fn_signature for provider in handler.resolve_dependencies().values()]
    return {
        name: kwarg.name
        for signature in signatures
        for name, field in signature.parameters.items()
        if isinstance(kwarg := field.kwarg_definition, ParameterKwarg) and kwarg.name
    }


def _wire_name(name: str, aliases: dict[str, str]) -> str:
    """The name a client sent: Litestar reports parameters by their Python name; one without an alias
    is sent as that name in camelCase (`page_size` is `pageSize`)."""
    head, dot, rest = name.partition(".")
    if head in aliases:
        return aliases[head] + dot + rest
    first, *others = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in others)


def _litestar_validation_errors(
    request: Request[Any, Any, Any], exc: ValidationException
) -> dict[str, list[str]]:
    """msgspec's messages keyed by the JSON path of the field, as ASP.NET's ValidationProblemDetails."""
    errors: dict[str, list[str]] = {}
    aliases: dict[str, str] | None = None
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict):
            continue
        key = str(item.get("key") or "body")
        if item.get("source") in {"query", "path", "header", "cookie"}:
            aliases = _aliases(request) if aliases is None else aliases
            key = _wire_name(key, aliases)
        message = str(item.get("message") or "is invalid")
        missing = _MISSING.match(message)
        if missing:
            name = missing.group(1)
            key = name if key == "data" else f"{key}.{name}"
            message = f"The {name} field is required."
        elif key == "data":
            key = "body"
        errors.setdefault(key, []).append(message)
    return errors


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if isinstance(exc, DomainError):
        return problem(
            request,
            exc.status,
            exc.detail,
            title=exc.title,
            errors=exc.errors or None,
            headers=exc.headers,
        )
    if isinstance(exc, ValidationException):
        errors = _litestar_validation_errors(request, exc) or {"request": [str(exc.detail)]}
        return problem(
            request, 400, "One or more validation errors occurred.", title="Validation Failed", errors=errors
        )
    if isinstance(exc, NotFoundException):
        return problem(request, 404, f"No resource matches {request.method} {request.url.path}.")
    if isinstance(exc, MethodNotAllowedException):
        return problem(
            request,
            405,
            f"Method {request.method} is not allowed on {request.url.path}.",
            headers=dict(exc.headers or {}),
        )
    if isinstance(exc, HTTPException):
        status = exc.status_code
        detail = exc.detail if status < 500 else "The server could not complete the request."
        return problem(request, status, detail, headers=dict(exc.headers or {}))
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(request, 500, "The server could not complete the request.")
