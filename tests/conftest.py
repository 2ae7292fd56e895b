"""Shared fixtures: one migrated database per run (SQLite, or PostgreSQL when
COMPTOIR_TEST_DATABASE_URL is set), emptied and re-seeded with demo data before each test.

Tests talk HTTP to the app through `client`; background jobs run when a test calls `drain()`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import create_engine, delete, text

from comptoir import features
from comptoir.api.app import create_app
from comptoir.auth import TokenQuota
from comptoir.db import Base, Database
from comptoir.db.migrate import upgrade
from comptoir.demo import seed
from comptoir.jobs.runtime import Worker
from comptoir.platform import state
from comptoir.platform.models import PlatformState
from comptoir.settings import Settings

TOKEN_URL = "/auth/realms/maas/protocol/openid-connect/token"
KEEP_TABLES = {"platform_state", "alembic_version"}


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("COMPTOIR_TEST_DATABASE_URL")
    if url:
        reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=Path(tmp_path_factory.mktemp("data")),
        sandbox=True,
        worker=False,
        token_rate_limit_per_hour=0,
        # Jobs are due at once, as tests drain them; the realistic delays have their own tests.
        sandbox_step_seconds=0,
    )


@pytest.fixture(scope="session")
def db(settings: Settings) -> Iterator[Database]:
    features.load_models()
    features.register_jobs()
    database = Database(settings.database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def app(settings: Settings, db: Database) -> Any:
    return create_app(settings, db)


@pytest.fixture(scope="session")
def _session_client(app: Any) -> Iterator[TestClient[Any]]:
    with TestClient(app=app) as client:
        yield client


def wipe(db: Database, app: Any) -> None:
    with db.transaction() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                session.execute(delete(table))
        state.store_clock(session, timedelta(0))
        # Sandbox controls' settings (progress policies, faults...) live beside the signing key.
        session.execute(delete(PlatformState).where(PlatformState.key.like("sandbox.%")))
        seed(session)
    # The app's caches and store outlive the rows a wipe removes.
    app.state.context.forget()


@pytest.fixture
def client(_session_client: TestClient[Any], db: Database, app: Any) -> TestClient[Any]:
    wipe(db, app)
    app.state.context.quota = TokenQuota(0, app.state.context.store)
    _session_client.headers.clear()
    return _session_client


@pytest.fixture
def drain(db: Database) -> Any:
    """Runs every background job that is ready, as the worker would; returns how many ran."""
    worker = Worker(db, lease_seconds=30, poll_seconds=0.01)
    return worker.drain


_tokens: dict[str, str] = {}


def token_for(client: TestClient[Any], client_id: str, secret: str) -> str:
    response = client.post(
        TOKEN_URL, data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def cached_token(client: TestClient[Any], client_id: str, secret: str) -> str:
    # Demo clients are re-seeded under the same ids and the signing key survives the wipe,
    # so one token per client serves the whole run (the clock is reset before each test).
    if client_id not in _tokens:
        _tokens[client_id] = token_for(client, client_id, secret)
    return _tokens[client_id]


@pytest.fixture
def seller_headers(client: TestClient[Any]) -> dict[str, str]:
    """Headers of demo seller 98979 (client demo-client)."""
    return {
        "Authorization": f"Bearer {cached_token(client, 'demo-client', 'demo-secret')}",
        "SellerId": "98979",
    }


@pytest.fixture
def other_headers(client: TestClient[Any]) -> dict[str, str]:
    """Headers of demo seller 12345 (client other-client)."""
    return {
        "Authorization": f"Bearer {cached_token(client, 'other-client', 'other-secret')}",
        "SellerId": "12345",
    }


@pytest.fixture
def operator_headers(client: TestClient[Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {cached_token(client, 'operator-client', 'operator-secret')}"}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """Checks the problem+json shape every error must have and returns the body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    for key in ("type", "title", "status", "detail", "instance", "traceId"):
        assert key in body, key
    assert body["status"] == body["statusCode"] == status
    assert body["traceId"] == response.headers["x-trace-id"]
    return dict(body)


def fresh_headers(
    client: TestClient[Any],
    client_id: str = "demo-client",
    secret: str = "demo-secret",
    seller_id: str | None = "98979",
) -> dict[str, str]:
    """A token issued now, for tests that moved the clock past the cached tokens' two hours."""
    headers = {"Authorization": f"Bearer {token_for(client, client_id, secret)}"}
    if seller_id:
        headers["SellerId"] = seller_id
    return headers


def sandbox_headers(client: TestClient[Any]) -> dict[str, str]:
    """The sandbox controls need an operator's token; one issued now stays valid whatever the clock did."""
    return {"Authorization": f"Bearer {token_for(client, 'operator-client', 'operator-secret')}"}
