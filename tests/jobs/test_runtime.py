from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import job_handlers
from comptoir import clock
from comptoir.jobs import enqueue
from comptoir.jobs.models import Job
from comptoir.jobs.runtime import Worker, backoff, register
from conftest import sandbox_headers

register(*job_handlers.JOBS)


def new_name() -> str:
    return uuid.uuid4().hex


def job_row(db, job_id):
    with db.read() as session:
        return session.get(Job, job_id)


def counter(db, name):
    with db.read() as session:
        return job_handlers.counter(session, name)


def test_job_runs_only_after_its_transaction_commits(client, db, drain):
    name = new_name()
    try:
        with db.transaction() as session:
            enqueue(session, "test.count", {"name": name})
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert drain() == 0
    with db.transaction() as session:
        job_id = enqueue(session, "test.count", {"name": name}).id
    assert drain() == 1
    assert counter(db, name) == 1
    assert job_row(db, job_id).status == "done"


def test_failures_are_retried_with_backoff_then_succeed(client, db, drain):
    name = new_name()
    with db.transaction() as session:
        job_id = enqueue(session, "test.flaky", {"name": name, "failures": 2}).id
    drain()
    row = job_row(db, job_id)
    assert row.status == "queued" and row.attempts == 1 and "planned failure" in row.last_error
    assert row.run_at >= clock.now() + timedelta(seconds=0.5)
    client.post(
        "/sandbox/v1/clock",
        json={"advanceSeconds": backoff(1).total_seconds() + 1},
        headers=sandbox_headers(client),
    )
    drain()
    client.post(
        "/sandbox/v1/clock",
        json={"advanceSeconds": backoff(2).total_seconds() + 1},
        headers=sandbox_headers(client),
    )
    drain()
    row = job_row(db, job_id)
    assert row.status == "done" and row.attempts == 3
    assert counter(db, name) == 1
    assert counter(db, name + ":gave-up") == 0


def test_attempts_are_bounded(client, db, drain):
    name = new_name()
    with db.transaction() as session:
        job_id = enqueue(session, "test.flaky", {"name": name, "failures": 99}, max_attempts=3).id
    for _ in range(4):
        drain()
        client.post("/sandbox/v1/clock", json={"advanceSeconds": 3600}, headers=sandbox_headers(client))
    row = job_row(db, job_id)
    assert row.status == "failed" and row.attempts == 3
    assert counter(db, name) == 0
    # The give-up hook ran once, in the transaction that failed the job.
    assert counter(db, name + ":gave-up") == 1


def test_scheduled_job_waits_for_the_platform_clock(client, db, drain):
    name = new_name()
    with db.transaction() as session:
        enqueue(session, "test.count", {"name": name}, run_at=clock.now() + timedelta(days=2))
    assert drain() == 0
    # Moving the clock past it runs it before the move answers.
    client.post("/sandbox/v1/clock", json={"advanceSeconds": 2 * 86400 + 1}, headers=sandbox_headers(client))
    assert counter(db, name) == 1
    assert drain() == 0


def test_unknown_job_kind_fails_visibly(client, db, drain, operator_headers):
    with db.transaction() as session:
        enqueue(session, "test.nobody-handles-this", {})
    drain()
    failed = client.get("/operator/v1/jobs?status=failed", headers=operator_headers).json()["items"]
    assert failed and "no handler" in failed[0]["lastError"]


def test_killed_worker_job_finishes_exactly_once(client, db, settings, tmp_path):
    """A worker is SIGKILLed in the middle of a job; the next worker redoes it once, after the lease."""
    name, marker = new_name(), tmp_path / "started"
    with db.transaction() as session:
        job_id = enqueue(session, "test.slow_count", {"name": name, "marker": str(marker), "sleep": 60}).id
    script = (
        "import sys, threading; sys.path.insert(0, sys.argv[2]);"
        "import job_handlers; from comptoir.jobs.runtime import register; register(*job_handlers.JOBS);"
        "from comptoir import features; features.load_models();"
        "from comptoir.db import Database; from comptoir.jobs.runtime import Worker;"
        "Worker(Database(sys.argv[1]), lease_seconds=1.5, poll_seconds=0.05).run_forever(threading.Event())"
    )
    tests_dir = str(Path(__file__).resolve().parent.parent)
    proc = subprocess.Popen([sys.executable, "-c", script, settings.database_url, tests_dir])
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert time.monotonic() < deadline, "worker never started the job"
            assert proc.poll() is None, "worker died"
            time.sleep(0.05)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    row = job_row(db, job_id)
    assert row.status == "running" and row.attempts == 1
    assert counter(db, name) == 0  # the killed transaction left nothing behind
    worker = Worker(db, lease_seconds=30)
    assert worker.drain() == 0  # the lease still holds
    # The killed worker's 1.5-second lease is on the wall clock (a sandbox clock jump must not break
    # leases): poll until it expires rather than sleep a guessed time.
    deadline = time.monotonic() + 10
    while worker.drain() == 0:
        assert time.monotonic() < deadline, "the lease never expired"
        time.sleep(0.05)
    row = job_row(db, job_id)
    assert row.status == "done" and row.attempts == 2
    assert counter(db, name) == 1


def test_a_worker_that_lost_its_lease_cannot_complete(client, db):
    """Two workers on the same job (the first one's lease expired): only one completion commits."""
    name = new_name()
    with db.transaction() as session:
        job_id = enqueue(session, "test.count", {"name": name}).id
    # A lease of zero seconds has expired as soon as it is taken: no waiting on the wall clock.
    slow, fast = Worker(db, lease_seconds=0), Worker(db, lease_seconds=30)
    claimed = slow.claim()
    assert claimed and claimed.id == job_id
    assert fast.run_one()
    # The slow worker now runs the job it had claimed: its completion is refused, its effects undone.
    slow.execute(claimed)
    assert counter(db, name) == 1
    assert job_row(db, job_id).status == "done"
