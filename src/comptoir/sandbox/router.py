"""Sandbox controls under /sandbox/v1 (sandbox mode only, operator token): one module per control,
each exposing its `routes`."""

from __future__ import annotations

from comptoir.sandbox import clock, faults, limits, progress, requests, reset, snapshots

sandbox_routes = [
    *clock.routes,
    *progress.routes,
    *reset.routes,
    *snapshots.routes,
    *faults.routes,
    *requests.routes,
    *limits.routes,
]
