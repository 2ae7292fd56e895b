"""Channel limits of commercial gestures and the gesture requests (spec 12.12)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, Money, UTCDateTime


class ChannelGestureConfiguration(Base):
    """Whether a channel lets sellers grant commercial gestures, and up to how much."""

    __tablename__ = "channel_gesture_configurations"

    sales_channel_id: Mapped[str] = mapped_column(
        ForeignKey("sales_channels.id", ondelete="CASCADE"), primary_key=True
    )
    allows_gesture: Mapped[bool] = mapped_column(Boolean, default=False)
    # Percent of the order amount (cancelled lines excluded), and a fixed ceiling when set.
    maximum_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    maximum_amount: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    currency: Mapped[str] = mapped_column(String(3))
    # Valid requests wait for the marketplace's back office instead of being granted at once.
    manual_review: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GestureRequest(Base):
    __tablename__ = "order_commercial_gesture_requests"
    __table_args__ = (
        # The seller's list walks by last update, newest first; the id breaks ties for keysets.
        Index("ix_order_commercial_gesture_requests_seller_updated", "seller_id", "updated_at", "id"),
        Index("ix_order_commercial_gesture_requests_order", "order_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    sales_channel_id: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(20))
    reason_details: Mapped[str | None] = mapped_column(String(500), nullable=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20))
    # Why it was rejected: [{code, message}]
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
