"""Job handlers of cancellations, commercial gestures and order invoices (loaded by `orders.jobs`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.jobs import JobKind
from comptoir.orders import cancellations, gestures, invoices


def process_cancellation(session: Session, payload: dict[str, Any]) -> None:
    cancellations.process(session, payload["request_id"])


def process_gesture(session: Session, payload: dict[str, Any]) -> None:
    gestures.process(session, payload["request_id"])


def import_invoices(session: Session, payload: dict[str, Any]) -> None:
    invoices.process(session, payload["import_id"])


JOBS = [
    JobKind(cancellations.PROCESS_JOB, process_cancellation),
    JobKind(gestures.PROCESS_JOB, process_gesture),
    JobKind(invoices.IMPORT_JOB, import_invoices),
]
