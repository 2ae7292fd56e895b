"""The sandbox's request log: what connectors sent and what they were answered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, UTCDateTime


class SandboxRequest(Base):
    """One API call. `request` and `response` are JSON documents of the headers, content type, size
    and the body as logged (cut at a size limit, secrets masked; none for binary bodies), kept as
    text: the writer encodes them with msgspec (0.5 us a document here, against 4 us for the JSON
    type's json.dumps)."""

    __tablename__ = "sandbox_requests"
    __table_args__ = (
        Index("ix_sandbox_requests_seller", "seller_id", "id"),
        Index("ix_sandbox_requests_trace", "trace_id"),
        Index("ix_sandbox_requests_at", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    # The platform clock's time (what the connector's deadlines saw) and the wall time.
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    wall_at: Mapped[datetime] = mapped_column(UTCDateTime())
    seller_id: Mapped[str | None] = mapped_column(String(50), nullable=True)
    client_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    method: Mapped[str] = mapped_column(String(16))
    path: Mapped[str] = mapped_column(String(2000))
    query: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[float] = mapped_column(Float)
    trace_id: Mapped[str] = mapped_column(String(64))
    request: Mapped[str] = mapped_column(Text)
    response: Mapped[str] = mapped_column(Text)
