"""Invoice imports, their files and the invoice documents of orders (spec 12.13)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, UTCDateTime


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
