"""Demo limits of commercial gestures on the demo channels. Idempotent."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.channels import get_channel
from comptoir.orders.gestures.models import ChannelGestureConfiguration

# Demo channels: Cdiscount up to 30 % of the order and 150 EUR, the Octopia channel up to 20 % and 50 EUR.
DEMO_CONFIGURATIONS = {
    "CDISFR": (Decimal("30"), Decimal("150.00")),
    "SELLZZ": (Decimal("20"), Decimal("50.00")),
}


def seed(session: Session) -> None:
    """Demo configuration; an operator's later change is kept."""
    for channel_id, (rate, maximum) in DEMO_CONFIGURATIONS.items():
        if session.get(ChannelGestureConfiguration, channel_id) is None:
            session.add(
                ChannelGestureConfiguration(
                    sales_channel_id=channel_id,
                    allows_gesture=True,
                    maximum_rate=rate,
                    maximum_amount=maximum,
                    currency=get_channel(session, channel_id).currency,
                    manual_review=False,
                    updated_at=clock.now(),
                )
            )
    session.flush()
