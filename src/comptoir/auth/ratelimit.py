"""Token quota per client (spec 3.1: 500 tokens per hour), in every profile.

The limit of `platform/limits.py`, counted in the store so that every API process sharing a Redis
store counts against the same quota, over wall time: a sandbox clock jump neither frees nor fills it.
"""

from __future__ import annotations

from dataclasses import replace

from comptoir.platform.limits import TOKENS, StoreCounter
from comptoir.platform.store import Store


class TokenQuota(StoreCounter):
    def __init__(self, per_hour: int, store: Store) -> None:
        super().__init__(replace(TOKENS, count=per_hour), store)

    @property
    def enabled(self) -> bool:
        """`COMPTOIR_TOKEN_RATE_LIMIT_PER_HOUR=0` turns the quota off."""
        return self.limit.count > 0
