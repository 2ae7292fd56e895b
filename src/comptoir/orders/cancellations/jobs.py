from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.jobs import JobKind
from comptoir.orders.cancellations import opening, settlement


def process_cancellation(session: Session, payload: dict[str, Any]) -> None:
    settlement.process(session, payload["request_id"])


def refuse_cancellation(
    session: Session, payload: dict[str, Any], code: str | None, message: str | None
) -> None:
    settlement.refuse(session, payload["request_id"], code, message)


JOBS = [
    JobKind(
        opening.PROCESS_JOB, process_cancellation, fail=refuse_cancellation, subject=opening.PROGRESS_KIND
    )
]
