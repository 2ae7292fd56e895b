"""The marketplace's side of discussions on the operator API: a customer, or customer service, opens
a discussion on an order or a product, writes with attachments, escalates and closes."""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar import Request, Response, get, patch, post
from sqlalchemy.orm import Session

from comptoir.api.responses import created
from comptoir.db import ReadSession
from comptoir.discussions import documents, intake, messaging, opening, queries, states
from comptoir.discussions import domain as d
from comptoir.discussions import schemas as s

TAGS = ["operator: discussions"]
DOWNLOAD = "discussions.operator_download_attachment"
Request_ = Request[Any, Any, Any]


def _link(request: Request_) -> documents.Link:
    return lambda attachment_id: request.url_for(DOWNLOAD, attachment_id=attachment_id)


@post("/discussions", sync_to_thread=True, tags=TAGS, request_max_body_size=intake.MAX_BODY_BYTES)
def op_open_discussion(
    request: Request_, session: Session, data: s.BuyerDiscussionIn
) -> Response[s.DiscussionOut]:
    """The customer (`userType` Customer, the default) or customer service (`GrcOperator`) writes first:
    on an order (`orderId`), or about a product before buying (`sellerId`, `salesChannel`,
    `productId`, and the customer's `userId`). Files in JSON, base64."""
    document = documents.document(session, opening.open_by_buyer(session, data), _link(request))
    return created(request, f"/discussions/{document.discussion_id}", document)


@get("/discussions/{discussion_id:str}", sync_to_thread=True, tags=TAGS)
def op_get_discussion(request: Request_, reader: ReadSession, discussion_id: str) -> s.DiscussionOut:
    return documents.document(reader, queries.get_discussion(reader, discussion_id), _link(request))


@post(
    "/discussions/{discussion_id:str}/messages",
    tags=TAGS,
    status_code=201,
    request_max_body_size=intake.MAX_BODY_BYTES,
)
async def op_write(request: Request_, session: Session, discussion_id: str) -> Response[s.MessageOut]:
    """The customer or customer service writes to the seller, with the seller API's attachment rules
    (multipart file parts, or JSON base64)."""
    data, uploads = await intake.message_request(request, s.BuyerMessageIn)

    def write() -> s.MessageOut:
        message = messaging.write_as_buyer(session, discussion_id, data, uploads)
        return documents.messages_out(session, [message], _link(request))[0]

    message = await to_thread.run_sync(write)
    return created(request, f"/messages/{message.message_id}", message)


@post("/discussions/{discussion_id:str}/escalation", sync_to_thread=True, tags=TAGS, status_code=200)
def op_escalate(
    request: Request_, session: Session, discussion_id: str, data: s.EscalationIn
) -> s.DiscussionOut:
    """One level up (`Discussion`, `Claim`, `Level_1`), or to `graduation`; the seller then has it to
    treat, within the channel's delay again."""
    discussion = states.escalate(session, discussion_id, data.user_type, data.graduation)
    return documents.document(session, discussion, _link(request))


@post("/discussions/{discussion_id:str}/closure", sync_to_thread=True, tags=TAGS, status_code=200)
def op_close(request: Request_, session: Session, discussion_id: str, data: s.ClosureIn) -> s.DiscussionOut:
    d.buyer_type(data.user_type)
    discussion = states.set_open(session, states.locked(session, discussion_id), False)
    return documents.document(session, discussion, _link(request))


@patch("/messages/{message_id:str}", sync_to_thread=True, tags=TAGS)
def op_patch_message(
    request: Request_, session: Session, message_id: str, data: list[s.PatchOp] | s.PatchOp
) -> s.MessageOut:
    """The customer or customer service read a seller's message: `/hasRead`, as on the seller API."""
    message = messaging.mark_read(session, message_id, d.patched_flag(intake.patch_ops(data), "hasRead"))
    return documents.messages_out(session, [message], _link(request))[0]


@get("/attachments/{attachment_id:str}", sync_to_thread=True, tags=TAGS, name=DOWNLOAD)
def op_download_attachment(reader: ReadSession, attachment_id: str) -> Response[bytes]:
    return intake.download(queries.attachment(reader, attachment_id))


operator_routes = [
    op_open_discussion,
    op_get_discussion,
    op_write,
    op_escalate,
    op_close,
    op_patch_message,
    op_download_attachment,
]
