from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from comptoir import features
from comptoir.db import Base

features.load_models()
target_metadata = Base.metadata
url = context.config.get_main_option("sqlalchemy.url") or ""


def run() -> None:
    connectable = context.config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
