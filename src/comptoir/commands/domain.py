"""Rules of Allegro-style offer commands: ids, limits, statuses, localized messages, media types.

Pure: no SQLAlchemy, no Litestar.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from comptoir.platform.money import money
from comptoir.platform.params import preferred_language

MEDIA_TYPE = "application/vnd.allegro.public.v1+json"
MAX_OFFERS = 1000

DEFAULT_LANGUAGE = "en-US"
LANGUAGES = ("en-US", "pl-PL")


PLATFORM_ID = re.compile(r"^[A-Z][A-Z0-9_]{1,29}$")


class Status(StrEnum):
    RUNNING = "RUNNING"
    SUCCESSFUL = "SUCCESSFUL"
    PARTIAL_SUCCESS = "PARTIAL_SUCCESS"
    ERROR = "ERROR"


# --- error codes and their messages --------------------------------------------------------------

OFFER_NOT_FOUND = "OfferNotFoundException"
OFFER_CONFLICT = "OfferConflictException"
RATE_NOT_FOUND = "ExchangeRateNotFoundException"
PLATFORM_UNAVAILABLE = "PlatformUnavailableException"
PLATFORM_NOT_FOUND = "PlatformNotFoundException"
DELIVERY_UNAVAILABLE = "DeliveryMethodUnavailableException"
TOO_MANY_OFFERS = "TooManyOffersException"
INTERNAL_ERROR = "CommandProcessingException"


@dataclass(frozen=True, slots=True)
class Text:
    """A developer message (English, as Allegro's `message`) and the user messages by language."""

    message: str
    user: dict[str, str]


# Errors of the items of a command (`output.errors`) and the refusals specific to this API.
TEXTS = {
    OFFER_NOT_FOUND: Text(
        "Received offers numbers that don't exist",
        {
            "en-US": "Received offer numbers that don't exist",
            "pl-PL": "Otrzymano numery ofert, które nie istnieją",
        },
    ),
    OFFER_CONFLICT: Text(
        "Another offer of the seller has this reference, or this product and condition, on the platform",
        {
            "en-US": "You already have another offer with this reference or this product on the platform",
            "pl-PL": "Masz już na tej platformie inną ofertę z tą sygnaturą lub tym produktem",
        },
    ),
    RATE_NOT_FOUND: Text(
        "No exchange rate is set from the offer's currency to the platform's currency",
        {
            "en-US": "The offer's currency cannot be converted to the platform's currency",
            "pl-PL": "Nie można przeliczyć waluty oferty na walutę platformy",
        },
    ),
    DELIVERY_UNAVAILABLE: Text(
        "None of the offer's delivery modes is declared by the platform or maps to one of its modes",
        {
            "en-US": "The platform offers none of this offer's delivery methods",
            "pl-PL": "Platforma nie oferuje żadnej z metod dostawy tej oferty",
        },
    ),
    PLATFORM_UNAVAILABLE: Text(
        "The platform does not accept offers at the moment",
        {"en-US": "The platform is not available", "pl-PL": "Platforma jest niedostępna"},
    ),
    PLATFORM_NOT_FOUND: Text(
        "Unknown platform",
        {"en-US": "Unknown platform", "pl-PL": "Nieznana platforma"},
    ),
    INTERNAL_ERROR: Text(
        "The command could not be processed",
        {
            "en-US": "Something went wrong on our side; send the command again under a new id",
            "pl-PL": "Wystąpił błąd po naszej stronie; wyślij polecenie ponownie z nowym identyfikatorem",
        },
    ),
    TOO_MANY_OFFERS: Text(
        f"A command takes at most {MAX_OFFERS} offers",
        {
            "en-US": f"You can change at most {MAX_OFFERS} offers at once",
            "pl-PL": f"Jednorazowo możesz zmienić maksymalnie {MAX_OFFERS} ofert",
        },
    ),
}

# Codes of HTTP-level refusals, named as Allegro names its exceptions, with a user message each.
STATUS_CODES = {
    400: "ValidationException",
    401: "UnauthorizedException",
    403: "AccessDeniedException",
    404: "NotFoundException",
    405: "MethodNotAllowedException",
    406: "NotAcceptableException",
    409: "ConflictException",
    415: "UnsupportedMediaTypeException",
    422: "UnprocessableEntityException",
    429: "TooManyRequestsException",
    500: "InternalServerErrorException",
}
_STATUS_USER = {
    400: ("The request is invalid", "Żądanie jest nieprawidłowe"),
    401: ("Authentication is required", "Wymagane jest uwierzytelnienie"),
    403: ("You do not have access to this resource", "Nie masz dostępu do tego zasobu"),
    404: ("The requested resource was not found", "Nie znaleziono żądanego zasobu"),
    405: ("This operation is not supported", "Ta operacja nie jest obsługiwana"),
    406: ("The requested response format is not supported", "Żądany format odpowiedzi nie jest obsługiwany"),
    409: (
        "The request conflicts with the current state of the resource",
        "Żądanie jest sprzeczne z bieżącym stanem zasobu",
    ),
    415: ("The request format is not supported", "Format żądania nie jest obsługiwany"),
    422: ("The request contains invalid values", "Żądanie zawiera nieprawidłowe wartości"),
    429: ("Too many requests, try again later", "Zbyt wiele żądań, spróbuj ponownie później"),
    500: ("Something went wrong, try again later", "Wystąpił błąd, spróbuj ponownie później"),
}
_FALLBACK_USER = ("The request could not be processed", "Nie udało się przetworzyć żądania")


def status_code_name(status: int) -> str:
    return STATUS_CODES.get(status, STATUS_CODES[500] if status >= 500 else STATUS_CODES[400])


def user_message(code: str, language: str, status: int = 500) -> str:
    """The message for the end user: the code's own when it has one, else the one of the HTTP status."""
    text = TEXTS.get(code)
    if text is not None:
        return text.user.get(language, text.user[DEFAULT_LANGUAGE])
    en, pl = _STATUS_USER.get(status, _STATUS_USER[500] if status >= 500 else _FALLBACK_USER)
    return pl if language == "pl-PL" else en


def language(accept_language: str | None) -> str:
    """The supported language the client prefers most (RFC 9110 `Accept-Language`), else en-US."""
    return preferred_language(accept_language, LANGUAGES, DEFAULT_LANGUAGE)


# --- media types ------------------------------------------------------------------------------------


def _media(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def is_allegro_content_type(content_type: str | None) -> bool:
    return content_type is not None and _media(content_type) == MEDIA_TYPE


def accepts_allegro(accept: str | None) -> bool:
    """True when `Accept` is absent or admits the Allegro media type with a weight above 0."""
    if accept is None or not accept.strip():
        return True
    for part in accept.split(","):
        media, *params = part.split(";")
        media = media.strip().lower()
        weight = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight > 0 and media in (MEDIA_TYPE, "application/*", "*/*"):
            return True
    return False


# --- commands ---------------------------------------------------------------------------------------


class InvalidInput(ValueError):
    """A command the API refuses outright; `path` names the offending part, `code` the rule."""

    def __init__(self, message: str, path: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message, self.path, self.code = message, path, code


def command_id(text: str) -> str:
    """The canonical (lowercase, hyphenated) form of a command id, which must be a UUID."""
    try:
        return str(uuid.UUID(text.strip()))
    except ValueError:
        raise InvalidInput(f"The command id {text!r} is not a UUID.", "commandId") from None


def check_input(offer_ids: Sequence[str], platforms: Sequence[str]) -> None:
    if not offer_ids:
        raise InvalidInput("input.offers must name at least one offer.", "input.offers")
    if len(offer_ids) > MAX_OFFERS:
        raise InvalidInput(
            f"A command takes at most {MAX_OFFERS} offers; this one has {len(offer_ids)}.",
            "input.offers",
            TOO_MANY_OFFERS,
        )
    for i, offer_id in enumerate(offer_ids):
        if not offer_id.strip():
            raise InvalidInput("An offer id must not be empty.", f"input.offers[{i}].id")
    if not platforms:
        raise InvalidInput("input.platforms must name at least one platform.", "input.platforms")


def unique(values: Iterable[str]) -> list[str]:
    """The values in first-seen order, each once: a command naming an offer twice handles it once."""
    return list(dict.fromkeys(values))


@dataclass(frozen=True, slots=True)
class ItemError:
    """What failed on one offer; `details` names the platform when the failure is specific to one."""

    code: str
    offer_id: str
    details: str | None = None

    @property
    def path(self) -> str:
        return f"offers.{self.offer_id}"


def final_status(items: int, failed: int) -> Status:
    """The status of a finished command over its (offer, platform) items."""
    if failed == 0:
        return Status.SUCCESSFUL
    return Status.ERROR if failed >= items else Status.PARTIAL_SUCCESS


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """An amount in the platform's currency, rounded as money is."""
    return money(amount * rate)
