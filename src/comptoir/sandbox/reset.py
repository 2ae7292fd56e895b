"""Sandbox control: back to a known state. `POST /sandbox/v1/reset` empties the database and loads a
seed pack (`comptoir.demo.PACKS`, demo by default).

What survives: the migrations' version and, in `platform_state`, everything but the clock and the
sandbox controls' `sandbox.` settings, so the token signing key stays and tokens issued before a
reset stay valid. Every process forgets its caches when it sees the state generation move (see
`AppContext.follow_generation`).
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from typing import Annotated

import msgspec
from litestar import post
from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from comptoir import clock, demo, features, ids
from comptoir.api.context import GENERATION, AppContext
from comptoir.api.wire import Wire
from comptoir.db import Base
from comptoir.errors import ValidationFailed
from comptoir.platform import state
from comptoir.platform.models import PlatformState

SANDBOX_PREFIX = "sandbox."
DEFAULT_PACK = "demo"
DEFAULT_SEED = 1


def empty_database(session: Session) -> None:
    """Every table of the models emptied (DELETE children first on SQLite, one TRUNCATE that also
    restarts the identities on PostgreSQL); `platform_state` loses the clock and `sandbox.` keys."""
    features.load_models()
    platform_state = PlatformState.__table__
    tables = [t for t in Base.metadata.sorted_tables if t is not platform_state]
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        quote = connection.dialect.identifier_preparer.quote
        connection.exec_driver_sql(
            f"TRUNCATE {', '.join(quote(t.name) for t in tables)} RESTART IDENTITY CASCADE"
        )
    else:
        # No table is AUTOINCREMENT: emptied tables hand out ids from 1 again, as on PostgreSQL.
        for table in reversed(tables):
            connection.execute(table.delete())
    session.execute(
        delete(PlatformState).where(
            or_(
                PlatformState.key == state.CLOCK_OFFSET,
                PlatformState.key.startswith(SANDBOX_PREFIX, autoescape=True),
            )
        )
    )
    session.expire_all()
    state.load_clock(session)


def next_generation(session: Session) -> str:
    """Moves the state generation, which tells every process that what it cached is gone."""
    generation = str(int(state.get(session, GENERATION) or 0) + 1)
    state.put(session, GENERATION, generation)
    return generation


def pack_anchor() -> datetime:
    """The instant a pack's drawn rows are dated from: midnight (UTC) of the platform clock's day, so
    that two loads on the same day write the same rows."""
    return clock.now().replace(hour=0, minute=0, second=0, microsecond=0)


def pack_loader(pack: str) -> demo.Pack:
    loader = demo.PACKS.get(pack)
    if loader is None:
        raise ValidationFailed.field("pack", f"Unknown pack {pack!r}: one of {', '.join(demo.PACKS)}.")
    return loader


def reset(session: Session, pack: str = DEFAULT_PACK, seed: int = DEFAULT_SEED) -> str:
    """Empties the database and loads `pack`, in the caller's transaction; returns the new generation."""
    loader = pack_loader(pack)
    empty_database(session)
    generation = next_generation(session)
    anchor = pack_anchor()
    # Same seed, same rows: the ids the load and the API hand out from here on come from the seed,
    # and the rows the features write while loading are dated at the anchor, not at the load's time.
    ids.reseed(seed)
    state.set_time(session, anchor, frozen=True)
    loader(session, random.Random(seed), anchor)
    state.store_clock(session, timedelta(0))
    return generation


class ResetIn(Wire):
    pack: str = DEFAULT_PACK
    seed: Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)] = DEFAULT_SEED


class ResetOut(Wire):
    pack: str
    seed: int
    took_seconds: float


@post("/reset", sync_to_thread=True, tags=["sandbox"], status_code=200)
def reset_state(context: AppContext, data: ResetIn | None = None) -> ResetOut:
    """Back to a seed pack's state (`empty`, `demo`, `busy-seller`; demo by default): every table
    emptied, the clock back to system time, the sandbox controls' settings dropped; operator and
    seller tokens issued before stay valid."""
    body = data or ResetIn()
    started = time.perf_counter()
    if context.request_log is not None:
        # Calls answered just before the reset must not land in the new state's log.
        context.request_log.discard_pending()
    with context.db.transaction() as session:
        generation = reset(session, body.pack, body.seed)
    # After the commit: a request served before it could have cached the old rows again.
    context.follow_generation(generation)
    return ResetOut(pack=body.pack, seed=body.seed, took_seconds=round(time.perf_counter() - started, 3))


routes = [reset_state]
