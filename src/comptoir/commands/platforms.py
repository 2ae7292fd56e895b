"""Additional platforms (operator API): sales channels opened to Allegro-style publication, each
under a platform id, with the exchange rates from the currencies offers come from."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.channels import SalesChannel, get_channel
from comptoir.commands import domain
from comptoir.commands import schemas as s
from comptoir.commands.models import AdditionalPlatform, PlatformRate
from comptoir.errors import Conflict, NotFound, ValidationFailed

RATE_PLACES = Decimal("0.000001")


def get_platform(session: Session, platform_id: str) -> AdditionalPlatform:
    platform = session.get(AdditionalPlatform, platform_id)
    if platform is None:
        raise NotFound(f"Additional platform {platform_id} does not exist.")
    return platform


def list_platforms(session: Session) -> list[AdditionalPlatform]:
    return list(session.scalars(select(AdditionalPlatform).order_by(AdditionalPlatform.id)))


def _rate(value: float) -> Decimal:
    # A rate, not money: kept to the column's six places (the decimal context's rounding), while the
    # amounts it converts are rounded to the cent by the money rule.
    return Decimal(str(value)).quantize(RATE_PLACES)


def put_platform(session: Session, platform_id: str, data: s.PlatformIn) -> AdditionalPlatform:
    """Declares a platform, or redeclares it: its channel and its whole list of rates."""
    if not domain.PLATFORM_ID.match(platform_id):
        raise ValidationFailed.field(
            "platformId", "A platform id is 2 to 30 capitals, digits and underscores, such as ALLEGRO_DE."
        )
    channel = session.get(SalesChannel, data.sales_channel_id)
    if channel is None:
        message = f"Sales channel {data.sales_channel_id} does not exist."
        raise ValidationFailed.field("salesChannelId", message)
    taken = session.scalar(
        select(AdditionalPlatform.id).where(
            AdditionalPlatform.sales_channel_id == channel.id, AdditionalPlatform.id != platform_id
        )
    )
    if taken is not None:
        raise Conflict(f"Sales channel {channel.id} is already the platform {taken}.")
    currencies = [r.source_currency for r in data.rates]
    if len(set(currencies)) != len(currencies):
        raise ValidationFailed.field("rates", "Each source currency may have one rate only.")
    now = clock.now()
    platform = session.get(AdditionalPlatform, platform_id)
    if platform is None:
        platform = AdditionalPlatform(id=platform_id, created_at=now)
        session.add(platform)
    platform.sales_channel_id = channel.id
    platform.updated_at = now
    session.flush()
    session.execute(delete(PlatformRate).where(PlatformRate.platform_id == platform_id))
    session.add_all(
        PlatformRate(platform_id=platform_id, source_currency=r.source_currency, rate=_rate(r.rate))
        for r in data.rates
    )
    session.flush()
    return platform


def put_rate(session: Session, platform_id: str, currency: str, data: s.RatePut) -> AdditionalPlatform:
    """Sets the rate from one source currency, leaving the others as they are."""
    platform = get_platform(session, platform_id)
    if not (len(currency) == 3 and currency.isascii() and currency.isupper()):
        raise ValidationFailed.field("currency", "A currency is a three-letter ISO 4217 code such as EUR.")
    row = session.get(PlatformRate, (platform_id, currency))
    if row is None:
        session.add(PlatformRate(platform_id=platform_id, source_currency=currency, rate=_rate(data.rate)))
    else:
        row.rate = _rate(data.rate)
    platform.updated_at = clock.now()
    session.flush()
    return platform


def rates_of(session: Session, platform_id: str) -> dict[str, Decimal]:
    return {
        r.source_currency: r.rate
        for r in session.scalars(select(PlatformRate).where(PlatformRate.platform_id == platform_id))
    }


def platform_out(session: Session, platform: AdditionalPlatform) -> s.PlatformOut:
    channel = get_channel(session, platform.sales_channel_id)
    return s.PlatformOut(
        id=platform.id,
        sales_channel_id=channel.id,
        currency=channel.currency,
        active=channel.active,
        rates=[s.RateOut(c, float(r)) for c, r in sorted(rates_of(session, platform.id).items())],
        created_at=clock.iso_z(platform.created_at) or "",
        updated_at=clock.iso_z(platform.updated_at) or "",
    )
