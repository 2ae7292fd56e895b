from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.channels.models import ChannelDeliveryMode, SalesChannel
from comptoir.channels.schemas import ChannelIn, ChannelOut, ChannelPatch, DeliveryModeIn, DeliveryModeOut
from comptoir.errors import Conflict, NotFound, ValidationFailed


def get_channel(session: Session, channel_id: str) -> SalesChannel:
    channel = session.get(SalesChannel, channel_id)
    if channel is None:
        raise NotFound(f"Sales channel {channel_id} does not exist.")
    return channel


def delivery_modes(session: Session, channel_id: str) -> list[ChannelDeliveryMode]:
    return list(
        session.scalars(
            select(ChannelDeliveryMode)
            .where(ChannelDeliveryMode.channel_id == channel_id)
            .order_by(ChannelDeliveryMode.code)
        )
    )


def _replace_modes(session: Session, channel_id: str, modes: Sequence[DeliveryModeIn]) -> None:
    codes = [m.code for m in modes]
    if len(set(codes)) != len(codes):
        raise ValidationFailed.field("deliveryModes", "Delivery mode codes must be unique on a channel.")
    session.execute(delete(ChannelDeliveryMode).where(ChannelDeliveryMode.channel_id == channel_id))
    session.add_all(
        ChannelDeliveryMode(
            channel_id=channel_id,
            code=m.code,
            name=m.name,
            delivery_delay=m.delivery_delay,
            is_express_delivery=m.is_express_delivery,
            more_than_30kg_product=m.more_than_30_kg_product,
        )
        for m in modes
    )
    session.flush()


def create_channel(session: Session, data: ChannelIn) -> SalesChannel:
    if session.get(SalesChannel, data.id) is not None:
        raise Conflict(f"Sales channel {data.id} already exists.")
    channel = SalesChannel(
        id=data.id,
        name=data.name,
        currency=data.currency,
        country_code=data.country_code,
        manual_acceptance=data.manual_acceptance,
        line_level_management=data.line_level_management,
        partial_shipment=data.partial_shipment,
        acceptance_deadline_hours=data.acceptance_deadline_hours,
        commission_rate=Decimal(str(data.commission_rate)),
        discussion_escalation_hours=data.discussion_escalation_hours,
        active=True,
        created_at=clock.now(),
    )
    session.add(channel)
    session.flush()
    _replace_modes(session, channel.id, data.delivery_modes)
    return channel


def update_channel(session: Session, channel_id: str, patch: ChannelPatch) -> SalesChannel:
    channel = get_channel(session, channel_id)
    for name in (
        "name",
        "currency",
        "country_code",
        "manual_acceptance",
        "line_level_management",
        "partial_shipment",
        "acceptance_deadline_hours",
        "commission_rate",
        "discussion_escalation_hours",
        "active",
    ):
        value = getattr(patch, name)
        if value is not None:
            setattr(channel, name, Decimal(str(value)) if name == "commission_rate" else value)
    if patch.delivery_modes is not None:
        _replace_modes(session, channel_id, patch.delivery_modes)
    session.flush()
    return channel


def list_channels(session: Session) -> list[SalesChannel]:
    return list(session.scalars(select(SalesChannel).order_by(SalesChannel.id)))


def to_out(session: Session, channel: SalesChannel) -> ChannelOut:
    return ChannelOut(
        id=channel.id,
        name=channel.name,
        currency=channel.currency,
        country_code=channel.country_code,
        manual_acceptance=channel.manual_acceptance,
        line_level_management=channel.line_level_management,
        partial_shipment=channel.partial_shipment,
        acceptance_deadline_hours=channel.acceptance_deadline_hours,
        commission_rate=float(channel.commission_rate),
        discussion_escalation_hours=channel.discussion_escalation_hours,
        active=channel.active,
        delivery_modes=[
            DeliveryModeOut(
                code=m.code,
                name=m.name,
                delivery_delay=m.delivery_delay,
                is_express_delivery=m.is_express_delivery,
                more_than_30_kg_product=m.more_than_30kg_product,
            )
            for m in delivery_modes(session, channel.id)
        ],
        created_at=clock.iso_z(channel.created_at) or "",
    )
