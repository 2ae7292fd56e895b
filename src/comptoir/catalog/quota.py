"""The production profile's product-creation quota: production refuses creations beyond about 25
per seller and hour (spec 8.1, measured on one account), with `QuotaExceeded`.

What a seller has spent is counted from its report items: the creations that passed the checks in
the last hour of the platform clock, whether already written or not. Modifications and products
found identical cost nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.catalog import domain
from comptoir.catalog.models import ReportItem
from comptoir.catalog.sequences import reserve_numbers

CREATION_QUOTA = 25
QUOTA_WINDOW = timedelta(hours=1)


def creations_left(session: Session, seller_id: str, quota: int = CREATION_QUOTA) -> int:
    """What is left of the seller's quota now. The seller's quota row is locked first, so that two
    workers checking two of its packages at once do not both spend the same creations."""
    reserve_numbers(session, f"creation-quota:{seller_id}", 1)
    used = session.scalar(
        select(func.count())
        .select_from(ReportItem)
        .where(
            ReportItem.seller_id == seller_id,
            ReportItem.operation_type == domain.Operation.CREATION,
            ReportItem.status != domain.Status.REFUSED,
            ReportItem.created_at > clock.now() - QUOTA_WINDOW,
        )
    )
    return max(quota - int(used or 0), 0)
