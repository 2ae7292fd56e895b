"""Cancellation requests and their lines (spec 12.8 to 12.11)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, Money, UTCDateTime


class CancellationRequest(Base):
    """A request to cancel a whole order or some lines, by the seller or the customer."""

    __tablename__ = "order_cancellation_requests"
    __table_args__ = (
        Index("ix_order_cancellation_requests_seller_order", "seller_id", "order_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    sales_channel_id: Mapped[str] = mapped_column(String(20))
    # Total (the whole order) or Partial (the lines named)
    cancellation_type: Mapped[str] = mapped_column(String(10))
    requester_type: Mapped[str] = mapped_column(String(20))
    requester_id: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(String(50), nullable=True)
    shipping_cost_refund: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CancellationRequestLine(Base):
    __tablename__ = "order_cancellation_request_lines"
    __table_args__ = (
        # Pending requests on the lines of one order: the 409 checks and the shipment exception.
        Index("ix_order_cancellation_request_lines_order", "order_id", "status"),
    )

    request_id: Mapped[str] = mapped_column(
        ForeignKey("order_cancellation_requests.id", ondelete="CASCADE"), primary_key=True
    )
    line_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(32))
    offer_id: Mapped[str | None] = mapped_column(String(20), nullable=True)
    reason: Mapped[str] = mapped_column(String(50))
    shipping_cost_refund: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20))
    # The line's status before it became CancelRequest, given back if the request is refused.
    previous_status: Mapped[str] = mapped_column(String(20))
    product_refund: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    shipping_refund: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(50), nullable=True)
    error_message: Mapped[str | None] = mapped_column(String(300), nullable=True)
