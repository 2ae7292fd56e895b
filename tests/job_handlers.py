"""Job handlers used by the jobs tests, importable by a separate worker process too."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from comptoir.jobs import JobKind
from comptoir.platform import state

calls: dict[str, int] = {}


def counter(session: Session, name: str) -> int:
    return int(state.get(session, f"test-counter:{name}") or 0)


def _increment(session: Session, name: str) -> None:
    state.put(session, f"test-counter:{name}", str(counter(session, name) + 1))


def count(session: Session, payload: dict[str, Any]) -> None:
    _increment(session, payload["name"])


def gave_up(session: Session, payload: dict[str, Any]) -> None:
    _increment(session, payload["name"] + ":gave-up")


def flaky(session: Session, payload: dict[str, Any]) -> None:
    """Fails the first `failures` times it is called in this process."""
    name = payload["name"]
    calls[name] = calls.get(name, 0) + 1
    if calls[name] <= payload["failures"]:
        raise RuntimeError(f"planned failure {calls[name]}")
    _increment(session, name)


def slow_count(session: Session, payload: dict[str, Any]) -> None:
    """Counts, then, the first time only, signals through a file and hangs (to be killed)."""
    _increment(session, payload["name"])
    session.flush()
    marker = Path(payload["marker"])
    if not marker.exists():
        marker.write_text("started")
        time.sleep(payload["sleep"])


JOBS = [
    JobKind("test.count", count),
    JobKind("test.flaky", flaky, on_give_up=gave_up),
    JobKind("test.slow_count", slow_count),
]
