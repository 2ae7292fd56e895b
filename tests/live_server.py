"""Real `comptoir serve --sandbox` processes on loopback, for what an in-process client cannot show
(a closed connection, several API processes, the CLI and a connector's own test suite)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

import comptoir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(proc: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"{base}/health").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"server did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
        time.sleep(0.2)


@contextmanager
def sandbox_servers(database_url: str, data_dir: Path, *, count: int = 1) -> Iterator[list[str]]:
    """`count` API processes on one database, without a worker (tests drain or use `immediate`);
    yields their base URLs."""
    source = str(Path(comptoir.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")]),
        "COMPTOIR_TOKEN_RATE_LIMIT_PER_HOUR": "0",
        "COMPTOIR_DATA_DIR": str(data_dir),
    }
    started: list[tuple[subprocess.Popen[bytes], str]] = []
    try:
        for _ in range(count):
            port = free_port()
            command = [sys.executable, "-m", "comptoir.cli", "serve", "--sandbox", "--no-worker", "--no-demo"]
            command += ["--port", str(port), "--database-url", database_url]
            proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            started.append((proc, f"http://127.0.0.1:{port}"))
        for proc, base in started:
            wait_for(proc, base)
        yield [base for _, base in started]
    finally:
        for proc, _ in started:
            proc.terminate()
            proc.wait(timeout=30)
