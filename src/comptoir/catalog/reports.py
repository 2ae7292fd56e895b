"""Integration reports: one item per submitted product, kept three days after submission."""

from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.catalog import domain
from comptoir.catalog import schemas as s
from comptoir.catalog.models import ProductPackage, ReportItem
from comptoir.catalog.products import content_fields, integrated_product_id, wire_seller_id
from comptoir.db.pagination import IndexPage, index_page

SUBMISSION_TYPE = "Api"


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
    ).all()
    return page, dict(dates)


def report_out(item: ReportItem, submitted_at: datetime) -> s.ReportItemOut:
    fields = content_fields(item.content)
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
