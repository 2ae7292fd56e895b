"""Wire models of the offer routes (camelCase, property names matched case-insensitively on input)."""

from __future__ import annotations

import functools
import operator
import re
import types
import typing
from typing import Any, Generic, TypeVar

import msgspec
from msgspec import UNSET, UnsetType

from comptoir.api.wire import Wire, is_json_media_type, normalize
from comptoir.errors import UnsupportedMediaType, ValidationFailed
from comptoir.offers.domain import Problem

# --- live catalogue (spec section 9) ---------------------------------------------------------------
# `fields` selects parts of an offer: every field may be absent (UNSET, left out of the JSON), which
# is not the same as null.


class FacialPriceOut(Wire):
    price: float | UnsetType = UNSET
    currency_code: str | UnsetType = UNSET


class TaxOut(Wire):
    code: str | UnsetType = UNSET
    value: float | UnsetType = UNSET


class DeliveryModeOut(Wire):
    code: str | UnsetType = UNSET
    cost: float | UnsetType = UNSET
    additional_cost: float | UnsetType = UNSET


class CommercialOperationOut(Wire):
    type: str | UnsetType = UNSET
    discount_unit: str | UnsetType = UNSET
    discount_value: float | UnsetType = UNSET
    start_date: str | None | UnsetType = UNSET
    end_date: str | None | UnsetType = UNSET
    sales_reference_price: float | None | UnsetType = UNSET


class OfferCompetitionOut(Wire):
    """Cdiscount's view of the competition on the offer's product and condition."""

    competing_offer_count: int | UnsetType = UNSET
    is_best_offer: bool | UnsetType = UNSET
    best_offer_price: float | None | UnsetType = UNSET


class DeliveryOfferOut(Wire):
    storage_country: str | None | UnsetType = UNSET
    delivery_mode_code: str | UnsetType = UNSET
    cost: float | UnsetType = UNSET


class BestOfferOut(Wire):
    seller_id: str | UnsetType = UNSET
    price: float | UnsetType = UNSET
    total_price: float | UnsetType = UNSET


class BestOfferDetailsOut(Wire):
    seller_id: str | UnsetType = UNSET
    price: float | UnsetType = UNSET
    total_price: float | UnsetType = UNSET
    is_best_offer: bool | UnsetType = UNSET


class OfferQualityOut(Wire):
    score: int | UnsetType = UNSET
    score_reasons: list[str] | UnsetType = UNSET


class CompetingOfferOut(Wire):
    seller_id: str | UnsetType = UNSET
    seller_name: str | UnsetType = UNSET
    condition: str | UnsetType = UNSET
    price: float | UnsetType = UNSET
    shipping_cost: float | None | UnsetType = UNSET
    total_price: float | UnsetType = UNSET
    is_best_offer: bool | UnsetType = UNSET


class ProductInformationOut(Wire):
    product_reviews_average_rating: float | None | UnsetType = UNSET
    product_reviews_count: int | UnsetType = UNSET


class SalesChannelFeedbackOut(Wire):
    online_status: str | UnsetType = UNSET
    is_visible: bool | UnsetType = UNSET
    best_offer_details: BestOfferDetailsOut | None | UnsetType = UNSET
    offer_quality: OfferQualityOut | UnsetType = UNSET
    competing_offers: list[CompetingOfferOut] | UnsetType = UNSET
    product_information: ProductInformationOut | UnsetType = UNSET


class OfferOut(Wire):
    """An offer as `GET /offers` lists it. Cdiscount offers carry `commercialOperations` and
    `offerCompetition`, the others `salesChannelAcceptanceStatus`, `deliveryOffers`, `isBestOffer` and
    `bestOffer`; `salesChannelFeedback` only when asked for."""

    offer_id: str | UnsetType = UNSET
    seller_id: str | UnsetType = UNSET
    sales_channel_id: str | UnsetType = UNSET
    seller_external_reference: str | UnsetType = UNSET
    gtin: str | UnsetType = UNSET
    product_reference: str | UnsetType = UNSET
    condition: str | UnsetType = UNSET
    offer_state: str | UnsetType = UNSET
    integration_price: float | None | UnsetType = UNSET
    origin_price: float | None | UnsetType = UNSET
    facial_price: FacialPriceOut | None | UnsetType = UNSET
    taxes: list[TaxOut] | UnsetType = UNSET
    quantity: int | None | UnsetType = UNSET
    preparation_time: int | None | UnsetType = UNSET
    delivery_modes: list[DeliveryModeOut] | UnsetType = UNSET
    price_must_be_aligned: bool | None | UnsetType = UNSET
    minimum_price_for_price_alignment: float | None | UnsetType = UNSET
    product_packaging_unit: str | None | UnsetType = UNSET
    product_packaging_value: float | None | UnsetType = UNSET
    created_at: str | None | UnsetType = UNSET
    updated_at: str | None | UnsetType = UNSET
    commercial_operations: list[CommercialOperationOut] | UnsetType = UNSET
    offer_competition: OfferCompetitionOut | UnsetType = UNSET
    sales_channel_acceptance_status: str | UnsetType = UNSET
    delivery_offers: list[DeliveryOfferOut] | UnsetType = UNSET
    is_best_offer: bool | UnsetType = UNSET
    best_offer: BestOfferOut | None | UnsetType = UNSET
    sales_channel_feedback: SalesChannelFeedbackOut | UnsetType = UNSET


Values = list[str] | str | None


class OfferSearchIn(Wire):
    """The body of the deprecated `POST /offers/search`: the filters of `GET /offers`, each a list
    or a comma-separated string."""

    sales_channel_id: str | None = None
    offer_ids: Values = None
    seller_external_references: Values = None
    gtins: Values = None
    offer_states: Values = None
    updated_at_min: str | None = None


# --- JSON offer packages (spec section 10) --------------------------------------------------------


class PackageIn(Wire):
    # Checked by the service, case-sensitively, for a clearer message than a schema error.
    package_type: str
    # Clients normally send the SalesChannelId header; some put it in the body.
    sales_channel_id: str | None = None


class PackagePatch(Wire):
    state: str


class PackageResult(Wire):
    message: str
    result_code: str


class PackageOut(Wire, omit_defaults=True):
    offer_request_count: int
    package_id: str
    state: str
    type: str
    sales_channel_id: str
    submission_date: str
    result: PackageResult | None = None


class UploadOut(Wire):
    package_id: str
    offer_request_count: int


# Offer requests come by tens of thousands: their structs are untracked by the garbage collector
# (they hold no cycles). Amounts are JSON numbers read as floats (several times faster to decode
# than Decimal); the service turns each into the Decimal of its shortest repr, the number as written.


class ResultOut(Wire, gc=False):
    result_code: str
    message: str


class StoredResult(msgspec.Struct, rename="camel", frozen=True, omit_defaults=True, gc=False):
    """A result as kept (frozen: results are cached by value): `message` is the key of its text in
    `offers.messages`, written with `args` in the reader's language when read; results kept before
    that hold their English text, under the names the wire gives them."""

    result_code: str
    message: str
    args: tuple[tuple[str, str], ...] = ()


@functools.lru_cache(maxsize=4096)
def stored_result(problem: Problem) -> StoredResult:
    # Most results are the same few problems (8000 Offer created...): each is built once.
    return StoredResult(result_code=problem.code, message=problem.key, args=problem.args)


# Per-offer results are kept with StoredResult and read with ResultOut.
R = TypeVar("R")


class OfferRequestResult(Wire, Generic[R], omit_defaults=True, gc=False):
    seller_external_reference: str
    integration_status: str
    results: list[R]
    offer_id: str | None = None


class ProductIn(Wire, gc=False):
    gtin: str | None = None
    reference: str | None = None


class TaxIn(Wire, gc=False):
    code: str
    value: float
    type: str | None = None


class PriceIn(Wire, gc=False):
    price: float | None = None
    origin_price: float | None = None
    taxes: list[TaxIn] | None = None
    currency_code: str | None = None


class DeliveryModeIn(Wire, gc=False):
    code: str
    cost: float
    additional_cost: float = 0.0


class OfferRequestIn(Wire, gc=False):
    """One offer request; business rules are checked at integration and reported per request."""

    seller_external_reference: str
    product: ProductIn | None = None
    condition: str | None = None
    price: PriceIn | None = None
    quantity: int | None = None
    delivery_modes: list[DeliveryModeIn] | None = None
    preparation_time: int | None = None


# --- XML offer integration packages (spec section 11) ---------------------------------------------


class XmlPackageIn(Wire):
    """The object form of the request; a bare JSON string holding the URL is accepted too."""

    url: str | None = None
    package_url: str | None = None
    zip_file_full_path: str | None = None


class XmlPackageCreated(Wire):
    # A string, as in the JSON family, though its characters are digits (spec 11.1's `424325363619`).
    package_id: str


class OfferLogOut(Wire, Generic[R], omit_defaults=True, gc=False):
    """What became of one offer of the package on one of its channels."""

    seller_product_id: str
    product_ean: str | None
    sales_channel_id: str
    offer_integration_status: str
    validated: bool
    log_date: str | None
    results: list[R]
    offer_id: str | None = None


class OfferLogsOut(Wire):
    items_per_page: int
    page_index: int
    items: list[OfferLogOut[ResultOut]]


class XmlPackageOut(Wire):
    package_id: str
    package_url: str
    status: str
    package_name: str | None
    package_type: str | None
    purge_and_replace: bool
    sales_channel_ids: list[str]
    submission_date: str
    integration_date: str | None
    message: str | None
    offer_count: int
    integrated_offer_count: int
    rejected_offer_count: int
    purged_offer_count: int
    offer_logs: OfferLogsOut


# --- reading uploads of offer requests --------------------------------------------------------------


def _strict(annotation: Any) -> Any:
    """The same type, with every struct in it refusing property names it does not declare."""
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return _strict_struct(annotation)
    args = typing.get_args(annotation)
    if not args:
        return annotation
    strict_args = tuple(_strict(a) for a in args)
    if typing.get_origin(annotation) in (types.UnionType, typing.Union):
        return functools.reduce(operator.or_, strict_args)
    return typing.get_origin(annotation)[strict_args]


@functools.cache
def _strict_struct(cls: type[msgspec.Struct]) -> type[msgspec.Struct]:
    hints = typing.get_type_hints(cls)
    names = cls.__struct_fields__
    defaults = dict(
        zip(names[len(names) - len(cls.__struct_defaults__) :], cls.__struct_defaults__, strict=True)
    )
    fields = [(n, _strict(hints[n]), defaults[n]) if n in defaults else (n, _strict(hints[n])) for n in names]
    return msgspec.defstruct(
        f"Strict{cls.__name__}",
        fields,
        rename=dict(zip(names, cls.__struct_encode_fields__, strict=True)),
        forbid_unknown_fields=True,
    )


OfferRequests = list[OfferRequestIn]
_documented_casing = msgspec.json.Decoder(_strict(OfferRequests))
_AT = re.compile(r" - at `\$(.*)`$")


def read_offer_requests(content_type: str | None, body: bytes) -> tuple[int, bytes]:
    """How many offer requests an upload holds, and the JSON to keep for their integration.

    Bodies whose property names are all documented ones, in the documented casing (most clients),
    are checked by one typed decode and kept as sent. Anything else (other casings, unknown
    properties, numbers in strings) takes the tolerant path of every route and is kept re-encoded.
    """
    if not is_json_media_type(content_type):
        raise UnsupportedMediaType(f"Content type {content_type!r} is not supported here; send JSON.")
    if not body.strip():
        raise ValidationFailed(
            "A request body is required.", errors={"body": ["A request body is required."]}
        )
    try:
        return len(_documented_casing.decode(body)), body
    except msgspec.DecodeError:
        pass
    try:
        raw = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise ValidationFailed(
            "The request body is not valid JSON.", errors={"body": [f"Invalid JSON: {exc}"]}
        ) from exc
    try:
        requests = msgspec.convert(normalize(raw, OfferRequests), OfferRequests, strict=False)
    except msgspec.ValidationError as exc:
        at = _AT.search(str(exc))
        raise ValidationFailed(
            "One or more validation errors occurred.",
            errors={(at.group(1) if at else "") or "body": [str(exc)]},
        ) from exc
    return len(requests), msgspec.json.encode(requests)
