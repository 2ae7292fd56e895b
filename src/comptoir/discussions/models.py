"""Discussions, their messages and the files attached to them (spec 13)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, UTCDateTime


class Discussion(Base):
    __tablename__ = "discussions"
    __table_args__ = (
        # The seller's list walks by date, the id breaking ties; counts filter by state.
        Index("ix_discussions_seller_updated", "seller_id", "updated_at", "id"),
        Index("ix_discussions_seller_state", "seller_id", "is_open", "process_status", "graduation"),
        Index("ix_discussions_order", "order_id", "sub_typology_code", "is_open"),
        # One open discussion per order and sub-typology, whatever concurrent requests do.
        Index(
            "uq_discussions_open_order",
            "order_id",
            "sub_typology_code",
            unique=True,
            sqlite_where=text("is_open"),
            postgresql_where=text("is_open"),
        ),
        Index("ix_discussions_escalation", "escalation_due_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    sales_channel_id: Mapped[str] = mapped_column(ForeignKey("sales_channels.id"))
    # Product questions come before any order.
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), nullable=True)
    product_id: Mapped[str | None] = mapped_column(String(50), nullable=True)
    customer_id: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(50))
    typology_code: Mapped[str] = mapped_column(String(20))
    sub_typology_code: Mapped[str] = mapped_column(String(50))
    graduation: Mapped[str] = mapped_column(String(20))
    is_open: Mapped[bool] = mapped_column(Boolean)
    process_status: Mapped[str] = mapped_column(String(10))
    # Messages to the seller it has not read yet, kept with each change instead of counted per read.
    unread_count: Mapped[int] = mapped_column(Integer, default=0)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    # Lists show the first or last message: read by id, not searched for.
    first_message_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    last_message_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    # When it escalates by itself if the seller still has not answered; None when nothing waits.
    escalation_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When the seller's answer to what waits stops counting as in time (its response time indicator):
    # the first due time of the wait, which escalating by itself does not move.
    answer_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When it became a claim (the seller indicators count claims).
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Message(Base):
    __tablename__ = "discussion_messages"
    __table_args__ = (
        Index("ix_discussion_messages_discussion", "discussion_id", "created_at", "id"),
        # The seller indicators count the seller's answers.
        Index("ix_discussion_messages_seller_answers", "seller_id", "created_at", "answered_in_time"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    discussion_id: Mapped[str] = mapped_column(ForeignKey("discussions.id", ondelete="CASCADE"))
    # The discussion's seller, so that a message is found by id within the seller's own.
    seller_id: Mapped[str] = mapped_column(String(20))
    sender_type: Mapped[str] = mapped_column(String(20))
    sender_id: Mapped[str] = mapped_column(String(100))
    # [{userType, userId}]
    receivers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    body: Mapped[str] = mapped_column(Text)
    # Read by its receivers: the seller for the customer's and customer service's messages.
    has_read: Mapped[bool] = mapped_column(Boolean, default=False)
    attachment_count: Mapped[int] = mapped_column(Integer, default=0)
    # A seller's answer to a waiting discussion: given before it would have escalated, or not.
    answered_in_time: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Attachment(Base):
    __tablename__ = "discussion_attachments"
    __table_args__ = (
        Index("ix_discussion_attachments_message", "message_id"),
        Index("ix_discussion_attachments_discussion", "discussion_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    discussion_id: Mapped[str] = mapped_column(ForeignKey("discussions.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(ForeignKey("discussion_messages.id", ondelete="CASCADE"))
    seller_id: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # Loaded only by the download: lists and documents read the other columns.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
