"""Fulfillment tables: the products a seller referenced for the warehouses, the countries it may
store in, stock records per product, condition and country, and the append-only ledger of their
movements. Inbound, outbound and return tables live beside these, each in its own use case."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, Money, UTCDateTime


class FulfillmentProduct(Base):
    """Logistic referencing (spec 15.1): one per seller reference, and one per (GTIN, condition)."""

    __tablename__ = "fulfillment_products"
    __table_args__ = (
        UniqueConstraint("seller_id", "seller_product_reference", name="uq_fulfillment_products_reference"),
        UniqueConstraint("seller_id", "gtin", "product_condition", name="uq_fulfillment_products_gtin"),
        Index("ix_fulfillment_products_seller_id", "seller_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    seller_product_reference: Mapped[str] = mapped_column(String(100))
    gtin: Mapped[str] = mapped_column(String(14))
    # The catalogue product's reference: the Octopia `productId` fulfillment routes speak of.
    product_id: Mapped[str] = mapped_column(String(20), index=True)
    product_condition: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(300))
    # Packaged dimensions (cm) and weight (kg), as declared; the warehouse re-measures.
    dimension_minimum: Mapped[Decimal | None] = mapped_column(Numeric(12, 3), nullable=True)
    dimension_medium: Mapped[Decimal | None] = mapped_column(Numeric(12, 3), nullable=True)
    dimension_maximum: Mapped[Decimal | None] = mapped_column(Numeric(12, 3), nullable=True)
    weight: Mapped[Decimal | None] = mapped_column(Numeric(12, 3), nullable=True)
    category_un: Mapped[str | None] = mapped_column(String(20), nullable=True)
    category_icpe: Mapped[str | None] = mapped_column(String(20), nullable=True)
    has_expiration_date: Mapped[bool] = mapped_column(Boolean, default=False)
    traceability: Mapped[str | None] = mapped_column(String(30), nullable=True)
    customs_reference: Mapped[str | None] = mapped_column(String(30), nullable=True)
    product_value: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    origin_country_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    language: Mapped[str | None] = mapped_column(String(5), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StorageCountry(Base):
    """A warehouse country the operator opened to a seller (some need an account manager)."""

    __tablename__ = "fulfillment_storage_countries"

    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)


class Stock(Base):
    """What a warehouse holds of one product in one condition, by bucket. Quantities change only
    through `fulfillment.stock.move`, with a ledger row each time."""

    __tablename__ = "fulfillment_stocks"
    __table_args__ = (
        UniqueConstraint(
            "seller_id",
            "product_id",
            "product_condition",
            "storage_country",
            name="uq_fulfillment_stocks_product",
        ),
        Index("ix_fulfillment_stocks_seller_updated", "seller_id", "updated_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    product_id: Mapped[str] = mapped_column(String(20))
    product_condition: Mapped[str] = mapped_column(String(20))
    storage_country: Mapped[str] = mapped_column(String(2))
    available: Mapped[int] = mapped_column(Integer, default=0)
    allocated: Mapped[int] = mapped_column(Integer, default=0)
    blocked: Mapped[int] = mapped_column(Integer, default=0)
    litigation: Mapped[int] = mapped_column(Integer, default=0)
    removal: Mapped[int] = mapped_column(Integer, default=0)
    returned: Mapped[int] = mapped_column(Integer, default=0)
    logistic_operations: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StockMovement(Base):
    """One change of a stock record, append-only: the bucket deltas, why, and what caused it."""

    __tablename__ = "fulfillment_stock_movements"
    __table_args__ = (Index("ix_fulfillment_stock_movements_stock", "stock_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    stock_id: Mapped[str] = mapped_column(ForeignKey("fulfillment_stocks.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(30))
    # What moved it: ("inbound", id), ("outbound", id), ("order", id), ("return", id), ("adjustment", None).
    source_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    source_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    comment: Mapped[str | None] = mapped_column(String(300), nullable=True)
    available: Mapped[int] = mapped_column(Integer, default=0)
    allocated: Mapped[int] = mapped_column(Integer, default=0)
    blocked: Mapped[int] = mapped_column(Integer, default=0)
    litigation: Mapped[int] = mapped_column(Integer, default=0)
    removal: Mapped[int] = mapped_column(Integer, default=0)
    returned: Mapped[int] = mapped_column(Integer, default=0)
    logistic_operations: Mapped[int] = mapped_column(Integer, default=0)


class OrderAllocation(Base):
    """Units of one stock record held for a marketplace order line that the warehouse ships
    (supplyMode Fulfillment): Available moved to Allocated by the order's controls, shipped or given
    back when the order moves on. The row lasts while units are held."""

    __tablename__ = "fulfillment_order_allocations"

    # Plain strings: the order belongs to the orders feature, which names its lines by these.
    order_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    line_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    stock_id: Mapped[str] = mapped_column(ForeignKey("fulfillment_stocks.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
