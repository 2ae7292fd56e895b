from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, Money, UTCDateTime

# The request tables live with their use cases (orders/cancellations, gestures, invoices). The order
# core reads two of them, named here for it: pending cancellations hold shipments back, and granted
# gestures count as refunds.
from comptoir.orders.cancellations.models import CancellationRequest as CancellationRequest
from comptoir.orders.cancellations.models import CancellationRequestLine as CancellationRequestLine
from comptoir.orders.gestures.models import GestureRequest as GestureRequest


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        # The seller's lists filter by status and walk by date; each index ends with the id for keysets.
        Index("ix_orders_seller_updated", "seller_id", "updated_at", "id"),
        Index("ix_orders_seller_status_updated", "seller_id", "status", "updated_at", "id"),
        Index("ix_orders_seller_created", "seller_id", "created_at", "id"),
        Index("ix_orders_status_deadline", "status", "acceptance_deadline"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    sales_channel_id: Mapped[str] = mapped_column(ForeignKey("sales_channels.id"))
    status: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    business_order: Mapped[bool] = mapped_column(Boolean, default=False)
    customer_reference: Mapped[str] = mapped_column(String(100))
    payment_method: Mapped[str] = mapped_column(String(30))
    currency: Mapped[str] = mapped_column(String(3))
    delivery_mode: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # Order level summary of the lines (Seller, Fulfillment, or the first line's when mixed).
    supply_mode: Mapped[str] = mapped_column(String(20), default="Seller")
    shipping_country: Mapped[str] = mapped_column(String(2))
    billing_address: Mapped[dict[str, Any]] = mapped_column(JSON)
    shipping_address: Mapped[dict[str, Any]] = mapped_column(JSON)
    total_offer_price: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    total_selling_price: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    # Why the marketplace controls rejected it: [{lineId, code, message}]
    rejection_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    purchased_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acceptance_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    shipped_at_max: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class OrderLine(Base):
    __tablename__ = "order_lines"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    line_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    # What the customer asked for; the offer is resolved by the marketplace controls.
    requested_offer_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    seller_external_reference: Mapped[str | None] = mapped_column(String(50), nullable=True)
    offer_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    product_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    product_gtin: Mapped[str | None] = mapped_column(String(14), nullable=True)
    product_reference: Mapped[str | None] = mapped_column(String(20), nullable=True)
    product_title: Mapped[str | None] = mapped_column(String(300), nullable=True)
    condition: Mapped[str | None] = mapped_column(String(20), nullable=True)
    supply_mode: Mapped[str] = mapped_column(String(20), default="Seller")
    quantity: Mapped[int] = mapped_column(Integer)
    # Stock taken from the offer for this line, given back if the line is cancelled.
    reserved_quantity: Mapped[int] = mapped_column(Integer, default=0)
    unit_price: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    shipping_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    commission_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    commission_with_vat: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    commission_without_vat: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    vat_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), nullable=True)
    promised_at_min: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    promised_at_max: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    shipped_at_max: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Parcel(Base):
    __tablename__ = "order_parcels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    parcel_number: Mapped[str] = mapped_column(String(50))
    carrier_name: Mapped[str] = mapped_column(String(100))
    tracking_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    line_ids: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StatusEvent(Base):
    """Every change of an order or a line, with its time from the platform clock."""

    __tablename__ = "order_status_events"
    __table_args__ = (
        ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE"),
        Index("ix_order_status_events_order", "order_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(String(32))
    line_id: Mapped[str | None] = mapped_column(String(10), nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    # Marketplace, Seller, Customer, CustomerService, Warehouse
    actor: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
