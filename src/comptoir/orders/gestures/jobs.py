from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.jobs import JobKind
from comptoir.orders.gestures import service


def process_gesture(session: Session, payload: dict[str, Any]) -> None:
    service.process(session, payload["request_id"])


JOBS = [JobKind(service.PROCESS_JOB, process_gesture)]
