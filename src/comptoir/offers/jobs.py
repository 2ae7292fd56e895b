"""Offer package jobs. Each runs in one transaction with its job's completion and checks the package
state first, so a job run twice, or redone after a crashed worker, applies its offers once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from comptoir.jobs import JobKind
from comptoir.offers import packages, xml_packages


@contextmanager
def collector_paused() -> Iterator[None]:
    """A package builds millions of short-lived containers, none in a cycle (refcounting frees them):
    the collector's passes over them cost a third of an integration, so they wait until it ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def start_package(session: Session, payload: dict[str, Any]) -> None:
    packages.start_package(session, payload["package_id"])


def reject_package(session: Session, payload: dict[str, Any], code: str | None, message: str | None) -> None:
    packages.reject_package(session, payload["package_id"], code, message)


def integrate_package(session: Session, payload: dict[str, Any]) -> None:
    with collector_paused():
        packages.integrate_package(session, payload["package_id"])


def purge_results(session: Session, payload: dict[str, Any]) -> None:
    packages.purge_results(session, payload["package_id"])


def integrate_xml_package(session: Session, payload: dict[str, Any]) -> None:
    with collector_paused():
        xml_packages.integrate(
            session, payload["package_id"], url=payload["url"], allow_local=payload["allow_local"]
        )


def reject_xml_package(
    session: Session, payload: dict[str, Any], code: str | None, message: str | None
) -> None:
    xml_packages.reject(session, payload["package_id"], code, message)


JOBS = [
    JobKind("offers.start_package", start_package, fail=reject_package, subject=packages.PROGRESS_KIND),
    JobKind(
        "offers.integrate_package", integrate_package, fail=reject_package, subject=packages.PROGRESS_KIND
    ),
    JobKind("offers.purge_results", purge_results),
    JobKind(
        "offers.integrate_xml_package",
        integrate_xml_package,
        fail=reject_xml_package,
        subject=xml_packages.PROGRESS_KIND,
    ),
]
