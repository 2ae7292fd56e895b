from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.jobs import JobKind
from comptoir.orders.invoices import service


def import_invoices(session: Session, payload: dict[str, Any]) -> None:
    service.process(session, payload["import_id"])


JOBS = [JobKind(service.IMPORT_JOB, import_invoices)]
