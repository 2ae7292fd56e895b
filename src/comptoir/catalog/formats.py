"""The shape of a submitted product's fields, whatever its category: types, lengths, URLs, numbers,
pictures. Pure functions; `checks` applies them with the referential's rules.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from typing import Any

import msgspec

from comptoir.catalog.domain import CATEGORY_FIELD, PICTURES_FIELD, Code, Message, message
from comptoir.catalog.schemas import PictureIn, ProductIn

# Caps Cdiscount declares for a product sheet (title, description); the others are ours.
TITLE_MAX = 132
DESCRIPTION_MAX = 2000
RICH_DESCRIPTION_MAX = 20_000
SELLER_REFERENCE_MAX = 50
BRAND_MAX = 100
VARIANT_GROUP_MAX = 100
TEXT_VALUE_MAX = 1000
URL_MAX = 2048


# Submitted JSON to ProductIn, one field at a time when a product does not convert whole

_FIELDS = {f.encode_name: f for f in msgspec.structs.fields(ProductIn)}


def _field_name(name: str) -> str:
    return CATEGORY_FIELD if name == "categoryCode" else name[:1].upper() + name[1:]


def coerce_product(raw: Mapping[str, Any]) -> tuple[ProductIn, list[Message], list[Message]]:
    """The product, plus format errors for fields of the wrong type (dropped) and infos for
    fields that are not part of the product model (ignored). `raw` names are already in the
    wire casing."""
    infos = [message(Code.UNKNOWN_FIELD, str(name), "unknown_field") for name in raw if name not in _FIELDS]
    try:
        return msgspec.convert(raw, ProductIn), [], infos
    except msgspec.ValidationError:
        pass
    good: dict[str, Any] = {}
    errors: list[Message] = []
    for name, value in raw.items():
        info = _FIELDS.get(name)
        if info is None:
            continue
        args = typing.get_args(info.type)
        if typing.get_origin(info.type) is list and isinstance(value, list):
            # Keep the well-formed elements of a list, report the others.
            kept = []
            for i, item in enumerate(value):
                try:
                    kept.append(msgspec.convert(item, args[0]))
                except msgspec.ValidationError as exc:
                    where = f"{_field_name(name)}[{i}]"
                    errors.append(message(Code.INCORRECT_FORMAT, where, "wrong_type", detail=exc))
            good[name] = kept
            continue
        try:
            good[name] = msgspec.convert(value, info.type)
        except msgspec.ValidationError as exc:
            errors.append(message(Code.INCORRECT_FORMAT, _field_name(name), "wrong_type", detail=exc))
    return ProductIn(**{_FIELDS[k].name: v for k, v in good.items()}), errors, infos


# URLs and numbers


# http(s), a host name with a dot (or localhost), no user info, no whitespace anywhere.
_WEB_URL = re.compile(
    r"https?://(?:localhost|[^\s/?#@:.]+(?:\.[^\s/?#@:.]+)+)(?::[0-9]{1,5})?(?:[/?#]\S*)?", re.IGNORECASE
)
_NUMBER = re.compile(r"^-?[0-9]+([.,][0-9]+)?$")


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host name, as a marketplace can download it."""
    return len(url) <= URL_MAX and _WEB_URL.fullmatch(url) is not None


def file_format(url: str) -> str:
    """The extension of the file a URL names, lower-cased, `jpeg` read as `jpg`."""
    name = url.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1]
    suffix = name.rpartition(".")[2].lower() if "." in name else ""
    return "jpg" if suffix == "jpeg" else suffix


def is_number(value: str) -> bool:
    """A decimal number, with a point or a comma."""
    return _NUMBER.match(value.strip()) is not None


# Texts and pictures


def too_long(value: str | None, limit: int, field_name: str, errors: list[Message]) -> None:
    if value is not None and len(value) > limit:
        errors.append(
            message(Code.MAX_LENGTH, field_name, "too_long", field=field_name, length=len(value), limit=limit)
        )


def required_text(value: str | None, limit: int, field_name: str, errors: list[Message]) -> bool:
    if value is None or not value.strip():
        errors.append(message(Code.MISSING_FIELD, field_name, "text_required", field=field_name))
        return False
    too_long(value, limit, field_name, errors)
    return True


def check_texts(product: ProductIn, errors: list[Message]) -> tuple[bool, bool]:
    """Lengths of the product's texts; whether it has a title and a description."""
    has_title = required_text(product.title, TITLE_MAX, "Title", errors)
    has_description = required_text(product.description, DESCRIPTION_MAX, "Description", errors)
    too_long(product.rich_marketing_description, RICH_DESCRIPTION_MAX, "RichMarketingDescription", errors)
    too_long(product.seller_product_reference, SELLER_REFERENCE_MAX, "SellerProductReference", errors)
    too_long(product.variant_group_reference, VARIANT_GROUP_MAX, "VariantGroupReference", errors)
    return has_title, has_description


def check_pictures(pictures: list[PictureIn], errors: list[Message], warnings: list[Message]) -> None:
    if not pictures:
        warnings.append(message(Code.MISSING_FIELD, PICTURES_FIELD, "no_picture"))
    seen: set[int] = set()
    for i, picture in enumerate(pictures):
        where = f"{PICTURES_FIELD}[{i}]"
        if picture.index < 1:
            errors.append(message(Code.INCORRECT_VALUE, where, "picture_index"))
        elif picture.index in seen:
            errors.append(message(Code.DUPLICATE, where, "picture_twice", index=picture.index))
        seen.add(picture.index)
        if not is_web_url(picture.url):
            errors.append(message(Code.INCORRECT_FORMAT, where, "picture_url"))
