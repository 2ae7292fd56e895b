"""Identifiers handed to clients."""

from __future__ import annotations

import secrets
import string
import uuid


def new_uuid() -> str:
    return str(uuid.uuid4())


def trace_id() -> str:
    """W3C trace-context form, as ASP.NET Core renders it: 00-<32 hex>-<16 hex>-00."""
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00"


def token(n_bytes: int = 24) -> str:
    return secrets.token_urlsafe(n_bytes)


def letters(count: int) -> str:
    """Random capital letters A to Z: the Cdiscount-like order and line ids."""
    return "".join(secrets.choice(string.ascii_uppercase) for _ in range(count))
