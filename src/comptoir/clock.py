"""The platform clock: system time, shifted by an offset that only sandbox mode may set.

The offset (and the frozen instant, when a sandbox froze time) is kept in the database (see
`platform/state`) so that a separate worker process follows the same clock as the API; each process
caches it and reloads it when told to.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    """Either running (system time plus an offset) or frozen at one instant (sandbox only)."""

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._frozen_at: datetime | None = None
        self._lock = threading.Lock()

    def now(self) -> datetime:
        frozen = self._frozen_at
        return frozen if frozen is not None else datetime.now(UTC) + self._offset

    @property
    def offset(self) -> timedelta:
        return self._offset

    @property
    def frozen_at(self) -> datetime | None:
        return self._frozen_at

    def follow(self, offset: timedelta, frozen_at: datetime | None = None) -> None:
        with self._lock:
            self._offset, self._frozen_at = offset, frozen_at


clock = Clock()


def now() -> datetime:
    return clock.now()


def iso_z(value: datetime | None) -> str | None:
    """`2026-03-19T09:57:29Z` style, used on orders."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + "Z"


def iso_net(value: datetime | None) -> str | None:
    """.NET style with 7 fractional digits and an explicit offset, used on packages and products."""
    if value is None:
        return None
    v = value.astimezone(UTC)
    return v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond:06d}0+00:00"


def parse_iso(text: str) -> datetime:
    """Any ISO-8601 timestamp a client sends in a filter; naive values are taken as UTC."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    # .NET sends 7 fractional digits; Python reads at most 6.
    if "." in value:
        head, _, rest = value.partition(".")
        digits = ""
        while rest and rest[0].isdigit():
            digits, rest = digits + rest[0], rest[1:]
        value = f"{head}.{digits[:6]}{rest}" if digits else head + rest
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def system_now() -> datetime:
    """Wall time, for leases and rate limits: a sandbox clock jump must not expire them."""
    return datetime.now(UTC)
