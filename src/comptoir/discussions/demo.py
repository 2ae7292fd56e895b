"""Discussions written in bulk, as the customer's and the seller's messages would have left them
(process status, unread count, escalation clock): the busy-seller pack's, and the discussions
benchmark's.

`write_discussions` takes drafts and derives the rest the way messaging does; `seed_seller_discussions`
draws a busy seller's drafts from a seed.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from comptoir.channels import SalesChannel
from comptoir.db.bulk import BulkWriter
from comptoir.discussions import domain as d
from comptoir.discussions.models import Discussion, Message
from comptoir.discussions.states import ESCALATE_JOB
from comptoir.discussions.typologies import ORDER
from comptoir.jobs import enqueue
from comptoir.orders import Order


@dataclass(frozen=True)
class MessageDraft:
    message_id: str
    by_customer: bool
    body: str
    at: datetime


@dataclass(frozen=True)
class DiscussionDraft:
    discussion_id: str
    seller_id: str
    channel_id: str
    order_id: str
    customer_id: str
    subject: str
    sub_typology: str
    messages: tuple[MessageDraft, ...]
    is_open: bool
    claim: bool
    # The channel's delay before an unanswered discussion escalates by itself.
    escalation: timedelta

    @property
    def waiting(self) -> bool:
        """The customer spoke last: the seller has something to treat."""
        return self.messages[-1].by_customer

    @property
    def escalation_due(self) -> datetime | None:
        return self.messages[-1].at + self.escalation if self.waiting and self.is_open else None


DISCUSSION_COLUMNS = (
    "id",
    "seller_id",
    "sales_channel_id",
    "order_id",
    "product_id",
    "customer_id",
    "subject",
    "typology_code",
    "sub_typology_code",
    "graduation",
    "is_open",
    "process_status",
    "unread_count",
    "message_count",
    "first_message_id",
    "last_message_id",
    "escalation_due_at",
    "answer_due_at",
    "claimed_at",
    "created_at",
    "updated_at",
    "closed_at",
)
MESSAGE_COLUMNS = (
    "id",
    "discussion_id",
    "seller_id",
    "sender_type",
    "sender_id",
    "receivers",
    "body",
    "has_read",
    "attachment_count",
    "answered_in_time",
    "created_at",
)


def write_discussions(session: Session, drafts: Sequence[DiscussionDraft]) -> None:
    """Writes the discussions and their messages through the bulk writer (COPY on PostgreSQL). The
    seller read all but the last message; its answers came in time."""
    discussions: list[tuple[Any, ...]] = []
    messages: list[tuple[Any, ...]] = []
    for draft in drafts:
        seller = {"userType": d.SELLER, "userId": draft.seller_id}
        customer = {"userType": d.CUSTOMER, "userId": draft.customer_id}
        last = len(draft.messages) - 1
        for k, m in enumerate(draft.messages):
            messages.append(
                (
                    m.message_id,
                    draft.discussion_id,
                    draft.seller_id,
                    d.CUSTOMER if m.by_customer else d.SELLER,
                    draft.customer_id if m.by_customer else draft.seller_id,
                    [seller] if m.by_customer else [customer],
                    m.body,
                    k < last,
                    0,
                    True if not m.by_customer and k else None,
                    m.at,
                )
            )
        first_at, last_at, due = draft.messages[0].at, draft.messages[-1].at, draft.escalation_due
        discussions.append(
            (
                draft.discussion_id,
                draft.seller_id,
                draft.channel_id,
                draft.order_id,
                None,
                draft.customer_id,
                draft.subject,
                ORDER,
                draft.sub_typology,
                (d.Graduation.CLAIM if draft.claim else d.Graduation.DISCUSSION).value,
                draft.is_open,
                (d.ProcessStatus.TO_TREAT if draft.waiting else d.ProcessStatus.TREATED).value,
                1 if draft.waiting else 0,
                len(draft.messages),
                draft.messages[0].message_id,
                draft.messages[-1].message_id,
                due,
                due,
                first_at if draft.claim else None,
                first_at,
                last_at,
                None if draft.is_open else last_at,
            )
        )
    BulkWriter(session, cast(Table, Discussion.__table__)).insert(DISCUSSION_COLUMNS, discussions)
    BulkWriter(session, cast(Table, Message.__table__)).insert(MESSAGE_COLUMNS, messages)


# --- the busy-seller pack ---------------------------------------------------------------------------

CUSTOMER_BODIES = (
    "The product arrived broken, the box was crushed. What can you do for me?",
    "Thank you, I still have not received the tracking number though.",
    "Received, thanks a lot for the quick answer.",
)
SELLER_BODIES = (
    "Sorry for that: we are sending you a new one today, you will get a tracking number.",
    "Here it is: the parcel left this morning with Colissimo, tracking PARCEL-001.",
)
# Why customers write, by the status of their order (the sub-typologies that apply there).
REASONS = {
    "InPreparation": (("orderNotShipped", "Where is my order?"),),
    "Shipped": (("orderNotShipped", "Still not received"), ("missingProductsInOrder", "Missing products")),
    "Delivered": (
        ("productIsDamaged", "Broken product"),
        ("wrongProductReceived", "Not what I ordered"),
        ("missingItemInProduct", "Missing item in the box"),
        ("productIsNotWorking", "The product does not work"),
    ),
}
SHARE = 0.2  # of the seller's orders in those statuses that have a discussion


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def seed_seller_discussions(session: Session, rng: random.Random, seller_id: str, at: datetime) -> None:
    """Discussions on a share of the seller's orders, opened by the customer after the order's last
    change and before `at`: those where the customer spoke last wait for the seller (and escalate when
    due, within the channel's delay), the others were answered, half of them then closed."""
    delays = {
        channel_id: timedelta(hours=hours)
        for channel_id, hours in session.execute(
            select(SalesChannel.id, SalesChannel.discussion_escalation_hours)
        )
    }
    orders = session.execute(
        select(Order.id, Order.sales_channel_id, Order.status, Order.customer_reference, Order.updated_at)
        .where(Order.seller_id == seller_id, Order.status.in_(list(REASONS)))
        .order_by(Order.id)
    ).all()
    drafts = []
    for order in orders:
        if rng.random() >= SHARE:
            continue
        count = rng.randint(1, 5)
        waiting = count % 2 == 1  # the customer opens, the seller answers every other message
        delay = delays[order.sales_channel_id]
        # A waiting discussion's last message is recent enough that it has not escalated yet.
        last_at = at - timedelta(hours=rng.uniform(0.5, min(20.0, delay.total_seconds() / 3600 - 4)))
        earliest = order.updated_at + timedelta(minutes=10)
        if last_at <= earliest:
            continue
        first_at = max(earliest, last_at - timedelta(hours=6 * (count - 1)))
        step = (last_at - first_at) / max(count - 1, 1)
        sub_typology, subject = rng.choice(REASONS[order.status])
        messages = tuple(
            MessageDraft(
                _uuid(rng),
                k % 2 == 0,
                rng.choice(CUSTOMER_BODIES if k % 2 == 0 else SELLER_BODIES),
                (first_at + step * k).replace(microsecond=0),
            )
            for k in range(count)
        )
        drafts.append(
            DiscussionDraft(
                discussion_id=_uuid(rng),
                seller_id=seller_id,
                channel_id=order.sales_channel_id,
                order_id=order.id,
                customer_id=order.customer_reference,
                subject=subject,
                sub_typology=sub_typology,
                messages=messages,
                is_open=waiting or rng.random() < 0.5,
                claim=waiting and rng.random() < 0.1,
                escalation=delay,
            )
        )
    write_discussions(session, drafts)
    for draft in drafts:
        due = draft.escalation_due
        if due is not None:
            enqueue(
                session,
                ESCALATE_JOB,
                {"discussion_id": draft.discussion_id, "due": due.isoformat()},
                run_at=due,
            )
