from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base


class PlatformState(Base):
    """Process-wide values every API and worker process must agree on (clock offset, signing key)."""

    __tablename__ = "platform_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class RateLimitCount(Base):
    """Uses of a rate limit counted in the database (`platform/limits.DatabaseCounter`): one row per
    limit, client or seller, and one-minute bucket of the window."""

    __tablename__ = "rate_limit_counts"

    limit_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    subject: Mapped[str] = mapped_column(String(100), primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
