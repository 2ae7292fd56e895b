"""Cancellations, commercial gestures and order invoices on the seller API (spec 12.8 to 12.13), and the
marketplace's side of them on the operator API."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from anyio import to_thread
from litestar import Request, Response, get, post, put
from litestar.datastructures import UploadFile
from litestar.params import Parameter
from sqlalchemy.orm import Session

from comptoir.api.deps import SellerContext, app_db
from comptoir.api.pagination import Cursor, PageIndex, PageSize, cursor_links, envelope, index_links
from comptoir.api.problems import problem
from comptoir.db.pagination import check_limit, check_page_params
from comptoir.errors import UnsupportedMediaType
from comptoir.orders import cancellations, gestures, invoices
from comptoir.orders import invoice_files as files
from comptoir.orders import request_schemas as s
from comptoir.platform.params import csv_values, timestamp

T = TypeVar("T")
Q = Parameter
CANCEL_TAGS, GESTURE_TAGS, INVOICE_TAGS = ["order cancellations"], ["commercial gestures"], ["order invoices"]
MAX_GESTURES_LIMIT = 1000
MAX_IMPORTS_LIMIT = 100


# --- cancellations --------------------------------------------------------------------------------


@get("/cancellation-reasons", sync_to_thread=True, tags=CANCEL_TAGS)
def cancellation_reasons(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    sales_channel: Annotated[str | None, Q(query="salesChannel")] = None,
    sales_channel_id: Annotated[str | None, Q(query="salesChannelId")] = None,
    user_type: Annotated[str | None, Q(query="userType")] = None,
    order_status: Annotated[str | None, Q(query="orderStatus")] = None,
) -> dict[str, Any]:
    """Reason codes valid for a channel, a requester type (Seller, Customer, CustomerService) and an order
    status; fewer once the order is approved, then shipped. Every parameter is required."""
    with app_db(request).read() as session:
        items = cancellations.reasons(session, sales_channel or sales_channel_id, user_type, order_status)
    return envelope(items)


@post("/order-cancellation-requests", sync_to_thread=True, tags=CANCEL_TAGS, status_code=201)
def cancel_order(
    request: Request[Any, Any, Any], seller: SellerContext, data: s.CancellationIn
) -> s.CancellationRequestOut:
    """The whole order. Its lines are CancelRequest at once, then Cancelled by the marketplace (a job)."""
    with app_db(request).transaction() as session:
        created = cancellations.request_whole(session, seller.seller_id, data)
        return cancellations.documents(session, [created])[0]


@post("/order-partial-cancellation-requests", sync_to_thread=True, tags=CANCEL_TAGS, status_code=201)
def cancel_lines(
    request: Request[Any, Any, Any], seller: SellerContext, data: s.PartialCancellationIn
) -> s.CancellationRequestOut:
    """Some lines, each with its offerId and reason; channels that manage orders by line only."""
    with app_db(request).transaction() as session:
        created = cancellations.request_lines(session, seller.seller_id, data)
        return cancellations.documents(session, [created])[0]


@get("/order-cancellation-requests", sync_to_thread=True, tags=CANCEL_TAGS)
def list_cancellation_requests(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    order_seller_id: Annotated[str | None, Q(query="orderSellerId")] = None,
    order_id: Annotated[str | None, Q(query="orderId")] = None,
    cancellation_request_id: Annotated[str | None, Q(query="cancellationRequestId")] = None,
    line_id: Annotated[str | None, Q(query="lineId")] = None,
    offer_id: Annotated[str | None, Q(query="offerId")] = None,
    sales_channel: Annotated[str | None, Q(query="salesChannel")] = None,
    page_index: PageIndex = 1,
    page_size: PageSize = 50,
) -> Response[Any]:
    """orderSellerId or cancellationRequestId is required; newest first."""
    check_page_params(page_index, page_size)
    with app_db(request).read() as session:
        page = cancellations.list_requests(
            session,
            seller.seller_id,
            order_id=order_seller_id or order_id,
            request_id=cancellation_request_id,
            line_id=line_id,
            offer_id=offer_id,
            channel_id=sales_channel,
            page_index=page_index,
            page_size=page_size,
        )
        items = cancellations.documents(session, page.items)
    return Response(content=envelope(items), headers=index_links(request, page))


# --- commercial gestures --------------------------------------------------------------------------


@get(
    "/sales-channel-commercial-gesture-configurations/{channel_id:str}",
    sync_to_thread=True,
    tags=GESTURE_TAGS,
)
def gesture_configuration(
    request: Request[Any, Any, Any], seller: SellerContext, channel_id: str
) -> s.GestureConfigurationOut:
    """Whether the channel allows gestures (`allowsGesture`), its maximum rate (percent of the order
    amount), maximum amount and currency."""
    with app_db(request).read() as session:
        return gestures.configuration(session, channel_id)


@get("/orders/{order_id:str}/commercial-gestures-available-amounts", sync_to_thread=True, tags=GESTURE_TAGS)
def gesture_available_amounts(
    request: Request[Any, Any, Any], seller: SellerContext, order_id: str
) -> s.AvailableAmountsOut:
    """`allowableAmount`: what gestures may still add up to, on the order amount without its cancelled
    lines, after the gestures granted or in progress."""
    with app_db(request).read() as session:
        return gestures.available(session, seller.seller_id, order_id)


@post("/order-commercial-gesture-requests", sync_to_thread=True, tags=GESTURE_TAGS, status_code=201)
def request_gesture(
    request: Request[Any, Any, Any], seller: SellerContext, data: s.GestureIn
) -> s.GestureRequestOut:
    """Checked at once, then granted (`Done`) or `Rejected` with `errors[]` by the marketplace."""
    with app_db(request).transaction() as session:
        return gestures.document(gestures.request_gesture(session, seller.seller_id, data))


@get("/order-commercial-gesture-requests", sync_to_thread=True, tags=GESTURE_TAGS)
def list_gesture_requests(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    order_id: Annotated[str | None, Q(query="orderId")] = None,
    statuses: Annotated[list[str] | None, Q(query="status")] = None,
    created_at_min: Annotated[str | None, Q(query="createdAtMin")] = None,
    created_at_max: Annotated[str | None, Q(query="createdAtMax")] = None,
    updated_at_min: Annotated[str | None, Q(query="updatedAtMin")] = None,
    updated_at_max: Annotated[str | None, Q(query="updatedAtMax")] = None,
    limit: Annotated[int, Q(query="limit")] = 100,
    cursor: Cursor = None,
) -> Response[Any]:
    """Latest update first; cursor pagination (`Link` headers), `limit` up to 1000."""
    check_limit(limit, max_limit=MAX_GESTURES_LIMIT)
    with app_db(request).read() as session:
        page = gestures.list_requests(
            session,
            seller.seller_id,
            order_id=order_id,
            statuses=csv_values(statuses),
            created=(timestamp("createdAtMin", created_at_min), timestamp("createdAtMax", created_at_max)),
            updated=(timestamp("updatedAtMin", updated_at_min), timestamp("updatedAtMax", updated_at_max)),
            limit=limit,
            cursor=cursor,
        )
    items = [gestures.document(r) for r in page.items]
    return Response(content=envelope(items), headers=cursor_links(request, page, limit))


@get("/order-commercial-gesture-requests/{request_id:str}", sync_to_thread=True, tags=GESTURE_TAGS)
def get_gesture_request(
    request: Request[Any, Any, Any], seller: SellerContext, request_id: str
) -> s.GestureRequestOut:
    with app_db(request).read() as session:
        return gestures.document(gestures.get_request(session, seller.seller_id, request_id))


# --- order invoices -------------------------------------------------------------------------------


def _too_large(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    limit = request.route_handler.resolve_request_max_body_size() or 0
    return problem(request, 413, f"An upload is at most {limit // files.MB} MB; send fewer or smaller files.")


async def _uploads(request: Request[Any, Any, Any]) -> list[invoices.Upload]:
    """Every file part of a multipart body, whatever its field name (`file`, `files`, ...)."""
    media_type, _ = request.content_type
    if media_type != "multipart/form-data":
        raise UnsupportedMediaType("Send the files as multipart/form-data.")
    form = await request.form()
    uploads = []
    for _, value in form.multi_items():
        if isinstance(value, UploadFile):
            uploads.append(invoices.Upload(value.filename, value.content_type, await value.read()))
            await value.close()
    return uploads


async def _in_transaction(request: Request[Any, Any, Any], fn: Callable[[Session], T]) -> T:
    def run() -> T:
        with app_db(request).transaction() as session:
            return fn(session)

    return await to_thread.run_sync(run)


# Litestar's own refusal of a body over the route's limit, reworded.
TOO_LARGE: dict[int | type[Exception], Any] = {413: _too_large}


@post(
    "/orders/{order_id:str}/invoice-documents",
    tags=INVOICE_TAGS,
    status_code=201,
    request_max_body_size=files.MAX_FILE_BYTES + files.MB,
    exception_handlers=TOO_LARGE,
)
async def upload_order_invoice(
    request: Request[Any, Any, Any], seller: SellerContext, order_id: str
) -> s.InvoiceImportOut:
    """One PDF or UBL 2.1 XML file (multipart). 201 with the import report, `Running`; a newer invoice
    replaces the order's previous one."""
    uploads = await _uploads(request)

    def create(session: Session) -> s.InvoiceImportOut:
        return invoices.report(
            session, invoices.upload_for_order(session, seller.seller_id, order_id, uploads)
        )

    return await _in_transaction(request, create)


@get("/orders/{order_id:str}/invoice-documents", sync_to_thread=True, tags=INVOICE_TAGS)
def list_order_invoices(
    request: Request[Any, Any, Any], seller: SellerContext, order_id: str
) -> dict[str, Any]:
    """The order's invoice (at most one: the latest upload)."""
    with app_db(request).read() as session:
        return envelope(invoices.order_documents(session, seller.seller_id, order_id))


@get("/orders/{order_id:str}/invoice-documents/{document_id:str}", sync_to_thread=True, tags=INVOICE_TAGS)
def download_order_invoice(
    request: Request[Any, Any, Any], seller: SellerContext, order_id: str, document_id: str
) -> Response[bytes]:
    with app_db(request).read() as session:
        doc = invoices.document_file(session, seller.seller_id, order_id, document_id)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", doc.file_name)  # nothing that could break the header
    return Response(
        content=doc.data,
        media_type=doc.content_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@post(
    "/order-invoice-imports",
    tags=INVOICE_TAGS,
    status_code=201,
    request_max_body_size=files.MAX_UPLOAD_BYTES + files.MB,
    exception_handlers=TOO_LARGE,
)
async def import_invoices(request: Request[Any, Any, Any], seller: SellerContext) -> s.InvoiceImportOut:
    """Many files, or ZIP archives of them (multipart), each named by its order id (2611231907THLDJ.pdf).
    201 with the import report, `Running`."""
    uploads = await _uploads(request)

    def create(session: Session) -> s.InvoiceImportOut:
        return invoices.report(session, invoices.upload_bulk(session, seller.seller_id, uploads))

    return await _in_transaction(request, create)


@get("/order-invoice-imports", sync_to_thread=True, tags=INVOICE_TAGS)
def list_invoice_imports(
    request: Request[Any, Any, Any],
    seller: SellerContext,
    limit: Annotated[int | None, Q(query="limit")] = None,
    page_size: Annotated[int | None, Q(query="pageSize")] = None,
    cursor: Cursor = None,
) -> Response[Any]:
    """Newest first; cursor pagination, page size as `limit` or `pageSize` (up to 100)."""
    size = limit or page_size or 50
    check_limit(size, max_limit=MAX_IMPORTS_LIMIT)
    with app_db(request).read() as session:
        page = invoices.list_imports(session, seller.seller_id, limit=size, cursor=cursor)
        items = invoices.summaries(session, page.items)
    return Response(content=envelope(items), headers=cursor_links(request, page, size))


@get("/order-invoice-imports/{import_id:str}", sync_to_thread=True, tags=INVOICE_TAGS)
def get_invoice_import(
    request: Request[Any, Any, Any], seller: SellerContext, import_id: str
) -> s.InvoiceImportOut:
    with app_db(request).read() as session:
        return invoices.report(session, invoices.get_import(session, seller.seller_id, import_id))


seller_routes = [
    cancellation_reasons,
    cancel_order,
    cancel_lines,
    list_cancellation_requests,
    gesture_configuration,
    gesture_available_amounts,
    request_gesture,
    list_gesture_requests,
    get_gesture_request,
    upload_order_invoice,
    list_order_invoices,
    download_order_invoice,
    import_invoices,
    list_invoice_imports,
    get_invoice_import,
]

# --- operator -------------------------------------------------------------------------------------

OP_TAGS = ["operator: orders"]


@post(
    "/orders/{order_id:str}/customer-cancellation-requests",
    sync_to_thread=True,
    tags=OP_TAGS,
    status_code=201,
)
def op_customer_cancellation(
    request: Request[Any, Any, Any], order_id: str, data: s.CustomerCancellationIn
) -> s.CancellationRequestOut:
    """The customer asks to cancel the order (or `lineIds`): the lines go CancelRequest until the
    marketplace grants or refuses the request. On Cdiscount the seller may still ship them."""
    with app_db(request).transaction() as session:
        created = cancellations.request_by_customer(session, order_id, data)
        return cancellations.documents(session, [created])[0]


@post("/cancellation-requests/{request_id:str}/decision", sync_to_thread=True, tags=OP_TAGS, status_code=200)
def op_decide_cancellation(
    request: Request[Any, Any, Any], request_id: str, data: s.CancellationDecisionIn
) -> s.CancellationRequestOut:
    """`Accepted` cancels the lines still to cancel (a line shipped meanwhile is refused); `Refused` gives
    the lines back their status."""
    with app_db(request).transaction() as session:
        settled = cancellations.decide(session, request_id, data.decision, data.message)
        return cancellations.documents(session, [settled])[0]


@get("/channels/{channel_id:str}/commercial-gesture-configuration", sync_to_thread=True, tags=OP_TAGS)
def op_gesture_configuration(request: Request[Any, Any, Any], channel_id: str) -> s.GestureConfigurationOut:
    with app_db(request).read() as session:
        return gestures.configuration(session, channel_id)


@put("/channels/{channel_id:str}/commercial-gesture-configuration", sync_to_thread=True, tags=OP_TAGS)
def op_set_gesture_configuration(
    request: Request[Any, Any, Any], channel_id: str, data: s.GestureConfigurationIn
) -> s.GestureConfigurationOut:
    """Replaces the channel's gesture limits; `manualReview` keeps valid requests for the back office."""
    with app_db(request).transaction() as session:
        return gestures.set_configuration(session, channel_id, data)


@post(
    "/commercial-gesture-requests/{request_id:str}/decision",
    sync_to_thread=True,
    tags=OP_TAGS,
    status_code=200,
)
def op_decide_gesture(
    request: Request[Any, Any, Any], request_id: str, data: s.GestureDecisionIn
) -> s.GestureRequestOut:
    """Settles a request in progress: `Done` (the rules still apply) or `Rejected`."""
    with app_db(request).transaction() as session:
        return gestures.document(gestures.decide(session, request_id, data.decision, data.message))


operator_routes = [
    op_customer_cancellation,
    op_decide_cancellation,
    op_gesture_configuration,
    op_set_gesture_configuration,
    op_decide_gesture,
]
