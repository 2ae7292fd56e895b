"""Product integration in two steps, so that reports show Validated before Integrated, as in production."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from comptoir.catalog import integration, publishing
from comptoir.jobs import JobKind


@contextmanager
def gc_paused() -> Iterator[None]:
    """A 10,000-product package allocates about a million small objects and no reference cycles;
    cyclic collections over them doubled the time of these jobs (measured), so they wait until the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def integrate_products(session: Session, payload: dict[str, Any]) -> None:
    """Checks every product of the package and stores its report items."""
    with gc_paused():
        integration.validate_package(session, payload["package_id"], payload.get("creation_quota"))


def publish_products(session: Session, payload: dict[str, Any]) -> None:
    """Writes the Validated products to the catalogue and marks them Integrated."""
    with gc_paused():
        publishing.publish_package(session, payload["package_id"])


def refuse_products(session: Session, payload: dict[str, Any], code: str | None, message: str | None) -> None:
    """Sandbox policy `fail`, on either step: the package refused as a whole."""
    with gc_paused():
        integration.refuse_package(session, payload["package_id"], code, message)


JOBS = [
    JobKind(
        integration.INTEGRATE_JOB,
        integrate_products,
        fail=refuse_products,
        subject=integration.PROGRESS_KIND,
    ),
    JobKind(
        integration.PUBLISH_JOB, publish_products, fail=refuse_products, subject=integration.PROGRESS_KIND
    ),
]
