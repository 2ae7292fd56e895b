"""Product referential (categories, properties, brands) and product integration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from comptoir.db import Base, UTCDateTime


class CompactJSON(TypeDecorator[Any]):
    """JSON kept as text and encoded with msgspec, several times faster than the json module on the
    tens of thousands of values a package writes and reads."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:  # noqa: ARG002 (SQLAlchemy calls it so)
        return None if value is None else msgspec.json.encode(value).decode()

    def process_result_value(self, value: str | None, dialect: Any) -> Any:  # noqa: ARG002 (SQLAlchemy calls it so)
        return None if value is None else msgspec.json.decode(value)


class Category(Base):
    """A node of the three-level category tree; only level-3 categories take products."""

    __tablename__ = "categories"

    reference: Mapped[str] = mapped_column(String(6), primary_key=True)
    parent_reference: Mapped[str | None] = mapped_column(
        ForeignKey("categories.reference"), nullable=True, index=True
    )
    # Ancestors from the root down, so that a page of categories needs no tree walk.
    parent_references: Mapped[list[str]] = mapped_column(JSON, default=list)
    level: Mapped[int] = mapped_column(Integer)
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    label_es: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_brand_mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    is_variant: Mapped[bool] = mapped_column(Boolean, default=False)
    # Properties of products of a level-3 category, in display order: [{"reference", "necessity"}]
    # (Mandatory, Recommended or Optional). A list on the row rather than a link table: the
    # integration job reads it in one query, and the demo referential, re-seeded before every test,
    # inserts 3x faster on PostgreSQL without 3,000 rows of foreign-key checks.
    properties: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)


class Property(Base):
    """A product property; the categories that use it say how (`Category.properties`)."""

    __tablename__ = "properties"

    reference: Mapped[str] = mapped_column(String(20), primary_key=True)
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    label_es: Mapped[str] = mapped_column(String(200))
    # Text, Number, List (values among `choices`) or File (URLs in one of `file_formats`)
    kind: Mapped[str] = mapped_column(String(10))
    is_variation: Mapped[bool] = mapped_column(Boolean, default=False)
    is_size: Mapped[bool] = mapped_column(Boolean, default=False)
    is_multi_valued: Mapped[bool] = mapped_column(Boolean, default=False)
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    file_formats: Mapped[list[str]] = mapped_column(JSON, default=list)


class Brand(Base):
    __tablename__ = "brands"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    # Casefolded name: products name their brand in any casing.
    name_key: Mapped[str] = mapped_column(String(100), unique=True)


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
    rich_marketing_description: Mapped[str | None] = mapped_column(Text, nullable=True)
    brand: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # [{"propertyReference", "values", "files"}], sorted by property reference
    attributes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Picture URLs in index order.
    pictures: Mapped[list[str]] = mapped_column(JSON, default=list)
    publication_completeness: Mapped[int] = mapped_column(Integer, default=0)
    # The package that last created or changed it (none for demo products).
    package_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProductPackage(Base):
    """One `POST /products-integration`: Pending -> Validated (checked) -> Integrated (written)."""

    __tablename__ = "product_packages"
    __table_args__ = (Index("ix_product_packages_seller_submitted", "seller_id", "submitted_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id"))
    status: Mapped[str] = mapped_column(String(12))
    product_count: Mapped[int] = mapped_column(Integer)
    # Language of products that do not give one (the request's Accept-Language).
    language: Mapped[str] = mapped_column(String(5))
    # The submitted products as JSON, until the job has turned them into report items.
    payload: Mapped[str | None] = mapped_column(Text, nullable=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    integrated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ReportItem(Base):
    """The verdict on one submitted product (spec 8.2)."""

    __tablename__ = "product_report_items"
    __table_args__ = (
        Index("ix_product_report_items_package_position", "package_id", "position"),
        Index("ix_product_report_items_seller_gtin", "seller_id", "gtin"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    package_id: Mapped[str] = mapped_column(ForeignKey("product_packages.id", ondelete="CASCADE"))
    seller_id: Mapped[str] = mapped_column(String(20))
    # Rank in the submitted list, from 0.
    position: Mapped[int] = mapped_column(Integer)
    # As submitted, cut to the column size when it is garbage anyway.
    gtin: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # Validated, Integrated or Refused
    status: Mapped[str] = mapped_column(String(12))
    # Creation, Modification or Identical
    operation_type: Mapped[str] = mapped_column(String(12))
    product_reference: Mapped[str | None] = mapped_column(String(20), nullable=True)
    publication_completeness: Mapped[int] = mapped_column(Integer)
    was_marketable: Mapped[bool] = mapped_column(Boolean)
    was_allowed_to_edit: Mapped[bool] = mapped_column(Boolean)
    # The product as understood: the `products` columns of domain.product_content.
    content: Mapped[dict[str, Any]] = mapped_column(CompactJSON)
    # {"errors": [...], "warnings": [...], "infos": [...]}
    messages: Mapped[dict[str, Any]] = mapped_column(CompactJSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CatalogSequence(Base):
    """Counters handed out in blocks, for product references."""

    __tablename__ = "catalog_sequences"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


# Bound parameters per IN list: a whole package's GTINs in one statement, under SQLite's 32,766 and
# PostgreSQL's 65,535. Smaller chunks repeat one statement, which psycopg then prepares and PostgreSQL
# plans generically: on a freshly filled table that meant sequential scans, 4x slower (measured).
IN_LIST = 10_000
