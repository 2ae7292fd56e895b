"""The composition root: every feature's tables, jobs, routes and hooks, wired here and nowhere else.

Nothing registers itself when imported; `create_app`, the worker and the CLI call these functions.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

FEATURES = [
    "platform",
    "jobs",
    "auth",
    "channels",
    "sellers",
    "catalog",
    "offers",
    "orders",
    "commands",
    "discussions",
    "fulfillment",
    "sandbox",
]
# Features split into use cases whose tables live in each sub-package.
SUB_PACKAGES = {
    "orders": ["cancellations", "gestures", "invoices"],
    "fulfillment": ["inbound", "outbound", "returns"],
}


def load_models() -> None:
    """Imports every feature's tables, so that `Base.metadata` (and Alembic) sees them all."""
    for name in FEATURES:
        importlib.import_module(f"comptoir.{name}.models")
        for part in SUB_PACKAGES.get(name, []):
            importlib.import_module(f"comptoir.{name}.{part}.models")


def register_jobs() -> None:
    from comptoir.catalog.jobs import JOBS as CATALOG
    from comptoir.commands.jobs import JOBS as COMMANDS
    from comptoir.discussions.jobs import JOBS as DISCUSSIONS
    from comptoir.fulfillment.inbound.jobs import JOBS as INBOUND
    from comptoir.fulfillment.outbound.jobs import JOBS as OUTBOUND
    from comptoir.jobs.runtime import register
    from comptoir.offers.jobs import JOBS as OFFERS
    from comptoir.orders.cancellations.jobs import JOBS as CANCELLATIONS
    from comptoir.orders.gestures.jobs import JOBS as GESTURES
    from comptoir.orders.invoices.jobs import JOBS as INVOICES
    from comptoir.orders.jobs import JOBS as ORDERS

    register(
        *CATALOG,
        *OFFERS,
        *ORDERS,
        *CANCELLATIONS,
        *GESTURES,
        *INVOICES,
        *COMMANDS,
        *DISCUSSIONS,
        *INBOUND,
        *OUTBOUND,
    )


def seller_routes() -> list[Any]:
    """Routes under /seller/v2, behind the seller guard."""
    from comptoir.catalog.router import seller_routes as catalog
    from comptoir.discussions.router import seller_routes as discussions
    from comptoir.fulfillment.inbound.router import seller_routes as inbound
    from comptoir.fulfillment.outbound.router import seller_routes as outbound
    from comptoir.fulfillment.returns.router import seller_routes as returns
    from comptoir.fulfillment.router import seller_routes as fulfillment
    from comptoir.offers.router import seller_routes as offers
    from comptoir.orders.cancellations.router import seller_routes as cancellations
    from comptoir.orders.gestures.router import seller_routes as gestures
    from comptoir.orders.invoices.router import seller_routes as invoices
    from comptoir.orders.router import seller_routes as orders
    from comptoir.sellers.router import seller_routes as sellers

    return [
        *sellers,
        *catalog,
        *offers,
        *orders,
        *cancellations,
        *gestures,
        *invoices,
        *discussions,
        *fulfillment,
        *inbound,
        *outbound,
        *returns,
    ]


def operator_routes() -> list[Any]:
    """Routes under /operator/v1, behind the operator guard."""
    from comptoir.catalog.router import operator_routes as catalog
    from comptoir.channels.router import operator_routes as channels
    from comptoir.commands.router import operator_routes as commands
    from comptoir.discussions.operator import operator_routes as discussions
    from comptoir.fulfillment.inbound.router import operator_routes as inbound
    from comptoir.fulfillment.operator import operator_routes as fulfillment
    from comptoir.fulfillment.outbound.router import operator_routes as outbound
    from comptoir.fulfillment.returns.router import operator_routes as returns
    from comptoir.jobs.router import operator_routes as jobs
    from comptoir.offers.router import operator_routes as offers
    from comptoir.orders.cancellations.router import operator_routes as cancellations
    from comptoir.orders.gestures.router import operator_routes as gestures
    from comptoir.orders.router import operator_routes as orders
    from comptoir.sellers.router import operator_routes as sellers

    return [
        *sellers,
        *channels,
        *jobs,
        *orders,
        *cancellations,
        *gestures,
        *catalog,
        *offers,
        *commands,
        *discussions,
        *fulfillment,
        *inbound,
        *outbound,
        *returns,
    ]


def indicator_counters() -> Mapping[str, Any]:
    """The seller indicators' counters, from the features that own the events they count."""
    from comptoir.discussions.indicators import INDICATOR_COUNTERS as DISCUSSIONS
    from comptoir.discussions.indicators import with_claims
    from comptoir.orders.indicators import INDICATOR_COUNTERS as ORDERS

    # A claim in a discussion counts beside the orders' own claims.
    return {**ORDERS, **DISCUSSIONS, "order_claims": with_claims(ORDERS["order_claims"])}


def seller_profile_reader() -> Any:
    """How the seller guard reads a seller's own fidelity profile (None: the server's)."""
    from comptoir.sellers import profile_of

    return profile_of
