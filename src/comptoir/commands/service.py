"""Additional platforms (operator) and change-additional-platforms commands (Allegro face).

Publishing an offer on a platform writes the seller's offer row on the platform's sales channel:
same seller, product, condition and sellerExternalReference, amounts converted at the operator's
rate, the same quantity (stock is shared by a seller's offers on one product and condition, so the
offers feature keeps the row in step from then on). The offers feature has no use case for this, so
the rows are written here with SQLAlchemy Core on its table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

from sqlalchemy import Table, bindparam, delete, insert, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.catalog.models import Product
from comptoir.channels.models import SalesChannel
from comptoir.channels.service import get_channel
from comptoir.commands import domain
from comptoir.commands import schemas as s
from comptoir.commands.models import AdditionalPlatform, PlatformCommand, PlatformRate
from comptoir.errors import Conflict, NotFound, Unprocessable, ValidationFailed
from comptoir.jobs import enqueue
from comptoir.offers.apply import decode_modes, encode_modes
from comptoir.offers.domain import DeliveryMode, offer_state
from comptoir.offers.models import Offer

JOB_KIND = "commands.change_additional_platforms"
RATE_PLACES = Decimal("0.000001")

_offers = cast(Table, Offer.__table__)
T = TypeVar("T")
Source = Any  # a row of _SOURCE_COLUMNS: an offer to publish and its channel's currency

# --- additional platforms (operator) --------------------------------------------------------------


def get_platform(session: Session, platform_id: str) -> AdditionalPlatform:
    platform = session.get(AdditionalPlatform, platform_id)
    if platform is None:
        raise NotFound(f"Additional platform {platform_id} does not exist.")
    return platform


def list_platforms(session: Session) -> list[AdditionalPlatform]:
    return list(session.scalars(select(AdditionalPlatform).order_by(AdditionalPlatform.id)))


def _rate(value: float) -> Decimal:
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


# --- commands (Allegro face) ----------------------------------------------------------------------


def _checked(check: Callable[..., T], *args: Any) -> T:
    """Runs a domain check, turning its refusal into a 422 naming the part of the request at fault."""
    try:
        return check(*args)
    except domain.InvalidInput as exc:
        raise Unprocessable(exc.message, errors={exc.path: [exc.message]}, code=exc.code) from exc


def get_command(session: Session, seller_id: str, command_id: str) -> PlatformCommand:
    """The seller's command; another seller's is as unknown as a missing one."""
    command = session.get(PlatformCommand, _checked(domain.command_id, command_id))
    if command is None or command.seller_id != seller_id:
        raise NotFound(f"Command {command_id} does not exist.")
    return command


def put_command(session: Session, seller_id: str, command_id: str, data: s.CommandIn) -> PlatformCommand:
    """Creates the command and its job, or returns the same command when sent again unchanged.

    An id already used, with another input or by another seller, is a conflict: ids are global,
    and the answer says no more about the other command than that its id is taken.
    """
    cid = _checked(domain.command_id, command_id)
    offer_ids = [str(o.id) for o in data.input.offers]
    platforms = list(data.input.platforms)
    _checked(domain.check_input, offer_ids, platforms)
    command = session.get(PlatformCommand, cid)
    if command is None:
        _check_platforms(session, platforms)
        command = PlatformCommand(
            id=cid,
            seller_id=seller_id,
            offer_ids=offer_ids,
            platforms=platforms,
            status=domain.Status.RUNNING.value,
            errors=None,
            created_at=clock.now(),
        )
        try:
            with session.begin_nested():
                session.add(command)
        except IntegrityError:
            # The same id was PUT concurrently (PostgreSQL): judge this request against that command.
            command = session.get(PlatformCommand, cid)
            if command is None:
                raise
        else:
            enqueue(session, JOB_KIND, {"command_id": cid})
            return command
    if command.seller_id != seller_id or command.offer_ids != offer_ids or command.platforms != platforms:
        raise Conflict(f"Command {cid} already exists with another input; use a new command id.")
    return command


def _check_platforms(session: Session, platforms: Sequence[str]) -> None:
    known = set(
        session.scalars(select(AdditionalPlatform.id).where(AdditionalPlatform.id.in_(set(platforms))))
    )
    for i, platform in enumerate(platforms):
        if platform not in known:
            declared = ", ".join(p.id for p in list_platforms(session)) or "none"
            message = f"Unknown platform {platform!r}; the platforms are: {declared}."
            raise Unprocessable(
                message, errors={f"input.platforms[{i}]": [message]}, code=domain.PLATFORM_NOT_FOUND
            )


def error_out(stored: dict[str, Any], language: str) -> s.ErrorOut:
    error = domain.ItemError(stored["code"], stored["offerId"], stored["details"])
    return s.ErrorOut(
        code=error.code,
        message=domain.TEXTS[error.code].message,
        details=error.details,
        path=error.path,
        user_message=domain.user_message(error.code, language),
    )


def command_out(command: PlatformCommand, language: str) -> s.CommandOut:
    return s.CommandOut(
        id=command.id,
        input=s.CommandInput(
            offers=[s.OfferRef(i) for i in command.offer_ids], platforms=list(command.platforms)
        ),
        output=s.CommandOutput(
            status=command.status,
            errors=None if command.errors is None else [error_out(e, language) for e in command.errors],
        ),
    )


def run_command(session: Session, command_id: str) -> None:
    """Publishes the command's offers on its platforms and records the outcome. Idempotent: a command
    no longer RUNNING is left alone, and publishing rewrites the same rows with the same values."""
    command = session.get(PlatformCommand, command_id, with_for_update=True)
    if command is None or command.status != domain.Status.RUNNING:
        return
    offer_ids = domain.unique(command.offer_ids)
    platforms = domain.unique(command.platforms)
    sources = _find_offers(session, command.seller_id, offer_ids)
    now = clock.now()
    errors = [domain.ItemError(domain.OFFER_NOT_FOUND, o) for o in offer_ids if o not in sources]
    failed = len(errors) * len(platforms)
    found = [(o, sources[o]) for o in offer_ids if o in sources]
    for platform_id in platforms:
        refused = _publish(session, command.seller_id, platform_id, found, now)
        errors += refused
        failed += len(refused)
    # In input order, as Allegro lists them.
    position = {o: i for i, o in enumerate(offer_ids)}
    errors.sort(key=lambda e: position[e.offer_id])
    command.status = domain.final_status(len(offer_ids) * len(platforms), failed).value
    command.errors = [{"code": e.code, "offerId": e.offer_id, "details": e.details} for e in errors] or None
    command.finished_at = now


def give_up(session: Session, command_id: str) -> None:
    """The job could not run the command after all its retries: every item ends in error."""
    command = session.get(PlatformCommand, command_id, with_for_update=True)
    if command is None or command.status != domain.Status.RUNNING:
        return
    command.status = domain.Status.ERROR.value
    command.errors = [
        {"code": domain.INTERNAL_ERROR, "offerId": o, "details": None}
        for o in domain.unique(command.offer_ids)
    ]
    command.finished_at = clock.now()


_SOURCE_COLUMNS = (
    Offer.id,
    Offer.sales_channel_id,
    Offer.seller_external_reference,
    Offer.product_id,
    Offer.condition,
    Offer.price,
    Offer.origin_price,
    Offer.vat_rate,
    Offer.eco_tax,
    Offer.dea_tax,
    Offer.quantity,
    Offer.preparation_time,
    Offer.delivery_modes,
    Offer.packaging_unit,
    Offer.packaging_value,
    SalesChannel.currency,
)


def _find_offers(session: Session, seller_id: str, offer_ids: Sequence[str]) -> dict[str, Source]:
    """The seller's offers named by the ids (row ids or composite ids), by id as given."""
    numeric: dict[int, str] = {}
    composite: dict[tuple[str, str, str], str] = {}
    channel_ids = list(session.scalars(select(SalesChannel.id)))
    for text in offer_ids:
        parsed = domain.parse_offer_id(text, seller_id, channel_ids)
        if isinstance(parsed, int):
            numeric[parsed] = text
        elif parsed is not None:
            composite[(parsed.product_reference, parsed.condition, parsed.channel_id)] = text
    base = (
        select(*_SOURCE_COLUMNS, Product.product_reference)
        .join(SalesChannel, SalesChannel.id == Offer.sales_channel_id)
        .join(Product, Product.id == Offer.product_id)
        .where(Offer.seller_id == seller_id)
    )
    found: dict[str, Source] = {}
    if numeric:
        for row in session.execute(base.where(Offer.id.in_(numeric))):
            found[numeric[row.id]] = row
    if composite:
        key = tuple_(Product.product_reference, Offer.condition, Offer.sales_channel_id)
        for row in session.execute(base.where(key.in_(list(composite)))):
            found[composite[(row.product_reference, row.condition, row.sales_channel_id)]] = row
    return found


def _amount(value: Decimal | None, rate: Decimal) -> Decimal | None:
    return None if value is None else domain.convert(value, rate)


def _published(source: Source, rate: Decimal, now: datetime) -> dict[str, Any]:
    """The values of the source offer's copy on a platform, amounts in the platform's currency."""
    modes = decode_modes(source.delivery_modes)
    converted = (
        None
        if modes is None
        else [
            DeliveryMode(m.code, domain.convert(m.cost, rate), domain.convert(m.additional_cost, rate))
            for m in modes
        ]
    )
    values: dict[str, Any] = {
        "price": _amount(source.price, rate),
        "origin_price": _amount(source.origin_price, rate),
        "vat_rate": source.vat_rate,
        "eco_tax": _amount(source.eco_tax, rate),
        "dea_tax": _amount(source.dea_tax, rate),
        "quantity": source.quantity,
        "preparation_time": source.preparation_time,
        "delivery_modes": converted,
        "packaging_unit": source.packaging_unit,
        "packaging_value": source.packaging_value,
    }
    values["offer_state"] = offer_state(values, source.condition)
    values["delivery_modes"] = encode_modes(converted)
    values["updated_at"] = now
    return values


def _publish(
    session: Session, seller_id: str, platform_id: str, sources: Sequence[tuple[str, Source]], now: datetime
) -> list[domain.ItemError]:
    """Writes the offers' copies on one platform; the items that could not be published."""
    platform = session.get(AdditionalPlatform, platform_id)
    channel = None if platform is None else session.get(SalesChannel, platform.sales_channel_id)
    if platform is None or channel is None or not channel.active:
        return [domain.ItemError(domain.PLATFORM_UNAVAILABLE, o, platform_id) for o, _ in sources]
    rates = {channel.currency: Decimal(1), **rates_of(session, platform_id)}
    # The seller's rows on the platform that these offers could land on, by reference and by product.
    refs = {row.seller_external_reference for _, row in sources}
    products = {row.product_id for _, row in sources}
    ids: dict[str, int] = {}
    key_of_ref: dict[str, tuple[int, str]] = {}
    ref_of_key: dict[tuple[int, str], str] = {}
    for row in session.execute(
        select(Offer.id, Offer.seller_external_reference, Offer.product_id, Offer.condition).where(
            Offer.seller_id == seller_id,
            Offer.sales_channel_id == channel.id,
            or_(Offer.seller_external_reference.in_(refs), Offer.product_id.in_(products)),
        )
    ):
        ids[row.seller_external_reference] = row.id
        key_of_ref[row.seller_external_reference] = (row.product_id, row.condition)
        ref_of_key[(row.product_id, row.condition)] = row.seller_external_reference
    errors: list[domain.ItemError] = []
    planned: dict[str, tuple[Source, dict[str, Any]]] = {}
    for offer_id, source in sources:
        rate = rates.get(source.currency)
        if rate is None:
            errors.append(domain.ItemError(domain.RATE_NOT_FOUND, offer_id, platform_id))
            continue
        ref, key = source.seller_external_reference, (source.product_id, source.condition)
        # One row per reference and one per product and condition: the copy must fit both.
        if key_of_ref.get(ref, key) != key or ref_of_key.get(key, ref) != ref:
            errors.append(domain.ItemError(domain.OFFER_CONFLICT, offer_id, platform_id))
            continue
        key_of_ref[ref], ref_of_key[key] = key, ref
        planned[ref] = (source, _published(source, rate, now))
    inserts = [
        {
            **values,
            "seller_id": seller_id,
            "sales_channel_id": channel.id,
            "seller_external_reference": ref,
            "product_id": source.product_id,
            "condition": source.condition,
            "created_at": now,
        }
        for ref, (source, values) in planned.items()
        if ref not in ids
    ]
    updates = [(ids[ref], values) for ref, (_, values) in planned.items() if ref in ids]
    if inserts:
        session.execute(insert(_offers), inserts)
    if updates:
        # Bound names must differ from column names in an UPDATE's SET clause.
        stmt = (
            update(_offers)
            .where(_offers.c.id == bindparam("_id"))
            .values({name: bindparam(f"v_{name}") for name in updates[0][1]})
        )
        session.execute(
            stmt, [{"_id": id_, **{f"v_{n}": v for n, v in values.items()}} for id_, values in updates]
        )
    return errors
