"""The app-scoped container: everything one app holds for its lifetime, built once by `create_app`.

Handlers receive it (or the part they need) by injection; nothing here is a module global, so two
apps in one process (tests) or several processes (a deployment) never share state by accident, and
what several processes must agree on goes through the store or the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from anyio import CapacityLimiter
from sqlalchemy import Connection

from comptoir.auth import TokenQuota, Tokens
from comptoir.clock import Clock
from comptoir.db import Database
from comptoir.platform import state
from comptoir.platform.profiles import SellerProfiles
from comptoir.platform.store import Store, open_store
from comptoir.sandbox.recording import RequestLog
from comptoir.settings import Settings


class Cache(Protocol):
    def clear(self) -> None: ...


C = TypeVar("C", bound=Cache)

# The platform_state key that every reset or snapshot restore moves (see `follow_generation`).
GENERATION = "state_generation"


class AppContext:
    # A plain class, not a dataclass: Litestar would try to rebuild a dataclass field by field
    # when it injects it.
    def __init__(
        self,
        *,
        settings: Settings,
        db: Database,
        clock: Clock,
        store: Store,
        tokens: Tokens,
        quota: TokenQuota,
        indicators: Mapping[str, Any],
        profiles: SellerProfiles,
    ) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock
        self.store = store
        self.tokens = tokens
        self.quota = quota
        # The seller indicators' counters, provided by the features that own the events they count.
        self.indicators = indicators
        self.profiles = profiles
        # Commits wait on threads of their own. On the handlers' threads, requests holding pooled
        # connections until a thread is free to commit them, while every thread waits for a
        # connection, hung the server under wrk at 32 connections.
        self.commit_threads = CapacityLimiter(16)
        self._caches: dict[type[Any], Cache] = {}
        self._lock = threading.Lock()
        # The sandbox's request log (`create_app` sets it in sandbox mode).
        self.request_log: RequestLog | None = None
        self._generation: str | None = None
        self._generation_seen = False

    @classmethod
    def build(
        cls,
        settings: Settings,
        db: Database,
        clock: Clock,
        indicators: Mapping[str, Any],
        profile_of: Callable[[Connection, str], str | None],
    ) -> AppContext:
        store = open_store(settings.redis_url, settings.redis_prefix)

        def load_profile(seller_id: str) -> str | None:
            with db.read_connection() as conn:
                return profile_of(conn, seller_id)

        return cls(
            settings=settings,
            db=db,
            clock=clock,
            store=store,
            tokens=Tokens(),
            quota=TokenQuota(settings.token_rate_limit_per_hour, store),
            indicators=indicators,
            profiles=SellerProfiles(settings.profile, load_profile),
        )

    def cache(self, kind: type[C], factory: Callable[[], C] | None = None) -> C:
        """This app's instance of a feature's cache, made on first use."""
        found = self._caches.get(kind)
        if found is None:
            with self._lock:
                found = self._caches.get(kind)
                if found is None:
                    found = (factory or kind)()
                    self._caches[kind] = found
        return found  # type: ignore[return-value]

    def forget(self) -> None:
        """Empties every cache and the store: what they held may describe rows that are gone."""
        for cache in list(self._caches.values()):
            cache.clear()
        self.profiles.clear()
        self.store.clear()

    def follow_clock(self) -> None:
        """Reads the platform clock's offset from the database, where whichever process moved it
        wrote it, and the state generation; sandbox mode does this on every request so that every
        process agrees."""
        with self.db.read_connection() as conn:
            state.load_clock(conn)
            generation = state.get(conn, GENERATION)
        self.follow_generation(generation)

    def follow_generation(self, generation: str | None) -> None:
        """Forgets every cache when the database was reset or restored (by any process) since this
        one last looked; the first look only notes the generation, nothing being cached before it."""
        if generation != self._generation:
            if self._generation_seen:
                self.forget()
            self._generation = generation
        self._generation_seen = True

    def close(self) -> None:
        self.store.close()
