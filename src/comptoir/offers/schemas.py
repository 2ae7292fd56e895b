"""Wire models of the offer routes (camelCase, property names matched case-insensitively on input)."""

from __future__ import annotations

import functools
import operator
import re
import types
import typing
from typing import Any

import msgspec

from comptoir.api.wire import Wire, is_json_media_type, normalize
from comptoir.errors import UnsupportedMediaType, ValidationFailed

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


class OfferRequestResult(Wire, omit_defaults=True, gc=False):
    seller_external_reference: str
    integration_status: str
    results: list[ResultOut]
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
    package_id: int


class XmlPackageOut(Wire):
    package_id: int
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
    offer_logs: dict[str, object] = msgspec.field(default_factory=dict)


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
