"""Background jobs: enqueued in the caller's transaction, claimed with leases, retried with backoff;
in sandbox mode each object's jobs follow its progress policy (`jobs.progress`)."""

from comptoir.jobs.progress import Subject, paced
from comptoir.jobs.runtime import JobKind, enqueue, polled

__all__ = ["JobKind", "Subject", "enqueue", "paced", "polled"]
