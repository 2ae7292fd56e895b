"""Order invoice rules (spec 12.13): what an upload may hold, what a file claims to be and whether it is,
archives opened safely, which orders take an invoice. Pure: no database, no HTTP."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from comptoir.errors import DomainError, ValidationFailed

PDF, UBL, ZIP = "PDF", "UBL", "ZIP"
CONTENT_TYPES = {PDF: "application/pdf", UBL: "application/xml"}
_BY_EXTENSION = {".pdf": PDF, ".xml": UBL, ".zip": ZIP}
_BY_CONTENT_TYPE = {
    "application/pdf": PDF,
    "application/xml": UBL,
    "text/xml": UBL,
    "application/zip": ZIP,
    "application/x-zip-compressed": ZIP,
}

MB = 1024 * 1024
MAX_FILE_BYTES = 10 * MB  # one invoice, PDF or XML
MAX_UPLOAD_BYTES = 50 * MB  # one bulk upload, archives included
MAX_FILES = 1000  # files in one import, archive entries included
MAX_EXPANDED_BYTES = 200 * MB  # what an archive may expand to
MAX_RATIO = 100  # expanded size over compressed size, per entry: beyond it, a zip bomb
# What reading a damaged or hostile archive raises.
ARCHIVE_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError)

UBL_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
# Marketplace order ids: capitals and digits, e.g. 2611231907THLDJ or SCID01210525142759UT8E.
ORDER_ID = re.compile(r"^(?=.*[0-9])[A-Z0-9]{8,32}$")

# Processing steps of a file (its `integrationStatus`): the step reached, or the one that failed.
RECEIVED, EXTRACTION, ORDER_CHECK, FILE_CHECK, INTEGRATED = (
    "Received",
    "Extraction",
    "OrderCheck",
    "FileCheck",
    "Integrated",
)


# Statuses of an import and of each of its files.
RUNNING, SUCCESS, PARTIAL_SUCCESS, FAILURE = "Running", "Success", "PartialSuccess", "Failure"
# An invoice documents a sale: not before the order is accepted, not for orders never sold.
INVOICEABLE = frozenset({"Accepted", "InPreparation", "Shipped", "Delivered", "Cancelled"})


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


# A whole import refused before any file was read (sandbox progress policy `fail`).
IMPORT_REFUSED = Refusal("ImportRefused", "The platform refused the import: upload the files again.")


# --- uploads --------------------------------------------------------------------------------------


class PayloadTooLarge(DomainError):
    status = 413
    title = "Payload Too Large"
    code = "PayloadTooLarge"


@dataclass(frozen=True)
class Upload:
    file_name: str
    content_type: str | None
    data: bytes


def check_order_upload(uploads: Sequence[Upload]) -> None:
    """One PDF or UBL XML file for one order."""
    if len(uploads) != 1:
        raise ValidationFailed.field("file", "Send exactly one file: the order's invoice.")
    upload = uploads[0]
    if kind_of(upload.file_name, upload.content_type) not in (PDF, UBL):
        raise ValidationFailed.field("file", "The invoice must be a PDF file or a UBL 2.1 XML file.")
    _check_size(upload, MAX_FILE_BYTES)


def check_bulk_upload(uploads: Sequence[Upload]) -> None:
    """Many files, or ZIP archives of them."""
    if not uploads:
        raise ValidationFailed.field("files", "Send at least one file.")
    if len(uploads) > MAX_FILES:
        raise ValidationFailed.field("files", f"Send at most {MAX_FILES} files at once.")
    for upload in uploads:
        archive = kind_of(upload.file_name, upload.content_type) == ZIP
        _check_size(upload, MAX_UPLOAD_BYTES if archive else MAX_FILE_BYTES)


def _check_size(upload: Upload, limit: int) -> None:
    if len(upload.data) > limit:
        raise PayloadTooLarge(f"{upload.file_name} is larger than {limit // MB} MB.")
    if not upload.data:
        raise ValidationFailed.field("file", f"{upload.file_name} is empty.")


def import_status(file_statuses: Iterable[str]) -> str:
    statuses = set(file_statuses)
    return SUCCESS if statuses == {SUCCESS} else FAILURE if statuses == {FAILURE} else PARTIAL_SUCCESS


def order_refusal(order_id: str, order_status: str | None) -> Refusal | None:
    """Why a file cannot be the invoice of this order (None: no such order of the seller's)."""
    if order_status is None:
        return Refusal("OrderNotFound", f"Order {order_id} does not exist.")
    if order_status not in INVOICEABLE:
        return Refusal("OrderNotInvoiceable", f"The order is {order_status}: there is no sale to invoice.")
    return None


# --- files ----------------------------------------------------------------------------------------


def kind_of(file_name: str, content_type: str | None) -> str | None:
    """What a file claims to be: by its extension, else by its declared content type."""
    kind = _BY_EXTENSION.get(PurePosixPath(file_name.lower()).suffix)
    if kind is None and content_type:
        kind = _BY_CONTENT_TYPE.get(content_type.split(";", 1)[0].strip().lower())
    return kind


def safe_name(name: str) -> str | None:
    """The file name of an upload or archive entry; None when it climbs out of its folder or is absolute."""
    posix = name.replace("\\", "/")
    path = PurePosixPath(posix)
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", name) or posix.endswith("/"):
        return None
    return path.name


def order_id_of(file_name: str) -> str | None:
    """Bulk files are named by order id, e.g. 2611231907THLDJ.pdf."""
    stem = file_name.rsplit(".", 1)[0]
    return stem if ORDER_ID.match(stem) else None


def check(kind: str | None, data: bytes) -> Refusal | None:
    """Whether the content is what the file claims to be."""
    if kind == PDF:
        return _check_pdf(data)
    if kind == UBL:
        return _check_ubl(data)
    return Refusal("UnsupportedFileType", "Send PDF files or UBL 2.1 XML invoices (.pdf, .xml).")


def _check_pdf(data: bytes) -> Refusal | None:
    # PDF readers accept a header within the first kilobyte and an end marker within the last one.
    if b"%PDF-" not in data[:1024] or b"%%EOF" not in data[-1024:]:
        return Refusal("InvalidPdf", "The file is not a PDF document.")
    return None


def _check_ubl(data: bytes) -> Refusal | None:
    try:
        root = fromstring(data)
    except DefusedXmlException:
        return Refusal("InvalidUbl", "The XML declares entities or a DTD, which are not accepted.")
    except (ParseError, LookupError) as exc:  # LookupError: an encoding Python does not know
        return Refusal("InvalidUbl", f"The file is not well-formed XML: {exc}.")
    if root.tag != f"{{{UBL_NS}}}Invoice":
        return Refusal("InvalidUbl", "The XML is not a UBL 2.1 Invoice (root Invoice in the UBL namespace).")
    version = root.findtext(f"{{{CBC_NS}}}UBLVersionID")
    if version is not None and version.strip() != "2.1":
        return Refusal("InvalidUbl", f"UBL version {version.strip()} is not accepted: send UBL 2.1.")
    if not (root.findtext(f"{{{CBC_NS}}}ID") or "").strip():
        return Refusal("InvalidUbl", "The UBL invoice has no ID.")
    return None


@dataclass(frozen=True)
class Entry:
    """A file found in an archive: its bytes, or why it was left out."""

    file_name: str
    data: bytes | None
    refusal: Refusal | None


def open_zip(data: bytes) -> list[Entry]:
    """The files of an archive, read within the limits. Raises ArchiveRefused when the archive as a
    whole cannot be trusted (unreadable, too many entries, expands too much)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except ARCHIVE_ERRORS as exc:
        raise ArchiveRefused(Refusal("InvalidArchive", f"The ZIP archive cannot be read: {exc}.")) from exc
    if len(infos) > MAX_FILES:
        raise ArchiveRefused(Refusal("TooManyFiles", f"An archive holds at most {MAX_FILES} files."))
    if sum(i.file_size for i in infos) > MAX_EXPANDED_BYTES:
        raise ArchiveRefused(
            Refusal("ArchiveTooLarge", f"An archive expands to at most {MAX_EXPANDED_BYTES // MB} MB.")
        )
    with archive:
        return [_entry(archive, info) for info in infos]


def _entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Entry:
    name = safe_name(info.filename)
    if name is None:
        return Entry(info.filename, None, Refusal("UnsafeEntry", "The entry's path leaves the archive."))
    if info.flag_bits & 0x1:
        return Entry(name, None, Refusal("UnsafeEntry", "Encrypted entries are not accepted."))
    if kind_of(name, None) == ZIP:
        return Entry(name, None, Refusal("UnsupportedFileType", "Archives inside an archive are not opened."))
    if info.file_size > MAX_FILE_BYTES:
        return Entry(name, None, _too_large())
    if info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return Entry(name, None, Refusal("UnsafeEntry", "The entry is compressed suspiciously well."))
    try:
        with archive.open(info) as stream:
            # The sizes in the headers are claims: never read more than the limit.
            content = stream.read(MAX_FILE_BYTES + 1)
    except ARCHIVE_ERRORS as exc:
        return Entry(name, None, Refusal("InvalidArchive", f"The entry cannot be read: {exc}."))
    if len(content) > MAX_FILE_BYTES:
        return Entry(name, None, _too_large())
    return Entry(name, content, None)


def _too_large() -> Refusal:
    return Refusal("FileTooLarge", f"An invoice file is at most {MAX_FILE_BYTES // MB} MB.")


class ArchiveRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal
