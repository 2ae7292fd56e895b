"""Checking one submitted product against the referential (spec 8.2): its category, brand and
properties, variants, and what integrating it would do. Pure: the integration job loads the
referential into the plain structures below once per package.

A product either passes (Validated, later Integrated) or is Refused with `errors`, and may carry
`warnings` and `infos` either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from comptoir.catalog.domain import (
    CATEGORY_FIELD,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    LEAF_LEVEL,
    Code,
    Decision,
    Kind,
    KnownProduct,
    Message,
    Necessity,
    Operation,
    Status,
    decide,
    gtin_problem,
    message,
    not_allowed_warning,
    product_content,
    sellable_on,
)
from comptoir.catalog.formats import (
    BRAND_MAX,
    TEXT_VALUE_MAX,
    check_pictures,
    check_texts,
    file_format,
    is_number,
    is_web_url,
    too_long,
)
from comptoir.catalog.schemas import AttributeIn, ProductIn

# The referential, as the checks see it


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


@dataclass
class Context:
    """What one package is checked against: loaded once per package, not per product."""

    categories: Mapping[str, CategoryRule]
    # Brand names by their casefolded form, in the referential's spelling.
    brands: Mapping[str, str]
    known: Mapping[str, KnownProduct]
    duplicate_gtins: set[str]
    default_language: str = DEFAULT_LANGUAGE


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


@dataclass
class CreationQuota:
    """The creations a package may still make (production profile): the first valid creations of
    the package, in its order, pass; the others are refused."""

    quota: int
    left: int
    spent: int = 0

    def admit(self, verdict: Verdict) -> None:
        if verdict.status != Status.VALIDATED or verdict.decision.operation != Operation.CREATION:
            return
        if self.left > 0:
            self.left -= 1
            self.spent += 1
        else:
            verdict.errors.append(message(Code.QUOTA_EXCEEDED, "Gtin", "quota_exceeded", quota=self.quota))


# Properties and variants


def _check_values(attribute: AttributeIn, rule: PropertyRule, errors: list[Message]) -> None:
    ref = rule.reference
    if rule.kind == Kind.FILE:
        if attribute.values:
            errors.append(message(Code.INCORRECT_VALUE, ref, "files_not_values"))
        for url in attribute.files:
            if not is_web_url(url):
                errors.append(message(Code.INCORRECT_FORMAT, ref, "file_url"))
            elif file_format(url) not in rule.file_formats:
                accepted = ", ".join(sorted(rule.file_formats))
                errors.append(message(Code.INCORRECT_FORMAT, ref, "file_format", accepted=accepted))
        return
    if attribute.files:
        errors.append(message(Code.INCORRECT_VALUE, ref, "values_not_files"))
    if len(attribute.values) > 1 and not rule.is_multi_valued:
        errors.append(message(Code.INCORRECT_VALUE, ref, "single_value"))
    for value in attribute.values:
        if not value.strip():
            errors.append(message(Code.INCORRECT_VALUE, ref, "empty_value"))
        elif rule.kind == Kind.LIST and value not in rule.choices:
            errors.append(
                message(Code.INCORRECT_VALUE, ref, "not_a_choice", value=value[:100], reference=ref)
            )
        elif rule.kind == Kind.NUMBER and not is_number(value):
            errors.append(message(Code.INCORRECT_FORMAT, ref, "not_a_number", value=value[:100]))
        elif rule.kind == Kind.TEXT:
            too_long(value, TEXT_VALUE_MAX, ref, errors)


def _check_attributes(product: ProductIn, category: CategoryRule, verdict: Verdict) -> int:
    """Checks the attributes against the category's properties; returns how many of the
    mandatory and recommended properties are filled."""
    given: dict[str, AttributeIn] = {}
    for attribute in product.attributes:
        ref = attribute.property_reference
        if ref in given:
            verdict.errors.append(message(Code.DUPLICATE, ref, "property_twice"))
            continue
        given[ref] = attribute
        rule = category.properties.get(ref)
        if rule is None:
            verdict.warnings.append(
                message(
                    Code.UNKNOWN_PROPERTY, ref, "property_unknown", category=category.reference, reference=ref
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
            verdict.errors.append(message(Code.MISSING_FIELD, rule.reference, "property_mandatory"))
        elif rule.necessity == Necessity.RECOMMENDED:
            verdict.warnings.append(message(Code.MISSING_FIELD, rule.reference, "property_recommended"))
    if category.is_variant and not product.variant_group_reference:
        verdict.errors.append(
            message(
                Code.MISSING_FIELD,
                "VariantGroupReference",
                "variant_group_required",
                category=category.reference,
            )
        )
    return filled


# Category and brand


def _usable_category(code: str | None, context: Context, errors: list[Message]) -> CategoryRule | None:
    if not code:
        errors.append(message(Code.MISSING_FIELD, CATEGORY_FIELD, "category_required"))
        return None
    category = context.categories.get(code)
    if category is None:
        errors.append(message(Code.CATEGORIZATION, CATEGORY_FIELD, "category_unknown", category=code[:20]))
        return None
    if category.level != LEAF_LEVEL:
        errors.append(message(Code.CATEGORIZATION, CATEGORY_FIELD, "category_not_leaf", category=code))
        return None
    if not category.is_active:
        errors.append(message(Code.CATEGORIZATION, CATEGORY_FIELD, "category_closed", category=code))
        return None
    return category


def _brand(
    product: ProductIn, category: CategoryRule | None, context: Context, verdict: Verdict
) -> str | None:
    """The brand in the referential's spelling, or as given when the category accepts any brand."""
    if product.brand is None or not product.brand.strip():
        if category is not None and category.is_brand_mandatory:
            verdict.errors.append(message(Code.MISSING_FIELD, "Brand", "brand_required"))
        return None
    too_long(product.brand, BRAND_MAX, "Brand", verdict.errors)
    known = context.brands.get(product.brand.strip().casefold())
    if known is not None:
        return known
    unknown = message(Code.INCORRECT_VALUE, "Brand", "brand_unknown", brand=product.brand[:100])
    if category is not None and category.is_brand_mandatory:
        verdict.errors.append(unknown)
    else:
        verdict.warnings.append(unknown)
    return product.brand


# The whole product


def check_product(
    product: ProductIn,
    *,
    seller_id: str,
    context: Context,
    errors: Iterable[Message] = (),
    infos: Iterable[Message] = (),
) -> Verdict:
    """Every check of one submitted product; `errors` and `infos` come from `formats.coerce_product`."""
    verdict = Verdict(
        content={}, decision=Decision(Operation.CREATION, True, False), completeness=0, infos=list(infos)
    )
    found = verdict.errors
    gtin_issue = gtin_problem(product.gtin)
    if gtin_issue is not None:
        found.append(gtin_issue)
    elif product.gtin in context.duplicate_gtins:
        found.append(message(Code.DUPLICATE, "Gtin", "gtin_twice"))

    language = product.language or context.default_language
    if language not in LANGUAGES:
        found.append(message(Code.INCORRECT_VALUE, "Language", "language_unsupported"))
    elif not sellable_on(language, "CDISFR"):
        verdict.infos.append(message(Code.NOT_ON_CHANNEL, "Language", "not_on_cdiscount"))

    has_title, has_description = check_texts(product, found)
    category = _usable_category(product.category_code, context, found)
    brand = _brand(product, category, context, verdict)
    check_pictures(product.seller_picture_urls, found, verdict.warnings)
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
