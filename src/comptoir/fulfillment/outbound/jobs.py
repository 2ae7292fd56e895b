"""The warehouse's steps on a shipping order: its checks, then (sandbox) preparation and shipment,
all one object for the sandbox progress policies (`outbound-shipments`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.fulfillment.outbound import service
from comptoir.jobs import JobKind


def validate(session: Session, payload: dict[str, Any]) -> None:
    service.validate(session, payload["shipment_id"])


def prepare(session: Session, payload: dict[str, Any]) -> None:
    service.prepare_step(session, payload["shipment_id"])


def ship(session: Session, payload: dict[str, Any]) -> None:
    service.ship_step(session, payload["shipment_id"])


def fail(session: Session, payload: dict[str, Any], code: str | None, message: str | None) -> None:
    service.fail(session, payload["shipment_id"], code, message)


def give_up(session: Session, payload: dict[str, Any]) -> None:
    service.give_up(session, payload["shipment_id"])


JOBS = [
    JobKind(service.VALIDATE_JOB, validate, on_give_up=give_up, fail=fail, subject=service.PROGRESS_KIND),
    JobKind(service.PREPARE_JOB, prepare, fail=fail, subject=service.PROGRESS_KIND),
    JobKind(service.SHIP_JOB, ship, fail=fail, subject=service.PROGRESS_KIND),
]
