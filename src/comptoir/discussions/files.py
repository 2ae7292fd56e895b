"""Message attachments (spec 13): how many, how large, which formats, and whether a file's bytes are
what its extension says. Pure: no database, no HTTP."""

from __future__ import annotations

import base64
import binascii
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from comptoir.errors import ValidationFailed

MB = 1024 * 1024
MAX_FILES = 3
MAX_TOTAL_BYTES = 4 * MB
MAX_NAME = 255

CONTENT_TYPES = {
    "png": "image/png",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "tif": "image/tiff",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Upload:
    file_name: str
    data: bytes


def extension(file_name: str) -> str:
    return PurePosixPath(file_name).suffix.lower().lstrip(".")


def _ole2_has(data: bytes, *streams: str) -> bool:
    # An OLE2 compound file names its streams in UTF-16 in its directory: Word keeps the text in
    # `WordDocument`, Excel its sheets in `Workbook` (or `Book` before Excel 97).
    return data.startswith(OLE2) and any(s.encode("utf-16-le") in data for s in streams)


def _is_docx(data: bytes) -> bool:
    # Only the archive's directory is read: nothing is inflated, so a zip bomb costs nothing here.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)


_SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "png": lambda d: d.startswith(b"\x89PNG\r\n\x1a\n"),
    "gif": lambda d: d.startswith((b"GIF87a", b"GIF89a")),
    "bmp": lambda d: d.startswith(b"BM") and len(d) > 26,
    "jpg": lambda d: d.startswith(b"\xff\xd8\xff"),
    "tif": lambda d: d.startswith((b"II*\x00", b"MM\x00*")),
    # PDF readers accept the header anywhere in the first kilobyte.
    "pdf": lambda d: b"%PDF-" in d[:1024],
    "doc": lambda d: _ole2_has(d, "WordDocument"),
    "xls": lambda d: _ole2_has(d, "Workbook", "Book"),
    "docx": _is_docx,
}
_SIGNATURES["jpeg"] = _SIGNATURES["jpg"]


def content_matches(kind: str, data: bytes) -> bool:
    return _SIGNATURES[kind](data)


def safe_name(file_name: str) -> str:
    """The last path segment, with nothing that could break a header or a file system."""
    name = PurePosixPath(file_name.replace("\\", "/")).name
    return re.sub(r"[^A-Za-z0-9._ -]", "_", name).strip(" .") or "attachment"


def check(uploads: Sequence[Upload], field: str = "attachments") -> None:
    """At most three files, 4 MB in all, each a documented format whose bytes match its extension."""
    if len(uploads) > MAX_FILES:
        raise ValidationFailed.field(field, f"A message carries at most {MAX_FILES} attachments.")
    total = sum(len(u.data) for u in uploads)
    if total > MAX_TOTAL_BYTES:
        raise ValidationFailed.field(
            field, f"The attachments of a message weigh at most {MAX_TOTAL_BYTES // MB} MB in all."
        )
    errors: dict[str, list[str]] = {}
    formats = ", ".join(CONTENT_TYPES)
    for i, upload in enumerate(uploads):
        kind = extension(upload.file_name)
        name = f"{field}[{i}]"
        if not upload.file_name.strip() or len(upload.file_name) > MAX_NAME:
            errors[name] = [f"Each attachment needs a file name of at most {MAX_NAME} characters."]
        elif kind not in CONTENT_TYPES:
            errors[name] = [f"{upload.file_name!r}: attachments are {formats} files."]
        elif not upload.data:
            errors[name] = [f"{upload.file_name!r} is empty."]
        elif not content_matches(kind, upload.data):
            errors[name] = [f"{upload.file_name!r} is not a {kind} file: its content does not match."]
    if errors:
        raise ValidationFailed("An attachment was refused.", errors=errors)


def from_base64(index: int, file_name: str | None, content: str | None, field: str = "attachments") -> Upload:
    """A file sent in JSON: base64 bytes, bare or as a `data:` URL."""
    name = f"{field}[{index}]"
    if not file_name:
        raise ValidationFailed.field(f"{name}.fileName", "Each attachment needs a fileName.")
    if not content:
        raise ValidationFailed.field(f"{name}.content", "Each attachment needs its content in base64.")
    if content.startswith("data:"):
        content = content.partition(",")[2]
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed.field(f"{name}.content", "The content is not valid base64.") from exc
    return Upload(file_name, data)
