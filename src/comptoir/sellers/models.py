from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, ForeignKeyConstraint, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, UTCDateTime


class Seller(Base):
    __tablename__ = "sellers"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    login: Mapped[str] = mapped_column(String(100))
    shop_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    seller_state: Mapped[str] = mapped_column(String(20), default="Activated")
    seller_sub_state: Mapped[str] = mapped_column(String(20), default="ActiveSeller")
    subscription_step: Mapped[str] = mapped_column(String(30), default="Finished")
    auto_accept_order: Mapped[bool] = mapped_column(Boolean, default=False)
    fulfillment_profile_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    company_name: Mapped[str] = mapped_column(String(200), default="")
    legal_form: Mapped[str] = mapped_column(String(40), default="")
    siret: Mapped[str] = mapped_column(String(20), default="")
    vat_number: Mapped[str] = mapped_column(String(20), default="")
    share_capital: Mapped[int] = mapped_column(Integer, default=0)
    # lenient or production; None follows the server's COMPTOIR_PROFILE.
    fidelity_profile: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SellerAddress(Base):
    __tablename__ = "seller_addresses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"), index=True)
    # Billing, Shipping (where the seller ships from), Return
    type: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(300))
    address_complement: Mapped[str] = mapped_column(String(300), default="")
    zip_code: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))


class Subscription(Base):
    __tablename__ = "seller_subscriptions"
    __table_args__ = (UniqueConstraint("seller_id", "sales_channel_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"), index=True)
    sales_channel_id: Mapped[str] = mapped_column(ForeignKey("sales_channels.id", ondelete="CASCADE"))
    # Active, Suspended, Terminated
    status: Mapped[str] = mapped_column(String(20), default="Active")
    # What the seller last asked for on this subscription: Subscribe, Unsubscribe
    action: Mapped[str] = mapped_column(String(20), default="Subscribe")
    offer_currency: Mapped[str] = mapped_column(String(3))
    payment_currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SellerDeliveryMode(Base):
    """The delivery modes a seller may use on a channel, among those the channel offers."""

    __tablename__ = "seller_delivery_modes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["sales_channel_id", "code"],
            ["channel_delivery_modes.channel_id", "channel_delivery_modes.code"],
            ondelete="CASCADE",
        ),
    )

    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"), primary_key=True)
    sales_channel_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(20), primary_key=True)


class Carrier(Base):
    __tablename__ = "carriers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Not unique, as in production: one code may stand for several labels.
    code: Mapped[str] = mapped_column(String(40), index=True)
    label: Mapped[str] = mapped_column(String(100))
