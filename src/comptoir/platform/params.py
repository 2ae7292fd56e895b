"""Request values every feature reads the same way: lists, timestamps, preferred languages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from comptoir.clock import parse_iso
from comptoir.errors import ValidationFailed


def csv_values(values: str | Sequence[str] | None) -> list[str]:
    """Comma-separated values, repeated parameters, or both (clients send either)."""
    items = [values] if isinstance(values, str) else values or ()
    return [v.strip() for value in items for v in value.split(",") if v.strip()]


def timestamp(name: str, value: str | None) -> datetime | None:
    """An ISO-8601 filter value, or a 400 naming the parameter."""
    if not value:
        return None
    try:
        return parse_iso(value)
    except ValueError as exc:
        raise ValidationFailed.field(name, f"{name} must be an ISO-8601 date or timestamp.") from exc


def preferred_language(accept_language: str | None, supported: Sequence[str], default: str) -> str:
    """The supported language an `Accept-Language` header prefers most (q-values, then order).

    An exact tag wins; otherwise a bare primary tag (`pl`) or another region (`fr-BE`) picks the
    supported variant of that language.
    """
    ranges: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.partition(";")
        tag = tag.strip().lower()
        if not tag:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight > 0:
            ranges.append((-weight, position, tag))
    for _, _, tag in sorted(ranges):
        if tag == "*":
            return default
        for language in supported:
            if tag == language.lower():
                return language
        primary = tag.split("-", 1)[0]
        for language in supported:
            if language.lower().split("-", 1)[0] == primary:
                return language
    return default
