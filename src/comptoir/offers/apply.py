"""The one use case that applies offer requests, shared by JSON packages and XML packages.

Set-based: lookups are preloaded with a few `IN` queries and writes are one statement per kind
(insert, update, delete), never one ORM object per offer; the statements that see every offer of a
package go to the driver with plain tuples (`rows`, through the bulk writer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from comptoir import clock, fulfillment
from comptoir.channels import SalesChannel
from comptoir.offers import rows
from comptoir.offers.channel import channel_rules
from comptoir.offers.domain import Code, Problem, offer_id, problem
from comptoir.offers.offer_changes import ProductInfo, identity_problem, merged_problems, resolve_product
from comptoir.offers.offer_requests import (
    CREATING_MODES,
    Change,
    ChannelRules,
    Mode,
    OfferInput,
    duplicated_references,
    normalize,
)
from comptoir.offers.stock import Key, follow_stock, seller_offers, shared_stock
from comptoir.sellers import Subscription

INTEGRATED, REJECTED, DUPLICATED = "Integrated", "Rejected", "Duplicated"
_CREATED = [problem(Code.CREATED, "offer_created")]
_UPDATED = [problem(Code.UPDATED, "offer_updated")]
_DELETED = [problem(Code.DELETED, "offer_deleted")]
_DUPLICATED = [problem(Code.DUPLICATED, "reference_twice")]
_NOT_FOUND = [problem(Code.OFFER_NOT_FOUND, "offer_not_found")]


@dataclass(slots=True)
class Outcome:
    status: str
    results: list[Problem]
    offer_id: str | None = None


def apply_offer_changes(
    session: Session,
    *,
    seller_id: str,
    channel: SalesChannel,
    mode: Mode,
    inputs: Sequence[OfferInput],
) -> list[Outcome]:
    """Applies offer requests to the seller's offers on one channel; one outcome per request, in order."""
    _lock_seller_channel(session, seller_id, channel.id)
    rules = channel_rules(session, seller_id, channel)
    twice = duplicated_references(i.reference for i in inputs)
    outcomes: list[Outcome | None] = []
    changes: list[tuple[int, Change]] = []
    for i, inp in enumerate(inputs):
        if inp.reference in twice:
            outcomes.append(Outcome(DUPLICATED, _DUPLICATED))
            continue
        change = normalize(inp, mode, rules)
        if isinstance(change, Change):
            changes.append((i, change))
            outcomes.append(None)  # decided below, once the lookups are done
        else:
            outcomes.append(Outcome(REJECTED, change))

    by_gtin, by_reference = rows.find_products(
        session,
        sorted({c.gtin for _, c in changes if c.gtin}),
        sorted({c.product_reference for _, c in changes if c.product_reference}),
    )
    existing = rows.existing_offers(session, seller_id, channel.id, [c.reference for _, c in changes])
    product_ids = {p.id for p in by_gtin.values()} | {p.id for p in by_reference.values()}
    product_ids |= {e.product_id for e in existing.values()}
    same_products = seller_offers(session, seller_id, product_ids)
    held = {row.key: row.reference for row in same_products if row.channel_id == channel.id}
    # Fulfillment offers sell what the warehouses hold, whatever the package says.
    warehouse = fulfillment.warehouse_quantities(session, seller_id, product_ids)
    batch = _Batch(
        seller_id,
        channel.id,
        mode,
        rules,
        clock.now(),
        by_gtin,
        by_reference,
        existing,
        held,
        {**shared_stock(same_products), **warehouse},
        warehouse,
    )
    for i, change in changes:
        outcomes[i] = batch.apply(change)
    rows.write(session, batch.inserts, batch.updates, batch.deleted)
    siblings = [row for row in same_products if row.channel_id != channel.id]
    follow_stock(session, siblings, batch.stock, batch.changed_stock, batch.now)
    return cast(list[Outcome], outcomes)


@dataclass
class _Batch:
    """The decisions of one call, request by request, against what was preloaded and decided before."""

    seller_id: str
    channel_id: str
    mode: Mode
    rules: ChannelRules
    now: datetime
    by_gtin: dict[str, ProductInfo]
    by_reference: dict[str, ProductInfo]
    existing: dict[str, rows.Existing]
    # Which reference sells each (product, condition) on this channel, and each one's shared stock.
    held: dict[Key, str]
    stock: dict[Key, int | None]
    warehouse: dict[Key, int]
    inserts: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    changed_stock: set[Key] = field(default_factory=set)

    def apply(self, change: Change) -> Outcome:
        ex = self.existing.get(change.reference)
        if ex is None and self.mode not in CREATING_MODES:
            return Outcome(REJECTED, _NOT_FOUND)
        product = None
        if change.gtin or change.product_reference:
            found = resolve_product(change, self.by_gtin, self.by_reference, self.rules)
            if isinstance(found, Problem):
                return Outcome(REJECTED, [found])
            product = found
        if ex is not None:
            changed = identity_problem(ex.product_id, ex.condition, product, change.condition)
            if changed:
                return Outcome(REJECTED, [changed])
            product_id, product_reference, condition = ex.product_id, ex.product_reference, ex.condition
        else:
            # Creating modes always name a product and a condition (checked by normalize).
            assert product is not None and change.condition is not None
            product_id, product_reference, condition = product.id, product.reference, change.condition
        key = (product_id, condition)
        the_offer = offer_id(self.seller_id, product_reference, condition, self.channel_id)
        if self.mode is Mode.DELETE:
            assert ex is not None
            self.deleted.append(ex.id)
            self.held.pop(key, None)
            return Outcome(INTEGRATED, _DELETED, the_offer)
        if ex is None and key in self.held:
            taken = problem(Code.PRODUCT_CONDITION_TAKEN, "product_condition_taken", reference=self.held[key])
            return Outcome(REJECTED, [taken])
        fields = change.fields
        ignored: list[Problem] = []
        if key in self.warehouse and "quantity" in fields:
            fields = {name: value for name, value in fields.items() if name != "quantity"}
            ignored = [
                problem(Code.QUANTITY_FROM_WAREHOUSE, "quantity_from_warehouse", quantity=self.warehouse[key])
            ]
        # Every offer field: a creating change carries them all (None where not given), other
        # changes fall back on the existing offer's.
        values = fields if ex is None or self.mode in CREATING_MODES else {**ex.values, **fields}
        if "quantity" not in fields:
            values["quantity"] = self.stock.get(key)
        problems = merged_problems(values)
        if problems:
            return Outcome(REJECTED, problems)
        if "quantity" in fields:
            self.stock[key] = values["quantity"]
            self.changed_stock.add(key)
        row = rows.values_row(values, condition, self.now)
        if ex is not None:
            self.updates.append((*row, ex.id))
            return Outcome(INTEGRATED, _UPDATED + ignored, the_offer)
        self.inserts.append(
            (self.seller_id, self.channel_id, change.reference, product_id, condition, *row, self.now)
        )
        self.held[key] = change.reference
        return Outcome(INTEGRATED, _CREATED + ignored, the_offer)


def _lock_seller_channel(session: Session, seller_id: str, channel_id: str) -> None:
    """Serializes integrations of one seller on one channel (PostgreSQL; SQLite has one writer anyway).

    Without it two workers could both find a reference absent and both insert it.
    """
    session.execute(
        select(Subscription.id)
        .where(Subscription.seller_id == seller_id, Subscription.sales_channel_id == channel_id)
        .with_for_update()
    )
