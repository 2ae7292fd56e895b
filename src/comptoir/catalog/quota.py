"""The production profile's product-creation quota: production refuses creations beyond about 25
per seller and hour (spec 8.1, measured on one account), with `QuotaExceeded`.

It is the `productCreations` limit of `platform/limits.py`, over the platform clock, counted in the
database because the checks job spends it: the creations that passed the checks are spent in the
job's transaction. Modifications and products found identical cost nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.catalog.sequences import reserve_numbers
from comptoir.platform.limits import PRODUCT_CREATION_COUNTS, Usage


def creation_usage(session: Session, seller_id: str) -> Usage:
    """What the seller has spent of the quota in the last hour (the headers of a submission)."""
    return PRODUCT_CREATION_COUNTS.usage(session, seller_id, clock.now())


def creations_left(session: Session, seller_id: str, quota: int) -> int:
    """What is left of the seller's quota now. The seller's quota row is locked first, so that two
    workers checking two of its packages at once do not both spend the same creations."""
    reserve_numbers(session, f"creation-quota:{seller_id}", 1)
    return max(quota - creation_usage(session, seller_id).used, 0)


def spend_creations(session: Session, seller_id: str, count: int) -> None:
    PRODUCT_CREATION_COUNTS.spend(session, seller_id, count, clock.now())
