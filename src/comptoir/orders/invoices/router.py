"""Order invoices on the seller API (spec 12.13): one order's invoice, or bulk imports of many."""

from __future__ import annotations

import re
from typing import Annotated, Any

from anyio import to_thread
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import Parameter
from sqlalchemy.orm import Session

from comptoir.api.context import AppContext
from comptoir.api.deps import SellerContext
from comptoir.api.pagination import Cursor, Page, cursor_links, page_of
from comptoir.api.problems import problem
from comptoir.api.responses import created
from comptoir.db import ReadSession
from comptoir.errors import UnsupportedMediaType
from comptoir.jobs import polled
from comptoir.orders.invoices import domain as rules
from comptoir.orders.invoices import schemas as s
from comptoir.orders.invoices import service

TAGS = ["order invoices"]
# Clients give the page size of the import list as `limit` or as `pageSize`.
ImportsLimit = Annotated[
    int | None, Parameter(query="limit", ge=1, le=100, description="Items per page, 1 to 100 (default 50).")
]
ImportsPageSize = Annotated[
    int | None, Parameter(query="pageSize", ge=1, le=100, description="Another name for `limit`.")
]


def _too_large(request: Request[Any, Any, Any], _exc: Exception) -> Response[Any]:
    limit = request.route_handler.resolve_request_max_body_size() or 0
    return problem(request, 413, f"An upload is at most {limit // rules.MB} MB; send fewer or smaller files.")


# Litestar's own refusal of a body over the route's limit, reworded.
TOO_LARGE: dict[int | type[Exception], Any] = {413: _too_large}


async def _uploads(request: Request[Any, Any, Any]) -> list[rules.Upload]:
    """Every file part of a multipart body, whatever its field name (`file`, `files`, ...)."""
    media_type, _ = request.content_type
    if media_type != "multipart/form-data":
        raise UnsupportedMediaType("Send the files as multipart/form-data.")
    form = await request.form()
    uploads = []
    for _, value in form.multi_items():
        if isinstance(value, UploadFile):
            uploads.append(rules.Upload(value.filename, value.content_type, await value.read()))
            await value.close()
    return uploads


# The uploads are read on the event loop; the database work runs on a worker thread.
@post(
    "/orders/{order_id:str}/invoice-documents",
    tags=TAGS,
    status_code=201,
    request_max_body_size=rules.MAX_FILE_BYTES + rules.MB,
    exception_handlers=TOO_LARGE,
)
async def upload_order_invoice(
    request: Request[Any, Any, Any], session: Session, seller: SellerContext, order_id: str
) -> Response[s.InvoiceImportOut]:
    """One PDF or UBL 2.1 XML file (multipart). 201 with the import report, `Running`; a newer invoice
    replaces the order's previous one."""
    uploads = await _uploads(request)
    report = await to_thread.run_sync(service.upload_for_order, session, seller.seller_id, order_id, uploads)
    return _created(request, report)


@get("/orders/{order_id:str}/invoice-documents", sync_to_thread=True, tags=TAGS)
def list_order_invoices(
    reader: ReadSession, seller: SellerContext, order_id: str
) -> Page[s.InvoiceDocumentOut]:
    """The order's invoice (at most one: the latest upload)."""
    return page_of(service.order_documents(reader, seller.seller_id, order_id))


@get(
    "/orders/{order_id:str}/invoice-documents/{document_id:str}",
    sync_to_thread=True,
    tags=TAGS,
    opt={"produces": ("application/pdf", "application/xml")},
)
def download_order_invoice(
    reader: ReadSession, seller: SellerContext, order_id: str, document_id: str
) -> Response[bytes]:
    doc = service.document_file(reader, seller.seller_id, order_id, document_id)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", doc.file_name)  # nothing that could break the header
    return Response(
        content=doc.data,
        media_type=doc.content_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# Seed 002 points sellers at "the /orders/invoices API": the same bulk import, under that name.
@post(
    ["/order-invoice-imports", "/orders/invoices"],
    tags=TAGS,
    status_code=201,
    request_max_body_size=rules.MAX_UPLOAD_BYTES + rules.MB,
    exception_handlers=TOO_LARGE,
)
async def import_invoices(
    request: Request[Any, Any, Any], session: Session, seller: SellerContext
) -> Response[s.InvoiceImportOut]:
    """Many files, or ZIP archives of them (multipart), each named by its order id (2611231907THLDJ.pdf).
    201 with the import report, `Running`."""
    uploads = await _uploads(request)
    return _created(
        request, await to_thread.run_sync(service.upload_bulk, session, seller.seller_id, uploads)
    )


def _created(request: Request[Any, Any, Any], report: s.InvoiceImportOut) -> Response[s.InvoiceImportOut]:
    return created(request, f"/order-invoice-imports/{report.import_id}", report)


@get("/order-invoice-imports", sync_to_thread=True, tags=TAGS)
def list_invoice_imports(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    limit: ImportsLimit = None,
    page_size: ImportsPageSize = None,
    cursor: Cursor = None,
) -> Response[Page[s.InvoiceImportSummaryOut]]:
    """Newest first; cursor pagination (`Link` headers)."""
    size = limit or page_size or 50
    page = service.list_imports(reader, seller.seller_id, limit=size, cursor=cursor)
    return Response(page_of(service.summaries(reader, page.items)), headers=cursor_links(request, page, size))


@get("/orders/invoices", sync_to_thread=True, tags=TAGS)
def list_seller_invoices(
    request: Request[Any, Any, Any],
    reader: ReadSession,
    seller: SellerContext,
    order_id: Annotated[str | None, Parameter(query="orderId")] = None,
    limit: ImportsLimit = None,
    page_size: ImportsPageSize = None,
    cursor: Cursor = None,
) -> Response[Page[s.InvoiceDocumentOut]]:
    """The current invoice of each of the seller's orders, newest first (seed 002's "/orders/invoices
    API"); each downloads at `/orders/{orderId}/invoice-documents/{documentId}`."""
    size = limit or page_size or 50
    page = service.seller_documents(reader, seller.seller_id, order_id=order_id, limit=size, cursor=cursor)
    items = [service.document_out(doc) for doc in page.items]
    return Response(page_of(items), headers=cursor_links(request, page, size))


@get("/order-invoice-imports/{import_id:str}", sync_to_thread=True, tags=TAGS)
def get_invoice_import(
    context: AppContext, reader: ReadSession, seller: SellerContext, import_id: str
) -> s.InvoiceImportOut:
    polled(context.db, service.PROGRESS_KIND, import_id, seller.seller_id)
    return service.report(reader, service.get_import(reader, seller.seller_id, import_id))


seller_routes = [
    upload_order_invoice,
    list_order_invoices,
    download_order_invoice,
    import_invoices,
    list_invoice_imports,
    list_seller_invoices,
    get_invoice_import,
]
