"""Settings from `COMPTOIR_*` environment variables, overridable by CLI flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from comptoir.platform.profiles import LENIENT, Profile, parse_profile


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'comptoir.db').resolve()}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    sandbox: bool = False
    demo: bool = True
    worker: bool = True
    host: str = "127.0.0.1"
    port: int = 8000
    # Production quota is 500 tokens per hour and client; 0 turns the limit off.
    token_rate_limit_per_hour: int = 500
    token_lifetime_seconds: int = 7200
    issuer_path: str = "/auth/realms/maas"
    worker_poll_seconds: float = 0.2
    job_lease_seconds: float = 60.0
    handler_threads: int = 4
    # Counters and quotas shared by every process; in memory when unset.
    redis_url: str | None = None
    redis_prefix: str = "comptoir:"
    # How closely production's quirks are copied, unless the operator set a seller's own profile.
    profile: Profile = LENIENT
    # Sandbox mode records every API call for GET /sandbox/v1/requests unless this is off.
    request_log: bool = True
    # Sandbox `realistic` progress: how long each asynchronous step waits, on the platform clock.
    sandbox_step_seconds: float = 1.0

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        data_dir = Path(env.get("COMPTOIR_DATA_DIR", "data"))
        settings = cls(
            database_url=env.get("COMPTOIR_DATABASE_URL") or default_database_url(data_dir),
            data_dir=data_dir,
            sandbox=_bool(env.get("COMPTOIR_SANDBOX"), False),
            demo=_bool(env.get("COMPTOIR_DEMO"), True),
            worker=_bool(env.get("COMPTOIR_WORKER"), True),
            host=env.get("COMPTOIR_HOST", "127.0.0.1"),
            port=int(env.get("COMPTOIR_PORT", "8000")),
            token_rate_limit_per_hour=int(env.get("COMPTOIR_TOKEN_RATE_LIMIT_PER_HOUR", "500")),
            worker_poll_seconds=float(env.get("COMPTOIR_WORKER_POLL_SECONDS", "0.2")),
            job_lease_seconds=float(env.get("COMPTOIR_JOB_LEASE_SECONDS", "60")),
            handler_threads=int(env.get("COMPTOIR_HANDLER_THREADS", "4")),
            redis_url=env.get("COMPTOIR_REDIS_URL") or None,
            redis_prefix=env.get("COMPTOIR_REDIS_PREFIX", "comptoir:"),
            profile=parse_profile(env.get("COMPTOIR_PROFILE")),
            request_log=_bool(env.get("COMPTOIR_REQUEST_LOG"), True),
            sandbox_step_seconds=float(env.get("COMPTOIR_SANDBOX_STEP_SECONDS", "1")),
        )
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **clean)  # type: ignore[arg-type]
