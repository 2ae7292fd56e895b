"""Integrated products: a seller's list and count, the product model they share with the reports,
and the products known under a package's GTINs."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.catalog import domain
from comptoir.catalog import schemas as s
from comptoir.catalog.models import IN_LIST, Product
from comptoir.db import table
from comptoir.db.bulk import chunked
from comptoir.db.pagination import CursorPage, SortKey, cursor_page

# How packages reach comptoir: production also names Excel submissions, which comptoir does not take.
SUBMISSION_TYPE = "Api"
# `integratedProductId` is a GUID in production: ours is derived from the GTIN, so it needs no column.
_PRODUCT_ID_NAMESPACE = uuid.UUID("5c2d61a4-4f0e-4c36-9f0a-6f1d2f2b9c11")


def integrated_product_id(gtin: str) -> str:
    return str(uuid.uuid5(_PRODUCT_ID_NAMESPACE, gtin))


def wire_seller_id(seller_id: str) -> int | str:
    # Production sends the seller id as a number.
    return int(seller_id) if seller_id.isdigit() else seller_id


def content_fields(content: dict[str, Any]) -> dict[str, Any]:
    """The product model's fields from a stored content (`domain.product_content`)."""
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


def known_products(session: Session, gtins: Iterable[str]) -> dict[str, tuple[int, str, domain.KnownProduct]]:
    """Products by GTIN: (id, product reference, what the checks compare against)."""
    columns = [table(Product).c[key] for key in domain.CONTENT_KEYS]
    found: dict[str, tuple[int, str, domain.KnownProduct]] = {}
    # Only what can be a stored GTIN is worth a bound parameter.
    wanted = sorted({g for g in gtins if domain.could_be_gtin(g)})
    for part in chunked(wanted, IN_LIST):
        rows = session.execute(
            select(Product.id, Product.gtin, Product.product_reference, Product.seller_id, *columns).where(
                Product.gtin.in_(part)
            )
        )
        for row in rows:
            content = {key: getattr(row, key) for key in domain.CONTENT_KEYS}
            found[row.gtin] = (row.id, row.product_reference, domain.KnownProduct(row.seller_id, content))
    return found


# A seller's products


def _product_filter(
    stmt: Select[Any], seller_id: str, gtins: list[str], category: str | None, seller_reference: str | None
) -> Select[Any]:
    stmt = stmt.where(Product.seller_id == seller_id)
    if gtins:
        stmt = stmt.where(Product.gtin.in_(gtins))
    if category:
        stmt = stmt.where(Product.category_code == category)
    if seller_reference:
        stmt = stmt.where(Product.seller_product_reference == seller_reference)
    return stmt


def product_page(
    session: Session,
    seller_id: str,
    *,
    gtins: list[str],
    category: str | None,
    seller_reference: str | None = None,
    limit: int,
    cursor: str | None,
) -> CursorPage[Product]:
    """The seller's products (those it integrated), in creation order."""
    return cursor_page(
        session,
        _product_filter(select(Product), seller_id, gtins, category, seller_reference),
        keys=[SortKey(Product.id)],
        key_of=lambda p: [p.id],
        limit=limit,
        cursor=cursor,
    )


def count_products(
    session: Session,
    seller_id: str,
    *,
    gtins: list[str],
    category: str | None,
    seller_reference: str | None = None,
) -> int:
    stmt = _product_filter(
        select(func.count()).select_from(Product), seller_id, gtins, category, seller_reference
    )
    return int(session.scalar(stmt) or 0)


def product_out(product: Product, verdict: Mapping[str, Any] | None) -> s.ProductOut:
    """A product in the product model; `verdict` holds the fields of its last report item
    (`reports.last_verdicts`). A product without one, as the demo's, reads as integrated by its
    creation, on its creation date, without messages."""
    fields = content_fields({key: getattr(product, key) for key in domain.CONTENT_KEYS})
    created = clock.iso_net(product.created_at) or ""
    if verdict is None:
        verdict = {
            "package_id": product.package_id,
            "submission_date": created,
            "submission_type": SUBMISSION_TYPE,
            "status": domain.Status.INTEGRATED.value,
            "operation_type": domain.Operation.CREATION.value,
            "was_marketable": False,
            "was_allowed_to_edit": True,
            "was_allowed_to_enrich": True,
            "errors": [],
            "warnings": [],
            "infos": [],
        }
    return s.ProductOut(
        **fields,
        **verdict,
        gtin=product.gtin,
        product_reference=product.product_reference,
        created_at=created,
        updated_at=clock.iso_net(product.updated_at) or "",
        integrated_product_id=integrated_product_id(product.gtin),
        seller_id=wire_seller_id(product.seller_id),
        integration_picture_urls=fields["seller_picture_urls"],
        publication_completeness=product.publication_completeness,
    )
