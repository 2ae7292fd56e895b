"""The discussion resource of spec 13.2 and 13.4: discussions with their messages and attachments,
rendered for many discussions with one query per table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.discussions import domain as d
from comptoir.discussions import schemas as s
from comptoir.discussions.models import Attachment, Discussion, Message


def _user(raw: dict[str, str]) -> s.UserOut:
    return s.UserOut(user_type=raw["userType"], user_id=raw["userId"])


# Where the API that answers serves an attachment's download, by attachment id.
Link = Callable[[str], str]


def attachment_out(row: Attachment, link: Link) -> s.AttachmentOut:
    return s.AttachmentOut(
        attachment_id=row.id,
        discussion_id=row.discussion_id,
        message_id=row.message_id,
        file_name=row.file_name,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        created_at=clock.iso_z(row.created_at) or "",
        url=link(row.id),
    )


def messages_out(session: Session, messages: Sequence[Message], link: Link) -> list[s.MessageOut]:
    with_files = [m.id for m in messages if m.attachment_count]
    files: dict[str, list[s.AttachmentOut]] = defaultdict(list)
    if with_files:
        for row in session.scalars(
            select(Attachment).where(Attachment.message_id.in_(with_files)).order_by(Attachment.created_at)
        ):
            files[row.message_id].append(attachment_out(row, link))
    return [
        s.MessageOut(
            message_id=m.id,
            discussion_id=m.discussion_id,
            body=m.body,
            sender=s.UserOut(user_type=m.sender_type, user_id=m.sender_id),
            receivers=[_user(r) for r in m.receivers],
            has_read=m.has_read,
            created_at=clock.iso_z(m.created_at) or "",
            attachments=files[m.id],
        )
        for m in messages
    ]


def service_ids(session: Session, discussion_id: str) -> list[str]:
    """The customer service agents who wrote in the discussion, the latest last."""
    rows = session.execute(
        select(Message.sender_id)
        .where(Message.discussion_id == discussion_id, Message.sender_type == d.CUSTOMER_SERVICE)
        .order_by(Message.created_at, Message.id)
    )
    return list(dict.fromkeys(r.sender_id for r in rows))


def eligible(session: Session, discussion: Discussion) -> list[d.User]:
    return d.recipients(discussion.customer_id, discussion.graduation, service_ids(session, discussion.id))


def documents(
    session: Session,
    discussions: Sequence[Discussion],
    link: Link,
    messages: Mapping[str, Sequence[Message]] | None = None,
) -> list[s.DiscussionOut]:
    """The discussions with, when `messages` is given, the messages each carries (by discussion id);
    without it, documents have no `messages` member (lists without `includeMessages`)."""
    grouped: dict[str, list[s.MessageOut]] = defaultdict(list)
    if messages is not None:
        shown = [m for carried in messages.values() for m in carried]
        for message in messages_out(session, shown, link):
            grouped[message.discussion_id].append(message)
    out = []
    for x in discussions:
        doc = s.DiscussionOut(
            discussion_id=x.id,
            subject=x.subject,
            sales_channel=x.sales_channel_id,
            order_seller_id=x.order_id,
            product_id=x.product_id,
            customer_id=x.customer_id,
            typology_code=x.typology_code,
            sub_typology_code=x.sub_typology_code,
            graduation=x.graduation,
            is_open=x.is_open,
            process_status=x.process_status,
            unread_message_count=x.unread_count,
            message_count=x.message_count,
            created_at=clock.iso_z(x.created_at) or "",
            updated_at=clock.iso_z(x.updated_at) or "",
            closed_at=clock.iso_z(x.closed_at),
            escalation_due_at=clock.iso_z(x.escalation_due_at),
        )
        if messages is not None:
            doc.messages = grouped[x.id]
        out.append(doc)
    return out


def listed(
    session: Session, rows: Sequence[tuple[Discussion, Message | None]], link: Link, with_messages: bool
) -> list[s.DiscussionOut]:
    """A page of discussions as `queries.list_discussions` reads it: each with the message it shows."""
    shown = {x.id: [m] if m else [] for x, m in rows} if with_messages else None
    return documents(session, [x for x, _ in rows], link, shown)


def document(session: Session, discussion: Discussion, link: Link) -> s.DiscussionOut:
    """The whole discussion: every message, and whom the seller's next reply may go to."""
    every = session.scalars(
        select(Message).where(Message.discussion_id == discussion.id).order_by(Message.created_at, Message.id)
    )
    doc = documents(session, [discussion], link, {discussion.id: list(every)})[0]
    doc.eligible_recipients = [
        s.UserOut(user_type=u.user_type, user_id=u.user_id) for u in eligible(session, discussion)
    ]
    return doc
