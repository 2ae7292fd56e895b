from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.jobs import JobKind
from comptoir.orders.invoices import service


def import_invoices(session: Session, payload: dict[str, Any]) -> None:
    service.process(session, payload["import_id"])


def refuse_invoices(session: Session, payload: dict[str, Any], code: str | None, message: str | None) -> None:
    service.refuse(session, payload["import_id"], code, message)


JOBS = [JobKind(service.IMPORT_JOB, import_invoices, fail=refuse_invoices, subject=service.PROGRESS_KIND)]
