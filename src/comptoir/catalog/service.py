"""Use cases of the product referential and of product integration.

The integration path is set-based: a package is checked against the referential loaded once into
plain dicts; its report items and products are written with executemany Core statements, and its
report items are marked Integrated with one UPDATE.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

import msgspec
from sqlalchemy import Select, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from comptoir import clock, ids
from comptoir.api.wire import normalize
from comptoir.catalog import checks, domain, formats
from comptoir.catalog import schemas as s
from comptoir.catalog.models import (
    Brand,
    CatalogSequence,
    Category,
    Product,
    ProductPackage,
    Property,
    ReportItem,
    table,
)
from comptoir.db.pagination import CursorPage, IndexPage, SortKey, cursor_page, index_page
from comptoir.errors import Conflict, NotFound, ValidationFailed
from comptoir.jobs import enqueue

T = TypeVar("T")

PENDING, VALIDATED, INTEGRATED = "Pending", "Validated", "Integrated"
INTEGRATE_JOB, PUBLISH_JOB = "catalog.integrate_products", "catalog.publish_products"
SUBMISSION_TYPE = "Api"
# Bound parameters per IN list: a whole package's GTINs in one statement, under SQLite's 32,766 and
# PostgreSQL's 65,535. Smaller chunks repeat one statement, which psycopg then prepares and PostgreSQL
# plans generically: on a freshly filled table that meant sequential scans, 4x slower (measured).
CHUNK = 10_000

LABEL_COLUMNS = {"fr-FR": "label_fr", "en-US": "label_en", "es-ES": "label_es"}
# `integratedProductId` is a GUID in production: ours is derived from the GTIN, so it needs no column.
_PRODUCT_ID_NAMESPACE = uuid.UUID("5c2d61a4-4f0e-4c36-9f0a-6f1d2f2b9c11")


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def label_of(row: Category | Property, language: str) -> str:
    return str(getattr(row, LABEL_COLUMNS[language]))


def labels_of(row: Category | Property) -> s.Labels:
    return s.Labels(fr_fr=row.label_fr, en_us=row.label_en, es_es=row.label_es)


def _set_labels(row: Category | Property, labels: s.Labels | s.LabelsPatch) -> None:
    for language, column in LABEL_COLUMNS.items():
        value = getattr(labels, language.replace("-", "_").lower())
        if value is not None:
            setattr(row, column, value)


# Categories, properties, brands (seller side)

CATEGORY_SORTS = {"categoryreference": "reference", "label": None, "level": "level"}


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


def properties_by_reference(session: Session, references: Iterable[str]) -> dict[str, Property]:
    found: dict[str, Property] = {}
    for part in chunks(sorted(set(references))):
        found.update(
            (p.reference, p) for p in session.scalars(select(Property).where(Property.reference.in_(part)))
        )
    return found


def category_properties(session: Session, reference: str) -> list[tuple[Property, str]]:
    """The properties of a category's products, with their necessity, in display order."""
    links = get_category(session, reference).properties
    found = properties_by_reference(session, (link["reference"] for link in links))
    return [(found[link["reference"]], link["necessity"]) for link in links]


def get_property(session: Session, reference: str) -> Property:
    prop = session.get(Property, reference)
    if prop is None:
        raise NotFound(f"Property {reference} does not exist.")
    return prop


def list_brands(session: Session, *, page_index: int, page_size: int) -> IndexPage[Brand]:
    return index_page(
        session, select(Brand).order_by(Brand.name_key), page_index=page_index, page_size=page_size
    )


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


def category_property_out(prop: Property, necessity: str, language: str) -> s.CategoryPropertyOut:
    return s.CategoryPropertyOut(**_property_fields(prop, language), necessity=necessity)


def brand_out(brand: Brand) -> s.BrandOut:
    return s.BrandOut(brand_id=brand.id, name=brand.name)


# Referential (operator side)


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


# Product integration


def submit_package(session: Session, seller_id: str, products: list[dict[str, Any]], language: str) -> str:
    """Stores the package as submitted and enqueues its checking; the products are read by the job."""
    package = ProductPackage(
        id=ids.new_uuid(),
        seller_id=seller_id,
        status=PENDING,
        product_count=len(products),
        language=language,
        payload=msgspec.json.encode(products).decode(),
        submitted_at=clock.now(),
    )
    session.add(package)
    session.flush()
    enqueue(session, INTEGRATE_JOB, {"package_id": package.id})
    return package.id


def _locked_package(session: Session, package_id: str, status: str) -> ProductPackage | None:
    """The package if it is at `status`; a job re-run after its transaction committed finds nothing to do."""
    package = session.get(ProductPackage, package_id, with_for_update=True)
    return package if package is not None and package.status == status else None


def category_rules(session: Session, references: Iterable[str]) -> dict[str, checks.CategoryRule]:
    """The categories named, with their properties, as the checks see them."""
    rows: list[Any] = []
    for part in chunks(sorted(set(references))):
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

    def rule(link: dict[str, str]) -> checks.PropertyRule:
        prop, choices, formats = shapes[link["reference"]]
        return checks.PropertyRule(
            reference=prop.reference,
            kind=domain.Kind(prop.kind),
            necessity=domain.Necessity(link["necessity"]),
            choices=choices,
            is_variation=prop.is_variation,
            is_multi_valued=prop.is_multi_valued,
            file_formats=formats,
        )

    return {
        row.reference: checks.CategoryRule(
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
    found: dict[str, str] = {}
    for part in chunks(sorted(set(keys))):
        rows = session.execute(select(Brand.name_key, Brand.name).where(Brand.name_key.in_(part)))
        found.update((key, name) for key, name in rows)
    return found


def known_products(session: Session, gtins: Iterable[str]) -> dict[str, tuple[int, str, domain.KnownProduct]]:
    """Products by GTIN: (id, product reference, what the checks compare against)."""
    columns = [table(Product).c[key] for key in domain.CONTENT_KEYS]
    found: dict[str, tuple[int, str, domain.KnownProduct]] = {}
    # Only what can be a stored GTIN is worth a bound parameter.
    wanted = sorted({g for g in gtins if g.isdigit() and len(g) <= max(domain.GTIN_LENGTHS)})
    for part in chunks(wanted):
        rows = session.execute(
            select(Product.id, Product.gtin, Product.product_reference, Product.seller_id, *columns).where(
                Product.gtin.in_(part)
            )
        )
        for row in rows:
            content = {key: getattr(row, key) for key in domain.CONTENT_KEYS}
            found[row.gtin] = (row.id, row.product_reference, domain.KnownProduct(row.seller_id, content))
    return found


_PRODUCT_KEYS = frozenset(f.encode_name for f in msgspec.structs.fields(s.ProductIn))
_NESTED_KEYS = {
    "attributes": frozenset(f.encode_name for f in msgspec.structs.fields(s.AttributeIn)),
    "sellerPictureUrls": frozenset(f.encode_name for f in msgspec.structs.fields(s.PictureIn)),
}


def _wire_cased(raw: dict[str, Any]) -> bool:
    """Whether a product already uses the documented names, as most do: they then skip the
    (slower) case-insensitive renaming."""
    if not raw.keys() <= _PRODUCT_KEYS:
        return False
    for name, keys in _NESTED_KEYS.items():
        for item in raw.get(name) or ():
            if isinstance(item, dict) and not item.keys() <= keys:
                return False
    return True


def validate_package(session: Session, package_id: str) -> None:
    """Checks every product of a package and stores one report item each (Validated or Refused)."""
    package = _locked_package(session, package_id, PENDING)
    if package is None:
        return
    drafts = [
        formats.coerce_product(raw if _wire_cased(raw) else normalize(raw, s.ProductIn))
        for raw in msgspec.json.decode(package.payload or "[]")
    ]
    products = [product for product, _, _ in drafts]
    known = known_products(session, (p.gtin for p in products if p.gtin))
    context = checks.Context(
        categories=category_rules(session, (p.category_code for p in products if p.category_code)),
        brands=brand_names(session, (p.brand.strip().casefold() for p in products if p.brand)),
        known={gtin: entry[2] for gtin, entry in known.items()},
        duplicate_gtins=domain.duplicates(p.gtin for p in products),
        default_language=package.language,
    )
    now = clock.now()
    # Plain locals: ORM attribute access 10,000 times over shows in the profile.
    package_id, seller_id = package.id, package.seller_id
    rows = []
    for position, (product, errors, infos) in enumerate(drafts):
        verdict = checks.check_product(
            product, seller_id=seller_id, context=context, errors=errors, infos=infos
        )
        entry = known.get(product.gtin or "")
        rows.append(
            {
                "package_id": package_id,
                "seller_id": seller_id,
                "position": position,
                "gtin": product.gtin[:100] if product.gtin is not None else None,
                "status": verdict.status.value,
                "operation_type": verdict.decision.operation.value,
                "product_reference": entry[1] if entry else None,
                "publication_completeness": verdict.completeness,
                "was_marketable": verdict.decision.was_marketable,
                "was_allowed_to_edit": verdict.decision.allowed_to_edit,
                "content": verdict.content,
                "messages": {"errors": verdict.errors, "warnings": verdict.warnings, "infos": verdict.infos},
                "created_at": now,
                "updated_at": now,
            }
        )
    session.execute(insert(table(ReportItem)), rows)
    package.status, package.validated_at, package.payload = VALIDATED, now, None
    session.flush()
    enqueue(session, PUBLISH_JOB, {"package_id": package_id})


def reserve_numbers(session: Session, name: str, count: int) -> int:
    """The first of `count` consecutive numbers of the named sequence; the row lock serializes writers."""
    sequences = table(CatalogSequence)
    last = session.execute(
        update(sequences)
        .where(sequences.c.name == name)
        .values(value=sequences.c.value + count)
        .returning(sequences.c.value)
    ).scalar()
    if last is None:
        session.execute(insert(sequences).values(name=name, value=count))
        last = count
    return int(last) - count + 1


def update_by_id(session: Session, target: Table, rows: list[dict[str, Any]]) -> None:
    """One executemany UPDATE: each row's `_id` picks the row, its other keys are the new values."""
    if not rows:
        return
    keys = [key for key in rows[0] if key != "_id"]
    # Bound names must differ from column names in a SET clause.
    stmt = (
        update(target)
        .where(target.c.id == bindparam("_id"))
        .values({key: bindparam(f"v_{key}") for key in keys})
    )
    session.execute(stmt, [{"_id": row["_id"], **{f"v_{key}": row[key] for key in keys}} for row in rows])


def product_row(
    content: dict[str, Any], gtin: str, seller_id: str, completeness: int, package_id: str | None
) -> dict[str, Any]:
    return {
        **content,
        "gtin": gtin,
        "seller_id": seller_id,
        "publication_completeness": completeness,
        "package_id": package_id,
    }


def insert_products(session: Session, rows: list[dict[str, Any]]) -> None:
    """Creates products from `product_row`s, with new product references in order."""
    if not rows:
        return
    first = reserve_numbers(session, "product_reference", len(rows))
    now = clock.now()
    session.execute(
        insert(table(Product)),
        [
            {
                **row,
                "product_reference": domain.product_reference(first + i),
                "created_at": now,
                "updated_at": now,
            }
            for i, row in enumerate(rows)
        ],
    )


def _revise(session: Session, item: Any, decision: domain.Decision) -> None:
    """Reports what writing did when another package changed the product after the checks."""
    values: dict[str, Any] = {
        "operation_type": decision.operation.value,
        "was_marketable": decision.was_marketable,
        "was_allowed_to_edit": decision.allowed_to_edit,
    }
    if item.was_allowed_to_edit and not decision.allowed_to_edit:
        messages = session.scalar(select(ReportItem.messages).where(ReportItem.id == item.id)) or {}
        messages["warnings"].append(domain.not_allowed_warning(domain.INTEGRATION))
        values["messages"] = messages
    reports = table(ReportItem)
    session.execute(update(reports).where(reports.c.id == item.id).values(values))


def publish_package(session: Session, package_id: str) -> None:
    """Writes the Validated products of a package to the catalogue and marks them Integrated."""
    package = _locked_package(session, package_id, VALIDATED)
    if package is None:
        return
    items = session.execute(
        select(
            ReportItem.id,
            ReportItem.gtin,
            ReportItem.content,
            ReportItem.publication_completeness,
            ReportItem.operation_type,
            ReportItem.was_allowed_to_edit,
        ).where(ReportItem.package_id == package.id, ReportItem.status == domain.Status.VALIDATED)
    ).all()
    known = known_products(session, (item.gtin for item in items))
    now = clock.now()
    package_id, seller_id = package.id, package.seller_id
    creations: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for item in sorted(items, key=lambda item: item.id):
        entry = known.get(item.gtin)
        # Decided again: another package may have changed the product since the checks ran.
        decision = domain.decide(entry[2] if entry else None, seller_id, item.content)
        if decision.operation == domain.Operation.CREATION:
            creations.append(
                product_row(item.content, item.gtin, seller_id, item.publication_completeness, package_id)
            )
        elif decision.operation == domain.Operation.MODIFICATION:
            assert entry is not None
            changes.append(
                {
                    **item.content,
                    "_id": entry[0],
                    "publication_completeness": item.publication_completeness,
                    "package_id": package_id,
                    "updated_at": now,
                }
            )
        if (decision.operation, decision.allowed_to_edit) != (item.operation_type, item.was_allowed_to_edit):
            _revise(session, item, decision)
    insert_products(session, creations)
    update_by_id(session, table(Product), changes)
    reports = table(ReportItem)
    session.execute(
        update(reports)
        .where(reports.c.package_id == package.id, reports.c.status == domain.Status.VALIDATED)
        .values(
            status=domain.Status.INTEGRATED,
            updated_at=now,
            product_reference=select(Product.product_reference)
            .where(Product.gtin == reports.c.gtin)
            .scalar_subquery(),
        )
    )
    package.status, package.integrated_at = INTEGRATED, now
    session.flush()


# Reports and products (seller side)


def report_page(
    session: Session,
    seller_id: str,
    *,
    package_id: str | None,
    gtin: str | None,
    page_index: int,
    page_size: int,
) -> tuple[IndexPage[ReportItem], dict[str, datetime]]:
    """Report items of the seller's packages of the last three days, and those packages' submission dates.

    A package still being checked has no items yet: its report is empty, as in production.
    """
    since = clock.now() - domain.REPORT_RETENTION
    stmt = (
        select(ReportItem)
        .join(ProductPackage, ProductPackage.id == ReportItem.package_id)
        .where(ProductPackage.seller_id == seller_id, ProductPackage.submitted_at >= since)
    )
    stmt = stmt.where(
        ReportItem.package_id == package_id if package_id else ReportItem.seller_id == seller_id
    )
    if gtin:
        stmt = stmt.where(ReportItem.gtin == gtin)
    page: IndexPage[ReportItem]
    if package_id and not gtin:
        # A package's positions run from 0 without gaps, so a page is a range of them: read from the
        # (package_id, position) index even while the planner's statistics lag behind a big package,
        # where OFFSET had PostgreSQL sort the whole package for every page.
        first = (page_index - 1) * page_size
        items = list(
            session.scalars(
                stmt.where(ReportItem.position >= first, ReportItem.position <= first + page_size).order_by(
                    ReportItem.position
                )
            )
        )
        page = IndexPage(items[:page_size], page_index, page_size, len(items) > page_size)
    else:
        order = ReportItem.position if package_id else ReportItem.id.desc()
        page = index_page(session, stmt.order_by(order), page_index=page_index, page_size=page_size)
    package_ids = {item.package_id for item in page.items}
    dates = session.execute(
        select(ProductPackage.id, ProductPackage.submitted_at).where(ProductPackage.id.in_(package_ids))
    )
    submitted = {package: at for package, at in dates}
    return page, submitted


def wire_seller_id(seller_id: str) -> int | str:
    # Production sends the seller id as a number.
    return int(seller_id) if seller_id.isdigit() else seller_id


def integrated_product_id(gtin: str) -> str:
    return str(uuid.uuid5(_PRODUCT_ID_NAMESPACE, gtin))


def _content_fields(content: dict[str, Any]) -> dict[str, Any]:
    return {
        "variant_group_reference": content["variant_group_reference"],
        "seller_product_reference": content["seller_product_reference"],
        "title": content["title"],
        "description": content["description"],
        "rich_marketing_description": content["rich_marketing_description"],
        "brand": content["brand"],
        "category_code": content["category_code"],
        "language": content["language"],
        "attributes": [
            s.AttributeOut(property_reference=a["propertyReference"], values=a["values"], files=a["files"])
            for a in content["attributes"]
        ],
        "seller_picture_urls": [
            s.PictureOut(index=i, url=url) for i, url in enumerate(content["pictures"], 1)
        ],
        "gtin_reference": None,
    }


def report_out(item: ReportItem, submitted_at: datetime) -> s.ReportItemOut:
    fields = _content_fields(item.content)
    integrated = item.status == domain.Status.INTEGRATED
    messages = item.messages
    return s.ReportItemOut(
        **fields,
        gtin=item.gtin,
        product_reference=item.product_reference,
        created_at=clock.iso_net(item.created_at) or "",
        updated_at=clock.iso_net(item.updated_at) or "",
        integrated_product_id=integrated_product_id(item.gtin) if integrated and item.gtin else None,
        package_id=item.package_id,
        seller_id=wire_seller_id(item.seller_id),
        submission_date=clock.iso_net(submitted_at) or "",
        submission_type=SUBMISSION_TYPE,
        status=item.status,
        operation_type=item.operation_type,
        integration_picture_urls=fields["seller_picture_urls"] if integrated else [],
        publication_completeness=item.publication_completeness,
        was_marketable=item.was_marketable,
        was_allowed_to_edit=item.was_allowed_to_edit,
        was_allowed_to_enrich=item.was_allowed_to_edit,
        errors=msgspec.convert(messages["errors"], list[s.Message]),
        warnings=msgspec.convert(messages["warnings"], list[s.Message]),
        infos=msgspec.convert(messages["infos"], list[s.Message]),
    )


def _product_filter(stmt: Select[Any], seller_id: str, gtins: list[str], category: str | None) -> Select[Any]:
    stmt = stmt.where(Product.seller_id == seller_id)
    if gtins:
        stmt = stmt.where(Product.gtin.in_(gtins))
    if category:
        stmt = stmt.where(Product.category_code == category)
    return stmt


def product_page(
    session: Session,
    seller_id: str,
    *,
    gtins: list[str],
    category: str | None,
    limit: int,
    cursor: str | None,
) -> CursorPage[Product]:
    """The seller's products (those it integrated), in creation order."""
    return cursor_page(
        session,
        _product_filter(select(Product), seller_id, gtins, category),
        keys=[SortKey(Product.id)],
        key_of=lambda p: [p.id],
        limit=limit,
        cursor=cursor,
    )


def count_products(session: Session, seller_id: str, *, gtins: list[str], category: str | None) -> int:
    stmt = _product_filter(select(func.count()).select_from(Product), seller_id, gtins, category)
    return int(session.scalar(stmt) or 0)


def product_out(product: Product) -> s.ProductOut:
    fields = _content_fields({key: getattr(product, key) for key in domain.CONTENT_KEYS})
    return s.ProductOut(
        **fields,
        gtin=product.gtin,
        product_reference=product.product_reference,
        created_at=clock.iso_net(product.created_at) or "",
        updated_at=clock.iso_net(product.updated_at) or "",
        integrated_product_id=integrated_product_id(product.gtin),
        package_id=product.package_id,
        seller_id=wire_seller_id(product.seller_id),
        integration_picture_urls=fields["seller_picture_urls"],
        publication_completeness=product.publication_completeness,
    )
