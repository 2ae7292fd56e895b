"""Product integration, second half: the write job creates or changes the Validated products of a
package with bulk statements (COPY on PostgreSQL) and marks their report items Integrated with one UPDATE.

Each product is decided again against the catalogue as it is now: another package may have created
or changed it since the checks ran.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.catalog import domain
from comptoir.catalog.integration import INTEGRATED, VALIDATED, locked_package
from comptoir.catalog.models import Product, ReportItem
from comptoir.catalog.products import known_products
from comptoir.catalog.sequences import reserve_numbers
from comptoir.db import table
from comptoir.db.bulk import BulkWriter


def update_by_id(session: Session, target: Table, rows: list[dict[str, Any]]) -> None:
    """One executemany UPDATE: each row's `_id` picks the row, its other keys are the new values."""
    if not rows:
        return
    keys = [key for key in rows[0] if key != "_id"]
    BulkWriter(session, target).update_by_id(keys, [(*(row[k] for k in keys), row["_id"]) for row in rows])


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


def insert_products(session: Session, rows: list[dict[str, Any]], now: datetime | None = None) -> None:
    """Creates products from `product_row`s, with new product references in order, dated `now` (the
    platform clock's by default)."""
    if not rows:
        return
    first = reserve_numbers(session, "product_reference", len(rows))
    now = now or clock.now()
    names = [*rows[0], "product_reference", "created_at", "updated_at"]
    BulkWriter(session, table(Product)).insert(
        names,
        [(*row.values(), domain.product_reference(first + i), now, now) for i, row in enumerate(rows)],
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
    package = locked_package(session, package_id, VALIDATED)
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
