"""Sandbox control: named snapshots of the whole database, saved and restored over HTTP.

A snapshot is a file, `<data dir>/snapshots/<name>.snapshot.gz`: gzip around length-prefixed msgpack
frames, a header (migration revision, creation time, row counts) then each table's rows in dependency
order, as Python values (exact decimals, aware timestamps, JSON documents, bytes). One format for
both databases: rows are read through the models' columns and written back through the bulk writer
(COPY on PostgreSQL). Restoring keeps the token signing key, as a reset does, and moves the state
generation, so every process forgets its caches.
"""

from __future__ import annotations

import gzip
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
from litestar import Request, Response, delete, get, post
from sqlalchemy import Connection, Table, func, select, text
from sqlalchemy.orm import Session

from comptoir import clock, features
from comptoir.api.context import AppContext
from comptoir.api.pagination import Page, page_of
from comptoir.api.responses import created
from comptoir.api.wire import Wire
from comptoir.db import Base
from comptoir.db.bulk import BulkWriter
from comptoir.errors import Conflict, NotFound, ValidationFailed
from comptoir.platform import state
from comptoir.platform.models import PlatformState
from comptoir.sandbox.reset import empty_database, next_generation

FORMAT = 1
SUFFIX = ".snapshot.gz"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
ROWS_PER_FRAME = 5_000
TAGS = ["sandbox"]

_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder()


class Header(msgspec.Struct):
    format: int
    revision: str | None
    created_at: datetime
    rows: dict[str, int]


class SnapshotIn(Wire):
    name: str


class SnapshotOut(Wire):
    name: str
    created_at: str
    size_bytes: int
    rows: int


class RestoredOut(Wire):
    name: str
    rows: int
    took_seconds: float


def folder(context: AppContext) -> Path:
    return context.settings.data_dir / "snapshots"


def _path(context: AppContext, name: str) -> Path:
    if not NAME.fullmatch(name):
        raise ValidationFailed.field(
            "name",
            "A snapshot name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.",
        )
    return folder(context) / f"{name}{SUFFIX}"


def _existing(context: AppContext, name: str) -> Path:
    path = _path(context, name)
    if not path.is_file():
        raise NotFound(f"There is no snapshot named {name}.")
    return path


def _revision(connection: Connection) -> str | None:
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _tables() -> list[Table]:
    features.load_models()
    return list(Base.metadata.sorted_tables)


# --- the file --------------------------------------------------------------------------------------


def _write_frame(out: gzip.GzipFile, value: Any) -> None:
    payload = _encoder.encode(value)
    out.write(len(payload).to_bytes(4, "big"))
    out.write(payload)


def _frames(path: Path) -> Iterator[Any]:
    """The file's frames, the header first; a damaged file is a 409 naming it."""
    try:
        with gzip.open(path, "rb") as stream:
            while head := stream.read(4):
                yield _decoder.decode(stream.read(int.from_bytes(head, "big")))
    except (OSError, EOFError, msgspec.MsgspecError) as exc:
        raise Conflict(f"The snapshot file {path.name} cannot be read.", code="SnapshotUnreadable") from exc


def _header(path: Path) -> Header:
    try:
        return msgspec.convert(next(_frames(path)), Header)
    except (StopIteration, msgspec.MsgspecError) as exc:
        raise Conflict(f"The snapshot file {path.name} cannot be read.", code="SnapshotUnreadable") from exc


def _out(path: Path, header: Header) -> SnapshotOut:
    return SnapshotOut(
        name=path.name.removesuffix(SUFFIX),
        created_at=clock.iso_z(header.created_at) or "",
        size_bytes=path.stat().st_size,
        rows=sum(header.rows.values()),
    )


def save(context: AppContext, name: str) -> SnapshotOut:
    """Writes every table's rows, read in one database snapshot, to the named file (replacing it)."""
    path = _path(context, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tables = _tables()
    with context.db.read() as session:
        connection = session.connection()
        revision = _revision(connection)
        counts = {
            str(t.name): connection.execute(select(func.count()).select_from(t)).scalar_one() for t in tables
        }
        header = Header(FORMAT, revision, clock.now(), counts)
        # A temporary file in the same folder, renamed at the end: a reader never sees half a snapshot.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.", suffix=".tmp")
        try:
            with (
                os.fdopen(handle, "wb") as raw,
                gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) as out,
            ):
                _write_frame(out, msgspec.to_builtins(header, builtin_types=(datetime,)))
                for table in tables:
                    columns = [str(c.name) for c in table.columns]
                    result = connection.execution_options(yield_per=ROWS_PER_FRAME).execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                    for part in result.partitions():
                        _write_frame(out, [str(table.name), columns, [list(row) for row in part]])
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return _out(path, header)


def _readers(table: Table, columns: list[str]) -> list[tuple[int, Callable[[Any], Any]]]:
    """What turns msgpack's values back into the columns' own: decimals travel as text."""
    readers: list[tuple[int, Callable[[Any], Any]]] = []
    for i, name in enumerate(columns):
        try:
            kind = table.c[name].type.python_type
        except NotImplementedError:
            continue
        if kind is Decimal:
            readers.append((i, Decimal))
        elif kind is datetime:
            readers.append((i, lambda v: datetime.fromisoformat(v) if isinstance(v, str) else v))
    return readers


def restore(context: AppContext, name: str) -> RestoredOut:
    """The database as it was when the snapshot was saved, but for the token signing key."""
    started = time.perf_counter()
    path = _existing(context, name)
    header = _header(path)
    tables = {t.name: t for t in _tables()}
    with context.db.transaction() as session:
        current = _revision(session.connection())
        if header.revision != current:
            raise Conflict(
                f"Snapshot {name} was saved at migration {header.revision}; the database is at {current}.",
                code="SnapshotOfAnotherSchema",
            )
        empty_database(session)
        # What the emptied platform_state kept (the signing key, the generation) stays as it is.
        kept = set(session.scalars(select(PlatformState.key)))
        frames = _frames(path)
        next(frames)
        for table_name, columns, rows in frames:
            table = tables.get(table_name)
            if table is None:
                raise Conflict(f"Snapshot {name} holds a table this schema lacks: {table_name}.")
            if table is PlatformState.__table__:
                rows = [row for row in rows if row[columns.index("key")] not in kept]
            for i, read in _readers(table, columns):
                for row in rows:
                    if row[i] is not None:
                        row[i] = read(row[i])
            if rows:
                BulkWriter(session, table).insert(columns, [tuple(row) for row in rows])
        _move_sequences(session, list(tables.values()))
        generation = next_generation(session)
        state.load_clock(session)
    context.follow_generation(generation)
    return RestoredOut(
        name=name, rows=sum(header.rows.values()), took_seconds=round(time.perf_counter() - started, 3)
    )


def _move_sequences(session: Session, tables: list[Table]) -> None:
    """PostgreSQL's identity sequences continue past the restored ids (COPY does not move them)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer.quote
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].type.python_type is not int:
            continue
        column = keys[0].name
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": quote(table.name), "c": column}
        ).scalar()
        if sequence is not None:
            following = f"SELECT COALESCE(MAX({quote(column)}), 0) + 1 FROM {quote(table.name)}"
            connection.execute(text(f"SELECT setval(:s, ({following}), false)"), {"s": sequence})


# --- routes ----------------------------------------------------------------------------------------


@post("/snapshots", sync_to_thread=True, tags=TAGS)
def save_snapshot(
    request: Request[Any, Any, Any], context: AppContext, data: SnapshotIn
) -> Response[SnapshotOut]:
    """Saves the whole database under a name (replacing a snapshot of that name)."""
    snapshot = save(context, data.name)
    return created(request, f"/snapshots/{snapshot.name}", snapshot)


@get("/snapshots", sync_to_thread=True, tags=TAGS)
def list_snapshots(context: AppContext) -> Page[SnapshotOut]:
    """The saved snapshots, by name: when each was saved (platform clock), its file's size, its rows;
    files that are no readable snapshot are left out."""
    found = []
    for path in sorted(folder(context).glob(f"*{SUFFIX}")) if folder(context).is_dir() else []:
        try:
            found.append(_out(path, _header(path)))
        except Conflict:
            continue  # not a snapshot this version can read; still deletable by name
    return page_of(found)


@get("/snapshots/{name:str}", sync_to_thread=True, tags=TAGS)
def get_snapshot(context: AppContext, name: str) -> SnapshotOut:
    path = _existing(context, name)
    return _out(path, _header(path))


@post("/snapshots/{name:str}/restore", sync_to_thread=True, tags=TAGS, status_code=200)
def restore_snapshot(context: AppContext, name: str) -> RestoredOut:
    """Puts the database back as it was when the snapshot was saved; tokens issued since stay valid."""
    return restore(context, name)


@delete("/snapshots/{name:str}", sync_to_thread=True, tags=TAGS, status_code=204)
def delete_snapshot(context: AppContext, name: str) -> None:
    _existing(context, name).unlink()


routes = [save_snapshot, list_snapshots, get_snapshot, restore_snapshot, delete_snapshot]
