"""Additional platforms (sales channels offers can also be published on) and the commands that publish."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, UTCDateTime


class AdditionalPlatform(Base):
    """A sales channel the operator opened to Allegro-style publication, under a platform id (ALLEGRO_DE)."""

    __tablename__ = "additional_platforms"

    id: Mapped[str] = mapped_column(String(30), primary_key=True)
    sales_channel_id: Mapped[str] = mapped_column(
        ForeignKey("sales_channels.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlatformRate(Base):
    """Platform-currency units per unit of `source_currency`; an offer already in the platform's
    currency needs none."""

    __tablename__ = "additional_platform_rates"

    platform_id: Mapped[str] = mapped_column(
        ForeignKey("additional_platforms.id", ondelete="CASCADE"), primary_key=True
    )
    source_currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 6))


class PlatformCommand(Base):
    """A change-additional-platforms command: its id is the client's UUID, its input kept as sent."""

    __tablename__ = "additional_platform_commands"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"), index=True)
    offer_ids: Mapped[list[Any]] = mapped_column(JSON)
    platforms: Mapped[list[Any]] = mapped_column(JSON)
    # RUNNING -> SUCCESSFUL | PARTIAL_SUCCESS | ERROR
    status: Mapped[str] = mapped_column(String(20))
    # [{code, offerId, details}]; messages are rendered in the reader's language.
    errors: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
