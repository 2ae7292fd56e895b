from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, UTCDateTime


class Product(Base):
    """A product of the marketplace catalogue, identified by its GTIN; any seller may offer it."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Octopia-style reference handed to clients (offers may name it instead of the GTIN).
    product_reference: Mapped[str] = mapped_column(String(20), unique=True)
    gtin: Mapped[str] = mapped_column(String(14), unique=True)
    # The seller who integrated it.
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id"), index=True)
    seller_product_reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    variant_group_reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    category_code: Mapped[str] = mapped_column(String(6), index=True)
    language: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    brand: Mapped[str | None] = mapped_column(String(100), nullable=True)
    attributes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    pictures: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
