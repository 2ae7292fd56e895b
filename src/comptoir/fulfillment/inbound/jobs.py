from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.fulfillment.inbound import service
from comptoir.jobs import JobKind


def validate(session: Session, payload: dict[str, Any]) -> None:
    service.validate(session, payload["shipment_id"])


def validation_unavailable(session: Session, payload: dict[str, Any]) -> None:
    service.validation_unavailable(session, payload["shipment_id"])


def move_to_transit(session: Session, payload: dict[str, Any]) -> None:
    service.move_to_transit(session, payload["shipment_id"])


def receive_as_announced(session: Session, payload: dict[str, Any]) -> None:
    service.receive_as_announced(session, payload["shipment_id"])


def refuse(session: Session, payload: dict[str, Any], code: str | None, message: str | None) -> None:
    service.refuse(session, payload["shipment_id"], code, message)


# Every step before the count may end refused: at the checks, or turned away at the warehouse's dock.
JOBS = [
    JobKind(
        service.VALIDATE_JOB,
        validate,
        on_give_up=validation_unavailable,
        fail=refuse,
        subject=service.PROGRESS_KIND,
    ),
    JobKind(service.TRANSIT_JOB, move_to_transit, fail=refuse, subject=service.PROGRESS_KIND),
    JobKind(service.RECEIVE_JOB, receive_as_announced, fail=refuse, subject=service.PROGRESS_KIND),
]
