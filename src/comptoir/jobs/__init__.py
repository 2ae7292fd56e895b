"""Background jobs: enqueued in the caller's transaction, claimed with leases, retried with backoff."""

from comptoir.jobs.runtime import JobKind, enqueue

__all__ = ["JobKind", "enqueue"]
