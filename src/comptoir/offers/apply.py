"""The one use case that applies offer requests, shared by JSON packages and XML packages.

Set-based: lookups are preloaded with a few `IN` queries and writes are one executemany per kind
(insert, update, delete), never one ORM object per offer. The two statements that see every offer
of a package (product lookup, insert) go to the driver with plain tuples: SQLAlchemy's per-row
parameter handling costs more than the database work at this size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import msgspec
from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.catalog.models import Product
from comptoir.channels.models import SalesChannel
from comptoir.db.bulk import BulkWriter, chunked
from comptoir.offers import domain as d
from comptoir.offers.models import Offer
from comptoir.sellers.models import Subscription
from comptoir.sellers.service import seller_mode_codes

INTEGRATED, REJECTED, DUPLICATED = "Integrated", "Rejected", "Duplicated"
_CREATED = [d.Problem(d.Code.CREATED, "Offer created")]
_UPDATED = [d.Problem(d.Code.UPDATED, "Offer updated")]
_DELETED = [d.Problem(d.Code.DELETED, "Offer deleted")]
_DUPLICATED = [d.Problem(d.Code.DUPLICATED, "This sellerExternalReference is in the package more than once.")]
_NOT_FOUND = [d.Problem(d.Code.OFFER_NOT_FOUND, "No offer has this sellerExternalReference on this channel.")]

_offers = cast(Table, Offer.__table__)
_products = cast(Table, Product.__table__)
_encode = msgspec.json.Encoder().encode
_modes_decoder = msgspec.json.Decoder(list[d.DeliveryMode])
_discounts_decoder = msgspec.json.Decoder(list[d.Discount])
# Columns written, in the order of the tuples built for them.
_UPDATED_COLUMNS = (*d.OFFER_FIELDS, "offer_state", "updated_at")
_INSERTED = (
    "seller_id",
    "sales_channel_id",
    "seller_external_reference",
    "product_id",
    "condition",
    *_UPDATED_COLUMNS,
    "created_at",
)


@dataclass(slots=True)
class Outcome:
    status: str
    results: list[d.Problem]
    offer_id: str | None = None


@dataclass(slots=True)
class _Existing:
    id: int
    product_id: int
    product_reference: str
    condition: str
    values: dict[str, Any] = field(default_factory=dict)


def offer_id(seller_id: str, product_reference: str, condition: str, channel_id: str) -> str:
    """The composite offer id of the spec: seller, product, condition and channel."""
    return f"{seller_id}_{product_reference}_{condition}_{channel_id}"


def encode_modes(modes: Sequence[d.DeliveryMode] | None) -> str | None:
    return None if modes is None else _encode(modes).decode()


def decode_modes(text: str | None) -> list[d.DeliveryMode] | None:
    return None if text is None else _modes_decoder.decode(text)


def encode_discounts(discounts: Sequence[d.Discount] | None) -> str | None:
    return _encode(discounts).decode() if discounts else None


def decode_discounts(text: str | None) -> list[d.Discount]:
    return _discounts_decoder.decode(text) if text else []


def channel_rules(session: Session, seller_id: str, channel: SalesChannel) -> d.ChannelRules:
    return d.ChannelRules(
        channel.id, channel.currency, frozenset(seller_mode_codes(session, seller_id, channel.id))
    )


def apply_offer_changes(
    session: Session,
    *,
    seller_id: str,
    channel: SalesChannel,
    mode: d.Mode,
    inputs: Sequence[d.OfferInput],
) -> list[Outcome]:
    """Applies offer requests to the seller's offers on one channel; one outcome per request, in order."""
    _lock_seller_channel(session, seller_id, channel.id)
    rules = channel_rules(session, seller_id, channel)
    twice = d.duplicated_references(i.reference for i in inputs)
    outcomes: list[Outcome | None] = []
    changes: list[tuple[int, d.Change]] = []
    for i, inp in enumerate(inputs):
        if inp.reference in twice:
            outcomes.append(Outcome(DUPLICATED, _DUPLICATED))
            continue
        change = d.normalize(inp, mode, rules)
        if isinstance(change, d.Change):
            changes.append((i, change))
            outcomes.append(None)  # decided below, once the lookups are done
        else:
            outcomes.append(Outcome(REJECTED, change))

    by_gtin, by_reference = _find_products(session, changes)
    existing = _existing_offers(session, seller_id, channel.id, [c.reference for _, c in changes])
    product_ids = {p.id for p in by_gtin.values()} | {p.id for p in by_reference.values()}
    product_ids |= {e.product_id for e in existing.values()}
    held, stock, siblings = _same_products(session, seller_id, channel.id, product_ids)
    batch = _Batch(
        seller_id, channel.id, mode, rules, clock.now(), by_gtin, by_reference, existing, held, stock
    )
    for i, change in changes:
        outcomes[i] = batch.apply(change)
    _write(session, batch.inserts, batch.updates, batch.deleted)
    _sync_siblings(session, siblings, stock, batch.changed_stock, batch.now)
    return cast(list[Outcome], outcomes)


@dataclass
class _Batch:
    """The decisions of one call, request by request, against what was preloaded and decided before."""

    seller_id: str
    channel_id: str
    mode: d.Mode
    rules: d.ChannelRules
    now: datetime
    by_gtin: dict[str, d.ProductInfo]
    by_reference: dict[str, d.ProductInfo]
    existing: dict[str, _Existing]
    # Which reference sells each (product, condition) on this channel, and each one's shared stock.
    held: dict[tuple[int, str], str]
    stock: dict[tuple[int, str], int | None]
    inserts: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    changed_stock: set[tuple[int, str]] = field(default_factory=set)

    def apply(self, change: d.Change) -> Outcome:
        ex = self.existing.get(change.reference)
        if ex is None and self.mode not in d.CREATING_MODES:
            return Outcome(REJECTED, _NOT_FOUND)
        product = None
        if change.gtin or change.product_reference:
            found = d.resolve_product(change, self.by_gtin, self.by_reference, self.rules)
            if isinstance(found, d.Problem):
                return Outcome(REJECTED, [found])
            product = found
        if ex is not None:
            problem = d.identity_problem(ex.product_id, ex.condition, product, change.condition)
            if problem:
                return Outcome(REJECTED, [problem])
            product_id, product_reference, condition = ex.product_id, ex.product_reference, ex.condition
        else:
            # Creating modes always name a product and a condition (checked by normalize).
            assert product is not None and change.condition is not None
            product_id, product_reference, condition = product.id, product.reference, change.condition
        key = (product_id, condition)
        the_offer = offer_id(self.seller_id, product_reference, condition, self.channel_id)
        if self.mode is d.Mode.DELETE:
            assert ex is not None
            self.deleted.append(ex.id)
            self.held.pop(key, None)
            return Outcome(INTEGRATED, _DELETED, the_offer)
        if ex is None and key in self.held:
            taken = (
                f"The offer {self.held[key]!r} already sells this product in this condition on this channel."
            )
            return Outcome(REJECTED, [d.Problem(d.Code.PRODUCT_CONDITION_TAKEN, taken)])
        if ex is None or self.mode in d.CREATING_MODES:
            values = change.fields
        else:
            values = {**ex.values, **change.fields}
        if "quantity" not in change.fields:
            values["quantity"] = self.stock.get(key)
        problems = d.merged_problems(values)
        if problems:
            return Outcome(REJECTED, problems)
        if "quantity" in change.fields:
            self.stock[key] = values["quantity"]
            self.changed_stock.add(key)
        row = _values_row(values, condition, self.now)
        if ex is not None:
            self.updates.append((*row, ex.id))
            return Outcome(INTEGRATED, _UPDATED, the_offer)
        self.inserts.append(
            (self.seller_id, self.channel_id, change.reference, product_id, condition, *row, self.now)
        )
        self.held[key] = change.reference
        return Outcome(INTEGRATED, _CREATED, the_offer)


_MODES_AT = d.OFFER_FIELDS.index("delivery_modes")
_DISCOUNTS_AT = d.OFFER_FIELDS.index("discounts")


def _values_row(values: dict[str, Any], condition: str, now: datetime) -> tuple[Any, ...]:
    """The offer's values in `_UPDATED_COLUMNS` order."""
    row = [values.get(name) for name in d.OFFER_FIELDS]
    row[_MODES_AT] = encode_modes(row[_MODES_AT])
    row[_DISCOUNTS_AT] = encode_discounts(row[_DISCOUNTS_AT])
    return (*row, d.offer_state(values, condition), now)


def _lock_seller_channel(session: Session, seller_id: str, channel_id: str) -> None:
    """Serializes integrations of one seller on one channel (PostgreSQL; SQLite has one writer anyway).

    Without it two workers could both find a reference absent and both insert it.
    """
    session.execute(
        select(Subscription.id)
        .where(Subscription.seller_id == seller_id, Subscription.sales_channel_id == channel_id)
        .with_for_update()
    )


def _find_products(
    session: Session, changes: Sequence[tuple[int, d.Change]]
) -> tuple[dict[str, d.ProductInfo], dict[str, d.ProductInfo]]:
    gtins = sorted({c.gtin for _, c in changes if c.gtin})
    refs = sorted({c.product_reference for _, c in changes if c.product_reference})
    driver = BulkWriter(session, _products)
    names = ("id", "gtin", "product_reference", "language")
    by_gtin = {row[1]: d.ProductInfo(*row) for row in driver.select_in(names, "gtin", gtins)}
    by_reference = {row[2]: d.ProductInfo(*row) for row in driver.select_in(names, "product_reference", refs)}
    return by_gtin, by_reference


def _existing_offers(
    session: Session, seller_id: str, channel_id: str, refs: Sequence[str]
) -> dict[str, _Existing]:
    names = ("seller_external_reference", "id", "product_id", "condition", *d.OFFER_FIELDS)
    rows = BulkWriter(session, _offers).select_in(
        names,
        "seller_external_reference",
        sorted(set(refs)),
        seller_id=seller_id,
        sales_channel_id=channel_id,
    )
    product_refs = dict(
        BulkWriter(session, _products).select_in(("id", "product_reference"), "id", [r[2] for r in rows])
    )
    out: dict[str, _Existing] = {}
    for ref, offer_pk, product_id, condition, *fields in rows:
        values = dict(zip(d.OFFER_FIELDS, fields, strict=True))
        values["delivery_modes"] = decode_modes(values["delivery_modes"])
        values["discounts"] = decode_discounts(values["discounts"])
        out[ref] = _Existing(offer_pk, product_id, product_refs[product_id], condition, values)
    return out


@dataclass(slots=True)
class _Sibling:
    """A seller's offer on another channel whose stock follows this channel's writes."""

    id: int
    key: tuple[int, str]
    values: dict[str, Any]


def _same_products(
    session: Session, seller_id: str, channel_id: str, product_ids: set[int]
) -> tuple[dict[tuple[int, str], str], dict[tuple[int, str], int | None], list[_Sibling]]:
    """The seller's offers on these products: who holds each (product, condition) on this channel,
    the shared stock of each, and the offers on other channels that share it."""
    held: dict[tuple[int, str], str] = {}
    stock: dict[tuple[int, str], int | None] = {}
    siblings: list[_Sibling] = []
    names = (
        "id",
        "sales_channel_id",
        "seller_external_reference",
        "product_id",
        "condition",
        "price",
        "vat_rate",
        "delivery_modes",
        "quantity",
    )
    rows = BulkWriter(session, _offers).select_in(
        names, "product_id", sorted(product_ids), seller_id=seller_id
    )
    for offer_pk, row_channel, ref, product_id, condition, price, vat_rate, modes, quantity in rows:
        key = (product_id, condition)
        stock[key] = quantity
        if row_channel == channel_id:
            held[key] = ref
        else:
            values = {
                "price": price,
                "vat_rate": vat_rate,
                "quantity": quantity,
                "delivery_modes": decode_modes(modes),
            }
            siblings.append(_Sibling(offer_pk, key, values))
    return held, stock, siblings


def _write(
    session: Session, inserts: list[tuple[Any, ...]], updates: list[tuple[Any, ...]], deleted: list[int]
) -> None:
    driver = BulkWriter(session, _offers)
    if inserts:
        driver.insert(_INSERTED, inserts)
    if updates:
        driver.update_by_id(_UPDATED_COLUMNS, updates)
    for part in chunked(deleted):
        session.execute(delete(_offers).where(_offers.c.id.in_(part)))


def _sync_siblings(
    session: Session,
    siblings: list[_Sibling],
    stock: dict[tuple[int, str], int | None],
    changed: set[tuple[int, str]],
    now: datetime,
) -> None:
    """Copies the new shared stock to the same product and condition on other channels."""
    rows = []
    for sib in siblings:
        if sib.key in changed and stock[sib.key] != sib.values["quantity"]:
            sib.values["quantity"] = stock[sib.key]
            rows.append(
                {
                    "_id": sib.id,
                    "v_quantity": stock[sib.key],
                    "v_state": d.offer_state(sib.values, sib.key[1]),
                }
            )
    if rows:
        # Bound names must differ from column names in an UPDATE's SET clause.
        stmt = (
            update(_offers)
            .where(_offers.c.id == bindparam("_id"))
            .values(quantity=bindparam("v_quantity"), offer_state=bindparam("v_state"), updated_at=now)
        )
        session.execute(stmt, rows)
