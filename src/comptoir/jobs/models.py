from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from comptoir.db import Base, UTCDateTime


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    # Sandbox progress policies `after-polls` and `manual`: queued, but not claimable until released.
    HELD = "held"


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_ready", "status", "run_at"),
        Index("ix_jobs_subject", "subject_kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # (held ->) queued -> running -> done | (queued again with backoff) | failed
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    worker_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The object this job moves forward (a package, a command...), by the kind and id clients see:
    # what the sandbox progress controls address.
    subject_kind: Mapped[str | None] = mapped_column(String(40), nullable=True)
    subject_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    # `fail`: the job ends its object rejected (the kind's `fail` hook) instead of running.
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)


class JobSubject(Base):
    """How one object progresses, decided from the sandbox policy when its first job was enqueued and
    kept for its whole life (a policy changed later applies to objects created later)."""

    __tablename__ = "job_subjects"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    subject_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    seller_id: Mapped[str | None] = mapped_column(String(20), nullable=True)
    mode: Mapped[str] = mapped_column(String(16))
    delay_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    polls: Mapped[int] = mapped_column(Integer, default=0)
    polls_needed: Mapped[int] = mapped_column(Integer, default=0)
    result_code: Mapped[str | None] = mapped_column(String(100), nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
