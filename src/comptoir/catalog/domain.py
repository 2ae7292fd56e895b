"""Pure rules of the product referential and of product integration: no database, no HTTP.

The integration job loads the referential into the plain structures below, then checks each
submitted product here; a product either passes (Validated, later Integrated) or is Refused with
`errors`, and may carry `warnings` and `infos` either way (spec 8.2).
"""

from __future__ import annotations

import re
import typing
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

import msgspec

from comptoir.catalog.schemas import AttributeIn, PictureIn, ProductIn
from comptoir.platform.params import preferred_language

LANGUAGES = ("fr-FR", "en-US", "es-ES")
DEFAULT_LANGUAGE = "fr-FR"
# A channel that sells products of one language only; the others take any language.
CHANNEL_LANGUAGES = {"CDISFR": "fr-FR"}

GTIN_LENGTHS = (8, 12, 13, 14)
# Caps Cdiscount declares for a product sheet (title, description); the others are ours.
TITLE_MAX = 132
DESCRIPTION_MAX = 2000
RICH_DESCRIPTION_MAX = 20_000
SELLER_REFERENCE_MAX = 50
BRAND_MAX = 100
VARIANT_GROUP_MAX = 100
TEXT_VALUE_MAX = 1000
URL_MAX = 2048
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


# `type` of report messages: found by the checks, or when the product was written.
VALIDATION = "Validation"
INTEGRATION = "Integration"

# `field` of report messages: PascalCase, as in production; category errors are reported on
# CategoryReference as the documented example shows, attribute errors on the property reference.
CATEGORY_FIELD = "CategoryReference"
PICTURES_FIELD = "SellerPictureUrls"

Message = dict[str, str]


def message(code: Code, field_name: str, text: str, type_: str = VALIDATION) -> Message:
    return {"code": code.value, "field": field_name, "message": text, "type": type_}


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
        return message(Code.MISSING_FIELD, "Gtin", "The GTIN is required.")
    if not (gtin.isascii() and gtin.isdigit()):
        return message(Code.INCORRECT_FORMAT, "Gtin", "The GTIN must contain digits only.")
    if len(gtin) not in GTIN_LENGTHS:
        return message(Code.INCORRECT_FORMAT, "Gtin", "The GTIN must have 8, 12, 13 or 14 digits.")
    expected = gtin_check_digit(gtin[:-1])
    if int(gtin[-1]) != expected:
        return message(
            Code.INCORRECT_VALUE, "Gtin", f"The GTIN check digit is wrong: it should be {expected}."
        )
    return None


def duplicates(values: Iterable[str | None]) -> set[str]:
    counts = Counter(v for v in values if v)
    return {v for v, n in counts.items() if n > 1}


# URLs


# http(s), a host name with a dot (or localhost), no user info, no whitespace anywhere.
_WEB_URL = re.compile(
    r"https?://(?:localhost|[^\s/?#@:.]+(?:\.[^\s/?#@:.]+)+)(?::[0-9]{1,5})?(?:[/?#]\S*)?", re.IGNORECASE
)


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host name, as a marketplace can download it."""
    return len(url) <= URL_MAX and _WEB_URL.fullmatch(url) is not None


def file_format(url: str) -> str:
    """The extension of the file a URL names, lower-cased, `jpeg` read as `jpg`."""
    name = url.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1]
    suffix = name.rpartition(".")[2].lower() if "." in name else ""
    return "jpg" if suffix == "jpeg" else suffix


# Languages


def pick_language(accept_language: str | None) -> str:
    """The supported language an `Accept-Language` header prefers (`fr`, `en-GB` and `es-MX` count)."""
    return preferred_language(accept_language, LANGUAGES, DEFAULT_LANGUAGE)


def sellable_on(language: str, channel_id: str) -> bool:
    """Whether a product in `language` may be offered on the channel (only fr-FR on CDISFR)."""
    return CHANNEL_LANGUAGES.get(channel_id, language) == language


# Referential, as the checks see it


@dataclass(frozen=True)
class PropertyRule:
    reference: str
    kind: Kind
    necessity: Necessity
    choices: frozenset[str] = frozenset()
    is_variation: bool = False
    is_multi_valued: bool = False
    file_formats: frozenset[str] = frozenset()

    def required_in(self, category: CategoryRule) -> bool:
        # Variant categories need every variation property (colour, size) on every product.
        return self.necessity == Necessity.MANDATORY or (category.is_variant and self.is_variation)


@dataclass(frozen=True)
class CategoryRule:
    reference: str
    level: int
    is_active: bool = True
    is_variant: bool = False
    is_brand_mandatory: bool = False
    properties: Mapping[str, PropertyRule] = field(default_factory=dict)


@dataclass(frozen=True)
class KnownProduct:
    seller_id: str
    content: Mapping[str, Any]


@dataclass
class Context:
    """What one package is checked against: loaded once per package, not per product."""

    categories: Mapping[str, CategoryRule]
    # Brand names by their casefolded form, in the referential's spelling.
    brands: Mapping[str, str]
    known: Mapping[str, KnownProduct]
    duplicate_gtins: set[str]
    default_language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Decision:
    operation: Operation
    allowed_to_edit: bool
    was_marketable: bool


@dataclass
class Verdict:
    content: dict[str, Any]
    decision: Decision
    completeness: int
    errors: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    infos: list[Message] = field(default_factory=list)

    @property
    def status(self) -> Status:
        return Status.REFUSED if self.errors else Status.VALIDATED


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
    return message(
        Code.NOT_ALLOWED_TO_EDIT,
        "Gtin",
        "This product already exists and is managed by another seller: it was left unchanged. "
        "You can still sell offers on it.",
        type_,
    )


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


# Submitted JSON to ProductIn, one field at a time when a product does not convert whole

_FIELDS = {f.encode_name: f for f in msgspec.structs.fields(ProductIn)}


def _field_name(name: str) -> str:
    return CATEGORY_FIELD if name == "categoryCode" else name[:1].upper() + name[1:]


def coerce_product(raw: Mapping[str, Any]) -> tuple[ProductIn, list[Message], list[Message]]:
    """The product, plus format errors for fields of the wrong type (dropped) and infos for
    fields that are not part of the product model (ignored). `raw` names are already in the
    wire casing."""
    infos = [
        message(Code.UNKNOWN_FIELD, str(name), "This field is not part of the product model: it was ignored.")
        for name in raw
        if name not in _FIELDS
    ]
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
                    errors.append(message(Code.INCORRECT_FORMAT, f"{_field_name(name)}[{i}]", str(exc)))
            good[name] = kept
            continue
        try:
            good[name] = msgspec.convert(value, info.type)
        except msgspec.ValidationError as exc:
            errors.append(message(Code.INCORRECT_FORMAT, _field_name(name), str(exc)))
    return ProductIn(**{_FIELDS[k].name: v for k, v in good.items()}), errors, infos


# The checks


_NUMBER = re.compile(r"^-?[0-9]+([.,][0-9]+)?$")


def _too_long(value: str | None, limit: int, field_name: str, errors: list[Message]) -> None:
    if value is not None and len(value) > limit:
        errors.append(
            message(
                Code.MAX_LENGTH,
                field_name,
                f"{field_name} has {len(value)} characters; the maximum is {limit}.",
            )
        )


def _required_text(value: str | None, limit: int, field_name: str, errors: list[Message]) -> bool:
    if value is None or not value.strip():
        errors.append(message(Code.MISSING_FIELD, field_name, f"{field_name} is required."))
        return False
    _too_long(value, limit, field_name, errors)
    return True


def _check_pictures(pictures: list[PictureIn], errors: list[Message], warnings: list[Message]) -> None:
    if not pictures:
        warnings.append(
            message(Code.MISSING_FIELD, PICTURES_FIELD, "No picture: the product page will have none.")
        )
    seen: set[int] = set()
    for i, picture in enumerate(pictures):
        where = f"{PICTURES_FIELD}[{i}]"
        if picture.index < 1:
            errors.append(message(Code.INCORRECT_VALUE, where, "Picture indexes start at 1."))
        elif picture.index in seen:
            errors.append(message(Code.DUPLICATE, where, f"Picture index {picture.index} is given twice."))
        seen.add(picture.index)
        if not is_web_url(picture.url):
            errors.append(
                message(Code.INCORRECT_FORMAT, where, "The picture URL must be an absolute http(s) URL.")
            )


def _check_values(attribute: AttributeIn, rule: PropertyRule, errors: list[Message]) -> None:
    ref = rule.reference
    if rule.kind == Kind.FILE:
        if attribute.values:
            errors.append(
                message(Code.INCORRECT_VALUE, ref, "This property takes file URLs in files, not values.")
            )
        for url in attribute.files:
            if not is_web_url(url):
                errors.append(
                    message(Code.INCORRECT_FORMAT, ref, "The file URL must be an absolute http(s) URL.")
                )
            elif file_format(url) not in rule.file_formats:
                accepted = ", ".join(sorted(rule.file_formats))
                errors.append(message(Code.INCORRECT_FORMAT, ref, f"Accepted file formats: {accepted}."))
        return
    if attribute.files:
        errors.append(message(Code.INCORRECT_VALUE, ref, "This property takes values, not files."))
    if len(attribute.values) > 1 and not rule.is_multi_valued:
        errors.append(message(Code.INCORRECT_VALUE, ref, "This property takes a single value."))
    for value in attribute.values:
        if not value.strip():
            errors.append(message(Code.INCORRECT_VALUE, ref, "Values must not be empty."))
        elif rule.kind == Kind.LIST and value not in rule.choices:
            errors.append(
                message(
                    Code.INCORRECT_VALUE,
                    ref,
                    f"'{value[:100]}' is not an allowed value (see GET /properties/{ref}).",
                )
            )
        elif rule.kind == Kind.NUMBER and not _NUMBER.match(value.strip()):
            errors.append(message(Code.INCORRECT_FORMAT, ref, f"'{value[:100]}' is not a number."))
        elif rule.kind == Kind.TEXT:
            _too_long(value, TEXT_VALUE_MAX, ref, errors)


def _check_attributes(product: ProductIn, category: CategoryRule, verdict: Verdict) -> int:
    """Checks the attributes against the category's properties; returns how many of the
    mandatory and recommended properties are filled."""
    given: dict[str, AttributeIn] = {}
    for attribute in product.attributes:
        ref = attribute.property_reference
        if ref in given:
            verdict.errors.append(message(Code.DUPLICATE, ref, "This property is given more than once."))
            continue
        given[ref] = attribute
        rule = category.properties.get(ref)
        if rule is None:
            verdict.warnings.append(
                message(
                    Code.UNKNOWN_PROPERTY,
                    ref,
                    f"Category {category.reference} has no property {ref}: it was kept but not checked.",
                )
            )
        else:
            _check_values(attribute, rule, verdict.errors)
    filled = 0
    for rule in category.properties.values():
        found = given.get(rule.reference)
        if found is not None and (found.values or found.files):
            filled += rule.necessity != Necessity.OPTIONAL
        elif rule.required_in(category):
            verdict.errors.append(message(Code.MISSING_FIELD, rule.reference, "This property is mandatory."))
        elif rule.necessity == Necessity.RECOMMENDED:
            verdict.warnings.append(
                message(Code.MISSING_FIELD, rule.reference, "This property is recommended.")
            )
    if category.is_variant and not product.variant_group_reference:
        verdict.errors.append(
            message(
                Code.MISSING_FIELD,
                "VariantGroupReference",
                f"Category {category.reference} holds variant products: variantGroupReference is required.",
            )
        )
    return filled


def _usable_category(code: str | None, context: Context, errors: list[Message]) -> CategoryRule | None:
    if not code:
        errors.append(message(Code.MISSING_FIELD, CATEGORY_FIELD, "The category code is required."))
        return None
    category = context.categories.get(code)
    if category is None:
        errors.append(message(Code.CATEGORIZATION, CATEGORY_FIELD, f"Category {code[:20]} does not exist."))
        return None
    if category.level != LEAF_LEVEL:
        errors.append(
            message(Code.CATEGORIZATION, CATEGORY_FIELD, f"Category {code} is not a level-3 category.")
        )
        return None
    if not category.is_active:
        errors.append(
            message(Code.CATEGORIZATION, CATEGORY_FIELD, f"Category {code} is closed to new products.")
        )
        return None
    return category


def _brand(
    product: ProductIn, category: CategoryRule | None, context: Context, verdict: Verdict
) -> str | None:
    """The brand in the referential's spelling, or as given when the category accepts any brand."""
    if product.brand is None or not product.brand.strip():
        if category is not None and category.is_brand_mandatory:
            verdict.errors.append(
                message(Code.MISSING_FIELD, "Brand", "A brand is mandatory in this category.")
            )
        return None
    _too_long(product.brand, BRAND_MAX, "Brand", verdict.errors)
    known = context.brands.get(product.brand.strip().casefold())
    if known is not None:
        return known
    text = f"Brand '{product.brand[:100]}' is not in the brand referential (GET /brands)."
    if category is not None and category.is_brand_mandatory:
        verdict.errors.append(message(Code.INCORRECT_VALUE, "Brand", text))
    else:
        verdict.warnings.append(message(Code.INCORRECT_VALUE, "Brand", text))
    return product.brand


def check_product(
    product: ProductIn,
    *,
    seller_id: str,
    context: Context,
    errors: Iterable[Message] = (),
    infos: Iterable[Message] = (),
) -> Verdict:
    """Every check of one submitted product; `errors` and `infos` come from `coerce_product`."""
    verdict = Verdict(
        content={}, decision=Decision(Operation.CREATION, True, False), completeness=0, infos=list(infos)
    )
    found = verdict.errors
    gtin_issue = gtin_problem(product.gtin)
    if gtin_issue is not None:
        found.append(gtin_issue)
    elif product.gtin in context.duplicate_gtins:
        found.append(message(Code.DUPLICATE, "Gtin", "This GTIN appears more than once in the package."))

    language = product.language or context.default_language
    if language not in LANGUAGES:
        found.append(message(Code.INCORRECT_VALUE, "Language", "The language must be en-US, fr-FR or es-ES."))
    elif not sellable_on(language, "CDISFR"):
        verdict.infos.append(
            message(Code.NOT_ON_CHANNEL, "Language", "Only fr-FR products are sold on Cdiscount (CDISFR).")
        )

    has_title = _required_text(product.title, TITLE_MAX, "Title", found)
    has_description = _required_text(product.description, DESCRIPTION_MAX, "Description", found)
    _too_long(product.rich_marketing_description, RICH_DESCRIPTION_MAX, "RichMarketingDescription", found)
    _too_long(product.seller_product_reference, SELLER_REFERENCE_MAX, "SellerProductReference", found)
    _too_long(product.variant_group_reference, VARIANT_GROUP_MAX, "VariantGroupReference", found)

    category = _usable_category(product.category_code, context, found)
    brand = _brand(product, category, context, verdict)
    _check_pictures(product.seller_picture_urls, found, verdict.warnings)
    filled, expected = 0, 0
    if category is not None:
        filled = _check_attributes(product, category, verdict)
        expected = sum(rule.necessity != Necessity.OPTIONAL for rule in category.properties.values())

    # Share of what makes a good product page: title, description, brand, a picture, and the
    # category's mandatory and recommended properties.
    basics = [has_title, has_description, brand is not None, bool(product.seller_picture_urls)]
    verdict.completeness = round(100 * (sum(basics) + filled) / (len(basics) + expected))

    # A field dropped for its type is reported as such, not also as missing.
    malformed = list(errors)
    dropped = {m["field"] for m in malformed}
    verdict.errors = malformed + [
        m for m in found if m["code"] != Code.MISSING_FIELD or m["field"] not in dropped
    ]

    verdict.content = product_content(product, language=language, brand=brand)
    known = context.known.get(product.gtin or "")
    verdict.decision = decide(known, seller_id, verdict.content)
    if not verdict.decision.allowed_to_edit:
        verdict.warnings.append(not_allowed_warning())
    return verdict
