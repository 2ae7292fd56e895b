"""Change-additional-platforms commands (the Allegro face): publishing a seller's offers on
additional platforms, in the background, with the outcome per offer and platform.

Publishing an offer on a platform copies it to the platform's sales channel, amounts converted at
the operator's rate and delivery modes mapped to the platform's own (`delivery`); the offers feature
writes the copies (`publish_copies`) and keeps their stock in step with the offers they copy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.catalog import Product
from comptoir.channels import ChannelDeliveryMode, SalesChannel
from comptoir.commands import delivery, domain
from comptoir.commands import schemas as s
from comptoir.commands.models import AdditionalPlatform, PlatformCommand
from comptoir.commands.platforms import list_platforms, rates_of
from comptoir.errors import Conflict, NotFound, Unprocessable
from comptoir.jobs import Subject, enqueue
from comptoir.offers import (
    DeliveryMode,
    Offer,
    OfferCopy,
    decode_modes,
    offer_id,
    offer_row_id,
    publish_copies,
    read_offer_ids,
)

JOB_KIND = "commands.change_additional_platforms"
# The sandbox progress controls' name for commands (`/sandbox/v1/progress/allegro-commands/{id}`).
PROGRESS_KIND = "allegro-commands"

T = TypeVar("T")
Source = Any  # a row of _SOURCE_COLUMNS: an offer to publish and its channel's currency


def _checked(check: Callable[..., T], *args: Any) -> T:
    """Runs a domain check, turning its refusal into a 422 naming the part of the request at fault."""
    try:
        return check(*args)
    except domain.InvalidInput as exc:
        raise Unprocessable(exc.message, errors={exc.path: [exc.message]}, code=exc.code) from exc


def command_key(command_id: str) -> str:
    """The command id as stored; a 422 when it is not a UUID."""
    return _checked(domain.command_id, command_id)


def get_command(session: Session, seller_id: str, command_id: str) -> PlatformCommand:
    """The seller's command; another seller's is as unknown as a missing one."""
    command = session.get(PlatformCommand, command_key(command_id))
    if command is None or command.seller_id != seller_id:
        raise NotFound(f"Command {command_id} does not exist.")
    return command


def put_command(session: Session, seller_id: str, command_id: str, data: s.CommandIn) -> PlatformCommand:
    """Creates the command and its job, or returns the same command when sent again unchanged.

    An id already used, with another input or by another seller, is a conflict: ids are global,
    and the answer says no more about the other command than that its id is taken.
    """
    cid = command_key(command_id)
    offer_ids = [str(o.id) for o in data.input.offers]
    platforms = list(data.input.platforms)
    _checked(domain.check_input, offer_ids, platforms)
    offer_ids = _catalogue_ids(session, seller_id, offer_ids)
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
            enqueue(session, JOB_KIND, {"command_id": cid}, subject=Subject(PROGRESS_KIND, cid, seller_id))
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
    """An item's error; one chosen by the sandbox (`give_up` with a code) carries its own message."""
    error = domain.ItemError(stored["code"], stored["offerId"], stored["details"])
    return s.ErrorOut(
        code=error.code,
        message=stored.get("message") or domain.TEXTS[error.code].message,
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
    errors = [domain.ItemError(domain.OFFER_NOT_FOUND, o) for o in offer_ids if o not in sources]
    failed = len(errors) * len(platforms)
    found = [(o, sources[o]) for o in offer_ids if o in sources]
    for platform_id in platforms:
        refused = _publish(session, command.seller_id, platform_id, found)
        errors += refused
        failed += len(refused)
    # In input order, as Allegro lists them.
    position = {o: i for i, o in enumerate(offer_ids)}
    errors.sort(key=lambda e: position[e.offer_id])
    command.status = domain.final_status(len(offer_ids) * len(platforms), failed).value
    command.errors = [{"code": e.code, "offerId": e.offer_id, "details": e.details} for e in errors] or None
    command.finished_at = clock.now()


def give_up(session: Session, command_id: str, code: str | None = None, message: str | None = None) -> None:
    """The job could not run the command after all its retries, or the sandbox fails it (policy
    `fail`, with a code and message of its choosing): every item ends in error."""
    command = session.get(PlatformCommand, command_id, with_for_update=True)
    if command is None or command.status != domain.Status.RUNNING:
        return
    command.status = domain.Status.ERROR.value
    error: dict[str, Any] = {"code": code or domain.INTERNAL_ERROR, "details": None}
    if message is not None or error["code"] not in domain.TEXTS:
        # A code of the sandbox's choosing may have no text of its own.
        error["message"] = message or domain.TEXTS[domain.INTERNAL_ERROR].message
    command.errors = [{**error, "offerId": o} for o in domain.unique(command.offer_ids)]
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
    Offer.preparation_time,
    Offer.delivery_modes,
    Offer.packaging_unit,
    Offer.packaging_value,
    SalesChannel.currency,
)


def _find_offers(session: Session, seller_id: str, offer_ids: Sequence[str]) -> dict[str, Source]:
    """The seller's offers named by the ids (composite ids, or the row ids clients may still hold),
    by id as given."""
    channel_ids = session.scalars(select(SalesChannel.id))
    numeric, named = read_offer_ids(offer_ids, seller_id, channel_ids)
    composite = {(p.product_reference, p.condition, p.channel_id): text for p, text in named.items()}
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


def _catalogue_ids(session: Session, seller_id: str, offer_ids: list[str]) -> list[str]:
    """The ids with each row id of one of the seller's offers replaced by the offer's composite id,
    so that a command names offers as the catalogue does, in its input and in its errors."""
    numeric = [text for text in offer_ids if offer_row_id(text) is not None]
    if not numeric:
        return offer_ids
    found = _find_offers(session, seller_id, numeric)
    return [
        offer_id(seller_id, row.product_reference, row.condition, row.sales_channel_id)
        if (row := found.get(text)) is not None
        else text
        for text in offer_ids
    ]


def _amount(value: Decimal | None, rate: Decimal) -> Decimal | None:
    return None if value is None else domain.convert(value, rate)


def _copy(source: Source, rate: Decimal, modes: Sequence[DeliveryMode] | None) -> OfferCopy:
    """The source offer as published on a platform with the platform's delivery modes, amounts in the
    platform's currency."""
    return OfferCopy(
        reference=source.seller_external_reference,
        product_id=source.product_id,
        condition=source.condition,
        price=_amount(source.price, rate),
        origin_price=_amount(source.origin_price, rate),
        vat_rate=source.vat_rate,
        eco_tax=_amount(source.eco_tax, rate),
        dea_tax=_amount(source.dea_tax, rate),
        preparation_time=source.preparation_time,
        delivery_modes=None
        if modes is None
        else [
            DeliveryMode(m.code, domain.convert(m.cost, rate), domain.convert(m.additional_cost, rate))
            for m in modes
        ],
        packaging_unit=source.packaging_unit,
        packaging_value=source.packaging_value,
    )


def _mode_kinds(session: Session, channel_ids: set[str]) -> dict[str, dict[str, delivery.ModeKind]]:
    """The delivery modes each channel declares, by channel and code."""
    kinds: dict[str, dict[str, delivery.ModeKind]] = {c: {} for c in channel_ids}
    for m in session.scalars(
        select(ChannelDeliveryMode).where(ChannelDeliveryMode.channel_id.in_(channel_ids))
    ):
        kinds[m.channel_id][m.code] = delivery.ModeKind(
            m.code, m.delivery_delay, m.is_express_delivery, m.more_than_30kg_product
        )
    return kinds


def _publish(
    session: Session, seller_id: str, platform_id: str, sources: Sequence[tuple[str, Source]]
) -> list[domain.ItemError]:
    """Publishes the offers on one platform; the items that could not be published."""
    platform = session.get(AdditionalPlatform, platform_id)
    channel = None if platform is None else session.get(SalesChannel, platform.sales_channel_id)
    if platform is None or channel is None or not channel.active:
        return [domain.ItemError(domain.PLATFORM_UNAVAILABLE, o, platform_id) for o, _ in sources]
    rates = {channel.currency: Decimal(1), **rates_of(session, platform_id)}
    kinds = _mode_kinds(session, {channel.id, *(source.sales_channel_id for _, source in sources)})
    errors: list[domain.ItemError] = []
    convertible: list[tuple[str, OfferCopy]] = []
    for given, source in sources:
        rate = rates.get(source.currency)
        if rate is None:
            errors.append(domain.ItemError(domain.RATE_NOT_FOUND, given, platform_id))
            continue
        modes = decode_modes(source.delivery_modes)
        if modes:
            modes = delivery.platform_modes(modes, kinds[source.sales_channel_id], kinds[channel.id].values())
            if not modes:
                errors.append(domain.ItemError(domain.DELIVERY_UNAVAILABLE, given, platform_id))
                continue
        convertible.append((given, _copy(source, rate, modes)))
    published = publish_copies(
        session, seller_id=seller_id, channel_id=channel.id, copies=[c for _, c in convertible]
    )
    errors += [
        domain.ItemError(domain.OFFER_CONFLICT, given, platform_id)
        for (given, _), done in zip(convertible, published, strict=True)
        if not done
    ]
    return errors
