"""The sales channel a request names, and the rules it sets for a seller's offers there."""

from __future__ import annotations

from sqlalchemy.orm import Session

from comptoir.channels import SalesChannel
from comptoir.errors import ValidationFailed
from comptoir.offers.offer_requests import ChannelRules
from comptoir.sellers import seller_mode_codes


def known_channel(session: Session, channel_id: str | None, field: str) -> SalesChannel:
    """The channel named by the request's `field`; a missing or unknown one is a 400 naming it."""
    if not channel_id:
        raise ValidationFailed.field(field, f"The {field} is required.")
    channel = session.get(SalesChannel, channel_id)
    if channel is None:
        raise ValidationFailed.field(field, f"Sales channel {channel_id} does not exist.")
    return channel


def channel_rules(session: Session, seller_id: str, channel: SalesChannel) -> ChannelRules:
    return ChannelRules(
        channel.id, channel.currency, frozenset(seller_mode_codes(session, seller_id, channel.id))
    )
