"""The operator's edits of the referential: categories, the properties a category's products
carry, properties and brands, seen with their labels in every language."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir.catalog import domain
from comptoir.catalog import schemas as s
from comptoir.catalog.models import Brand, Category, Property
from comptoir.catalog.referential import LABEL_COLUMNS, get_category, get_property, properties_by_reference
from comptoir.errors import Conflict, ValidationFailed


def labels_of(row: Category | Property) -> s.Labels:
    return s.Labels(fr_fr=row.label_fr, en_us=row.label_en, es_es=row.label_es)


def _set_labels(row: Category | Property, labels: s.Labels | s.LabelsPatch) -> None:
    for language, column in LABEL_COLUMNS.items():
        value = getattr(labels, language.replace("-", "_").lower())
        if value is not None:
            setattr(row, column, value)


# Categories


def category_op_out(category: Category) -> s.CategoryOpOut:
    return s.CategoryOpOut(
        category_reference=category.reference,
        labels=labels_of(category),
        level=category.level,
        parent_reference=category.parent_reference,
        parent_references=list(category.parent_references),
        is_active=category.is_active,
        is_brand_mandatory=category.is_brand_mandatory,
        is_variant=category.is_variant,
    )


def create_category(session: Session, data: s.CategoryIn) -> Category:
    if session.get(Category, data.category_reference) is not None:
        raise Conflict(f"Category {data.category_reference} already exists.")
    ancestors: list[str] = []
    if data.parent_reference is not None:
        parent = session.get(Category, data.parent_reference)
        if parent is None:
            raise ValidationFailed.field(
                "parentReference", f"Category {data.parent_reference} does not exist."
            )
        if parent.level >= domain.LEAF_LEVEL:
            raise ValidationFailed.field("parentReference", "Level-3 categories cannot have children.")
        ancestors = [*parent.parent_references, parent.reference]
    category = Category(
        reference=data.category_reference,
        parent_reference=data.parent_reference,
        parent_references=ancestors,
        level=len(ancestors) + 1,
        is_active=data.is_active,
        is_brand_mandatory=data.is_brand_mandatory,
        is_variant=data.is_variant,
    )
    _set_labels(category, data.labels)
    session.add(category)
    session.flush()
    return category


def update_category(session: Session, reference: str, patch: s.CategoryPatch) -> Category:
    category = get_category(session, reference)
    if patch.labels is not None:
        _set_labels(category, patch.labels)
    for name in ("is_active", "is_brand_mandatory", "is_variant"):
        value = getattr(patch, name)
        if value is not None:
            setattr(category, name, value)
    session.flush()
    return category


def set_category_properties(
    session: Session, reference: str, data: s.CategoryPropertiesIn
) -> list[s.CategoryPropertyOpOut]:
    """Replaces the properties of a level-3 category."""
    category = get_category(session, reference)
    if category.level != domain.LEAF_LEVEL:
        raise ValidationFailed.field("categoryReference", "Only level-3 categories have properties.")
    refs = [p.property_reference for p in data.properties]
    if len(set(refs)) != len(refs):
        raise ValidationFailed.field("properties", "Each property may be given once.")
    known = properties_by_reference(session, refs)
    unknown = [r for r in refs if r not in known]
    if unknown:
        raise ValidationFailed.field("properties", f"Unknown properties: {', '.join(unknown)}.")
    category.properties = [
        {"reference": p.property_reference, "necessity": p.necessity} for p in data.properties
    ]
    session.flush()
    return [
        s.CategoryPropertyOpOut(property_reference=p.property_reference, necessity=p.necessity)
        for p in data.properties
    ]


# Properties


def property_op_out(prop: Property) -> s.PropertyOpOut:
    return s.PropertyOpOut(
        property_reference=prop.reference,
        labels=labels_of(prop),
        type=prop.kind,
        is_variation=prop.is_variation,
        is_size=prop.is_size,
        is_multi_valued=prop.is_multi_valued,
        choices=list(prop.choices),
        file_formats=list(prop.file_formats),
    )


def _check_property_shape(kind: str, choices: list[str], file_formats: list[str]) -> None:
    if kind == domain.Kind.LIST and not choices:
        raise ValidationFailed.field("choices", "A List property needs choices.")
    if kind != domain.Kind.LIST and choices:
        raise ValidationFailed.field("choices", "Only List properties have choices.")
    if kind == domain.Kind.FILE and not file_formats:
        raise ValidationFailed.field("fileFormats", "A File property needs its accepted file formats.")
    if kind != domain.Kind.FILE and file_formats:
        raise ValidationFailed.field("fileFormats", "Only File properties have file formats.")
    if len(set(choices)) != len(choices):
        raise ValidationFailed.field("choices", "Choices must be unique.")


def create_property(session: Session, data: s.PropertyIn) -> Property:
    if session.get(Property, data.property_reference) is not None:
        raise Conflict(f"Property {data.property_reference} already exists.")
    _check_property_shape(data.type, data.choices, data.file_formats)
    prop = Property(
        reference=data.property_reference,
        kind=data.type,
        is_variation=data.is_variation,
        is_size=data.is_size,
        is_multi_valued=data.is_multi_valued,
        choices=list(data.choices),
        file_formats=list(data.file_formats),
    )
    _set_labels(prop, data.labels)
    session.add(prop)
    session.flush()
    return prop


def update_property(session: Session, reference: str, patch: s.PropertyPatch) -> Property:
    prop = get_property(session, reference)
    _check_property_shape(
        prop.kind,
        prop.choices if patch.choices is None else patch.choices,
        prop.file_formats if patch.file_formats is None else patch.file_formats,
    )
    if patch.labels is not None:
        _set_labels(prop, patch.labels)
    for name in ("is_variation", "is_size", "is_multi_valued", "choices", "file_formats"):
        value = getattr(patch, name)
        if value is not None:
            setattr(prop, name, list(value) if isinstance(value, list) else value)
    session.flush()
    return prop


# Brands


def create_brand(session: Session, data: s.BrandIn) -> Brand:
    name = data.name.strip()
    key = name.casefold()
    if not name:
        raise ValidationFailed.field("name", "The brand name must not be blank.")
    if session.scalar(select(Brand.id).where(Brand.name_key == key)) is not None:
        raise Conflict(f"Brand {name} already exists.")
    brand = Brand(name=name, name_key=key)
    session.add(brand)
    session.flush()
    return brand
