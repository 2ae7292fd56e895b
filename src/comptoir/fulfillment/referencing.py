"""Logistic referencing (spec 15.1): the products a seller declares for the warehouses to store.

A seller reference names one product in one condition, and a product in a condition has one
reference; the product must be an integrated catalogue product (its GTIN). Referencing a product
makes its offers Fulfillment offers: they sell what the warehouses hold (see `offer_quantity`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.api.wire import normalize
from comptoir.catalog import Product
from comptoir.db.pagination import CursorPage, SortKey, cursor_page
from comptoir.errors import Conflict, NotFound, ValidationFailed
from comptoir.fulfillment import domain as d
from comptoir.fulfillment import offer_quantity
from comptoir.fulfillment import schemas as s
from comptoir.fulfillment.models import FulfillmentProduct

CREATED, UPDATED, REFUSED = "Created", "Updated", "Refused"
MAX_ITEMS = 1000
REFERENCE_MAX = 50  # as on offers: the same reference names the product on every channel
LABEL_MAX = 300
_GTIN = re.compile(r"^(\d{8}|\d{12}|\d{13}|\d{14})$")
_LANGUAGE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_AT = re.compile(r" - at `\$\.?([^`]*)`$")
_MISSING = re.compile(r"Object missing required field `([^`]+)`")
# Logistic data kept as declared: (wire name, column, largest length).
_TEXTS = (
    ("categoryUn", "category_un", 20),
    ("categoryIcpe", "category_icpe", 20),
    ("traceability", "traceability", 30),
    ("customsReference", "customs_reference", 30),
)
_AMOUNTS = (
    ("dimensionMinimum", "dimension_minimum"),
    ("dimensionMedium", "dimension_medium"),
    ("dimensionMaximum", "dimension_maximum"),
    ("weight", "weight"),
)
# What `add_reference` copies from the warehouse's knowledge of a product.
_LOGISTIC = (
    *(column for _, column in _AMOUNTS),
    *(column for _, column, _ in _TEXTS),
    "product_value",
    "origin_country_code",
    "language",
    "has_expiration_date",
)
_LARGEST = Decimal("999999999")


@dataclass
class _Item:
    index: int
    data: s.FulfillmentProductIn | None
    errors: list[s.ItemErrorOut]


def _error(code: str, field: str, message: str) -> s.ItemErrorOut:
    return s.ItemErrorOut(code=code, field=field, message=message)


def _decode(index: int, raw: Any) -> _Item:
    """One item as sent, names in any casing; a field of the wrong type refuses the item alone."""
    if not isinstance(raw, dict):
        return _Item(index, None, [_error("IncorrectFormat", "", "Each product is a JSON object.")])
    try:
        return _Item(
            index, msgspec.convert(normalize(raw, s.FulfillmentProductIn), s.FulfillmentProductIn), []
        )
    except msgspec.ValidationError as exc:
        text = str(exc)
        at = _AT.search(text)
        missing = _MISSING.match(text)
        field = at.group(1) if at else (missing.group(1) if missing else "")
        return _Item(index, None, [_error("IncorrectFormat", field, _AT.sub("", text))])


def _check(data: s.FulfillmentProductIn, seller_id: str) -> tuple[dict[str, Any], list[s.ItemErrorOut]]:
    """The item's values as stored, or why not; nothing looked up yet."""
    errors: list[s.ItemErrorOut] = []
    values: dict[str, Any] = {}
    reference = (data.seller_product_reference or "").strip()
    if not reference:
        errors.append(_error("MissingField", "sellerProductReference", "sellerProductReference is required."))
    elif len(reference) > REFERENCE_MAX:
        errors.append(
            _error(
                "MaxLengthExceeded",
                "sellerProductReference",
                f"sellerProductReference is at most {REFERENCE_MAX} characters.",
            )
        )
    values["seller_product_reference"] = reference
    gtin = (data.gtin or "").strip()
    if not gtin:
        errors.append(_error("MissingField", "gtin", "gtin is required."))
    elif not _GTIN.match(gtin):
        errors.append(_error("IncorrectFormat", "gtin", "gtin is 8, 12, 13 or 14 digits."))
    values["gtin"] = gtin
    condition = d.condition(data.product_condition) if data.product_condition is not None else "New"
    if condition is None:
        errors.append(
            _error(
                "IncorrectValue",
                "productCondition",
                f"productCondition is one of {', '.join(d.PRODUCT_CONDITIONS)}.",
            )
        )
    values["product_condition"] = condition
    if data.seller_id is not None and str(data.seller_id).strip() != seller_id:
        errors.append(_error("IncorrectValue", "sellerId", f"sellerId is the calling seller's, {seller_id}."))
    if data.label is not None and len(data.label.strip()) > LABEL_MAX:
        errors.append(_error("MaxLengthExceeded", "label", f"label is at most {LABEL_MAX} characters."))
    values["label"] = (data.label or "").strip() or None
    for name, column in _AMOUNTS:
        amount = getattr(data, column)
        if amount is not None and not (amount.is_finite() and 0 < amount <= _LARGEST):
            errors.append(_error("IncorrectValue", name, f"{name} is a number above 0."))
        values[column] = amount
    given = [values[c] for _, c in _AMOUNTS[:3] if values[c] is not None]
    if len(given) == 3 and not given[0] <= given[1] <= given[2]:
        errors.append(
            _error(
                "IncorrectValue",
                "dimensionMinimum",
                "dimensionMinimum, dimensionMedium and dimensionMaximum go from the smallest to the largest.",
            )
        )
    if data.product_value is not None and not (
        data.product_value.is_finite() and 0 <= data.product_value <= _LARGEST
    ):
        errors.append(_error("IncorrectValue", "productValue", "productValue is a number, 0 or more."))
    values["product_value"] = data.product_value
    for name, column, largest in _TEXTS:
        text = getattr(data, column)
        if text is not None and len(text.strip()) > largest:
            errors.append(_error("MaxLengthExceeded", name, f"{name} is at most {largest} characters."))
        values[column] = (text.strip() or None) if text is not None else None
    country = data.origin_country_code
    if country is not None and not _COUNTRY.match(country.strip()):
        errors.append(
            _error("IncorrectFormat", "originCountryCode", "originCountryCode is an ISO 3166 code.")
        )
    values["origin_country_code"] = country.strip().upper() if country else None
    if data.language is not None and not _LANGUAGE.match(data.language.strip()):
        errors.append(_error("IncorrectFormat", "language", "language is a tag such as fr-FR."))
    values["language"] = data.language.strip() if data.language else None
    values["has_expiration_date"] = bool(data.has_expiration_date)
    return values, errors


def reference_products(session: Session, seller_id: str, raw: Sequence[Any]) -> list[s.ReferencingResultOut]:
    """One result per item, in order. The same reference sent again with its GTIN and condition
    replaces its logistic data; a reference sent twice in one call refuses every copy."""
    if not 1 <= len(raw) <= MAX_ITEMS:
        raise ValidationFailed.field("body", f"Send 1 to {MAX_ITEMS} products; got {len(raw)}.")
    items = [_decode(i, value) for i, value in enumerate(raw)]
    checked: list[tuple[_Item, dict[str, Any]]] = []
    for item in items:
        if item.data is not None:
            values, item.errors = _check(item.data, seller_id)
            checked.append((item, values))
    twice = {
        ref for ref, n in Counter(v["seller_product_reference"] for _, v in checked).items() if n > 1 and ref
    }
    results: dict[int, s.ReferencingResultOut] = {
        item.index: _result(item.index, REFUSED, None, item.errors) for item in items if item.data is None
    }
    catalogue = _catalogue(session, [v["gtin"] for _, v in checked])
    for item, values in checked:
        if values["seller_product_reference"] in twice:
            item.errors.append(
                _error(
                    "DuplicateValue",
                    "sellerProductReference",
                    "This sellerProductReference is sent more than once.",
                )
            )
        product = catalogue.get(values["gtin"])
        if not item.errors and product is None:
            item.errors.append(
                _error(
                    "ProductNotFound",
                    "gtin",
                    f"No catalogue product has GTIN {values['gtin']}: "
                    "integrate it first (POST /products-integration).",
                )
            )
        if item.errors:
            results[item.index] = _result(item.index, REFUSED, values, item.errors)
            continue
        assert product is not None
        results[item.index] = _store(session, seller_id, item.index, values, product)
    return [results[i] for i in range(len(items))]


def _result(
    index: int,
    status: str,
    values: dict[str, Any] | None,
    errors: list[s.ItemErrorOut],
    product_id: str | None = None,
) -> s.ReferencingResultOut:
    values = values or {}
    return s.ReferencingResultOut(
        index=index,
        status=status,
        seller_product_reference=values.get("seller_product_reference") or None,
        gtin=values.get("gtin") or None,
        product_condition=values.get("product_condition"),
        product_id=product_id,
        errors=errors,
    )


def _catalogue(session: Session, gtins: Sequence[str]) -> dict[str, Product]:
    wanted = sorted({g for g in gtins if g})
    if not wanted:
        return {}
    return {p.gtin: p for p in session.scalars(select(Product).where(Product.gtin.in_(wanted)))}


def _taken(
    session: Session, seller_id: str, reference: str, gtin: str, condition: str
) -> list[s.ItemErrorOut]:
    """Why this reference, GTIN and condition cannot be referenced together, if they cannot."""
    errors = []
    named = _by_reference(session, seller_id, reference)
    if named is not None and (named.gtin, named.product_condition) != (gtin, condition):
        errors.append(
            _error(
                "ReferenceTaken",
                "sellerProductReference",
                f"sellerProductReference {reference} already names GTIN {named.gtin} in condition "
                f"{named.product_condition}.",
            )
        )
    held = session.scalar(
        select(FulfillmentProduct).where(
            FulfillmentProduct.seller_id == seller_id,
            FulfillmentProduct.gtin == gtin,
            FulfillmentProduct.product_condition == condition,
        )
    )
    if held is not None and held.seller_product_reference != reference:
        errors.append(
            _error(
                "ProductConditionTaken",
                "gtin",
                f"GTIN {gtin} in condition {condition} is already referenced as "
                f"{held.seller_product_reference}.",
            )
        )
    return errors


def _store(
    session: Session, seller_id: str, index: int, values: dict[str, Any], product: Product
) -> s.ReferencingResultOut:
    reference, condition = values["seller_product_reference"], values["product_condition"]
    errors = _taken(session, seller_id, reference, values["gtin"], condition)
    if errors:
        return _result(index, REFUSED, values, errors)
    fields = {
        k: v for k, v in values.items() if k not in ("seller_product_reference", "gtin", "product_condition")
    }
    fields["label"] = fields["label"] or product.title[:LABEL_MAX]
    now = clock.now()
    existing = _by_reference(session, seller_id, reference)
    if existing is not None:
        for key, value in fields.items():
            setattr(existing, key, value)
        existing.updated_at = now
        return _result(index, UPDATED, values, [], existing.product_id)
    try:
        with session.begin_nested():
            session.add(
                FulfillmentProduct(
                    seller_id=seller_id,
                    seller_product_reference=reference,
                    gtin=product.gtin,
                    product_id=product.product_reference,
                    product_condition=condition,
                    created_at=now,
                    updated_at=now,
                    **fields,
                )
            )
    except IntegrityError:
        # Referenced by a concurrent call (PostgreSQL): that one was first.
        conflict = _error(
            "ReferenceTaken", "sellerProductReference", "Referenced at the same time by another call."
        )
        return _result(index, REFUSED, values, [conflict])
    offer_quantity.changed(session, seller_id, product.product_reference, condition)
    return _result(index, CREATED, values, [], product.product_reference)


def _by_reference(session: Session, seller_id: str, reference: str) -> FulfillmentProduct | None:
    return session.scalar(
        select(FulfillmentProduct).where(
            FulfillmentProduct.seller_id == seller_id,
            FulfillmentProduct.seller_product_reference == reference,
        )
    )


def add_reference(
    session: Session, seller_id: str, product_id: str, data: s.SellerReferenceIn
) -> tuple[FulfillmentProduct, bool]:
    """The seller's reference on an existing catalogue product, and whether it is new. The logistic
    data come from the warehouse's knowledge of the product (another seller's referencing of the
    same GTIN, the latest), the label from the catalogue."""
    product = session.scalar(select(Product).where(Product.product_reference == product_id))
    if product is None:
        raise NotFound(f"Product {product_id} does not exist.")
    condition = d.condition(data.product_condition) if data.product_condition is not None else "New"
    if condition is None:
        raise ValidationFailed.field(
            "productCondition", f"productCondition is one of {', '.join(d.PRODUCT_CONDITIONS)}."
        )
    reference = data.seller_product_reference.strip()
    if not reference or len(reference) > REFERENCE_MAX:
        raise ValidationFailed.field(
            "sellerProductReference", f"sellerProductReference is 1 to {REFERENCE_MAX} characters."
        )
    errors = _taken(session, seller_id, reference, product.gtin, condition)
    if errors:
        raise Conflict(errors[0].message, code=errors[0].code)
    existing = _by_reference(session, seller_id, reference)
    if existing is not None:
        return existing, False
    known = session.scalar(
        select(FulfillmentProduct)
        .where(FulfillmentProduct.gtin == product.gtin)
        .order_by(FulfillmentProduct.updated_at.desc(), FulfillmentProduct.id.desc())
        .limit(1)
    )
    now = clock.now()
    logistic = {column: getattr(known, column) for column in _LOGISTIC} if known else {}
    created = FulfillmentProduct(
        seller_id=seller_id,
        seller_product_reference=reference,
        gtin=product.gtin,
        product_id=product.product_reference,
        product_condition=condition,
        label=product.title[:LABEL_MAX],
        created_at=now,
        updated_at=now,
        **logistic,
    )
    try:
        with session.begin_nested():
            session.add(created)
    except IntegrityError as exc:
        raise Conflict("Referenced at the same time by another call.", code="ReferenceTaken") from exc
    offer_quantity.changed(session, seller_id, product.product_reference, condition)
    return created, True


def product_out(p: FulfillmentProduct) -> s.FulfillmentProductOut:
    def number(value: Decimal | None) -> float | None:
        return float(value) if value is not None else None

    return s.FulfillmentProductOut(
        seller_product_reference=p.seller_product_reference,
        product_id=p.product_id,
        gtin=p.gtin,
        product_condition=p.product_condition,
        label=p.label,
        dimension_minimum=number(p.dimension_minimum),
        dimension_medium=number(p.dimension_medium),
        dimension_maximum=number(p.dimension_maximum),
        weight=number(p.weight),
        category_un=p.category_un,
        category_icpe=p.category_icpe,
        has_expiration_date=p.has_expiration_date,
        traceability=p.traceability,
        customs_reference=p.customs_reference,
        product_value=number(p.product_value),
        origin_country_code=p.origin_country_code,
        language=p.language,
        created_at=p.created_at,
        updated_at=p.updated_at,
    )


@dataclass(frozen=True)
class ReferenceFilter:
    seller_product_references: tuple[str, ...] = ()
    product_ids: tuple[str, ...] = ()
    gtins: tuple[str, ...] = ()
    product_condition: str | None = None


def list_references(
    session: Session, seller_id: str, filters: ReferenceFilter, *, limit: int, cursor: str | None
) -> CursorPage[s.StockSellerReferenceOut]:
    """The seller's referenced products, oldest first."""
    stmt = select(FulfillmentProduct).where(FulfillmentProduct.seller_id == seller_id)
    if filters.seller_product_references:
        stmt = stmt.where(FulfillmentProduct.seller_product_reference.in_(filters.seller_product_references))
    if filters.product_ids:
        stmt = stmt.where(FulfillmentProduct.product_id.in_(filters.product_ids))
    if filters.gtins:
        stmt = stmt.where(FulfillmentProduct.gtin.in_(filters.gtins))
    if filters.product_condition:
        stmt = stmt.where(FulfillmentProduct.product_condition == filters.product_condition)
    page = cursor_page(
        session,
        stmt,
        keys=[SortKey(FulfillmentProduct.id)],
        key_of=lambda p: [p.id],
        limit=limit,
        cursor=cursor,
    )
    items = [
        s.StockSellerReferenceOut(
            seller_product_reference=p.seller_product_reference,
            product_id=p.product_id,
            gtin=p.gtin,
            product_condition=p.product_condition,
            label=p.label,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )
        for p in page.items
    ]
    return CursorPage(items, page.next_cursor, page.prev_cursor)


def referenced(
    session: Session,
    seller_id: str,
    seller_product_reference: str | None = None,
    product_id: str | None = None,
    condition: str | None = None,
) -> FulfillmentProduct | None:
    """The seller's referenced product named by its reference, or by the Octopia product id and
    condition (the reference wins when both are given, as on outbound items)."""
    if seller_product_reference:
        return _by_reference(session, seller_id, seller_product_reference)
    if not product_id or not condition:
        return None
    return session.scalar(
        select(FulfillmentProduct).where(
            FulfillmentProduct.seller_id == seller_id,
            FulfillmentProduct.product_id == product_id,
            FulfillmentProduct.product_condition == (d.condition(condition) or condition),
        )
    )
