"""Discussions on the seller API (spec 13): customers and customer service talk to sellers."""

from __future__ import annotations

from typing import Annotated, Any

from anyio import to_thread
from litestar import Request, Response, get, patch, post
from litestar.params import Parameter
from sqlalchemy.orm import Session

from comptoir.api.deps import SellerContext
from comptoir.api.pagination import Page, PageIndex, PageSize, index_links, page_of
from comptoir.api.responses import created
from comptoir.db import ReadSession
from comptoir.discussions import documents, intake, messaging, opening, queries, states, typologies
from comptoir.discussions import domain as d
from comptoir.discussions import schemas as s
from comptoir.discussions.models import Message
from comptoir.platform.params import timestamp

TAGS = ["discussions"]
# The route name attachment links are built from.
DOWNLOAD = "discussions.download_attachment"
Q = Parameter
Request_ = Request[Any, Any, Any]


def _link(request: Request_) -> documents.Link:
    return lambda attachment_id: request.url_for(DOWNLOAD, attachment_id=attachment_id)


def _message_out(session: Session, request: Request_, message: Message) -> s.MessageOut:
    return documents.messages_out(session, [message], _link(request))[0]


@get("/discussions", sync_to_thread=True, tags=TAGS)
def list_discussions(
    request: Request_,
    reader: ReadSession,
    seller: SellerContext,
    discussion_id: Annotated[str | None, Q(query="discussionId")] = None,
    order_seller_id: Annotated[str | None, Q(query="orderSellerId")] = None,
    sales_channel: Annotated[str | None, Q(query="salesChannel")] = None,
    is_open: Annotated[bool | None, Q(query="isOpen")] = None,
    process_status: Annotated[d.ProcessStatus | None, Q(query="processStatus")] = None,
    typology_code: Annotated[str | None, Q(query="typologyCode")] = None,
    sub_typology_code: Annotated[str | None, Q(query="subTypologyCode")] = None,
    updated_at_min: Annotated[str | None, Q(query="updatedAtMin")] = None,
    updated_at_max: Annotated[str | None, Q(query="updatedAtMax")] = None,
    include_messages: Annotated[d.IncludeMessages | None, Q(query="includeMessages")] = None,
    sort: Annotated[d.Sort, Q(query="sort")] = d.Sort.UPDATED,
    desc: Annotated[bool | None, Q(query="desc")] = None,
    page_index: PageIndex = 1,
    page_size: PageSize = 50,
) -> Response[Page[s.DiscussionOut]]:
    """Latest update first; `updatedAtMin`/`updatedAtMax` span six months at most (the last six
    without them). Items come without messages unless `includeMessages` asks for the first or last."""
    filters = queries.DiscussionFilter(
        discussion_id=discussion_id,
        order_id=order_seller_id,
        sales_channel_id=sales_channel,
        is_open=is_open,
        process_status=process_status,
        typology_code=typologies.typology(typology_code),
        sub_typology_code=sub_typology_code,
        updated_at_min=timestamp("updatedAtMin", updated_at_min),
        updated_at_max=timestamp("updatedAtMax", updated_at_max),
    )
    page = queries.list_discussions(
        reader,
        seller.seller_id,
        filters,
        sort=sort,
        desc=desc,
        page_index=page_index,
        page_size=page_size,
        include=include_messages,
    )
    items = documents.listed(reader, page.items, _link(request), include_messages is not None)
    return Response(page_of(items), headers=index_links(request, page))


@get("/discussions/count", sync_to_thread=True, tags=TAGS)
def count_discussions(
    reader: ReadSession,
    seller: SellerContext,
    sales_channel: Annotated[str | None, Q(query="salesChannel")] = None,
    graduation_code: Annotated[d.Graduation | None, Q(query="graduationCode")] = None,
    process_status: Annotated[d.ProcessStatus | None, Q(query="processStatus")] = None,
    is_open: Annotated[bool | None, Q(query="isOpen")] = None,
) -> int:
    """A bare integer; these four filters only, as documented."""
    filters = queries.DiscussionFilter(
        sales_channel_id=sales_channel,
        graduation=graduation_code,
        process_status=process_status,
        is_open=is_open,
    )
    return queries.count_discussions(reader, seller.seller_id, filters)


@post("/discussions", sync_to_thread=True, tags=TAGS, request_max_body_size=intake.MAX_BODY_BYTES)
def open_discussion(
    request: Request_, session: Session, seller: SellerContext, data: s.DiscussionIn
) -> Response[s.DiscussionCreated]:
    """On one of the seller's orders, with a sub-typology valid for the order's status (see
    `/typologies`); an open discussion on the same order and sub-typology is a 409 naming it."""
    discussion = opening.open_by_seller(session, seller.seller_id, data)
    body = s.DiscussionCreated(discussion_id=discussion.id, id=discussion.id)
    return created(request, f"/discussions/{discussion.id}", body)


@get("/discussions/{discussion_id:str}", sync_to_thread=True, tags=TAGS)
def get_discussion(
    request: Request_, reader: ReadSession, seller: SellerContext, discussion_id: str
) -> s.DiscussionOut:
    """Every message, and the recipients the seller's next reply may go to."""
    discussion = queries.get_discussion(reader, discussion_id, seller.seller_id)
    return documents.document(reader, discussion, _link(request))


@patch("/discussions/{discussion_id:str}", sync_to_thread=True, tags=TAGS)
def patch_discussion(
    request: Request_,
    session: Session,
    seller: SellerContext,
    discussion_id: str,
    data: list[s.PatchOp] | s.PatchOp,
) -> s.DiscussionOut:
    """`[{"op": "replace", "path": "/isOpen", "value": false}]` closes it, `true` reopens it."""
    is_open = d.patched_flag(intake.patch_ops(data), "isOpen")
    discussion = states.set_open(session, states.locked(session, discussion_id, seller.seller_id), is_open)
    return documents.document(session, discussion, _link(request))


@post("/messages", tags=TAGS, status_code=201, request_max_body_size=intake.MAX_BODY_BYTES)
async def post_message(request: Request_, session: Session, seller: SellerContext) -> Response[s.MessageOut]:
    """A reply on an open discussion, to `receivers: [{userId, userType}]` or one `receiver`. Up to 3
    attachments, 4 MB in all (png, gif, bmp, jpg, jpeg, tif, pdf, doc, docx, xls, their content matching
    their extension), as multipart/form-data file parts or in JSON as `attachments: [{fileName,
    content}]` with base64 content."""
    data, uploads = await intake.message_request(request, s.MessageIn)

    def reply() -> s.MessageOut:
        return _message_out(session, request, messaging.reply(session, seller.seller_id, data, uploads))

    message = await to_thread.run_sync(reply)
    # A message is read within its discussion; `/messages/{id}` names it, where it is changed (PATCH).
    return created(request, f"/messages/{message.message_id}", message)


@patch("/messages/{message_id:str}", sync_to_thread=True, tags=TAGS)
def patch_message(
    request: Request_,
    session: Session,
    seller: SellerContext,
    message_id: str,
    data: list[s.PatchOp] | s.PatchOp,
) -> s.MessageOut:
    """`[{"op": "replace", "path": "/hasRead", "value": true}]` on a message the seller received."""
    has_read = d.patched_flag(intake.patch_ops(data), "hasRead")
    message = messaging.mark_read(session, message_id, has_read, seller_id=seller.seller_id)
    return _message_out(session, request, message)


@get("/attachments", sync_to_thread=True, tags=TAGS)
def list_attachments(
    request: Request_,
    reader: ReadSession,
    seller: SellerContext,
    discussion_id: Annotated[str | None, Q(query="discussionId")] = None,
    message_id: Annotated[str | None, Q(query="messageId")] = None,
    page_index: PageIndex = 1,
    page_size: PageSize = 50,
) -> Response[Page[s.AttachmentOut]]:
    """The files of a discussion (`discussionId`) or of one message (`messageId`); each `url` downloads
    with the same Bearer token and SellerId header."""
    page = queries.list_attachments(
        reader,
        seller.seller_id,
        discussion_id=discussion_id,
        message_id=message_id,
        page_index=page_index,
        page_size=page_size,
    )
    items = [documents.attachment_out(row, _link(request)) for row in page.items]
    return Response(page_of(items), headers=index_links(request, page))


@get("/attachments/{attachment_id:str}", sync_to_thread=True, tags=TAGS, name=DOWNLOAD)
def download_attachment(reader: ReadSession, seller: SellerContext, attachment_id: str) -> Response[bytes]:
    return intake.download(queries.attachment(reader, attachment_id, seller.seller_id))


@get("/typologies", sync_to_thread=True, tags=TAGS)
def list_typologies(
    reader: ReadSession,
    sales_channel: Annotated[str | None, Q(query="salesChannel")] = None,
    order_status: Annotated[str | None, Q(query="orderStatus")] = None,
    typology_code: Annotated[str | None, Q(query="typologyCode")] = None,
    user_type: Annotated[str | None, Q(query="userType")] = None,
) -> Page[s.TypologyOut]:
    """The sub-typologies a user type (`Seller` by default, `Customer`, `GrcOperator`) may open a
    discussion with on a channel, for an order in `orderStatus` (every status without it); typologies
    `Order` and `Product`."""
    return page_of(
        queries.typology_list(
            reader,
            sales_channel=sales_channel,
            order_status=order_status,
            typology_code=typology_code,
            user_type=user_type,
        )
    )


@get("/sales-channel-configurations/{sales_channel_id:str}", sync_to_thread=True, tags=TAGS)
def channel_configuration(reader: ReadSession, sales_channel_id: str) -> s.ChannelConfigurationOut:
    """The channel's discussion configuration: its escalation delay, the graduations, the search
    window, text and attachment limits, and who may open which sub-typology in which order statuses."""
    return queries.channel_configuration(reader, sales_channel_id)


seller_routes = [
    list_discussions,
    count_discussions,
    open_discussion,
    get_discussion,
    patch_discussion,
    post_message,
    patch_message,
    list_attachments,
    download_attachment,
    list_typologies,
    channel_configuration,
]
