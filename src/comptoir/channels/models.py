from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, UTCDateTime


class SalesChannel(Base):
    __tablename__ = "sales_channels"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3))
    country_code: Mapped[str] = mapped_column(String(2), default="FR")
    # Cdiscount asks sellers to accept orders; Octopia channels accept them automatically.
    manual_acceptance: Mapped[bool] = mapped_column(Boolean, default=False)
    line_level_management: Mapped[bool] = mapped_column(Boolean, default=True)
    partial_shipment: Mapped[bool] = mapped_column(Boolean, default=True)
    acceptance_deadline_hours: Mapped[int] = mapped_column(Integer, default=48)
    # A discussion the seller leaves unanswered this long escalates by itself (Discussion, Claim, Level_1).
    discussion_escalation_hours: Mapped[int] = mapped_column(Integer, default=48)
    # Percent of goods and shipping, VAT included, kept by the marketplace on each order line.
    commission_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("15"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChannelDeliveryMode(Base):
    __tablename__ = "channel_delivery_modes"

    channel_id: Mapped[str] = mapped_column(
        ForeignKey("sales_channels.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    delivery_delay: Mapped[int] = mapped_column(Integer, default=0)
    is_express_delivery: Mapped[bool] = mapped_column(Boolean, default=False)
    more_than_30kg_product: Mapped[bool] = mapped_column(Boolean, default=False)
