"""The two session kinds handlers get: a read session over one snapshot, and a write session that
commits only when the handler succeeded."""

from __future__ import annotations

import uuid

import pytest
from litestar import Litestar, post
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from comptoir.api.deps import DEPENDENCIES
from comptoir.api.problems import handle_exception
from comptoir.db import Database
from comptoir.errors import Conflict
from comptoir.platform import state
from comptoir.platform.models import PlatformState


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(PlatformState)) or 0)


def test_a_read_session_sees_one_snapshot(client: object, db: Database) -> None:
    with db.read() as reader:
        before = _count(reader)
        with db.transaction() as writer:
            state.put(writer, f"snapshot-test:{uuid.uuid4().hex}", "1")
        # Committed meanwhile, yet not seen: the document a handler assembles is consistent.
        assert _count(reader) == before
    with db.read() as reader:
        assert _count(reader) == before + 1


def test_a_read_session_cannot_write_on_postgresql(client: object, db: Database) -> None:
    if db.sqlite:
        pytest.skip("SQLite read sessions are deferred transactions; PostgreSQL ones are READ ONLY")
    with pytest.raises(DBAPIError), db.read() as reader:
        state.put(reader, f"read-only-test:{uuid.uuid4().hex}", "1")


def test_a_request_commits_only_when_its_handler_succeeds(app: Litestar, db: Database) -> None:
    kept, dropped = f"kept:{uuid.uuid4().hex}", f"dropped:{uuid.uuid4().hex}"

    @post("/write", sync_to_thread=True, status_code=204)
    def write(session: Session) -> None:
        state.put(session, kept, "1")

    @post("/write-then-fail", sync_to_thread=True)
    def write_then_fail(session: Session) -> None:
        state.put(session, dropped, "1")
        raise Conflict("refused after the write")

    probe = Litestar(
        [write, write_then_fail], dependencies=DEPENDENCIES, exception_handlers={Exception: handle_exception}
    )
    probe.state.context = app.state.context
    with TestClient(probe) as client:
        assert client.post("/write").status_code == 204
        assert client.post("/write-then-fail").status_code == 409
    with db.read() as reader:
        assert state.get(reader, kept) == "1"
        assert state.get(reader, dropped) is None
