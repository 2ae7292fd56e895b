"""What the message routes read from a request: a JSON body (files in base64) or a multipart form
(files as parts), and what the download routes answer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

import msgspec
from litestar import Request, Response
from litestar.datastructures import UploadFile

from comptoir.api.wire import normalize
from comptoir.discussions import files
from comptoir.discussions.messaging import uploads_of
from comptoir.discussions.models import Attachment
from comptoir.discussions.schemas import AttachmentIn, PatchOp
from comptoir.errors import ValidationFailed


class WithAttachments(Protocol):
    @property
    def attachments(self) -> Sequence[AttachmentIn] | None: ...


T = TypeVar("T")
M = TypeVar("M", bound=WithAttachments)
# A JSON body carries the 4 MB of files in base64, a third larger.
MAX_BODY_BYTES = 6 * files.MB + files.MB
_AT = re.compile(r" - at `\$\.?([^`]*)`$")
_MISSING = re.compile(r"Object missing required field `([^`]+)`")


def decoded(raw: Any, type_: type[T]) -> T:
    """`raw` as `type_`, names matched without regard to case; a 400 naming the field otherwise."""
    try:
        return msgspec.convert(normalize(raw, type_), type_)
    except msgspec.ValidationError as exc:
        text = str(exc)
        at = _AT.search(text)
        missing = _MISSING.match(text)
        path = at.group(1) if at else ""
        field = ".".join(p for p in (path, missing.group(1) if missing else "") if p) or "body"
        message = f"The {missing.group(1)} field is required." if missing else _AT.sub("", text)
        raise ValidationFailed("One or more validation errors occurred.", errors={field: [message]}) from exc


async def message_request(request: Request[Any, Any, Any], type_: type[M]) -> tuple[M, list[files.Upload]]:
    """The message and its files: multipart form fields and file parts (any field name), or JSON with
    `attachments` in base64. In a form, `receivers` may be given as JSON text."""
    media_type, _ = request.content_type
    if media_type != "multipart/form-data":
        data = decoded(await request.json(), type_)
        return data, uploads_of(data.attachments)
    form = await request.form()
    fields: dict[str, Any] = {}
    uploads: list[files.Upload] = []
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            uploads.append(files.Upload(value.filename or "", await value.read()))
            await value.close()
        elif key.lower() == "receivers":
            try:
                fields[key] = msgspec.json.decode(value)
            except msgspec.DecodeError as exc:
                raise ValidationFailed.field("receivers", "receivers must be a JSON array.") from exc
        else:
            fields[key] = value
    return decoded(fields, type_), uploads


def download(found: Attachment) -> Response[bytes]:
    return Response(
        content=found.data,
        media_type=found.content_type,
        headers={"Content-Disposition": f'attachment; filename="{found.file_name}"'},
    )


def patch_ops(data: list[PatchOp] | PatchOp) -> list[tuple[str | None, str, Any]]:
    """A JSON Patch document, or the single operation some clients send bare."""
    return [(op.op or op.opt, op.path, op.value) for op in (data if isinstance(data, list) else [data])]
