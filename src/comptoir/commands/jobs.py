"""The job that runs a change-additional-platforms command (idempotent: see `service.run_command`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from comptoir.commands import service
from comptoir.jobs import handler


@handler(service.JOB_KIND)
def change_additional_platforms(session: Session, payload: dict[str, Any]) -> None:
    service.run_command(session, payload["command_id"])
