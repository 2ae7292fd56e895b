"""Reading the product referential: categories, their properties and brands, as sellers see them
(labels in one language), and as the checks of product integration see them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from comptoir.catalog import domain
from comptoir.catalog import schemas as s
from comptoir.catalog.checks import CategoryRule, Context, PropertyRule
from comptoir.catalog.models import IN_LIST, Brand, Category, Property
from comptoir.db.bulk import chunked
from comptoir.db.pagination import IndexPage, index_page
from comptoir.errors import NotFound, ValidationFailed

LABEL_COLUMNS = {"fr-FR": "label_fr", "en-US": "label_en", "es-ES": "label_es"}
# Sort keys in lower case (clients send any casing); a label sorts in the language of the request.
CATEGORY_SORTS = {"categoryreference": "reference", "label": None, "level": "level"}


def label_of(row: Category | Property, language: str) -> str:
    return str(getattr(row, LABEL_COLUMNS[language]))


# Categories


def list_categories(
    session: Session, *, language: str, page_index: int, page_size: int, sort: str | None, descending: bool
) -> IndexPage[Category]:
    key = (sort or "categoryReference").lower()
    if key not in CATEGORY_SORTS:
        raise ValidationFailed.field("sort", "sort must be categoryReference, label or level.")
    column = getattr(Category, CATEGORY_SORTS[key] or LABEL_COLUMNS[language])
    order = [column.desc() if descending else column.asc(), Category.reference]
    return index_page(session, select(Category).order_by(*order), page_index=page_index, page_size=page_size)


def count_categories(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Category)) or 0)


def get_category(session: Session, reference: str) -> Category:
    category = session.get(Category, reference)
    if category is None:
        raise NotFound(f"Category {reference} does not exist.")
    return category


def category_out(category: Category, language: str) -> s.CategoryOut:
    return s.CategoryOut(
        category_reference=category.reference,
        label=label_of(category, language),
        level=category.level,
        is_active=category.is_active,
        is_brand_mandatory=category.is_brand_mandatory,
        is_variant=category.is_variant,
        parent_references=list(category.parent_references),
    )


# Properties


def properties_by_reference(session: Session, references: Iterable[str]) -> dict[str, Property]:
    found: dict[str, Property] = {}
    for part in chunked(sorted(set(references)), IN_LIST):
        found.update(
            (p.reference, p) for p in session.scalars(select(Property).where(Property.reference.in_(part)))
        )
    return found


def get_property(session: Session, reference: str) -> Property:
    prop = session.get(Property, reference)
    if prop is None:
        raise NotFound(f"Property {reference} does not exist.")
    return prop


def _property_fields(prop: Property, language: str) -> dict[str, Any]:
    return {
        "property_reference": prop.reference,
        "label": label_of(prop, language),
        "type": prop.kind,
        "is_variation": prop.is_variation,
        "is_size": prop.is_size,
        "is_multi_valued": prop.is_multi_valued,
        "choices": list(prop.choices),
        "file_formats": list(prop.file_formats),
        "max_file_size": domain.MAX_FILE_SIZE if prop.kind == domain.Kind.FILE else None,
    }


def property_out(prop: Property, language: str) -> s.PropertyOut:
    return s.PropertyOut(**_property_fields(prop, language))


def category_properties(session: Session, reference: str, language: str) -> list[s.CategoryPropertyOut]:
    """The properties of a category's products, with their necessity, in display order."""
    links = get_category(session, reference).properties
    found = properties_by_reference(session, (link["reference"] for link in links))
    return [
        s.CategoryPropertyOut(
            **_property_fields(found[link["reference"]], language), necessity=link["necessity"]
        )
        for link in links
    ]


# Brands


def list_brands(session: Session, *, page_index: int, page_size: int) -> IndexPage[Brand]:
    return index_page(
        session, select(Brand).order_by(Brand.name_key), page_index=page_index, page_size=page_size
    )


def brand_out(brand: Brand) -> s.BrandOut:
    return s.BrandOut(brand_id=brand.id, name=brand.name)


# As the checks of product integration see it


def category_rules(session: Session, references: Iterable[str]) -> dict[str, CategoryRule]:
    """The categories named, with their properties."""
    rows: list[Any] = []
    for part in chunked(sorted(set(references)), IN_LIST):
        rows += session.execute(
            select(
                Category.reference,
                Category.level,
                Category.is_active,
                Category.is_variant,
                Category.is_brand_mandatory,
                Category.properties,
            ).where(Category.reference.in_(part))
        ).all()
    shapes = {
        ref: (prop, frozenset(prop.choices), frozenset(prop.file_formats))
        for ref, prop in properties_by_reference(
            session, (link["reference"] for row in rows for link in row.properties)
        ).items()
    }

    def rule(link: dict[str, str]) -> PropertyRule:
        prop, choices, formats = shapes[link["reference"]]
        return PropertyRule(
            reference=prop.reference,
            kind=domain.Kind(prop.kind),
            necessity=domain.Necessity(link["necessity"]),
            choices=choices,
            is_variation=prop.is_variation,
            is_multi_valued=prop.is_multi_valued,
            file_formats=formats,
        )

    return {
        row.reference: CategoryRule(
            reference=row.reference,
            level=row.level,
            is_active=row.is_active,
            is_variant=row.is_variant,
            is_brand_mandatory=row.is_brand_mandatory,
            properties={link["reference"]: rule(link) for link in row.properties},
        )
        for row in rows
    }


def brand_names(session: Session, keys: Iterable[str]) -> dict[str, str]:
    """Brand names in the referential's spelling, by their casefolded form."""
    found: dict[str, str] = {}
    for part in chunked(sorted(set(keys)), IN_LIST):
        rows = session.execute(select(Brand.name_key, Brand.name).where(Brand.name_key.in_(part)))
        found.update((key, name) for key, name in rows)
    return found


def checks_context(
    session: Session,
    products: Sequence[s.ProductIn],
    *,
    known: Mapping[str, domain.KnownProduct],
    default_language: str = domain.DEFAULT_LANGUAGE,
) -> Context:
    """What `products` are checked against: the categories and brands they name, loaded once."""
    return Context(
        categories=category_rules(session, (p.category_code for p in products if p.category_code)),
        brands=brand_names(session, (p.brand.strip().casefold() for p in products if p.brand)),
        known=known,
        duplicate_gtins=domain.duplicates(p.gtin for p in products),
        default_language=default_language,
    )
