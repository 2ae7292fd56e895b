from __future__ import annotations

from typing import Annotated

import msgspec

from comptoir.api.wire import Wire

# --- Allegro face ---------------------------------------------------------------------------------


class OfferRefIn(Wire):
    # Allegro's ids are strings of digits; a client sending a JSON number means the same offer.
    id: str | int


class CommandInputIn(Wire):
    offers: list[OfferRefIn]
    platforms: list[str]


class CommandIn(Wire):
    input: CommandInputIn


class OfferRef(Wire):
    id: str


class CommandInput(Wire):
    offers: list[OfferRef]
    platforms: list[str]


class ErrorOut(Wire):
    code: str
    message: str
    details: str | None
    path: str | None
    user_message: str


class CommandOutput(Wire):
    status: str
    errors: list[ErrorOut] | None


class CommandOut(Wire):
    id: str
    input: CommandInput
    output: CommandOutput


class ErrorsOut(Wire):
    errors: list[ErrorOut]


# --- operator face --------------------------------------------------------------------------------

Currency = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")]
Rate = Annotated[float, msgspec.Meta(gt=0, le=1_000_000)]


class RateIn(Wire):
    source_currency: Currency
    rate: Rate


class PlatformIn(Wire):
    sales_channel_id: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    # Replaces the platform's whole list of rates.
    rates: list[RateIn] = []


class RatePut(Wire):
    rate: Rate


class RateOut(Wire):
    source_currency: str
    rate: float


class PlatformOut(Wire):
    id: str
    sales_channel_id: str
    currency: str
    active: bool
    rates: list[RateOut]
    created_at: str
    updated_at: str
