from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, Money, UTCDateTime


class Offer(Base):
    """A seller's offer on a product, in one condition, on one sales channel.

    The stock is shared by the seller's offers on the same product and condition across channels:
    every write of a quantity is copied to those sibling rows, so that reads need no join.
    Delivery modes and discounts are JSON text because the bulk path writes them pre-encoded.
    """

    __tablename__ = "offers"
    __table_args__ = (
        UniqueConstraint("seller_id", "sales_channel_id", "seller_external_reference"),
        # Leads with the product: competing offers are read by product and channel.
        UniqueConstraint("product_id", "sales_channel_id", "condition", "seller_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    sales_channel_id: Mapped[str] = mapped_column(ForeignKey("sales_channels.id", ondelete="CASCADE"))
    seller_external_reference: Mapped[str] = mapped_column(String(50))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    condition: Mapped[str] = mapped_column(String(20))
    price: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    origin_price: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    # Percent (20 for 20 %); the two tax amounts are money.
    vat_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), nullable=True)
    eco_tax: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    dea_tax: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    preparation_time: Mapped[int | None] = mapped_column(Integer, nullable=True)
    delivery_modes: Mapped[str | None] = mapped_column(Text, nullable=True)
    price_must_be_aligned: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    minimum_price_for_alignment: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    packaging_unit: Mapped[str | None] = mapped_column(String(20), nullable=True)
    packaging_value: Mapped[Decimal | None] = mapped_column(Numeric(12, 3), nullable=True)
    discounts: Mapped[str | None] = mapped_column(Text, nullable=True)
    offer_state: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OfferPackage(Base):
    """A JSON offer package (spec section 10)."""

    __tablename__ = "offer_packages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"), index=True)
    sales_channel_id: Mapped[str] = mapped_column(ForeignKey("sales_channels.id", ondelete="CASCADE"))
    package_type: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(24))
    offer_request_count: Mapped[int] = mapped_column(Integer, default=0)
    # Package-level outcome, when the whole package was refused.
    result_code: Mapped[str | None] = mapped_column(String(10), nullable=True)
    result_message: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class OfferPackageUpload(Base):
    """One upload of up to 100 offer requests, kept as the JSON it was validated into until integration.

    One row per upload rather than per request keeps an upload to a single insert.
    """

    __tablename__ = "offer_package_uploads"

    package_id: Mapped[int] = mapped_column(
        ForeignKey("offer_packages.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_count: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)


class OfferPackageResults(Base):
    """A run of consecutive offer-request results (JSON list), from `first_index` on."""

    __tablename__ = "offer_package_results"

    package_id: Mapped[int] = mapped_column(
        ForeignKey("offer_packages.id", ondelete="CASCADE"), primary_key=True
    )
    first_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_count: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)


class OfferIntegrationPackage(Base):
    """An XML offer integration package (spec section 11): a ZIP fetched from a URL."""

    __tablename__ = "offer_integration_packages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    # Pending -> Integrated | Rejected
    status: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    package_type: Mapped[str | None] = mapped_column(String(16), nullable=True)
    purge_and_replace: Mapped[bool] = mapped_column(Boolean, default=False)
    sales_channel_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    offer_count: Mapped[int] = mapped_column(Integer, default=0)
    integrated_count: Mapped[int] = mapped_column(Integer, default=0)
    rejected_count: Mapped[int] = mapped_column(Integer, default=0)
    purged_count: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class OfferIntegrationLog(Base):
    """A run of consecutive per-offer log lines (JSON list) of an XML package, from `first_index` on."""

    __tablename__ = "offer_integration_logs"

    package_id: Mapped[int] = mapped_column(
        ForeignKey("offer_integration_packages.id", ondelete="CASCADE"), primary_key=True
    )
    first_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_count: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
