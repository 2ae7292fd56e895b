from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.discussions import states
from comptoir.jobs import JobKind


def escalate(session: Session, payload: dict[str, Any]) -> None:
    states.escalate_when_due(session, payload["discussion_id"], payload["due"])


JOBS = [JobKind(states.ESCALATE_JOB, escalate)]
