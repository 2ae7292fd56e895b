"""The app factory: one Litestar app with the seller, token, operator and sandbox faces."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, get_type_hints

from anyio import to_thread
from litestar import Litestar, Request, Router, get
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin

from comptoir import __version__, features
from comptoir.api.deps import operator_context, seller_context
from comptoir.api.middleware import TraceMiddleware
from comptoir.api.problems import handle_exception
from comptoir.api.query import QueryNameMiddleware
from comptoir.api.wire import ComptoirRequest
from comptoir.auth.ratelimit import TokenQuota
from comptoir.auth.router import token_endpoint
from comptoir.auth.tokens import keys
from comptoir.catalog.router import operator_routes as catalog_operator_routes
from comptoir.catalog.router import seller_routes as catalog_seller_routes
from comptoir.channels.router import operator_routes as channel_operator_routes
from comptoir.commands.router import allegro_router
from comptoir.commands.router import operator_routes as command_operator_routes
from comptoir.db import Database
from comptoir.jobs.router import operator_routes as job_operator_routes
from comptoir.jobs.runtime import start_in_process
from comptoir.offers.router import operator_routes as offer_operator_routes
from comptoir.offers.router import seller_routes as offer_seller_routes
from comptoir.orders.requests_router import operator_routes as order_request_operator_routes
from comptoir.orders.requests_router import seller_routes as order_request_seller_routes
from comptoir.orders.router import operator_routes as order_operator_routes
from comptoir.orders.router import seller_routes as order_seller_routes
from comptoir.platform import state
from comptoir.sandbox.router import sandbox_routes
from comptoir.sellers.router import operator_routes as seller_operator_routes
from comptoir.sellers.router import seller_routes
from comptoir.settings import Settings

log = logging.getLogger("comptoir")


@get("/health", tags=["platform"], sync_to_thread=False)
def health() -> dict[str, str]:
    """Liveness: answers without touching the database."""
    return {"status": "ok"}


@get("/openapi.json", tags=["platform"], sync_to_thread=False, include_in_schema=False)
def openapi_json(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return request.app.openapi_schema.to_schema()


def create_app(settings: Settings, db: Database | None = None) -> Litestar:
    features.load_models()
    features.load_jobs()
    database = db or Database(settings.database_url)
    stoppers: list[Callable[[], None]] = []

    def startup(app: Litestar) -> None:
        # Few worker threads: many threads only queue on the GIL (each sqlite3 call releases and
        # waits to re-take it), which multiplied latency under 32 concurrent connections.
        to_thread.current_default_thread_limiter().total_tokens = settings.handler_threads
        with database.transaction() as session:
            keys.load(session)
            state.load_clock(session)
        if settings.worker:
            stoppers.append(
                start_in_process(
                    database,
                    lease_seconds=settings.job_lease_seconds,
                    poll_seconds=settings.worker_poll_seconds,
                )
            )

    def shutdown(app: Litestar) -> None:
        while stoppers:
            stoppers.pop()()
        if db is None:
            database.dispose()

    seller_api = Router(
        path="/seller/v2",
        route_handlers=[
            *seller_routes,
            *catalog_seller_routes,
            *offer_seller_routes,
            *order_seller_routes,
            *order_request_seller_routes,
        ],
        dependencies={"seller": Provide(seller_context, sync_to_thread=False)},
    )
    operator_api = Router(
        path="/operator/v1",
        route_handlers=[
            *seller_operator_routes,
            *channel_operator_routes,
            *job_operator_routes,
            *order_operator_routes,
            *order_request_operator_routes,
            *catalog_operator_routes,
            *offer_operator_routes,
            *command_operator_routes,
        ],
        dependencies={"operator": Provide(operator_context, sync_to_thread=False)},
    )
    handlers: list[Any] = [health, openapi_json, token_endpoint, seller_api, operator_api, allegro_router()]
    if settings.sandbox:
        handlers.append(Router(path="/sandbox/v1", route_handlers=sandbox_routes))

    app = Litestar(
        route_handlers=handlers,
        request_class=ComptoirRequest,
        exception_handlers={Exception: handle_exception},
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
            render_plugins=[SwaggerRenderPlugin(path="/")],
        ),
        cors_config=CORSConfig(allow_origins=["*"]),
        debug=False,
        logging_config=None,
    )
    app.state.db = database
    app.state.settings = settings
    app.state.quota = TokenQuota(settings.token_rate_limit_per_hour)
    query_names = collect_query_names(app)
    app.asgi_handler = TraceMiddleware(QueryNameMiddleware(app.asgi_handler, query_names))  # type: ignore[assignment]
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
