"""The connector test suite README shows (examples/connector) passes against a live sandbox: its
fixtures reset, pick a policy, freeze the clock, inject a fault and read the request log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from live_server import sandbox_servers

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "connector"


def test_the_example_connector_suite_passes(client, database_url, tmp_path):  # noqa: ARG001 (a clean database)
    with sandbox_servers(database_url, tmp_path) as (base,):
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE)],
            env={**os.environ, "COMPTOIR_URL": base},
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "2 passed" in run.stdout
