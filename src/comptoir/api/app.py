"""The app factory: one Litestar app with the seller, token, operator, Allegro and sandbox faces."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, get_type_hints

from anyio import to_thread
from litestar import Litestar, Request, Router, get
from litestar.config.cors import CORSConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path

from comptoir import __version__, clock, features
from comptoir.api.context import AppContext
from comptoir.api.deps import DEPENDENCIES, SELLER_DEPENDENCIES, app_context, check_seller, operator_guard
from comptoir.api.middleware import TraceMiddleware
from comptoir.api.problems import handle_exception
from comptoir.api.query import QueryNameMiddleware
from comptoir.api.wire import ComptoirRequest
from comptoir.auth.router import token_endpoint
from comptoir.commands.router import allegro_error, allegro_router
from comptoir.db import Database
from comptoir.jobs import progress
from comptoir.jobs.runtime import start_in_process
from comptoir.platform import state
from comptoir.sandbox.faults import FaultMiddleware
from comptoir.sandbox.recording import RequestLog, RequestRecorder
from comptoir.sandbox.router import sandbox_routes
from comptoir.settings import Settings

log = logging.getLogger("comptoir")

# Swagger UI is served from the installed wheel, so /docs works without reaching any other host.
SWAGGER_ASSETS = "/static/swagger-ui"


@get("/health", tags=["platform"], sync_to_thread=False)
def health() -> dict[str, str]:
    """Liveness: answers without touching the database."""
    return {"status": "ok"}


@get("/openapi.json", tags=["platform"], sync_to_thread=False, include_in_schema=False)
def openapi_json(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return request.app.openapi_schema.to_schema()


def _swagger() -> SwaggerRenderPlugin:
    return SwaggerRenderPlugin(
        path="/",
        js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
        css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{SWAGGER_ASSETS}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{SWAGGER_ASSETS}/favicon-32x32.png'>",
    )


def create_app(settings: Settings, db: Database | None = None) -> Litestar:
    features.load_models()
    features.register_jobs()
    database = db or Database(settings.database_url)
    if settings.sandbox:
        database.progress = progress.Settings(settings.sandbox_step_seconds)
    context = AppContext.build(
        settings, database, clock.clock, features.indicator_counters(), features.seller_profile_reader()
    )
    if settings.sandbox and settings.request_log:
        context.request_log = RequestLog(database, context.tokens)
    stoppers: list[Callable[[], None]] = []

    def startup() -> None:
        # Few worker threads: many threads only queue on the GIL (each sqlite3 call releases and
        # waits to re-take it), which multiplied latency under 32 concurrent connections.
        to_thread.current_default_thread_limiter().total_tokens = settings.handler_threads
        with database.transaction() as session:
            context.tokens.load(session)
            state.load_clock(session)
        if context.request_log is not None:
            stoppers.append(context.request_log.start())
        if settings.worker:
            stoppers.append(
                start_in_process(
                    database,
                    lease_seconds=settings.job_lease_seconds,
                    poll_seconds=settings.worker_poll_seconds,
                )
            )

    def shutdown() -> None:
        while stoppers:
            stoppers.pop()()
        context.close()
        if db is None:
            database.dispose()

    async def follow_clock(request: Request[Any, Any, Any]) -> None:
        # Whichever process moved the sandbox clock wrote it to the database: every request reads
        # it, so that deadlines and token expiry agree across API processes.
        if settings.sandbox:
            app_context(request).follow_clock()

    async def before_seller_request(request: Request[Any, Any, Any]) -> None:
        # A router's hook replaces the app's: this one follows the clock too, before the token's
        # expiry is checked against it.
        await follow_clock(request)
        await check_seller(request, request.route_handler)

    seller_api = Router(
        path="/seller/v2",
        route_handlers=features.seller_routes(),
        before_request=before_seller_request,
        dependencies=SELLER_DEPENDENCIES,
    )
    operator_api = Router(
        path="/operator/v1", route_handlers=features.operator_routes(), guards=[operator_guard]
    )
    handlers: list[Any] = [
        health,
        openapi_json,
        token_endpoint,
        seller_api,
        operator_api,
        allegro_router(),
        create_static_files_router(
            path=SWAGGER_ASSETS, directories=[swagger_ui_path], include_in_schema=False
        ),
    ]
    if settings.sandbox:
        handlers.append(Router(path="/sandbox/v1", route_handlers=sandbox_routes, guards=[operator_guard]))

    app = Litestar(
        route_handlers=handlers,
        dependencies=DEPENDENCIES,
        request_class=ComptoirRequest,
        exception_handlers={Exception: handle_exception},
        before_request=follow_clock if settings.sandbox else None,
        on_startup=[startup],
        on_shutdown=[shutdown],
        openapi_config=OpenAPIConfig(
            title="comptoir",
            version=__version__,
            description=(
                "Seller API compatible with Octopia Seller API v2 under /seller/v2, "
                "Keycloak-style token endpoint, operator API under /operator/v1."
            ),
            path="/docs",
            render_plugins=[_swagger()],
        ),
        cors_config=CORSConfig(allow_origins=["*"]),
        debug=False,
        logging_config=None,
    )
    app.state.context = context
    query_names = collect_query_names(app)
    inner: Any = QueryNameMiddleware(app.asgi_handler, query_names)
    if settings.sandbox:
        # Inside the trace wrapper, so that an injected fault carries its trace id like any answer;
        # Allegro's routes answer faults in Allegro's error format, as they answer their own errors.
        inner = FaultMiddleware(inner, renderers={"/allegro": allegro_error})
    app.asgi_handler = TraceMiddleware(inner)  # type: ignore[assignment]
    if context.request_log is not None:
        # Outermost: it sees the final headers, the trace id and the query string as sent.
        app.asgi_handler = RequestRecorder(app.asgi_handler, context.request_log)  # type: ignore[assignment]
    return app


def collect_query_names(app: Litestar) -> set[str]:
    """Every query parameter name the routes and their dependencies declare, for case-insensitive matching."""
    names: set[str] = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            functions = [handler.fn, *(p.dependency for p in handler.resolve_dependencies().values())]
            for fn in functions:
                try:
                    # Sync handlers run in threads are wrapped; the original keeps the hints.
                    hints = get_type_hints(getattr(fn, "func", fn), include_extras=True)
                except Exception:  # a hint that cannot be resolved here names no query parameter we rename
                    hints = {}
                hints.pop("return", None)
                for name, hint in hints.items():
                    aliases = [getattr(m, "query", None) for m in getattr(hint, "__metadata__", ())]
                    names.add(next((a for a in aliases if a), name))
    return names
