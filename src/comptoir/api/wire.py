"""Wire tolerance shared by every route (spec section 21).

Real clients send property names in any casing (`PackageType`, `packageType`) and any JSON-ish
content type (`application/json-patch+json` even on GETs). Bodies are decoded here, once, for every
route: names are matched case-insensitively against the handler's `data` type, which Litestar then
validates with msgspec.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import msgspec
from litestar import Request
from msgspec import inspect as mi

from comptoir.errors import UnsupportedMediaType, ValidationFailed

Normalizer = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


@lru_cache(maxsize=512)
def _normalizer(info_key: Any) -> Normalizer:
    return _build(mi.type_info(info_key))


def _build(info: mi.Type) -> Normalizer:
    if isinstance(info, mi.StructType):
        names: dict[str, str] = {}
        children: dict[str, Normalizer] = {}
        for f in info.fields:
            names[f.encode_name.lower()] = f.encode_name
            names.setdefault(f.name.lower(), f.encode_name)
            child = _build(f.type)
            if child is not _identity:
                children[f.encode_name] = child

        def struct(value: Any) -> Any:
            if not isinstance(value, dict):
                return value
            out: dict[str, Any] = {}
            for key, item in value.items():
                name = names.get(key.lower(), key) if isinstance(key, str) else key
                fn = children.get(name)
                out[name] = fn(item) if fn else item
            return out

        return struct
    if isinstance(info, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType):
        inner = _build(info.item_type)
        if inner is _identity:
            return _identity
        return lambda value: [inner(v) for v in value] if isinstance(value, list) else value
    if isinstance(info, mi.DictType):
        inner = _build(info.value_type)
        if inner is _identity:
            return _identity
        return lambda value: {k: inner(v) for k, v in value.items()} if isinstance(value, dict) else value
    if isinstance(info, mi.UnionType):
        structs = [_build(t) for t in info.types if isinstance(t, mi.StructType)]
        lists = [_build(t) for t in info.types if isinstance(t, mi.ListType)]
        if not structs and not lists:
            return _identity

        def union(value: Any) -> Any:
            if isinstance(value, dict) and structs:
                return structs[0](value)
            if isinstance(value, list) and lists:
                return lists[0](value)
            return value

        return union
    return _identity


def is_json_media_type(content_type: str | None) -> bool:
    if not content_type:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json") or media == "text/json"


def normalize(value: Any, type_: Any) -> Any:
    """Renames JSON property names to the casing `type_` declares, at every depth."""
    try:
        return _normalizer(type_)(value)
    except (TypeError, ValueError):
        # Types msgspec cannot describe are left to Litestar's own validation.
        return value


class ComptoirRequest(Request[Any, Any, Any]):
    """Litestar request whose JSON body is checked for media type and normalized to the handler's type."""

    async def json(self) -> Any:
        if not is_json_media_type(self.headers.get("content-type")):
            raise UnsupportedMediaType(
                f"Content type {self.headers.get('content-type')!r} is not supported here; send JSON."
            )
        body = await self.body()
        if not body.strip():
            raise ValidationFailed(
                "A request body is required.", errors={"body": ["A request body is required."]}
            )
        try:
            raw = msgspec.json.decode(body)
        except msgspec.DecodeError as exc:
            raise ValidationFailed(
                "The request body is not valid JSON.", errors={"body": [f"Invalid JSON: {exc}"]}
            ) from exc
        field = getattr(self.route_handler, "parsed_data_field", None)
        return normalize(raw, field.annotation) if field is not None else raw


class Wire(msgspec.Struct, rename="camel", omit_defaults=False):
    """Base of wire models: camelCase names on the wire."""


class SnakeWire(msgspec.Struct, omit_defaults=False):
    """Base of seller-configuration models, which production serves in snake_case."""
