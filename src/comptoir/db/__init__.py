"""Engine, sessions, the declarative base and portable column types."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, DateTime, Engine, MetaData, Numeric, Table, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from comptoir.platform.money import money

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as naive UTC everywhere, handed back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:  # noqa: ARG002 (SQLAlchemy calls it so)
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:  # noqa: ARG002 (SQLAlchemy calls it so)
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Money(TypeDecorator[Decimal]):
    """Exact decimals with two places, rounded by the platform's one rule before they are stored."""

    impl = Numeric(14, 2, asdecimal=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:  # noqa: ARG002 (SQLAlchemy calls it so)
        if value is None:
            return None
        return money(value)


def table(model: type[Base]) -> Table:
    """The Core table of a model, for the set-based statements of bulk paths and guarded updates."""
    return cast(Table, model.__table__)


def is_sqlite(url_or_engine: str | Engine) -> bool:
    url = url_or_engine.url if isinstance(url_or_engine, Engine) else make_url(url_or_engine)
    return url.get_backend_name() == "sqlite"


def ensure_sqlite_folder(url: str) -> None:
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)


class ReadSession(Session):
    """A session that only reads, inside one snapshot: a document assembled from several queries
    is consistent (REPEATABLE READ, READ ONLY on PostgreSQL; a deferred transaction on SQLite, whose
    WAL snapshot starts at the first read)."""


def make_engine(url: str, *, mode: str = "write") -> Engine:
    """`write`: transactions that write (BEGIN IMMEDIATE on SQLite: no lock-upgrade deadlocks);
    `snapshot`: read-only transactions; `autocommit`: single statements for the hot single-row path,
    where one statement is its own snapshot and a BEGIN/ROLLBACK pair would only add round trips.
    """
    if is_sqlite(url):
        ensure_sqlite_folder(url)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=16,
            max_overflow=16,
            pool_reset_on_return=None if mode == "autocommit" else "rollback",
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # SQLAlchemy's documented recipe: let the "begin" listener below emit BEGIN itself.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        if mode != "autocommit":
            begin = "BEGIN IMMEDIATE" if mode == "write" else "BEGIN"

            @event.listens_for(engine, "begin")
            def _sqlite_begin(conn: Any) -> None:
                conn.exec_driver_sql(begin)

        return engine
    # No pre-ping: it costs a round trip per checkout; stale connections are recycled instead.
    options: dict[str, Any] = {"pool_size": 20, "max_overflow": 20, "pool_recycle": 1800}
    if mode == "snapshot":
        options.update(isolation_level="REPEATABLE READ", execution_options={"postgresql_readonly": True})
    elif mode == "autocommit":
        options.update(isolation_level="AUTOCOMMIT", pool_reset_on_return=None, pool_size=8)
    return create_engine(url, **options)


class Database:
    """Owns the engines and opens one transaction per request, job or command."""

    def __init__(self, url: str) -> None:
        self.url = url
        # Sandbox progress settings (`jobs.progress.Settings`), which every session reaches through
        # `session.info["database"]`; None outside sandbox mode.
        self.progress: Any = None
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, info={"database": self})
        self.read_engine = make_engine(url, mode="snapshot")
        self.read_sessions = sessionmaker(self.read_engine, class_=ReadSession, expire_on_commit=False)
        self.hot_engine = make_engine(url, mode="autocommit")

    @property
    def sqlite(self) -> bool:
        return is_sqlite(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[ReadSession]:
        """A read-only transaction over one snapshot; it never takes SQLite's write lock."""
        with self.read_sessions() as session:
            try:
                yield session
            finally:
                # Detach first so that what was read stays readable after the transaction ends.
                session.expunge_all()
                session.rollback()

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A Core connection for hot single-row reads: no Session bookkeeping, no BEGIN."""
        with self.hot_engine.connect() as conn:
            yield conn

    def dispose(self) -> None:
        for engine in (self.engine, self.read_engine, self.hot_engine):
            engine.dispose()
