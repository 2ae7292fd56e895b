"""Messages (spec 13.6, 13.7): the seller's replies, the customer's and customer service's messages
(operator API), their attachments, and read marks."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy.orm import Session

from comptoir import clock, ids
from comptoir.discussions import domain as d
from comptoir.discussions import files, states
from comptoir.discussions.documents import eligible
from comptoir.discussions.models import Attachment, Discussion, Message
from comptoir.discussions.schemas import AttachmentIn, BuyerMessageIn, MessageIn, ReceiverIn
from comptoir.errors import Conflict, NotFound, ValidationFailed


def uploads_of(items: Sequence[AttachmentIn] | None, field: str = "attachments") -> list[files.Upload]:
    """Files sent in JSON, decoded; their limits are checked with the message."""
    return [
        files.from_base64(i, a.file_name or a.name, a.content or a.data, field)
        for i, a in enumerate(items or ())
    ]


def asked_receivers(
    receiver: str | None, receivers: Sequence[ReceiverIn] | None, prefix: str = ""
) -> list[d.Asked]:
    """Both shapes clients send: `receivers: [{userType, userId}]` or one `receiver` user type."""
    if receivers:
        return [d.Asked(f"{prefix}receivers[{i}]", r.user_type, r.user_id) for i, r in enumerate(receivers)]
    return [d.Asked(f"{prefix}receiver", receiver)] if receiver else []


def add(
    session: Session,
    discussion: Discussion,
    *,
    sender: d.User,
    receivers: Sequence[d.User],
    body: str,
    uploads: Sequence[files.Upload],
    field: str = "attachments",
) -> Message:
    """Stores a message and its files, and lets it move the discussion (process status, unread count,
    escalation clock)."""
    files.check(uploads, field)
    now = clock.now()
    message = Message(
        id=ids.new_uuid(),
        discussion_id=discussion.id,
        seller_id=discussion.seller_id,
        sender_type=sender.user_type,
        sender_id=sender.user_id,
        receivers=[{"userType": u.user_type, "userId": u.user_id} for u in receivers],
        body=body,
        has_read=False,
        attachment_count=len(uploads),
        created_at=now,
    )
    session.add(message)
    session.flush()  # before its files, which reference it
    session.add_all(
        Attachment(
            id=ids.new_uuid(),
            discussion_id=discussion.id,
            message_id=message.id,
            seller_id=discussion.seller_id,
            file_name=files.safe_name(upload.file_name),
            content_type=files.CONTENT_TYPES[files.extension(upload.file_name)],
            size=len(upload.data),
            sha256=hashlib.sha256(upload.data).hexdigest(),
            data=upload.data,
            created_at=now,
        )
        for upload in uploads
    )
    discussion.message_count += 1
    discussion.first_message_id = discussion.first_message_id or message.id
    discussion.last_message_id = message.id
    if sender.user_type != d.SELLER:
        discussion.unread_count += 1
    message.answered_in_time = states.after_message(session, discussion, sender.user_type, now)
    session.flush()
    return message


def reply(session: Session, seller_id: str, data: MessageIn, uploads: Sequence[files.Upload]) -> Message:
    """The seller answers, on an open discussion, to recipients the discussion allows."""
    discussion = states.locked(session, data.discussion_id, seller_id)
    d.check_open(states.state_of(discussion))
    if data.sales_channel and data.sales_channel != discussion.sales_channel_id:
        raise ValidationFailed.field(
            "salesChannel", f"The discussion is on sales channel {discussion.sales_channel_id}."
        )
    receivers = d.addressed(asked_receivers(data.receiver, data.receivers), eligible(session, discussion))
    return add(
        session,
        discussion,
        sender=d.User(d.SELLER, seller_id),
        receivers=receivers,
        body=data.body,
        uploads=uploads,
    )


def buyer(discussion: Discussion, user_type: str, user_id: str | None) -> d.User:
    """Who writes for the marketplace: the discussion's customer, or a customer service agent."""
    kind = d.buyer_type(user_type)
    if kind == d.CUSTOMER:
        if user_id and user_id != discussion.customer_id:
            raise ValidationFailed.field(
                "userId", f"The customer of this discussion is {discussion.customer_id}."
            )
        return d.User(d.CUSTOMER, discussion.customer_id)
    return d.User(d.CUSTOMER_SERVICE, user_id or d.CUSTOMER_SERVICE_ID)


def write_as_buyer(
    session: Session, discussion_id: str, data: BuyerMessageIn, uploads: Sequence[files.Upload]
) -> Message:
    discussion = states.locked(session, discussion_id)
    d.check_open(states.state_of(discussion))
    return add(
        session,
        discussion,
        sender=buyer(discussion, data.user_type, data.user_id),
        receivers=[d.User(d.SELLER, discussion.seller_id)],
        body=data.body,
        uploads=uploads,
    )


def mark_read(session: Session, message_id: str, has_read: bool, *, seller_id: str | None = None) -> Message:
    """Its receiver marks a message read (or unread again): the seller the customer's and customer
    service's messages (`seller_id` given), the marketplace the seller's."""
    message = session.get(Message, message_id)
    if message is None or (seller_id is not None and message.seller_id != seller_id):
        raise NotFound(f"Message {message_id} does not exist.")
    by_seller = seller_id is not None
    if (message.sender_type == d.SELLER) == by_seller:
        raise Conflict("Only a message's receivers mark it read.", code="NotAReceiver")
    # The discussion's lock orders concurrent marks, so that the unread count follows each of them.
    discussion = states.locked(session, message.discussion_id)
    session.refresh(message)
    if message.has_read == has_read:
        return message
    message.has_read = has_read
    if by_seller:
        discussion.unread_count += -1 if has_read else 1
        discussion.updated_at = clock.now()
    session.flush()
    return message
