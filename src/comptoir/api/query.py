"""Query parameter names matched case-insensitively (clients send `Cursor` as well as `cursor`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode


class QueryNameMiddleware:
    def __init__(self, app: Any, names: set[str]) -> None:
        self.app = app
        self.canonical = {name.lower(): name for name in names}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        raw = scope.get("query_string") or b""
        if raw and scope["type"] == "http":
            pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
            renamed = [(self.canonical.get(k.lower(), k), v) for k, v in pairs]
            if renamed != pairs:
                scope = {**scope, "query_string": urlencode(renamed).encode("latin-1")}
        await self.app(scope, receive, send)
