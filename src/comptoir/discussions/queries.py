"""Reading discussions (spec 13.1, 13.2, 13.4, 13.8, 13.9): filters and counts, one discussion,
attachments, the sub-typologies of a context, and a channel's discussion configuration (spec 6.7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, null, select
from sqlalchemy.orm import Session, undefer

from comptoir import channels, clock, orders
from comptoir.db.pagination import IndexPage, index_page
from comptoir.discussions import domain as d
from comptoir.discussions import files, typologies
from comptoir.discussions import schemas as s
from comptoir.discussions.models import Attachment, Discussion, Message
from comptoir.errors import NotFound, ValidationFailed

SORT_COLUMNS = {"updatedAt": Discussion.updated_at, "createdAt": Discussion.created_at}


@dataclass(frozen=True)
class DiscussionFilter:
    discussion_id: str | None = None
    order_id: str | None = None
    sales_channel_id: str | None = None
    is_open: bool | None = None
    process_status: d.ProcessStatus | None = None
    graduation: d.Graduation | None = None
    typology_code: str | None = None
    sub_typology_code: str | None = None
    updated_at_min: datetime | None = None
    updated_at_max: datetime | None = None


def _conditions(seller_id: str, f: DiscussionFilter) -> list[Any]:
    conds: list[Any] = [Discussion.seller_id == seller_id]
    equals: tuple[tuple[Any, Any], ...] = (
        (Discussion.id, f.discussion_id),
        (Discussion.order_id, f.order_id),
        (Discussion.sales_channel_id, f.sales_channel_id),
        (Discussion.is_open, f.is_open),
        (Discussion.process_status, f.process_status and f.process_status.value),
        (Discussion.graduation, f.graduation and f.graduation.value),
        (Discussion.typology_code, f.typology_code),
        (Discussion.sub_typology_code, f.sub_typology_code),
    )
    conds += [column == value for column, value in equals if value is not None]
    if f.updated_at_min is not None:
        conds.append(Discussion.updated_at >= f.updated_at_min)
    if f.updated_at_max is not None:
        conds.append(Discussion.updated_at <= f.updated_at_max)
    return conds


def searched(f: DiscussionFilter) -> DiscussionFilter:
    """The filter of a list: within six months of `updatedAt` (spec 13.2)."""
    low, high = d.search_window(f.updated_at_min, f.updated_at_max, clock.now())
    return DiscussionFilter(**{**f.__dict__, "updated_at_min": low, "updated_at_max": high})


def list_discussions(
    session: Session,
    seller_id: str,
    f: DiscussionFilter,
    *,
    sort: d.Sort,
    desc: bool | None,
    page_index: int,
    page_size: int,
    include: d.IncludeMessages | None = None,
) -> IndexPage[tuple[Discussion, Message | None]]:
    """One page of discussions, each with its first or last message when `include` asks, in one
    statement: the page's ids from the index alone (the rows an offset skips are never read), then
    their rows joined to the message shown. A list of a hundred message ids cost PostgreSQL more to
    plan than the whole page to read."""
    field, descending = d.sort_order(sort, desc)
    column: Any = SORT_COLUMNS[field]
    order = [column.desc(), Discussion.id.desc()] if descending else [column.asc(), Discussion.id.asc()]
    ids = (
        select(Discussion.id)
        .where(*_conditions(seller_id, searched(f)))
        .order_by(*order)
        .offset((page_index - 1) * page_size)
        .limit(page_size + 1)
        .subquery()
    )
    stmt: Select[Any] = select(Discussion).join(ids, Discussion.id == ids.c.id).order_by(*order)
    if include is not None:
        shown = (
            Discussion.first_message_id if include == d.IncludeMessages.FIRST else Discussion.last_message_id
        )
        stmt = stmt.add_columns(Message).outerjoin(Message, Message.id == shown)
    else:
        stmt = stmt.add_columns(null())  # the same pairs, without a message
    rows = [(row[0], row[1]) for row in session.execute(stmt)]
    return IndexPage(rows[:page_size], page_index, page_size, len(rows) > page_size)


def count_discussions(session: Session, seller_id: str, f: DiscussionFilter) -> int:
    stmt = select(func.count()).select_from(Discussion).where(*_conditions(seller_id, f))
    return int(session.scalar(stmt) or 0)


def get_discussion(session: Session, discussion_id: str, seller_id: str | None = None) -> Discussion:
    discussion = session.get(Discussion, discussion_id)
    if discussion is None or (seller_id is not None and discussion.seller_id != seller_id):
        raise NotFound(f"Discussion {discussion_id} does not exist.")
    return discussion


# --- attachments ----------------------------------------------------------------------------------


def list_attachments(
    session: Session,
    seller_id: str,
    *,
    discussion_id: str | None,
    message_id: str | None,
    page_index: int,
    page_size: int,
) -> IndexPage[Attachment]:
    """The files of a discussion or of one message; another seller's are not found."""
    if not (discussion_id or message_id):
        ask = "Give discussionId or messageId."
        raise ValidationFailed(ask, errors={"discussionId": [ask], "messageId": [ask]})
    stmt = select(Attachment).where(Attachment.seller_id == seller_id)
    if discussion_id:
        get_discussion(session, discussion_id, seller_id)
        stmt = stmt.where(Attachment.discussion_id == discussion_id)
    if message_id:
        message = session.get(Message, message_id)
        if message is None or message.seller_id != seller_id:
            raise NotFound(f"Message {message_id} does not exist.")
        stmt = stmt.where(Attachment.message_id == message_id)
    stmt = stmt.order_by(Attachment.created_at, Attachment.id)
    return index_page(session, stmt, page_index=page_index, page_size=page_size)


def attachment(session: Session, attachment_id: str, seller_id: str | None = None) -> Attachment:
    """One file with its bytes, for its download."""
    found = session.get(Attachment, attachment_id, options=[undefer(Attachment.data)])
    if found is None or (seller_id is not None and found.seller_id != seller_id):
        raise NotFound(f"Attachment {attachment_id} does not exist.")
    return found


# --- typologies -----------------------------------------------------------------------------------


def typology_list(
    session: Session,
    *,
    sales_channel: str | None,
    order_status: str | None,
    typology_code: str | None,
    user_type: str | None,
) -> list[s.TypologyOut]:
    """The sub-typologies a user type may open a discussion with, on a channel, for an order in a
    status (every status when none is given)."""
    if not sales_channel:
        raise ValidationFailed.field("salesChannel", "salesChannel is required.")
    if session.get(channels.SalesChannel, sales_channel) is None:
        raise ValidationFailed.field("salesChannel", f"Sales channel {sales_channel} does not exist.")
    if order_status and order_status not in orders.ORDER_STATUSES:
        raise ValidationFailed.field(
            "orderStatus", f"orderStatus must be one of {', '.join(orders.ORDER_STATUSES)}."
        )
    who = d.user_type(user_type) if user_type else d.SELLER
    return [
        s.TypologyOut(typology_code=sub.typology, sub_typology_code=sub.code, label=sub.label)
        for sub in typologies.allowed(who, typologies.typology(typology_code), order_status or None)
    ]


def channel_configuration(session: Session, channel_id: str) -> s.ChannelConfigurationOut:
    """What applies to the discussions of a channel (spec 6.7); an unknown channel is not found."""
    channel = channels.get_channel(session, channel_id)
    return s.ChannelConfigurationOut(
        sales_channel_id=channel.id,
        escalation_delay_hours=channel.discussion_escalation_hours,
        graduations=[g.value for g in d.GRADUATIONS],
        search_window_months=d.SEARCH_MONTHS,
        subject_min_length=d.SUBJECT_MIN,
        subject_max_length=d.SUBJECT_MAX,
        message_min_length=d.BODY_MIN,
        message_max_length=d.BODY_MAX,
        attachments=s.AttachmentRulesOut(
            max_count=files.MAX_FILES,
            max_total_bytes=files.MAX_TOTAL_BYTES,
            extensions=list(files.CONTENT_TYPES),
        ),
        sub_typologies=[
            s.SubTypologyRuleOut(
                typology_code=sub.typology,
                sub_typology_code=sub.code,
                label=sub.label,
                user_types=[u for u in d.USER_TYPES if u in sub.user_types],
                order_statuses=[o for o in orders.ORDER_STATUSES if o in sub.statuses],
            )
            for sub in typologies.SUB_TYPOLOGIES
        ],
    )
