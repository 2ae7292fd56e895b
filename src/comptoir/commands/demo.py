"""Demo data: the ALLEGRO_DE platform, a sales channel in EUR, so the seed's example works as is."""

from __future__ import annotations

from sqlalchemy.orm import Session

from comptoir.channels import ChannelIn, DeliveryModeIn, SalesChannel, create_channel
from comptoir.commands import platforms
from comptoir.commands.models import AdditionalPlatform
from comptoir.commands.schemas import PlatformIn

ALLEGRO_DE = ChannelIn(
    id="ALLEGRO_DE",
    name="Allegro.de",
    currency="EUR",
    country_code="DE",
    manual_acceptance=False,
    line_level_management=True,
    partial_shipment=True,
    acceptance_deadline_hours=48,
    commission_rate=11.0,
    delivery_modes=[
        DeliveryModeIn("STD", "Standardversand", 3),
        DeliveryModeIn("EXP", "Expressversand", 1, is_express_delivery=True),
    ],
)


def seed(session: Session) -> None:
    if session.get(SalesChannel, ALLEGRO_DE.id) is None:
        create_channel(session, ALLEGRO_DE)
    if session.get(AdditionalPlatform, ALLEGRO_DE.id) is None:
        # Same currency as the demo channels: no rate is needed.
        platforms.put_platform(session, ALLEGRO_DE.id, PlatformIn(sales_channel_id=ALLEGRO_DE.id))
