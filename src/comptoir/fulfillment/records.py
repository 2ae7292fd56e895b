"""What the fulfillment sub-packages' records share: a seller's record by id (404 for another
seller's) and pages of them latest first."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from comptoir.db.pagination import CursorPage, SortKey, cursor_page
from comptoir.errors import NotFound


class _Owned(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def seller_id(self) -> str: ...


R = TypeVar("R", bound=_Owned)


def owned(session: Session, model: type[R], key: str, seller_id: str | None, missing: str) -> R:
    """The seller's record (any seller's for the operator, `seller_id` None), or a 404 saying `missing`."""
    found = session.get(model, key)
    if found is None or (seller_id is not None and found.seller_id != seller_id):
        raise NotFound(missing)
    return found


def latest_first(
    session: Session,
    stmt: Select[Any],
    column: InstrumentedAttribute[Any],
    ids: InstrumentedAttribute[Any],
    *,
    limit: int,
    cursor: str | None,
) -> CursorPage[Any]:
    """A page of `stmt`'s records, latest `column` first (ties by id), by cursor."""
    name = column.key
    return cursor_page(
        session,
        stmt,
        keys=[SortKey(column, descending=True), SortKey(ids, descending=True)],
        key_of=lambda r: [getattr(r, name), r.id],
        limit=limit,
        cursor=cursor,
    )
