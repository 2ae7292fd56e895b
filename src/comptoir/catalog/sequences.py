"""Counters of the catalog, handed out in blocks: product references; and the row lock that
serializes a seller's quota checks."""

from __future__ import annotations

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from comptoir.catalog.models import CatalogSequence
from comptoir.db import table


def reserve_numbers(session: Session, name: str, count: int) -> int:
    """The first of `count` consecutive numbers of the named sequence; the row lock serializes writers."""
    sequences = table(CatalogSequence)
    last = session.execute(
        update(sequences)
        .where(sequences.c.name == name)
        .values(value=sequences.c.value + count)
        .returning(sequences.c.value)
    ).scalar()
    if last is None:
        session.execute(insert(sequences).values(name=name, value=count))
        last = count
    return int(last) - count + 1
