"""Order invoices (spec 12.13): sellers attach the invoices they produced to their orders.

An upload is answered at once with an import report (`Running`); a job then takes each file through the
documented steps (archive opened, order checked, file checked) and stores it as the order's invoice,
replacing the previous one. Files live in the database, so that any worker host can process them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from comptoir import clock, ids
from comptoir.db.pagination import CursorPage, SortKey, cursor_page
from comptoir.errors import DomainError, NotFound, ValidationFailed
from comptoir.jobs import enqueue
from comptoir.orders import invoice_files as files
from comptoir.orders import queries
from comptoir.orders.models import InvoiceDocument, InvoiceImport, InvoiceImportFile, Order
from comptoir.orders.request_schemas import (
    InvoiceDocumentOut,
    InvoiceFileOut,
    InvoiceImportOut,
    InvoiceImportSummaryOut,
)

IMPORT_JOB = "orders.import_invoices"
RUNNING, SUCCESS, PARTIAL_SUCCESS, FAILURE = "Running", "Success", "PartialSuccess", "Failure"
# An invoice documents a sale: not before the order is accepted, not for orders never sold.
INVOICEABLE = frozenset({"Accepted", "InPreparation", "Shipped", "Delivered", "Cancelled"})


class PayloadTooLarge(DomainError):
    status = 413
    title = "Payload Too Large"
    code = "PayloadTooLarge"


@dataclass(frozen=True)
class Upload:
    file_name: str
    content_type: str | None
    data: bytes


# --- uploads --------------------------------------------------------------------------------------


def _check_size(upload: Upload, limit: int) -> None:
    if len(upload.data) > limit:
        raise PayloadTooLarge(f"{upload.file_name} is larger than {limit // files.MB} MB.")
    if not upload.data:
        raise ValidationFailed.field("file", f"{upload.file_name} is empty.")


def upload_for_order(
    session: Session, seller_id: str, order_id: str, uploads: Sequence[Upload]
) -> InvoiceImport:
    """One PDF or UBL XML file for one order."""
    order = queries.get_order(session, seller_id, order_id)
    if len(uploads) != 1:
        raise ValidationFailed.field("file", "Send exactly one file: the order's invoice.")
    upload = uploads[0]
    if files.kind_of(upload.file_name, upload.content_type) not in (files.PDF, files.UBL):
        raise ValidationFailed.field("file", "The invoice must be a PDF file or a UBL 2.1 XML file.")
    _check_size(upload, files.MAX_FILE_BYTES)
    return _create(session, seller_id, order.id, uploads)


def upload_bulk(session: Session, seller_id: str, uploads: Sequence[Upload]) -> InvoiceImport:
    """Many files, or ZIP archives of them, each named by its order id."""
    if not uploads:
        raise ValidationFailed.field("files", "Send at least one file.")
    if len(uploads) > files.MAX_FILES:
        raise ValidationFailed.field("files", f"Send at most {files.MAX_FILES} files at once.")
    for upload in uploads:
        archive = files.kind_of(upload.file_name, upload.content_type) == files.ZIP
        _check_size(upload, files.MAX_UPLOAD_BYTES if archive else files.MAX_FILE_BYTES)
    return _create(session, seller_id, None, uploads)


def _create(
    session: Session, seller_id: str, order_id: str | None, uploads: Sequence[Upload]
) -> InvoiceImport:
    now = clock.now()
    record = InvoiceImport(
        id=ids.new_uuid(),
        seller_id=seller_id,
        order_id=order_id,
        status=RUNNING,
        created_at=now,
        updated_at=now,
    )
    session.add(record)
    session.flush()
    session.add_all(
        InvoiceImportFile(
            import_id=record.id,
            position=position,
            entry=0,
            file_name=upload.file_name[:255],
            content_type=(upload.content_type or "")[:100] or None,
            size=len(upload.data),
            data=upload.data,
            status=RUNNING,
            integration_status=files.RECEIVED,
        )
        for position, upload in enumerate(uploads)
    )
    session.flush()
    enqueue(session, IMPORT_JOB, {"import_id": record.id})
    return record


# --- processing -----------------------------------------------------------------------------------


def _import_files(session: Session, import_id: str) -> list[InvoiceImportFile]:
    return list(
        session.scalars(
            select(InvoiceImportFile)
            .where(InvoiceImportFile.import_id == import_id)
            .order_by(InvoiceImportFile.position, InvoiceImportFile.entry)
        )
    )


def process(session: Session, import_id: str) -> None:
    """The job: every file of a running import, in upload order (a later file for the same order wins).
    Idempotent: a finished import is left alone."""
    record = session.get(InvoiceImport, import_id, with_for_update=True)
    if record is None or record.status != RUNNING:
        return
    for item in _import_files(session, import_id):
        if files.kind_of(item.file_name, item.content_type) == files.ZIP:
            _expand(session, item)
    for item in _import_files(session, import_id):
        if item.status == RUNNING:
            _integrate(session, record, item)
        item.data = None  # stored as the order's invoice, or refused: the copy is no longer needed
    statuses = {item.status for item in _import_files(session, import_id)}
    record.status = (
        SUCCESS if statuses == {SUCCESS} else FAILURE if statuses == {FAILURE} else PARTIAL_SUCCESS
    )
    record.updated_at = clock.now()


def _fail(item: InvoiceImportFile, step: str, refusal: files.Refusal) -> None:
    item.status = FAILURE
    item.integration_status = step
    item.error_code = refusal.code
    item.error_message = refusal.message[:300]


def _expand(session: Session, item: InvoiceImportFile) -> None:
    """Replaces an archive by its entries; an archive that cannot be trusted fails as a whole."""
    try:
        entries = files.open_zip(item.data or b"")
    except files.ArchiveRefused as exc:
        _fail(item, files.EXTRACTION, exc.refusal)
        return
    for rank, entry in enumerate(entries, start=1):
        child = InvoiceImportFile(
            import_id=item.import_id,
            position=item.position,
            entry=rank,
            file_name=entry.file_name[:255],
            content_type=None,
            size=len(entry.data or b""),
            data=entry.data,
            status=RUNNING,
            integration_status=files.RECEIVED,
        )
        if entry.refusal is not None:
            _fail(child, files.EXTRACTION, entry.refusal)
        session.add(child)
    if not entries:
        _fail(item, files.EXTRACTION, files.Refusal("EmptyArchive", "The archive holds no file."))
        return
    session.delete(item)
    session.flush()


def _integrate(session: Session, record: InvoiceImport, item: InvoiceImportFile) -> None:
    name = files.safe_name(item.file_name)
    if name is None:
        _fail(item, files.EXTRACTION, files.Refusal("UnsafeEntry", "The file name names a path."))
        return
    order_id = record.order_id or files.order_id_of(name)
    if order_id is None:
        _fail(
            item,
            files.ORDER_CHECK,
            files.Refusal("InvalidFileName", "Name each file by its order id, e.g. 2611231907THLDJ.pdf."),
        )
        return
    item.order_id = order_id
    order = session.get(Order, order_id)
    if order is None or order.seller_id != record.seller_id:
        _fail(item, files.ORDER_CHECK, files.Refusal("OrderNotFound", f"Order {order_id} does not exist."))
        return
    if order.status not in INVOICEABLE:
        _fail(
            item,
            files.ORDER_CHECK,
            files.Refusal(
                "OrderNotInvoiceable", f"The order is {order.status}: there is no sale to invoice."
            ),
        )
        return
    kind = files.kind_of(name, item.content_type)
    data = item.data or b""
    refusal = files.check(kind, data)
    if refusal is not None:
        _fail(item, files.FILE_CHECK, refusal)
        return
    assert kind is not None
    session.execute(delete(InvoiceDocument).where(InvoiceDocument.order_id == order_id))
    document = InvoiceDocument(
        id=ids.new_uuid(),
        order_id=order_id,
        seller_id=record.seller_id,
        import_id=record.id,
        file_name=name,
        format=kind,
        content_type=files.CONTENT_TYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        created_at=clock.now(),
    )
    session.add(document)
    session.flush()
    item.status = SUCCESS
    item.integration_status = files.INTEGRATED
    item.document_id = document.id


# --- reading --------------------------------------------------------------------------------------


def get_import(session: Session, seller_id: str, import_id: str) -> InvoiceImport:
    record = session.get(InvoiceImport, import_id)
    if record is None or record.seller_id != seller_id:
        raise NotFound(f"Invoice import {import_id} does not exist.")
    return record


def list_imports(
    session: Session, seller_id: str, *, limit: int, cursor: str | None
) -> CursorPage[InvoiceImport]:
    """Newest first."""
    return cursor_page(
        session,
        select(InvoiceImport).where(InvoiceImport.seller_id == seller_id),
        keys=[SortKey(InvoiceImport.created_at, descending=True), SortKey(InvoiceImport.id, descending=True)],
        key_of=lambda r: [r.created_at, r.id],
        limit=limit,
        cursor=cursor,
    )


def _counts(session: Session, import_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for import_id, status in session.execute(
        select(InvoiceImportFile.import_id, InvoiceImportFile.status).where(
            InvoiceImportFile.import_id.in_(import_ids)
        )
    ):
        counts[import_id][status] += 1
    return counts


def summaries(session: Session, records: Sequence[InvoiceImport]) -> list[InvoiceImportSummaryOut]:
    counts = _counts(session, [r.id for r in records])
    return [
        InvoiceImportSummaryOut(
            import_id=r.id,
            status=r.status,
            order_id=r.order_id,
            created_at=clock.iso_z(r.created_at) or "",
            updated_at=clock.iso_z(r.updated_at) or "",
            file_count=sum(counts[r.id].values()),
            success_count=counts[r.id][SUCCESS],
            failure_count=counts[r.id][FAILURE],
        )
        for r in records
    ]


def report(session: Session, record: InvoiceImport) -> InvoiceImportOut:
    """The import with its per-file results."""
    summary = summaries(session, [record])[0]
    return InvoiceImportOut(
        **msgspec.structs.asdict(summary),
        files=[
            InvoiceFileOut(
                file_name=item.file_name,
                order_id=item.order_id,
                status=item.status,
                integration_status=item.integration_status,
                error_code=item.error_code,
                error_message=item.error_message,
                document_id=item.document_id,
            )
            for item in _import_files(session, record.id)
        ],
    )


def order_documents(session: Session, seller_id: str, order_id: str) -> list[InvoiceDocumentOut]:
    order = queries.get_order(session, seller_id, order_id)
    found = session.scalars(select(InvoiceDocument).where(InvoiceDocument.order_id == order.id))
    return [
        InvoiceDocumentOut(
            document_id=doc.id,
            order_id=doc.order_id,
            file_name=doc.file_name,
            format=doc.format,
            content_type=doc.content_type,
            size=doc.size,
            sha256=doc.sha256,
            import_id=doc.import_id,
            created_at=clock.iso_z(doc.created_at) or "",
        )
        for doc in found
    ]


def document_file(session: Session, seller_id: str, order_id: str, document_id: str) -> InvoiceDocument:
    order = queries.get_order(session, seller_id, order_id)
    doc = session.get(InvoiceDocument, document_id)
    if doc is None or doc.order_id != order.id:
        raise NotFound(
            f"Invoice document {document_id} does not exist (a newer upload replaces the previous)."
        )
    return doc
