"""Trace ids: taken from an incoming W3C `traceparent` or made anew, and returned on every response.

The same wrapper drops the content type of an empty answer: a 201 or 204 without a body must not say
JSON, or clients that decode by content type fail on zero bytes."""

from __future__ import annotations

import re
from typing import Any

from comptoir import ids

TRACE_HEADER = b"x-trace-id"
_TRACEPARENT = re.compile(rb"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")


class TraceMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        trace = None
        for name, value in scope.get("headers", ()):
            if name == b"traceparent":
                match = _TRACEPARENT.match(value.strip().lower())
                if match:
                    trace = f"00-{match.group(1).decode()}-{ids.trace_id()[36:52]}-00"
                break
        trace = trace or ids.trace_id()
        scope.setdefault("state", {})["trace_id"] = trace
        encoded = trace.encode()

        async def send_with_trace(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if (b"content-length", b"0") in headers:
                    headers = [h for h in headers if h[0] != b"content-type"]
                headers.append((TRACE_HEADER, encoded))
                headers.append((b"traceparent", encoded))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_trace)
