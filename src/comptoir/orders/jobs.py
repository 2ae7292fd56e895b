from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.jobs import JobKind
from comptoir.orders import placement


def controls_unavailable(session: Session, payload: dict[str, Any]) -> None:
    placement.reject_unchecked(session, payload["order_id"])


def fail_controls(session: Session, payload: dict[str, Any], code: str | None, message: str | None) -> None:
    placement.reject_unchecked(session, payload["order_id"], code or placement.FAIL_REASON, message)


def run_controls(session: Session, payload: dict[str, Any]) -> None:
    placement.run_controls(session, payload["order_id"])


def prepare(session: Session, payload: dict[str, Any]) -> None:
    placement.prepare(session, payload["order_id"])


def expire_acceptance(session: Session, payload: dict[str, Any]) -> None:
    placement.expire_acceptance(session, payload["order_id"])


JOBS = [
    JobKind(
        "orders.run_controls",
        run_controls,
        on_give_up=controls_unavailable,
        fail=fail_controls,
        subject=placement.PROGRESS_KIND,
    ),
    # Preparing follows controls that passed: it cannot end the order Rejected, so it has no `fail`.
    JobKind("orders.prepare", prepare, subject=placement.PROGRESS_KIND),
    JobKind("orders.expire_acceptance", expire_acceptance),
]
