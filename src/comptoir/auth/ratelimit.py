"""Token quota per client (production: 500 tokens per hour), kept in this process's memory."""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta

WINDOW = timedelta(hours=1)


class TokenQuota:
    def __init__(self, per_hour: int) -> None:
        self.per_hour = per_hour
        self._issued: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def take(self, client_id: str, now: datetime) -> int | None:
        """Counts one token for the client; returns the seconds to wait instead when over quota."""
        if self.per_hour <= 0:
            return None
        with self._lock:
            issued = self._issued.setdefault(client_id, deque())
            while issued and issued[0] <= now - WINDOW:
                issued.popleft()
            if len(issued) >= self.per_hour:
                return max(1, int((issued[0] + WINDOW - now).total_seconds()) + 1)
            issued.append(now)
            return None
