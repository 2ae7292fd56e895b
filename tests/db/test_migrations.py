from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from comptoir import features
from comptoir.db import Base
from comptoir.db.migrate import upgrade
from conftest import reset_postgres


def fresh_url(tmp_path) -> str:
    base = os.environ.get("COMPTOIR_TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    # A second database beside the test one, so that the suite's own data is untouched.
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        name = conn.exec_driver_sql("select current_database()").scalar() + "_fresh"
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


def test_migrations_build_the_models_from_an_empty_database(tmp_path):
    url = fresh_url(tmp_path)
    if url.startswith("postgresql"):
        reset_postgres(url)
    upgrade(url)
    upgrade(url)  # a second run is a no-op
    features.load_models()
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert diff == [], f"models and migrations differ: {diff}"
