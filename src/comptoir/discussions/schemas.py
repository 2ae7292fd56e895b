"""Wire models of discussions, messages, attachments and typologies (spec 13)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, UnsetType

from comptoir.api.wire import Wire
from comptoir.discussions import domain as d

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Subject = Annotated[str, msgspec.Meta(min_length=d.SUBJECT_MIN, max_length=d.SUBJECT_MAX)]
Body = Annotated[str, msgspec.Meta(min_length=d.BODY_MIN, max_length=d.BODY_MAX)]
UserType = Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
UserId = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class AttachmentIn(Wire):
    """A file sent in JSON: its name and its bytes in base64 (a `data:` URL works too)."""

    file_name: Annotated[str, msgspec.Meta(max_length=300)] | None = None
    name: Annotated[str, msgspec.Meta(max_length=300)] | None = None
    content: str | None = None
    data: str | None = None


class ReceiverIn(Wire):
    user_type: UserType
    user_id: UserId | None = None


class FirstMessageIn(Wire):
    body: Body
    receiver: UserType | None = None
    receivers: list[ReceiverIn] | None = None
    attachments: list[AttachmentIn] | None = None


class DiscussionIn(Wire):
    """The seed's body. The sub-typology is spelled `subtypologyCode` there and `subTypologyCode` in
    filters: property names are matched without regard to case, so both land here."""

    subject: Subject
    order_id: Id
    message: FirstMessageIn
    sub_typology_code: Id
    sales_channel: Id | None = None
    product_id: Id | None = None


class MessageIn(Wire):
    """Both shapes clients send: `receivers: [{userId, userType}]`, or one `receiver`."""

    discussion_id: Id
    body: Body
    sales_channel: Id | None = None
    receiver: UserType | None = None
    receivers: list[ReceiverIn] | None = None
    attachments: list[AttachmentIn] | None = None


class PatchOp(Wire):
    """One JSON Patch operation; `opt` is one SDK's spelling of `op`, and values may be strings."""

    path: Annotated[str, msgspec.Meta(max_length=100)]
    op: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    opt: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    value: Any = None


class UserOut(Wire):
    user_type: str
    user_id: str


class AttachmentOut(Wire):
    attachment_id: str
    discussion_id: str
    message_id: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    created_at: str
    # Downloaded with the same Bearer token and SellerId header.
    url: str


class MessageOut(Wire):
    message_id: str
    discussion_id: str
    body: str
    sender: UserOut
    receivers: list[UserOut]
    has_read: bool
    created_at: str
    attachments: list[AttachmentOut]


class DiscussionOut(Wire):
    """Lists leave `messages` out unless `includeMessages` asks for the first or last one; the single
    read gives them all, with the recipients the seller's next reply may go to."""

    discussion_id: str
    subject: str
    sales_channel: str
    order_seller_id: str | None
    product_id: str | None
    customer_id: str
    typology_code: str
    sub_typology_code: str
    graduation: str
    is_open: bool
    process_status: str
    unread_message_count: int
    message_count: int
    created_at: str
    updated_at: str
    closed_at: str | None
    # When it escalates by itself unless the seller answers first.
    escalation_due_at: str | None
    messages: list[MessageOut] | UnsetType = UNSET
    eligible_recipients: list[UserOut] | UnsetType = UNSET


class DiscussionCreated(Wire):
    """The new id, under both names clients read it from."""

    discussion_id: str
    id: str


class TypologyOut(Wire):
    typology_code: str
    sub_typology_code: str
    label: str


class SubTypologyRuleOut(Wire):
    """Who may open a discussion with a sub-typology, and on orders in which statuses (none for
    product questions, asked before any order)."""

    typology_code: str
    sub_typology_code: str
    label: str
    user_types: list[str]
    order_statuses: list[str]


class AttachmentRulesOut(Wire):
    max_count: int
    max_total_bytes: int
    extensions: list[str]


class ChannelConfigurationOut(Wire):
    """Spec 6.7 names the route (a channel's discussion configuration) but not its fields: these are
    what comptoir really applies to the channel's discussions. Every channel takes discussions, so no
    switch is reported; the escalation delay is the channel's own, the other rules the platform's."""

    sales_channel_id: str
    # A discussion the seller leaves unanswered this long climbs one graduation by itself.
    escalation_delay_hours: int
    graduations: list[str]
    search_window_months: int
    subject_min_length: int
    subject_max_length: int
    message_min_length: int
    message_max_length: int
    attachments: AttachmentRulesOut
    sub_typologies: list[SubTypologyRuleOut]


# --- the marketplace's side (operator API) --------------------------------------------------------


class BuyerDiscussionIn(Wire):
    """A customer (or customer service) opens a discussion on an order, or asks about a product before
    buying: then `sellerId`, `salesChannel` and `productId` say where."""

    subject: Subject
    message: FirstMessageIn
    sub_typology_code: Id
    user_type: UserType = d.CUSTOMER
    user_id: UserId | None = None
    order_id: Id | None = None
    seller_id: Id | None = None
    sales_channel: Id | None = None
    product_id: Id | None = None


class BuyerMessageIn(Wire):
    body: Body
    user_type: UserType = d.CUSTOMER
    user_id: UserId | None = None
    attachments: list[AttachmentIn] | None = None


class EscalationIn(Wire):
    """One level up, or straight to `graduation` when given."""

    user_type: UserType = d.CUSTOMER
    graduation: d.Graduation | None = None


class ClosureIn(Wire):
    user_type: UserType = d.CUSTOMER
