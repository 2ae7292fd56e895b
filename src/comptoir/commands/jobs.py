"""The job that runs a change-additional-platforms command (idempotent: see `service.run_command`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.commands import service
from comptoir.jobs import JobKind


def give_up(session: Session, payload: dict[str, Any]) -> None:
    service.give_up(session, payload["command_id"])


def fail_command(session: Session, payload: dict[str, Any], code: str | None, message: str | None) -> None:
    service.give_up(session, payload["command_id"], code, message)


def change_additional_platforms(session: Session, payload: dict[str, Any]) -> None:
    service.run_command(session, payload["command_id"])


JOBS = [
    JobKind(
        service.JOB_KIND,
        change_additional_platforms,
        on_give_up=give_up,
        fail=fail_command,
        subject=service.PROGRESS_KIND,
    ),
]
