"""The two list families of spec section 5: page index (`pageIndex`/`pageSize`) and cursor (`limit`/`cursor`).

Cursor pages are keyset pages: the cursor carries the sort key of the row it continues from, never
an offset, so page N costs what page 1 costs.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from comptoir.clock import parse_iso
from comptoir.errors import ValidationFailed

T = TypeVar("T")


@dataclass
class IndexPage(Generic[T]):
    items: list[T]
    page_index: int
    page_size: int
    has_next: bool


def index_page(session: Session, stmt: Select[Any], *, page_index: int, page_size: int) -> IndexPage[Any]:
    rows = list(session.scalars(stmt.offset((page_index - 1) * page_size).limit(page_size + 1)))
    return IndexPage(rows[:page_size], page_index, page_size, len(rows) > page_size)


@dataclass
class CursorPage(Generic[T]):
    items: list[T]
    next_cursor: str | None
    prev_cursor: str | None


@dataclass(frozen=True)
class SortKey:
    column: Any  # a mapped attribute or column expression
    descending: bool = False


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"d": str(value)}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            return parse_iso(value["t"])
        if "d" in value:
            return Decimal(value["d"])
    return value


def encode_cursor(direction: str, key: Sequence[Any]) -> str:
    raw = json.dumps({"dir": direction, "key": [_encode_value(v) for v in key]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> tuple[str, list[Any]]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        direction, key = data["dir"], [_decode_value(v) for v in data["key"]]
        if direction not in {"after", "before"} or len(key) != width:
            raise ValueError(direction)
        return direction, key
    except Exception as exc:
        raise ValidationFailed(
            "The cursor is not valid.", errors={"cursor": ["The cursor is not valid for this list."]}
        ) from exc


def _beyond(keys: Sequence[SortKey], values: Sequence[Any], forward: bool) -> ColumnElement[bool]:
    """Rows strictly after `values` in sort order (or before it, when not forward)."""
    clauses = []
    for i, sort in enumerate(keys):
        smaller = sort.descending == forward  # going forward on a descending column means smaller values
        col = sort.column
        step = col < values[i] if smaller else col > values[i]
        equal_prefix = [keys[j].column == values[j] for j in range(i)]
        clauses.append(and_(*equal_prefix, step) if equal_prefix else step)
    if len(keys) == 1:
        return clauses[0]
    # The OR alone is no index bound for PostgreSQL, which then filtered every earlier row (39,000 rows
    # to reach a 40th page of stocks); the first key's non-strict bound is one, and changes nothing.
    first = keys[0]
    bound = first.column <= values[0] if first.descending == forward else first.column >= values[0]
    return and_(bound, or_(*clauses))


def cursor_page(
    session: Session,
    stmt: Select[Any],
    *,
    keys: Sequence[SortKey],
    key_of: Callable[[Any], Sequence[Any]],
    limit: int,
    cursor: str | None,
    scalars: bool = True,
) -> CursorPage[Any]:
    direction, values = ("after", None) if not cursor else decode_cursor(cursor, len(keys))
    forward = direction == "after"
    order = [
        (k.column.desc() if k.descending else k.column.asc())
        if forward
        else (k.column.asc() if k.descending else k.column.desc())
        for k in keys
    ]
    query = stmt.order_by(*order).limit(limit + 1)
    if values is not None:
        query = query.where(_beyond(keys, values, forward))
    result = session.scalars(query) if scalars else session.execute(query)
    rows = list(result)
    more = len(rows) > limit
    rows = rows[:limit]
    if not forward:
        rows.reverse()
    if not rows:
        return CursorPage([], None, None)
    has_next = more if forward else True
    has_prev = (values is not None) if forward else more
    return CursorPage(
        rows,
        encode_cursor("after", key_of(rows[-1])) if has_next else None,
        encode_cursor("before", key_of(rows[0])) if has_prev else None,
    )


def check_limit(limit: int, *, max_limit: int) -> None:
    if not 1 <= limit <= max_limit:
        raise ValidationFailed(
            "One or more validation errors occurred.",
            errors={"limit": [f"limit must be between 1 and {max_limit}."]},
        )
