"""Returns and their lines: what was declared, then received, restocked and blocked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, UTCDateTime


class FulfillmentReturn(Base):
    __tablename__ = "fulfillment_returns"
    __table_args__ = (
        # The seller's list walks by last update, newest first; the id breaks ties for keysets.
        Index("ix_fulfillment_returns_seller_updated", "seller_id", "updated_at", "id"),
        Index("ix_fulfillment_returns_shipment", "outbound_shipment_id"),
        Index("ix_fulfillment_returns_order", "order_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(30))
    # The warehouse's own reading of why, after inspection.
    recommended_return_reason: Mapped[str | None] = mapped_column(String(30), nullable=True)
    comment: Mapped[str | None] = mapped_column(String(500), nullable=True)
    warehouse_comment: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # What it takes back from: an outbound shipment, or a marketplace order's Fulfillment lines (the
    # order's id, a plain string: the order belongs to the orders feature).
    outbound_shipment_id: Mapped[str | None] = mapped_column(
        ForeignKey("fulfillment_outbound_shipments.id", ondelete="CASCADE"), nullable=True
    )
    order_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # The outbound shipment's seller reference, or the order's id.
    reference: Mapped[str] = mapped_column(String(50))
    # The warehouse it goes back to: the one the units left.
    storage_country: Mapped[str] = mapped_column(String(2))
    # The return parcel's number: on the label of a customer return, the carrier's for a carrier one.
    parcel_id: Mapped[str] = mapped_column(String(50))
    receipt_date: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReturnLine(Base):
    __tablename__ = "fulfillment_return_lines"

    return_id: Mapped[str] = mapped_column(
        ForeignKey("fulfillment_returns.id", ondelete="CASCADE"), primary_key=True
    )
    # 1-based: the warehouse's reception and inspection name lines by it.
    line_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    seller_product_reference: Mapped[str] = mapped_column(String(100))
    product_id: Mapped[str] = mapped_column(String(20))
    product_condition: Mapped[str] = mapped_column(String(20))
    declared_quantity: Mapped[int] = mapped_column(Integer)
    received_quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    blocked_quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)
