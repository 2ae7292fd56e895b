"""Pure rules of the catalog, no database, no HTTP: its vocabulary (statuses, operations, report
codes), the GTIN that identifies a product, and what integrating a product does to the one already
known under its GTIN.

The checks of a submitted product are in `formats` (the shape of its fields) and `checks` (the
product against the referential).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from comptoir.catalog.messages import TEXTS
from comptoir.catalog.schemas import ProductIn
from comptoir.platform.params import preferred_language

LANGUAGES = ("fr-FR", "en-US", "es-ES")
DEFAULT_LANGUAGE = "fr-FR"
# A channel that sells products of one language only; the others take any language.
CHANNEL_LANGUAGES = {"CDISFR": "fr-FR"}

GTIN_LENGTHS = (8, 12, 13, 14)
MAX_FILE_SIZE = 1_048_576
LEAF_LEVEL = 3
# Reports are kept three days after submission, as in production.
REPORT_RETENTION = timedelta(days=3)


class Status(StrEnum):
    VALIDATED = "Validated"
    INTEGRATED = "Integrated"
    REFUSED = "Refused"


class Operation(StrEnum):
    CREATION = "Creation"
    MODIFICATION = "Modification"
    IDENTICAL = "Identical"


class Necessity(StrEnum):
    MANDATORY = "Mandatory"
    RECOMMENDED = "Recommended"
    OPTIONAL = "Optional"


class Kind(StrEnum):
    TEXT = "Text"
    NUMBER = "Number"
    LIST = "List"
    FILE = "File"


class Code(StrEnum):
    """`code` of report messages; the first three are the ones production reports show."""

    MISSING_FIELD = "MissingField"
    INCORRECT_VALUE = "IncorrectValue"
    CATEGORIZATION = "CategorizationError"
    INCORRECT_FORMAT = "IncorrectFormat"
    MAX_LENGTH = "MaxLengthExceeded"
    DUPLICATE = "DuplicateValue"
    UNKNOWN_FIELD = "UnknownField"
    UNKNOWN_PROPERTY = "UnknownProperty"
    NOT_ALLOWED_TO_EDIT = "NotAllowedToEdit"
    NOT_ON_CHANNEL = "NotAvailableOnChannel"
    QUOTA_EXCEEDED = "QuotaExceeded"
    # The whole package refused (sandbox progress policy `fail`).
    PACKAGE_REFUSED = "PackageRefused"


# `type` of report messages: found by the checks, or when the product was written.
VALIDATION = "Validation"
INTEGRATION = "Integration"

# `field` of report messages: PascalCase, as in production; category errors are reported on
# CategoryReference as the documented example shows, attribute errors on the property reference.
CATEGORY_FIELD = "CategoryReference"
PICTURES_FIELD = "SellerPictureUrls"

# A report message as stored: its text is a key of `messages.TEXTS` and the arguments it is written
# with, so that each reader gets it in their own language.
Message = dict[str, Any]


def message(code: Code, field_name: str, key: str, type_: str = VALIDATION, **args: object) -> Message:
    if key not in TEXTS:
        raise KeyError(f"no report message {key!r}")
    found: Message = {"code": code.value, "field": field_name, "key": key, "type": type_}
    if args:
        found["args"] = {name: str(value) for name, value in args.items()}
    return found


# GTIN


def gtin_check_digit(body: str) -> int:
    """GS1 check digit of the digits before it: weights 3 and 1 alternate from the right."""
    reverse = body[::-1]
    total = 3 * sum(map(int, reverse[0::2])) + sum(map(int, reverse[1::2]))
    return (10 - total % 10) % 10


def with_check_digit(body: str) -> str:
    return body + str(gtin_check_digit(body))


def gtin_problem(gtin: str | None) -> Message | None:
    if not gtin:
        return message(Code.MISSING_FIELD, "Gtin", "gtin_required")
    if not (gtin.isascii() and gtin.isdigit()):
        return message(Code.INCORRECT_FORMAT, "Gtin", "gtin_digits")
    if len(gtin) not in GTIN_LENGTHS:
        return message(Code.INCORRECT_FORMAT, "Gtin", "gtin_length")
    expected = gtin_check_digit(gtin[:-1])
    if int(gtin[-1]) != expected:
        return message(Code.INCORRECT_VALUE, "Gtin", "gtin_check_digit", expected=expected)
    return None


def could_be_gtin(value: str) -> bool:
    """Whether a submitted value can be a stored GTIN, and so is worth looking up."""
    return value.isdigit() and len(value) <= max(GTIN_LENGTHS)


def duplicates(values: Iterable[str | None]) -> set[str]:
    counts = Counter(v for v in values if v)
    return {v for v, n in counts.items() if n > 1}


# Languages


def pick_language(accept_language: str | None) -> str:
    """The supported language an `Accept-Language` header prefers (`fr`, `en-GB` and `es-MX` count)."""
    return preferred_language(accept_language, LANGUAGES, DEFAULT_LANGUAGE)


def sellable_on(language: str, channel_id: str) -> bool:
    """Whether a product in `language` may be offered on the channel (only fr-FR on CDISFR)."""
    return CHANNEL_LANGUAGES.get(channel_id, language) == language


# A product and the one already known under its GTIN


@dataclass(frozen=True)
class KnownProduct:
    seller_id: str
    content: Mapping[str, Any]


@dataclass(frozen=True)
class Decision:
    operation: Operation
    allowed_to_edit: bool
    was_marketable: bool


def decide(known: KnownProduct | None, seller_id: str, content: Mapping[str, Any]) -> Decision:
    """What integrating `content` does to the product already known under the same GTIN."""
    if known is None:
        return Decision(Operation.CREATION, True, False)
    if known.seller_id != seller_id:
        # Another seller's product is left as it is; the seller may still sell offers on it.
        return Decision(Operation.IDENTICAL, False, True)
    if dict(known.content) == content:
        return Decision(Operation.IDENTICAL, True, True)
    return Decision(Operation.MODIFICATION, True, True)


def not_allowed_warning(type_: str = VALIDATION) -> Message:
    return message(Code.NOT_ALLOWED_TO_EDIT, "Gtin", "not_allowed_to_edit", type_)


def product_reference(number: int) -> str:
    """Octopia-style product reference: 5 letters and 5 digits, `AAAAA00148` for 148."""
    letters, digits = divmod(number, 100_000)
    chars = []
    for _ in range(5):
        letters, rest = divmod(letters, 26)
        chars.append(chr(ord("A") + rest))
    if letters:
        raise ValueError(f"product reference number {number} is out of range")
    return "".join(reversed(chars)) + f"{digits:05d}"


def product_content(product: ProductIn, *, language: str, brand: str | None) -> dict[str, Any]:
    """The product as stored, under the `products` column names; equal contents mean Identical."""
    attributes = [
        {"propertyReference": a.property_reference, "values": a.values, "files": a.files}
        for a in sorted(product.attributes, key=lambda a: a.property_reference)
        if a.values or a.files
    ]
    return {
        "seller_product_reference": product.seller_product_reference,
        "variant_group_reference": product.variant_group_reference,
        "category_code": product.category_code,
        "language": language,
        "title": product.title,
        "description": product.description,
        "rich_marketing_description": product.rich_marketing_description,
        "brand": brand,
        "attributes": attributes,
        "pictures": [p.url for p in sorted(product.seller_picture_urls, key=lambda p: p.index)],
    }


# `products` columns that make a product's content: the keys of `product_content`.
CONTENT_KEYS = tuple(product_content(ProductIn(), language="", brand=None))
