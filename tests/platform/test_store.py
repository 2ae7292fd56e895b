"""The store, in memory and on Redis (CI starts one; set COMPTOIR_TEST_REDIS_URL to run those here),
and what goes through it: a token quota that several processes share."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from comptoir import clock, features
from comptoir.api.context import AppContext
from comptoir.auth import TokenQuota
from comptoir.db import Database
from comptoir.platform.store import MemoryStore, RedisStore, Store
from comptoir.settings import Settings

REDIS_URL = os.environ.get("COMPTOIR_TEST_REDIS_URL")


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    if not REDIS_URL:
        pytest.skip("COMPTOIR_TEST_REDIS_URL is not set")
    redis_store = RedisStore(REDIS_URL, prefix=f"comptoir-test-{uuid.uuid4().hex}:")
    yield redis_store
    redis_store.clear()
    redis_store.close()


def test_counters_add_up_and_values_round_trip(store: Store) -> None:
    assert store.incr("n", 2, ttl_seconds=60) == 2
    assert store.incr("n", -1, ttl_seconds=60) == 1
    store.set("k", b"v", ttl_seconds=60)
    assert store.get("k") == b"v"
    assert store.get_many(["k", "n", "absent"]) == [b"v", b"1", None]
    store.clear()
    assert store.get("k") is None


def test_values_expire() -> None:
    memory = MemoryStore()
    memory.set("k", b"v", ttl_seconds=0)
    assert memory.get("k") is None


def test_memory_store_stays_bounded() -> None:
    memory = MemoryStore(max_keys=10)
    for i in range(100):
        memory.set(f"k{i}", b"v", ttl_seconds=60)
    assert memory.get("k99") == b"v"
    assert sum(v is not None for v in memory.get_many([f"k{i}" for i in range(100)])) <= 10


def test_quota_is_shared_by_every_process_on_one_store(store: Store) -> None:
    # Two API processes are two TokenQuota objects over the same store.
    first, second = TokenQuota(3, store), TokenQuota(3, store)
    now = datetime(2030, 1, 1, 12, 0, 30, tzinfo=UTC)
    assert [first.take("c", now)[1].remaining, second.take("c", now)[1].remaining] == [2, 1]
    assert first.take("c", now)[0] is True
    allowed, usage = second.take("c", now)
    assert not allowed and usage.used == 3 and 0 < usage.reset_seconds <= 3600
    assert [u.subject for u in second.usages(now)] == ["c"]
    # A refused token is not counted: the quota frees up an hour after the first three.
    assert first.take("c", now + timedelta(minutes=61))[0] is True
    assert first.take("other", now)[0] is True
    second.reset()
    assert first.usages(now) == [] and first.usage("c", now).used == 0


def test_keys_by_prefix_and_delete(store: Store) -> None:
    store.incr("limit:a:x:1", 1, ttl_seconds=60)
    store.incr("limit:a:y:1", 1, ttl_seconds=60)
    store.incr("limit:b:x:1", 1, ttl_seconds=60)
    assert sorted(store.keys("limit:a:")) == ["limit:a:x:1", "limit:a:y:1"]
    store.delete(store.keys("limit:a:"))
    assert store.keys("limit:a:") == [] and store.get("limit:b:x:1") == b"1"


def test_the_app_counts_in_redis_when_told_to(settings: Settings, db: Database) -> None:
    if not REDIS_URL:
        pytest.skip("COMPTOIR_TEST_REDIS_URL is not set")
    shared = replace(settings, redis_url=REDIS_URL, redis_prefix=f"comptoir-test-{uuid.uuid4().hex}:")
    profile_of = features.seller_profile_reader()
    first = AppContext.build(shared, db, clock.clock, {}, profile_of)
    second = AppContext.build(shared, db, clock.clock, {}, profile_of)
    assert isinstance(first.store, RedisStore)
    first.store.incr("seen", 1, ttl_seconds=60)
    assert second.store.get("seen") == b"1"
    first.store.clear()
    first.close()
    second.close()
