from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.jobs import JobKind
from comptoir.orders.cancellations import opening, settlement


def process_cancellation(session: Session, payload: dict[str, Any]) -> None:
    settlement.process(session, payload["request_id"])


JOBS = [JobKind(opening.PROCESS_JOB, process_cancellation)]
