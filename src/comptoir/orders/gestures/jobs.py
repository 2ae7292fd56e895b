from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.jobs import JobKind
from comptoir.orders.gestures import service


def process_gesture(session: Session, payload: dict[str, Any]) -> None:
    service.process(session, payload["request_id"])


def reject_gesture(session: Session, payload: dict[str, Any], code: str | None, message: str | None) -> None:
    service.reject(session, payload["request_id"], code, message)


JOBS = [JobKind(service.PROCESS_JOB, process_gesture, fail=reject_gesture, subject=service.PROGRESS_KIND)]
