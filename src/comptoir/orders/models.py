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
    LargeBinary,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, Money, UTCDateTime


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


# --- cancellation requests, commercial gestures, order invoices (spec 12.8 to 12.13) ----------------


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


class InvoiceImport(Base):
    """One upload of invoice files (one order's, or many named by order id), checked by a job."""

    __tablename__ = "order_invoice_imports"
    __table_args__ = (Index("ix_order_invoice_imports_seller_created", "seller_id", "created_at", "id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    # Set when uploaded for one order (POST /orders/{orderId}/invoice-documents).
    order_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InvoiceImportFile(Base):
    """A file of an import and its result; a ZIP is replaced by its entries when the job opens it."""

    __tablename__ = "order_invoice_import_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[str] = mapped_column(
        ForeignKey("order_invoice_imports.id", ondelete="CASCADE"), index=True
    )
    # Upload order, then the entry's rank inside its ZIP (0 for a file sent as such).
    position: Mapped[int] = mapped_column(Integer)
    entry: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    size: Mapped[int] = mapped_column(Integer)
    # The bytes until the job has stored them as the order's invoice (or refused them).
    data: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    order_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    integration_status: Mapped[str] = mapped_column(String(20))
    error_code: Mapped[str | None] = mapped_column(String(50), nullable=True)
    error_message: Mapped[str | None] = mapped_column(String(300), nullable=True)
    document_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class InvoiceDocument(Base):
    """The invoice of an order: one per order, a newer upload replaces it."""

    __tablename__ = "order_invoice_documents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    seller_id: Mapped[str] = mapped_column(String(20))
    import_id: Mapped[str] = mapped_column(String(36))
    file_name: Mapped[str] = mapped_column(String(255))
    # PDF or UBL
    format: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
