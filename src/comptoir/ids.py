"""Identifiers handed to clients."""

from __future__ import annotations

import secrets
import string
import uuid

_ALNUM = string.ascii_uppercase + string.digits


def new_uuid() -> str:
    return str(uuid.uuid4())


def trace_id() -> str:
    """W3C trace-context form, as ASP.NET Core renders it: 00-<32 hex>-<16 hex>-00."""
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00"


def token(n_bytes: int = 24) -> str:
    return secrets.token_urlsafe(n_bytes)


def alnum(length: int) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(length))
