"""Per-offer results kept as runs of consecutive items (one row per run, JSON text), read as pages.

Results are written once and never change, so an item's position is a stable key: cursor pages
carry the position they continue from, as keyset pages do.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

import msgspec
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from comptoir.db import Base
from comptoir.db.pagination import CursorPage, decode_cursor, encode_cursor
from comptoir.errors import ValidationFailed

RUN_SIZE = 500
T = TypeVar("T", bound=msgspec.Struct)


@functools.cache
def _decoder(item_type: type[T]) -> msgspec.json.Decoder[list[T]]:
    return msgspec.json.Decoder(list[item_type])  # type: ignore[valid-type]


def store_runs(session: Session, model: type[Base], package_id: int, items: Sequence[msgspec.Struct]) -> None:
    rows = [
        {
            "package_id": package_id,
            "first_index": start,
            "item_count": len(items[start : start + RUN_SIZE]),
            "body": msgspec.json.encode(items[start : start + RUN_SIZE]).decode(),
        }
        for start in range(0, len(items), RUN_SIZE)
    ]
    if rows:
        session.execute(insert(model), rows)


def total(session: Session, model: Any, package_id: int) -> int:
    last = session.execute(
        select(model.first_index, model.item_count)
        .where(model.package_id == package_id)
        .order_by(model.first_index.desc())
        .limit(1)
    ).first()
    return 0 if last is None else int(last.first_index + last.item_count)


def read_slice(
    session: Session, model: Any, item_type: type[T], package_id: int, start: int, stop: int
) -> list[T]:
    """Items start <= position < stop, read back as `item_type`, the type they were stored as."""
    if stop <= start:
        return []
    rows = session.execute(
        select(model.first_index, model.body)
        .where(
            model.package_id == package_id,
            model.first_index < stop,
            model.first_index > start - RUN_SIZE,
        )
        .order_by(model.first_index)
    )
    decode = _decoder(item_type).decode
    out: list[T] = []
    for first, body in rows:
        items = decode(body)
        out.extend(items[max(start - first, 0) : max(stop - first, 0)])
    return out


def cursor_slice(
    session: Session, model: Any, item_type: type[T], package_id: int, *, limit: int, cursor: str | None
) -> CursorPage[T]:
    count = total(session, model, package_id)
    direction, key = ("after", [-1]) if not cursor else decode_cursor(cursor, 1)
    if not isinstance(key[0], int) or key[0] < -1:
        raise ValidationFailed.field("cursor", "The cursor is not valid for this list.")
    start, stop = (
        (key[0] + 1, key[0] + 1 + limit) if direction == "after" else (max(key[0] - limit, 0), key[0])
    )
    stop = min(stop, count)
    items = read_slice(session, model, item_type, package_id, start, stop)
    if not items:
        return CursorPage([], None, None)
    return CursorPage(
        items,
        encode_cursor("after", [stop - 1]) if stop < count else None,
        encode_cursor("before", [start]) if start > 0 else None,
    )
