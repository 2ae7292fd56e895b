"""Identifiers handed to clients.

Object ids and trace ids come from one generator, which a sandbox reset may seed so that the same
seed, policies and clock moves give the same ids on every run (in one API process). Secrets never
come from it."""

from __future__ import annotations

import random
import secrets
import string
import threading
import uuid

_lock = threading.Lock()
_generator: random.Random = random.SystemRandom()


def reseed(seed: int | None) -> None:
    """Deterministic ids from `seed` on (sandbox), or back to the system's randomness with None."""
    global _generator
    with _lock:
        _generator = random.SystemRandom() if seed is None else random.Random(seed)


def _bits(count: int) -> int:
    with _lock:
        return _generator.getrandbits(count)


def new_uuid() -> str:
    return str(uuid.UUID(int=_bits(128), version=4))


def trace_id() -> str:
    """W3C trace-context form, as ASP.NET Core renders it: 00-<32 hex>-<16 hex>-00."""
    return f"00-{_bits(128):032x}-{_bits(64):016x}-00"


def token(n_bytes: int = 24) -> str:
    return secrets.token_urlsafe(n_bytes)


def letters(count: int) -> str:
    """Random capital letters A to Z: the Cdiscount-like order and line ids."""
    with _lock:
        return "".join(_generator.choice(string.ascii_uppercase) for _ in range(count))
