"""Inbound shipments and their lines: what the seller announced, what the warehouse decided and
what it counted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, UTCDateTime


class InboundShipment(Base):
    __tablename__ = "fulfillment_inbound_shipments"
    __table_args__ = (
        UniqueConstraint("seller_id", "reference", name="uq_fulfillment_inbound_shipments_reference"),
        # The seller's list walks newest first; the id breaks ties for keysets.
        Index("ix_fulfillment_inbound_shipments_seller_created", "seller_id", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(50))
    storage_country: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(30))
    # Issued when the warehouse accepts it: printed, with its barcode, on the delivery note.
    code: Mapped[str | None] = mapped_column(String(20), nullable=True, unique=True)
    # Why it was refused: [{code, message, lineNumber}]
    refusal_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    in_transit_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reception_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class InboundLine(Base):
    """One product of an inbound: as the seller named it, the referenced product it resolved to once
    accepted, and the units counted so far (damaged ones included in `received`)."""

    __tablename__ = "fulfillment_inbound_lines"

    shipment_id: Mapped[str] = mapped_column(
        ForeignKey("fulfillment_inbound_shipments.id", ondelete="CASCADE"), primary_key=True
    )
    line_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    seller_product_reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    product_id: Mapped[str | None] = mapped_column(String(20), nullable=True)
    product_condition: Mapped[str | None] = mapped_column(String(20), nullable=True)
    label: Mapped[str | None] = mapped_column(String(300), nullable=True)
    quantity: Mapped[int] = mapped_column(Integer)
    received_quantity: Mapped[int] = mapped_column(Integer, default=0)
    damaged_quantity: Mapped[int] = mapped_column(Integer, default=0)
