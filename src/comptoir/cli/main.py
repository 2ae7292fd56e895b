"""The `comptoir` command: serve, worker, migrate, seed."""

from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from comptoir import features
from comptoir.cli.sandbox import app as sandbox_cli
from comptoir.db import Database
from comptoir.db.migrate import upgrade
from comptoir.settings import Settings

app = typer.Typer(
    help="comptoir: a marketplace speaking the Octopia Seller API v2.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# Soft wrap: URLs and credentials stay on one line when the output is a log, not a terminal (Rich
# would otherwise wrap at 80 columns and break copying them).
console = Console(soft_wrap=True)
app.add_typer(sandbox_cli, name="sandbox")

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="SQLAlchemy URL; default SQLite in ./data (COMPTOIR_DATABASE_URL)."),
]


def _prepare(settings: Settings, *, demo: bool) -> Database:
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    if demo:
        from comptoir.demo import seed

        features.load_models()
        with db.transaction() as session:
            seed(session)
    return db


def _banner(settings: Settings) -> None:
    base = f"http://{settings.host}:{settings.port}"
    console.print(f"[bold green]comptoir[/] on {base}  database: {settings.database_url}")
    console.print(f"  Seller API base URL : {base}/seller/v2")
    console.print(f"  Token URL           : {base}/auth/realms/maas/protocol/openid-connect/token")
    console.print(f"  Operator API        : {base}/operator/v1   docs: {base}/docs")
    if settings.sandbox:
        console.print(f"  Sandbox controls    : {base}/sandbox/v1/clock")
    if settings.demo:
        table = Table("client_id", "client_secret", "acts for", title="Demo credentials")
        from comptoir.demo import CLIENTS

        for client_id, secret, kind, sellers in CLIENTS:
            table.add_row(client_id, secret, ", ".join(f"seller {s}" for s in sellers) or kind)
        console.print(table)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    database_url: DatabaseUrl = None,
    no_demo: Annotated[bool, typer.Option("--no-demo", help="Do not seed demo data.")] = False,
    no_worker: Annotated[
        bool, typer.Option("--no-worker", help="Run no background worker in this process.")
    ] = False,
    sandbox: Annotated[bool, typer.Option("--sandbox", help="Settable clock and sandbox controls.")] = False,
    log_level: Annotated[str, typer.Option(help="Log level.")] = "warning",
) -> None:
    """Migrates, seeds demo data and serves the API with an in-process worker."""
    import uvicorn

    from comptoir.api.app import create_app

    settings = Settings.from_env(
        host=host,
        port=port,
        database_url=database_url,
        demo=False if no_demo else None,
        worker=False if no_worker else None,
        sandbox=True if sandbox else None,
    )
    logging.basicConfig(level=log_level.upper())
    db = _prepare(settings, demo=settings.demo)
    _banner(settings)
    uvicorn.run(
        create_app(settings, db),
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        access_log=False,
    )


@app.command()
def worker(database_url: DatabaseUrl = None) -> None:
    """Runs a background worker alone; start as many as you like beside the API processes."""
    from comptoir.jobs import progress
    from comptoir.jobs.runtime import Worker

    settings = Settings.from_env(database_url=database_url)
    logging.basicConfig(level=logging.INFO)
    features.load_models()
    features.register_jobs()
    db = Database(settings.database_url)
    if settings.sandbox:
        db.progress = progress.Settings(settings.sandbox_step_seconds)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    console.print(f"[bold]comptoir worker[/] on {settings.database_url}")
    Worker(
        db, lease_seconds=settings.job_lease_seconds, poll_seconds=settings.worker_poll_seconds
    ).run_forever(stop)


@app.command()
def migrate(database_url: DatabaseUrl = None) -> None:
    """Applies the database migrations."""
    settings = Settings.from_env(database_url=database_url)
    upgrade(settings.database_url)
    console.print("database is up to date")


@app.command()
def seed(
    database_url: DatabaseUrl = None,
    pack: Annotated[
        str | None,
        typer.Option(help="Replace the whole database by this seed pack: empty, demo or busy-seller."),
    ] = None,
    seed: Annotated[int, typer.Option(help="The pack's random seed: same seed, same rows.")] = 1,
) -> None:
    """Migrates, then adds the demo data (idempotent); with --pack, empties the database and loads
    the pack instead, as POST /sandbox/v1/reset does."""
    settings = Settings.from_env(database_url=database_url)
    if pack is None:
        _prepare(settings, demo=True).dispose()
        console.print("demo data is in place")
        return
    from comptoir.demo import PACKS
    from comptoir.sandbox.reset import reset

    if pack not in PACKS:
        console.print(f"[red]unknown pack {pack!r}[/]: one of {', '.join(PACKS)}")
        raise typer.Exit(2)
    db = _prepare(settings, demo=False)
    started = time.perf_counter()
    with db.transaction() as session:
        reset(session, pack, seed)
    db.dispose()
    console.print(f"pack {pack} (seed {seed}) loaded in {time.perf_counter() - started:.1f} s")
