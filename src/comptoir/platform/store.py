"""The store: counters and small values that every API and worker process must agree on.

In memory by default (one process: the demo, a laptop, a connector's CI); Redis when
`COMPTOIR_REDIS_URL` is set, so that quotas and page-walk memory hold across processes and hosts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Protocol


class Store(Protocol):
    def incr(self, key: str, amount: int, *, ttl_seconds: int) -> int:
        """Adds `amount` to the counter `key` (0 when absent) and returns it; it expires after the TTL."""
        ...

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]: ...

    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None: ...

    def keys(self, prefix: str) -> list[str]:
        """The live keys that start with `prefix` (sandbox views of counters, not a request path)."""
        ...

    def delete(self, keys: Sequence[str]) -> None: ...

    def clear(self) -> None:
        """Forgets everything (tests start from a known state)."""
        ...

    def close(self) -> None: ...


class MemoryStore:
    """A dict with expiry; bounded so that a flood of keys cannot grow it without limit."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self._values: dict[str, tuple[float, bytes]] = {}
        self._lock = threading.Lock()
        self._max_keys = max_keys

    def _live(self, key: str, now: float) -> bytes | None:
        item = self._values.get(key)
        if item is None:
            return None
        if item[0] <= now:
            del self._values[key]
            return None
        return item[1]

    def _put(self, key: str, value: bytes, expires: float, now: float) -> None:
        if len(self._values) >= self._max_keys and key not in self._values:
            for stale in [k for k, (at, _) in self._values.items() if at <= now]:
                del self._values[stale]
            if len(self._values) >= self._max_keys:
                self._values.pop(next(iter(self._values)))
        self._values[key] = (expires, value)

    def incr(self, key: str, amount: int, *, ttl_seconds: int) -> int:
        now = time.monotonic()
        with self._lock:
            current = self._live(key, now)
            value = (int(current) if current is not None else 0) + amount
            expires = self._values[key][0] if current is not None else now + ttl_seconds
            self._put(key, str(value).encode(), expires, now)
            return value

    def get(self, key: str) -> bytes | None:
        with self._lock:
            return self._live(key, time.monotonic())

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        now = time.monotonic()
        with self._lock:
            return [self._live(k, now) for k in keys]

    def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None:
        now = time.monotonic()
        with self._lock:
            self._put(key, value, now + ttl_seconds, now)

    def keys(self, prefix: str) -> list[str]:
        now = time.monotonic()
        with self._lock:
            return [k for k, (at, _) in self._values.items() if k.startswith(prefix) and at > now]

    def delete(self, keys: Sequence[str]) -> None:
        with self._lock:
            for key in keys:
                self._values.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def close(self) -> None:
        self.clear()


class RedisStore:
    """The same operations on a Redis server, under a key prefix so that one server serves several."""

    def __init__(self, url: str, prefix: str = "comptoir:") -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix

    def incr(self, key: str, amount: int, *, ttl_seconds: int) -> int:
        name = self._prefix + key
        pipe = self._redis.pipeline()
        pipe.incrby(name, amount)
        # NX: the first increment of a window sets its expiry; later ones leave it.
        pipe.expire(name, ttl_seconds, nx=True)
        value, _ = pipe.execute()
        return int(value)

    def get(self, key: str) -> bytes | None:
        value = self._redis.get(self._prefix + key)
        return value if isinstance(value, bytes) else None

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        if not keys:
            return []
        values = self._redis.mget([self._prefix + k for k in keys])
        return [v if isinstance(v, bytes) else None for v in values]

    def set(self, key: str, value: bytes, *, ttl_seconds: int) -> None:
        self._redis.set(self._prefix + key, value, ex=ttl_seconds)

    def keys(self, prefix: str) -> list[str]:
        start = len(self._prefix)
        return [
            name.decode()[start:]
            for name in self._redis.scan_iter(match=self._glob(self._prefix + prefix) + "*", count=1000)
        ]

    def delete(self, keys: Sequence[str]) -> None:
        if keys:
            self._redis.delete(*(self._prefix + k for k in keys))

    @staticmethod
    def _glob(text: str) -> str:
        """`text` matched literally in a SCAN pattern."""
        return "".join("\\" + c if c in "*?[]\\" else c for c in text)

    def clear(self) -> None:
        names = list(self._redis.scan_iter(match=self._prefix + "*", count=1000))
        if names:
            self._redis.delete(*names)

    def close(self) -> None:
        self._redis.close()


def open_store(redis_url: str | None, prefix: str = "comptoir:") -> Store:
    return RedisStore(redis_url, prefix) if redis_url else MemoryStore()
