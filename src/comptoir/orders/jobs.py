from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.jobs import handler

# requests_jobs registers the handlers of cancellations, gestures and order invoices.
from comptoir.orders import requests_jobs, service  # noqa: F401


def controls_unavailable(session: Session, payload: dict[str, Any]) -> None:
    service.reject_unchecked(session, payload["order_id"])


@handler("orders.run_controls", on_give_up=controls_unavailable)
def run_controls(session: Session, payload: dict[str, Any]) -> None:
    service.run_controls(session, payload["order_id"])


@handler("orders.prepare")
def prepare(session: Session, payload: dict[str, Any]) -> None:
    service.prepare(session, payload["order_id"])


@handler("orders.expire_acceptance")
def expire_acceptance(session: Session, payload: dict[str, Any]) -> None:
    service.expire_acceptance(session, payload["order_id"])
