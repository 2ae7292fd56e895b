"""Fidelity profiles: how closely comptoir copies production's quirks for a seller.

`lenient` (the default) is the friendly sandbox; `production` turns on what a real client must cope
with (406 on an Accept it cannot satisfy, bare category references, capped and unpaginated product
reports, the hourly product-creation quota, filters production ignores). The server sets the default
(`COMPTOIR_PROFILE`); the operator may set one per seller.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal

Profile = Literal["lenient", "production"]
PROFILES: tuple[Profile, ...] = ("lenient", "production")
LENIENT: Profile = "lenient"
PRODUCTION: Profile = "production"


def parse_profile(value: str | None, default: Profile = LENIENT) -> Profile:
    if value is None or value == "":
        return default
    for name in PROFILES:
        if value.strip().lower() == name:
            return name
    raise ValueError(f"unknown profile {value!r}; one of {', '.join(PROFILES)}")


class SellerProfiles:
    """Each seller's profile, read from the database at most every `ttl` seconds: the seller guard
    asks on every request, and an operator's change reaches every process within that time."""

    def __init__(self, default: Profile, load: Callable[[str], str | None], ttl: float = 2.0) -> None:
        self.default = default
        self._load = load
        self._ttl = ttl
        self._known: dict[str, tuple[float, Profile]] = {}
        self._lock = threading.Lock()

    def of(self, seller_id: str) -> Profile:
        now = time.monotonic()
        known = self._known.get(seller_id)
        if known is not None and known[0] > now:
            return known[1]
        profile = parse_profile(self._load(seller_id), self.default)
        with self._lock:
            self._known[seller_id] = (now + self._ttl, profile)
        return profile

    def forget(self, seller_id: str) -> None:
        """This process sees a change it made at once; the others within `ttl`."""
        with self._lock:
            self._known.pop(seller_id, None)

    def clear(self) -> None:
        with self._lock:
            self._known.clear()
