"""Outbound shipping orders, their items and parcels, and the seller's cancellation requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, UTCDateTime


class OutboundShipment(Base):
    __tablename__ = "fulfillment_outbound_shipments"
    __table_args__ = (
        # A seller's reference names one shipping order: sending it twice ships nothing twice.
        UniqueConstraint("seller_id", "reference", name="uq_fulfillment_outbound_shipments_reference"),
        # The seller's list walks by status update, newest first; the id breaks ties for keysets.
        Index("ix_fulfillment_outbound_shipments_seller_status", "seller_id", "status_updated_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20))
    # Pending until the warehouse checked it, then Valid or Invalid; a cancellation keeps it.
    validity: Mapped[str] = mapped_column(String(10))
    delivery_mode: Mapped[str] = mapped_column(String(20))
    # The warehouse the seller asked for, if any, and the one the units are allocated in.
    requested_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    storage_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    # As the seller sent it, in wire names (`AddressIn`).
    delivery_address: Mapped[dict[str, Any]] = mapped_column(JSON)
    carrier: Mapped[str | None] = mapped_column(String(50), nullable=True)
    # Why it was rejected: [{code, message, itemIndex}]
    rejection_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class OutboundItem(Base):
    """A product and quantity to ship: as the seller named it, completed when the warehouse accepts
    the shipment (reference, product id and condition, and the stock record it was allocated from)."""

    __tablename__ = "fulfillment_outbound_items"

    shipment_id: Mapped[str] = mapped_column(
        ForeignKey("fulfillment_outbound_shipments.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    seller_product_reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    product_id: Mapped[str | None] = mapped_column(String(20), nullable=True)
    product_condition: Mapped[str | None] = mapped_column(String(20), nullable=True)
    quantity: Mapped[int] = mapped_column(Integer)
    stock_id: Mapped[str | None] = mapped_column(
        ForeignKey("fulfillment_stocks.id", ondelete="SET NULL"), nullable=True
    )


class OutboundParcel(Base):
    __tablename__ = "fulfillment_outbound_parcels"
    __table_args__ = (Index("ix_fulfillment_outbound_parcels_shipment", "shipment_id", "position"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shipment_id: Mapped[str] = mapped_column(
        ForeignKey("fulfillment_outbound_shipments.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    tracking_number: Mapped[str] = mapped_column(String(50))
    tracking_url: Mapped[str | None] = mapped_column(String(255), nullable=True)


class OutboundCancellation(Base):
    """A seller's cancellation request; one that came too late is refused (409) and not kept."""

    __tablename__ = "fulfillment_outbound_cancellations"
    __table_args__ = (Index("ix_fulfillment_outbound_cancellations_shipment", "shipment_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    shipment_id: Mapped[str] = mapped_column(
        ForeignKey("fulfillment_outbound_shipments.id", ondelete="CASCADE")
    )
    # What the shipment was when cancelled: whether units went back to Available.
    shipment_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
