"""The feature modules, in one place: their tables for Alembic and their job handlers for workers."""

from __future__ import annotations

import importlib

FEATURES = ["platform", "jobs", "auth", "channels", "sellers", "catalog", "offers", "orders", "commands"]


def load_models() -> None:
    for name in FEATURES:
        importlib.import_module(f"comptoir.{name}.models")


def load_jobs() -> None:
    for name in FEATURES:
        try:
            importlib.import_module(f"comptoir.{name}.jobs")
        except ModuleNotFoundError as exc:
            if exc.name != f"comptoir.{name}.jobs":
                raise
