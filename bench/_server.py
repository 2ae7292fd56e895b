"""Helpers shared by the benchmarks: start a comptoir server on a database, get tokens, run wrk."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

TOKEN_PATH = "/auth/realms/maas/protocol/openid-connect/token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@contextmanager
def server(
    database_url: str | None, *, worker: bool = False, sandbox: bool = False, keep_database: bool = False
) -> Iterator[str]:
    """A server on a fresh database (a temporary SQLite file, or the PostgreSQL database emptied), or on
    the given database as it is with `keep_database`."""
    tmp = tempfile.mkdtemp(prefix="comptoir-bench-")
    url = database_url or f"sqlite:///{tmp}/bench.db"
    if url.startswith("postgresql") and not keep_database:
        reset_postgres(url)
    port = free_port()
    cmd = [sys.executable, "-m", "comptoir.cli", "serve", "--port", str(port), "--database-url", url]
    if not worker:
        cmd.append("--no-worker")
    if sandbox:
        cmd.append("--sandbox")
    env = {**os.environ, "COMPTOIR_TOKEN_RATE_LIMIT_PER_HOUR": "0"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"server did not start: {proc.stderr.read().decode() if proc.stderr else ''}"
                )
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


def token(base: str, client_id: str = "demo-client", secret: str = "demo-secret") -> str:
    r = httpx.post(
        base + TOKEN_PATH,
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip()).groups()  # type: ignore[union-attr]
    return float(value) * _UNITS[unit]


def wrk(
    url: str, *, headers: dict[str, str], connections: int, seconds: int, script: str | None = None
) -> dict[str, float]:
    """Runs wrk (Debian package `wrk`) and returns requests/s, p50 and p99 in milliseconds; `script`, a
    wrk Lua file, may choose each request (e.g. the pages of a cursor walk in turn)."""
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed for this benchmark: apt-get install wrk")
    # A generous timeout: slow routes (counts over a million rows) are measured, not dropped.
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run([*cmd, url], check=True, capture_output=True, text=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        sys.exit(f"{url} answered {non2xx.group(1)} errors:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    return {"rps": rps, "p50": p50, "p99": p99}
