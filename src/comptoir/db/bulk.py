"""Plain-tuple bulk statements on one table, for paths that see thousands of rows at once.

SQLAlchemy's per-row parameter handling costs more than the database work at package size, so these
go to the driver with tuples, converted by the columns' own bind and result processors (exact
amounts, naive-UTC timestamps): the values read and written are the ones the ORM would read and write.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Column, Table
from sqlalchemy.orm import Session

T = TypeVar("T")
CHUNK = 1000  # values per IN list, well under every driver's parameter limit


def chunked(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class BulkWriter:
    """Reads and writes of one table on the session's connection (so inside its transaction)."""

    def __init__(self, session: Session, table: Table) -> None:
        self.connection = session.connection()
        self.dialect = self.connection.dialect
        self.table = table
        self.mark = "?" if self.dialect.paramstyle == "qmark" else "%s"
        self.quote = self.dialect.identifier_preparer.quote

    def _converters(self, names: Sequence[str]) -> list[Any]:
        columns: list[Column[Any]] = [self.table.c[n] for n in names]
        return [c.type.dialect_impl(self.dialect).bind_processor(self.dialect) for c in columns]

    def _rows(self, names: Sequence[str], rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        # Many rows share values (timestamps, rates, costs): each is converted once, except in
        # columns of JSON documents, which cannot key the cache and seldom repeat.
        converters: list[tuple[int, Any, dict[Any, Any] | None]] = [
            (i, p, {} if _cacheable(rows, i) else None)
            for i, p in enumerate(self._converters(names))
            if p is not None
        ]
        out = []
        for row in rows:
            values = list(row)
            for i, convert, seen in converters:
                value = values[i]
                if value is None:
                    continue
                if seen is None:
                    values[i] = convert(value)
                    continue
                converted = seen.get(value)
                if converted is None:
                    converted = seen[value] = convert(value)
                values[i] = converted
            out.append(tuple(values))
        return out

    def select_in(
        self, names: Sequence[str], column: str, keys: Sequence[Any], **equal: Any
    ) -> list[tuple[Any, ...]]:
        """Rows of `names` whose `column` is among `keys` and whose `equal` columns have those values,
        converted by the columns' own result processors (exact amounts, aware timestamps)."""
        where = "".join(f" AND {self.quote(n)} = {self.mark}" for n in equal)
        sql = f"SELECT {', '.join(self.quote(n) for n in names)} FROM {self.quote(self.table.name)} WHERE "
        cursor = self.connection.connection.cursor()
        out: list[tuple[Any, ...]] = []
        try:
            if self.dialect.name == "postgresql":
                # One array parameter: PostgreSQL plans long IN lists slowly.
                cursor.execute(
                    f"{sql}{self.quote(column)} = ANY({self.mark}){where}", (list(keys), *equal.values())
                )
                out = list(cursor.fetchall())
            else:
                for part in chunked(keys):
                    marks = ", ".join([self.mark] * len(part))
                    cursor.execute(f"{sql}{self.quote(column)} IN ({marks}){where}", (*part, *equal.values()))
                    out += cursor.fetchall()
            # What a column needs depends on the type the driver reports for it.
            described = zip(names, cursor.description or (), strict=False)
            processors = [
                (i, p)
                for i, (n, description) in enumerate(described)
                if (
                    p := self.table.c[n]
                    .type.dialect_impl(self.dialect)
                    .result_processor(self.dialect, description[1])
                )
            ]
        finally:
            cursor.close()
        if processors:
            for n, row in enumerate(out):
                values = list(row)
                for i, process in processors:
                    values[i] = process(values[i])
                out[n] = tuple(values)
        return out

    def insert(self, names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        cols = ", ".join(self.quote(n) for n in names)
        table = self.quote(self.table.name)
        if self.dialect.name == "postgresql":
            # COPY takes a third less time than an executemany of the same rows.
            cursor = self.connection.connection.cursor()
            try:
                with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in self._rows(names, rows):
                        copy.write_row(row)
            finally:
                cursor.close()
            return
        marks = ", ".join([self.mark] * len(names))
        self.connection.exec_driver_sql(
            f"INSERT INTO {table} ({cols}) VALUES ({marks})", self._rows(names, rows)
        )

    def update_by_id(self, names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Rows are the values of `names` followed by the id."""
        sets = ", ".join(f"{self.quote(n)} = {self.mark}" for n in names)
        sql = f"UPDATE {self.quote(self.table.name)} SET {sets} WHERE id = {self.mark}"
        self.connection.exec_driver_sql(sql, self._rows([*names, "id"], rows))


def _cacheable(rows: Sequence[tuple[Any, ...]], i: int) -> bool:
    """Whether the values of column `i` can key a cache; a column holds one kind of value."""
    first = next((row[i] for row in rows if row[i] is not None), None)
    return not isinstance(first, dict | list)
