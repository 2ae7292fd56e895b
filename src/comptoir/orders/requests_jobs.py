"""Job handlers of cancellations, commercial gestures and order invoices (loaded by `orders.jobs`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.jobs import handler
from comptoir.orders import cancellations, gestures, invoices


@handler(cancellations.PROCESS_JOB)
def process_cancellation(session: Session, payload: dict[str, Any]) -> None:
    cancellations.process(session, payload["request_id"])


@handler(gestures.PROCESS_JOB)
def process_gesture(session: Session, payload: dict[str, Any]) -> None:
    gestures.process(session, payload["request_id"])


@handler(invoices.IMPORT_JOB)
def import_invoices(session: Session, payload: dict[str, Any]) -> None:
    invoices.process(session, payload["import_id"])
