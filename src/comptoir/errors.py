"""One error tree. Services raise these; one handler renders them as problem+json."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class DomainError(Exception):
    status = 400
    title = "Bad Request"
    code = "BadRequest"

    def __init__(
        self,
        detail: str,
        *,
        errors: Mapping[str, Sequence[str]] | None = None,
        headers: Mapping[str, str] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = {k: list(v) for k, v in (errors or {}).items()}
        self.headers = dict(headers or {})
        if code:
            self.code = code


class ValidationFailed(DomainError):
    status = 400
    title = "Validation Failed"
    code = "ValidationFailed"

    @classmethod
    def field(cls, field: str, message: str) -> ValidationFailed:
        return cls(message, errors={field: [message]})


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"
    code = "Unauthorized"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
    code = "Forbidden"


class NotFound(DomainError):
    status = 404
    title = "Not Found"
    code = "NotFound"


class NotAcceptable(DomainError):
    status = 406
    title = "Not Acceptable"
    code = "NotAcceptable"


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    code = "Conflict"


class Unprocessable(DomainError):
    status = 422
    title = "Unprocessable Entity"
    code = "Unprocessable"


class UnsupportedMediaType(DomainError):
    status = 415
    title = "Unsupported Media Type"
    code = "UnsupportedMediaType"
