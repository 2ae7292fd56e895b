"""Integration reports: one item per submitted product, kept three days after submission; and the
verdict of each product's last report item, which GET /products shows beside the product."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.catalog import domain, messages
from comptoir.catalog import schemas as s
from comptoir.catalog.models import IN_LIST, Product, ProductPackage, ReportItem
from comptoir.catalog.products import (
    SUBMISSION_TYPE,
    content_fields,
    integrated_product_id,
    product_out,
    wire_seller_id,
)
from comptoir.db.bulk import chunked
from comptoir.db.pagination import IndexPage, index_page

# What the production profile shows of a package (see `report_page`).
PRODUCTION_REPORT_ITEMS = 25


class Verdict(Protocol):
    """A report item's verdict columns, read as an ORM row or as a plain row."""

    package_id: str
    status: str
    operation_type: str
    was_marketable: bool
    was_allowed_to_edit: bool
    messages: dict[str, Any]


def report_page(
    session: Session,
    seller_id: str,
    *,
    package_id: str | None,
    gtin: str | None,
    page_index: int,
    page_size: int,
    capped: bool = False,
) -> tuple[IndexPage[ReportItem], dict[str, datetime]]:
    """Report items of the seller's packages of the last three days, and those packages' submission dates.

    A package still being checked has no items yet: its report is empty, as in production.
    `capped` is the production profile: production shows at most the first 25 items of a package
    and does not paginate (`pageIndex` and `pageSize` are ignored; one page, no next one), so a
    client sees every verdict only by sending packages of 25 products at most.
    """
    if capped:
        page_index, page_size = 1, PRODUCTION_REPORT_ITEMS
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
    if capped:
        stmt = stmt.where(ReportItem.position < PRODUCTION_REPORT_ITEMS)
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
        if capped:
            page = IndexPage(page.items, page_index, page_size, False)
    package_ids = {item.package_id for item in page.items}
    dates = session.execute(
        select(ProductPackage.id, ProductPackage.submitted_at).where(ProductPackage.id.in_(package_ids))
    ).all()
    return page, dict(dates)


def verdict_fields(item: Verdict, submitted_at: datetime, language: str) -> dict[str, Any]:
    """The product model's verdict fields, messages written in `language`."""
    stored = item.messages
    return {
        "package_id": item.package_id,
        "submission_date": clock.iso_net(submitted_at) or "",
        "submission_type": SUBMISSION_TYPE,
        "status": item.status,
        "operation_type": item.operation_type,
        "was_marketable": item.was_marketable,
        "was_allowed_to_edit": item.was_allowed_to_edit,
        "was_allowed_to_enrich": item.was_allowed_to_edit,
        "errors": messages.rendered(stored["errors"], language),
        "warnings": messages.rendered(stored["warnings"], language),
        "infos": messages.rendered(stored["infos"], language),
    }


def report_out(item: ReportItem, submitted_at: datetime, language: str) -> s.ProductOut:
    fields = content_fields(item.content)
    integrated = item.status == domain.Status.INTEGRATED
    return s.ProductOut(
        **fields,
        **verdict_fields(item, submitted_at, language),
        gtin=item.gtin,
        product_reference=item.product_reference,
        created_at=clock.iso_net(item.created_at) or "",
        updated_at=clock.iso_net(item.updated_at) or "",
        integrated_product_id=integrated_product_id(item.gtin) if integrated and item.gtin else None,
        seller_id=wire_seller_id(item.seller_id),
        integration_picture_urls=fields["seller_picture_urls"] if integrated else [],
        publication_completeness=item.publication_completeness,
    )


def last_verdicts(
    session: Session, seller_id: str, gtins: Sequence[str], language: str
) -> dict[str, dict[str, Any]]:
    """The verdict fields of the seller's last report item on each GTIN (the one checked last),
    whatever its age: a product's verdict outlives the three days its report is listed."""
    found: dict[str, dict[str, Any]] = {}
    for part in chunked(sorted(set(gtins)), IN_LIST):
        last = (
            select(func.max(ReportItem.id))
            .where(ReportItem.seller_id == seller_id, ReportItem.gtin.in_(part))
            .group_by(ReportItem.gtin)
        )
        rows = session.execute(
            select(
                ReportItem.gtin,
                ReportItem.package_id,
                ReportItem.status,
                ReportItem.operation_type,
                ReportItem.was_marketable,
                ReportItem.was_allowed_to_edit,
                ReportItem.messages,
                ProductPackage.submitted_at,
            )
            .join(ProductPackage, ProductPackage.id == ReportItem.package_id)
            .where(ReportItem.id.in_(last))
        )
        found.update((row.gtin, verdict_fields(row, row.submitted_at, language)) for row in rows)
    return found


def products_out(
    session: Session, seller_id: str, products: Sequence[Product], language: str
) -> list[s.ProductOut]:
    """The seller's products in the product model, each with its last report item's verdict."""
    verdicts = last_verdicts(session, seller_id, [p.gtin for p in products], language)
    return [product_out(p, verdicts.get(p.gtin)) for p in products]
