"""The API describes itself: every seller and operator answer has a schema, field by field, and the
interactive docs work without reaching any other host."""

from __future__ import annotations

import re
from typing import Any

BODYLESS = {"204"}


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _described(schema: dict[str, Any], spec: dict[str, Any], depth: int = 0) -> bool:
    """A schema says what the client gets: named properties, typed items, or a scalar type."""
    schema = _resolve(schema, spec)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return all(_described(s, spec, depth + 1) for s in schema[key])
    kind = schema.get("type")
    if kind == "array":
        return "items" in schema and _described(schema["items"], spec, depth + 1)
    if kind == "object" or (kind is None and "properties" in schema):
        return bool(schema.get("properties"))
    return kind in {"string", "integer", "number", "boolean", "null"} or (
        isinstance(kind, list) and bool(kind)
    )


def test_every_seller_and_operator_answer_has_a_schema(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    missing = []
    for path, operations in spec["paths"].items():
        if not path.startswith(("/seller/v2", "/operator/v1", "/sandbox/v1")):
            continue
        for method, operation in operations.items():
            for status, answer in operation.get("responses", {}).items():
                if not status.startswith("2") or status in BODYLESS:
                    continue
                content = answer.get("content") or {}
                schemas = [media.get("schema") or {} for media in content.values()]
                if not schemas or not all(_described(s, spec) for s in schemas):
                    missing.append(f"{method.upper()} {path} {status}")
    assert not missing, "answers without a schema:\n" + "\n".join(missing)


def test_interactive_docs_load_from_this_server_only(client: Any) -> None:
    page = client.get("/docs/")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page.text)
    assert urls, page.text
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "http://" not in page.text.replace("http://testserver", "")
    assert "https://" not in page.text
    for url in urls:
        assert client.get(url).status_code == 200, url
