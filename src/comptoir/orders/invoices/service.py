"""Order invoices (spec 12.13): sellers attach the invoices they produced to their orders.

An upload is answered at once with an import report (`Running`); a job then takes each file through the
documented steps (archive opened, order checked, file checked) and stores it as the order's invoice,
replacing the previous one. Files live in the database, so that any worker host can process them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, defer

from comptoir import clock, ids
from comptoir.db.pagination import CursorPage, SortKey, cursor_page
from comptoir.errors import NotFound
from comptoir.jobs import Subject, enqueue
from comptoir.orders import queries
from comptoir.orders.invoices import domain as rules
from comptoir.orders.invoices.models import InvoiceDocument, InvoiceImport, InvoiceImportFile
from comptoir.orders.invoices.schemas import (
    InvoiceDocumentOut,
    InvoiceFileOut,
    InvoiceImportOut,
    InvoiceImportSummaryOut,
)
from comptoir.orders.models import Order

IMPORT_JOB = "orders.import_invoices"
# The sandbox progress controls' name for imports (`/sandbox/v1/progress/invoice-imports/{importId}`).
PROGRESS_KIND = "invoice-imports"


def upload_for_order(
    session: Session, seller_id: str, order_id: str, uploads: Sequence[rules.Upload]
) -> InvoiceImportOut:
    """One PDF or UBL XML file for one order."""
    order = queries.get_order(session, seller_id, order_id)
    rules.check_order_upload(uploads)
    return report(session, _create(session, seller_id, order.id, uploads))


def upload_bulk(session: Session, seller_id: str, uploads: Sequence[rules.Upload]) -> InvoiceImportOut:
    """Many files, or ZIP archives of them, each named by its order id."""
    rules.check_bulk_upload(uploads)
    return report(session, _create(session, seller_id, None, uploads))


def _create(
    session: Session, seller_id: str, order_id: str | None, uploads: Sequence[rules.Upload]
) -> InvoiceImport:
    now = clock.now()
    record = InvoiceImport(
        id=ids.new_uuid(),
        seller_id=seller_id,
        order_id=order_id,
        status=rules.RUNNING,
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
            status=rules.RUNNING,
            integration_status=rules.RECEIVED,
        )
        for position, upload in enumerate(uploads)
    )
    session.flush()
    enqueue(
        session, IMPORT_JOB, {"import_id": record.id}, subject=Subject(PROGRESS_KIND, record.id, seller_id)
    )
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
    if record is None or record.status != rules.RUNNING:
        return
    for item in _import_files(session, import_id):
        if rules.kind_of(item.file_name, item.content_type) == rules.ZIP:
            _expand(session, item)
    for item in _import_files(session, import_id):
        if item.status == rules.RUNNING:
            _integrate(session, record, item)
        item.data = None  # stored as the order's invoice, or refused: the copy is no longer needed
    record.status = rules.import_status(item.status for item in _import_files(session, import_id))
    record.updated_at = clock.now()


def refuse(session: Session, import_id: str, code: str | None, message: str | None) -> None:
    """Ends a running import in Failure, each of its files refused unread with the code and message
    chosen (sandbox policy `fail`), or the platform's usual refusal."""
    record = session.get(InvoiceImport, import_id, with_for_update=True)
    if record is None or record.status != rules.RUNNING:
        return
    refusal = rules.Refusal(code or rules.IMPORT_REFUSED.code, message or rules.IMPORT_REFUSED.message)
    for item in _import_files(session, import_id):
        _fail(item, rules.RECEIVED, refusal)
        item.data = None
    record.status, record.updated_at = rules.FAILURE, clock.now()


def _fail(item: InvoiceImportFile, step: str, refusal: rules.Refusal) -> None:
    item.status = rules.FAILURE
    item.integration_status = step
    item.error_code = refusal.code[:50]
    item.error_message = refusal.message[:300]


def _expand(session: Session, item: InvoiceImportFile) -> None:
    """Replaces an archive by its entries; an archive that cannot be trusted fails as a whole."""
    try:
        entries = rules.open_zip(item.data or b"")
    except rules.ArchiveRefused as exc:
        _fail(item, rules.EXTRACTION, exc.refusal)
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
            status=rules.RUNNING,
            integration_status=rules.RECEIVED,
        )
        if entry.refusal is not None:
            _fail(child, rules.EXTRACTION, entry.refusal)
        session.add(child)
    if not entries:
        _fail(item, rules.EXTRACTION, rules.Refusal("EmptyArchive", "The archive holds no file."))
        return
    session.delete(item)
    session.flush()


def _integrate(session: Session, record: InvoiceImport, item: InvoiceImportFile) -> None:
    name = rules.safe_name(item.file_name)
    if name is None:
        _fail(item, rules.EXTRACTION, rules.Refusal("UnsafeEntry", "The file name names a path."))
        return
    order_id = record.order_id or rules.order_id_of(name)
    if order_id is None:
        _fail(
            item,
            rules.ORDER_CHECK,
            rules.Refusal("InvalidFileName", "Name each file by its order id, e.g. 2611231907THLDJ.pdf."),
        )
        return
    item.order_id = order_id
    order = session.get(Order, order_id)
    status = order.status if order is not None and order.seller_id == record.seller_id else None
    refusal = rules.order_refusal(order_id, status)
    if refusal is not None:
        _fail(item, rules.ORDER_CHECK, refusal)
        return
    kind = rules.kind_of(name, item.content_type)
    data = item.data or b""
    refusal = rules.check(kind, data)
    if refusal is not None:
        _fail(item, rules.FILE_CHECK, refusal)
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
        content_type=rules.CONTENT_TYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        created_at=clock.now(),
    )
    session.add(document)
    session.flush()
    item.status = rules.SUCCESS
    item.integration_status = rules.INTEGRATED
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
            success_count=counts[r.id][rules.SUCCESS],
            failure_count=counts[r.id][rules.FAILURE],
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
    found = session.scalars(
        select(InvoiceDocument)
        .where(InvoiceDocument.order_id == order.id)
        .options(defer(InvoiceDocument.data))
    )
    return [document_out(doc) for doc in found]


def seller_documents(
    session: Session, seller_id: str, *, order_id: str | None, limit: int, cursor: str | None
) -> CursorPage[InvoiceDocument]:
    """The invoices of every order of the seller (`GET /orders/invoices`), newest first."""
    stmt = select(InvoiceDocument).where(InvoiceDocument.seller_id == seller_id)
    if order_id:
        stmt = stmt.where(InvoiceDocument.order_id == order_id)
    return cursor_page(
        session,
        stmt.options(defer(InvoiceDocument.data)),  # the files are downloaded one by one
        keys=[
            SortKey(InvoiceDocument.created_at, descending=True),
            SortKey(InvoiceDocument.id, descending=True),
        ],
        key_of=lambda d: [d.created_at, d.id],
        limit=limit,
        cursor=cursor,
    )


def document_out(doc: InvoiceDocument) -> InvoiceDocumentOut:
    return InvoiceDocumentOut(
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


def document_file(session: Session, seller_id: str, order_id: str, document_id: str) -> InvoiceDocument:
    order = queries.get_order(session, seller_id, order_id)
    doc = session.get(InvoiceDocument, document_id)
    if doc is None or doc.order_id != order.id:
        raise NotFound(
            f"Invoice document {document_id} does not exist (a newer upload replaces the previous)."
        )
    return doc
