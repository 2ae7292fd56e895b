"""The live offer catalogue (spec section 9): a seller's offers on one channel, with the competition
computed from the other sellers' real offers, and `fields` to select parts of each offer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any, cast

import msgspec
from sqlalchemy import Select, false, or_, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from comptoir import clock
from comptoir.catalog import Product
from comptoir.channels import SalesChannel
from comptoir.db.pagination import CursorPage, SortKey, cursor_page
from comptoir.errors import ValidationFailed
from comptoir.offers import schemas as s
from comptoir.offers.channel import known_channel
from comptoir.offers.competition import Competitor, best_offer, cheapest_shipping, offer_quality
from comptoir.offers.domain import (
    CDISCOUNT,
    TAX_DEA,
    TAX_ECO,
    TAX_VAT,
    facial_price,
    offer_id,
    read_offer_ids,
)
from comptoir.offers.models import Offer
from comptoir.offers.rows import decode_discounts, decode_modes
from comptoir.platform.params import csv_values, timestamp
from comptoir.sellers import Seller, SellerAddress

MAX_FILTER_VALUES = 1000
OFFER_STATES = ("Active", "Inactive")
FEEDBACK = "salesChannelFeedback"


def filter_values(values: str | Sequence[str] | None, name: str) -> list[str]:
    """Comma-separated values, repeated parameters, or both, at most MAX_FILTER_VALUES of them."""
    out = csv_values(values)
    if len(out) > MAX_FILTER_VALUES:
        raise ValidationFailed.field(name, f"{name} takes at most {MAX_FILTER_VALUES} values.")
    return out


def _named_offers(offer_ids: list[str], seller_id: str, channel_id: str) -> ColumnElement[bool]:
    """The seller's offers on the channel named by composite ids or by the row ids clients may still
    hold (the two forms never collide)."""
    rows, composite = read_offer_ids(offer_ids, seller_id, [channel_id])
    named = []
    if composite:
        keys = [(parts.product_reference, parts.condition) for parts in composite]
        named.append(tuple_(Product.product_reference, Offer.condition).in_(keys))
    if rows:
        named.append(Offer.id.in_(rows))
    return or_(*named) if named else false()


def offers_query(
    seller_id: str,
    channel_id: str,
    *,
    offer_ids: Sequence[str] | None = None,
    references: Sequence[str] | None = None,
    gtins: Sequence[str] | None = None,
    states: Sequence[str] | None = None,
    updated_at_min: str | None = None,
) -> Select[Any]:
    """The seller's offers on the channel that pass the filters (each a 400 naming it when invalid),
    as rows of (offer, GTIN, product reference) for `offers_out`."""
    # Typed loosely: the keyset pager takes any select.
    stmt = cast(
        "Select[Any]",
        select(Offer, Product.gtin, Product.product_reference)
        .join(Product, Product.id == Offer.product_id)
        .where(Offer.seller_id == seller_id, Offer.sales_channel_id == channel_id),
    )
    if offer_ids:
        stmt = stmt.where(_named_offers(filter_values(offer_ids, "offerIds"), seller_id, channel_id))
    if references:
        stmt = stmt.where(
            Offer.seller_external_reference.in_(filter_values(references, "sellerExternalReferences"))
        )
    if gtins:
        stmt = stmt.where(Product.gtin.in_(filter_values(gtins, "gtins")))
    if states:
        chosen = filter_values(states, "offerStates")
        unknown = [v for v in chosen if v not in OFFER_STATES]
        if unknown:
            raise ValidationFailed.field(
                "offerStates", f"offerStates takes Active and Inactive, not {unknown[0]!r}."
            )
        stmt = stmt.where(Offer.offer_state.in_(chosen))
    since = timestamp("updatedAtMin", updated_at_min)
    if since is not None:
        stmt = stmt.where(Offer.updated_at >= since)
    return stmt


def list_offers(
    session: Session,
    seller_id: str,
    *,
    channel_id: str | None,
    offer_ids: Sequence[str] | None = None,
    references: Sequence[str] | None = None,
    gtins: Sequence[str] | None = None,
    states: Sequence[str] | None = None,
    updated_at_min: str | None = None,
    fields: Sequence[str] | None = None,
    expand: str | None = None,
    limit: int,
    cursor: str | None,
) -> CursorPage[s.OfferOut]:
    """The seller's offers on the channel, by sellerExternalReference; `fields` wins over `expand`."""
    channel = known_channel(session, channel_id, "salesChannelId")
    field_paths = filter_values(fields, "fields")
    # When both are given, fields wins and expand is ignored.
    if field_paths:
        feedback = any(p.split(".")[0] == FEEDBACK for p in field_paths)
    else:
        wanted = (expand or "").strip()
        if wanted and wanted != FEEDBACK:
            raise ValidationFailed.field("expand", f"expand only takes {FEEDBACK}.")
        feedback = bool(wanted)
    if feedback and channel.id != CDISCOUNT:
        raise ValidationFailed.field(
            "fields" if field_paths else "expand", f"{FEEDBACK} is only available on {CDISCOUNT}."
        )
    stmt = offers_query(
        seller_id,
        channel.id,
        offer_ids=offer_ids,
        references=references,
        gtins=gtins,
        states=states,
        updated_at_min=updated_at_min,
    )
    page = cursor_page(
        session,
        stmt,
        keys=[SortKey(Offer.seller_external_reference)],
        key_of=lambda row: [row[0].seller_external_reference],
        limit=limit,
        cursor=cursor,
        scalars=False,
    )
    offers = offers_out(session, channel, seller_id, list(page.items), feedback=feedback)
    if field_paths:
        offers = [select_fields(o, field_paths) for o in offers]
    return CursorPage(offers, page.next_cursor, page.prev_cursor)


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _taxes(offer: Offer) -> list[s.TaxOut]:
    pairs = ((TAX_VAT, offer.vat_rate), (TAX_ECO, offer.eco_tax), (TAX_DEA, offer.dea_tax))
    return [s.TaxOut(code=code, value=float(value)) for code, value in pairs if value is not None]


def competitors(
    session: Session, channel: SalesChannel, product_ids: set[int], now: datetime
) -> dict[int, list[tuple[Competitor, str]]]:
    """Every Active offer on these products on the channel, at the price customers see."""
    out: dict[int, list[tuple[Competitor, str]]] = defaultdict(list)
    if not product_ids:
        return out
    rows = session.execute(
        select(
            Offer.product_id,
            Offer.seller_id,
            Seller.shop_name,
            Offer.condition,
            Offer.price,
            Offer.discounts,
            Offer.delivery_modes,
        )
        .join(Seller, Seller.id == Offer.seller_id)
        .where(
            Offer.sales_channel_id == channel.id,
            Offer.product_id.in_(sorted(product_ids)),
            Offer.offer_state == "Active",
        )
    )
    cdiscount = channel.id == CDISCOUNT
    for r in rows:
        price = facial_price(r.price, decode_discounts(r.discounts), now, cdiscount=cdiscount)
        shipping = cheapest_shipping(decode_modes(r.delivery_modes) or [])
        out[r.product_id].append((Competitor(r.seller_id, r.condition, price, shipping), r.shop_name))
    return out


def offers_out(
    session: Session, channel: SalesChannel, seller_id: str, rows: list[Any], *, feedback: bool
) -> list[s.OfferOut]:
    """The documents of rows from `offers_query`, with the competition on their products, and each
    offer's sales channel feedback when asked."""
    now = clock.now()
    cdiscount = channel.id == CDISCOUNT
    market = competitors(session, channel, {row[0].product_id for row in rows}, now)
    storage_country = None
    if not cdiscount:
        storage_country = (
            session.scalar(
                select(SellerAddress.country).where(
                    SellerAddress.seller_id == seller_id, SellerAddress.type == "Shipping"
                )
            )
            or channel.country_code
        )
    out = []
    for offer, gtin, product_reference in rows:
        modes = decode_modes(offer.delivery_modes) or []
        discounts = decode_discounts(offer.discounts)
        facial = (
            facial_price(offer.price, discounts, now, cdiscount=cdiscount)
            if offer.price is not None
            else None
        )
        peers = market.get(offer.product_id, [])
        best = best_offer(c for c, _ in peers if c.condition == offer.condition)
        is_best = best is not None and best.seller_id == seller_id
        doc = s.OfferOut(
            offer_id=offer_id(seller_id, product_reference, offer.condition, channel.id),
            seller_id=seller_id,
            sales_channel_id=channel.id,
            seller_external_reference=offer.seller_external_reference,
            gtin=gtin,
            product_reference=product_reference,
            condition=offer.condition,
            offer_state=offer.offer_state,
            integration_price=_num(offer.price),
            origin_price=_num(offer.origin_price),
            facial_price=None
            if facial is None
            else s.FacialPriceOut(price=float(facial), currency_code=channel.currency),
            taxes=_taxes(offer),
            quantity=offer.quantity,
            preparation_time=offer.preparation_time,
            delivery_modes=[
                s.DeliveryModeOut(code=m.code, cost=float(m.cost), additional_cost=float(m.additional_cost))
                for m in modes
            ],
            price_must_be_aligned=offer.price_must_be_aligned,
            minimum_price_for_price_alignment=_num(offer.minimum_price_for_alignment),
            product_packaging_unit=offer.packaging_unit,
            product_packaging_value=_num(offer.packaging_value),
            created_at=clock.iso_net(offer.created_at),
            updated_at=clock.iso_net(offer.updated_at),
        )
        if cdiscount:
            doc.commercial_operations = [
                s.CommercialOperationOut(
                    type=x.type,
                    discount_unit=x.unit,
                    discount_value=float(x.value),
                    start_date=clock.iso_net(x.start),
                    end_date=clock.iso_net(x.end),
                    sales_reference_price=_num(x.sales_reference_price),
                )
                for x in discounts
            ]
            doc.offer_competition = s.OfferCompetitionOut(
                competing_offer_count=sum(1 for c, _ in peers if c.seller_id != seller_id),
                is_best_offer=is_best,
                best_offer_price=None if best is None else float(best.price),
            )
        else:
            doc.sales_channel_acceptance_status = "Accepted" if offer.offer_state == "Active" else "Pending"
            doc.delivery_offers = [
                s.DeliveryOfferOut(
                    storage_country=storage_country, delivery_mode_code=m.code, cost=float(m.cost)
                )
                for m in modes
            ]
            doc.is_best_offer = is_best
            doc.best_offer = (
                None
                if best is None
                else s.BestOfferOut(
                    seller_id=best.seller_id, price=float(best.price), total_price=float(best.total_price)
                )
            )
        if feedback:
            doc.sales_channel_feedback = _feedback(offer, seller_id, peers, best, is_best=is_best)
        out.append(doc)
    return out


def _feedback(
    offer: Offer,
    seller_id: str,
    peers: list[tuple[Competitor, str]],
    best: Competitor | None,
    *,
    is_best: bool,
) -> s.SalesChannelFeedbackOut:
    score, reasons = offer_quality(
        is_best=is_best,
        quantity=offer.quantity or 0,
        preparation_time=offer.preparation_time,
        has_origin_price=offer.origin_price is not None,
    )
    active = offer.offer_state == "Active"
    return s.SalesChannelFeedbackOut(
        online_status="Online" if active else "Offline",
        is_visible=active,
        best_offer_details=None
        if best is None
        else s.BestOfferDetailsOut(
            seller_id=best.seller_id,
            price=float(best.price),
            total_price=float(best.total_price),
            is_best_offer=is_best,
        ),
        offer_quality=s.OfferQualityOut(score=score, score_reasons=reasons),
        competing_offers=[
            s.CompetingOfferOut(
                seller_id=c.seller_id,
                seller_name=name,
                condition=c.condition,
                price=float(c.price),
                shipping_cost=_num(c.shipping_cost),
                total_price=float(c.total_price),
                is_best_offer=best is not None and c == best,
            )
            for c, name in peers
            if c.seller_id != seller_id
        ],
        product_information=s.ProductInformationOut(
            product_reviews_average_rating=None, product_reviews_count=0
        ),
    )


# --- field selection ------------------------------------------------------------------------------

BASE_FIELDS = ("offer_id", "seller_external_reference", "offer_state", "created_at", "updated_at")


@cache
def _attributes(kind: type[msgspec.Struct]) -> dict[str, str]:
    """Attribute names by wire name."""
    return dict(zip(kind.__struct_encode_fields__, kind.__struct_fields__, strict=True))


def select_fields(offer: s.OfferOut, paths: Sequence[str]) -> s.OfferOut:
    """The base fields plus each requested field, node or dotted path (wire names); unknown paths
    are ignored, and a path under a null or a plain value selects nothing."""
    out = s.OfferOut(**{name: getattr(offer, name) for name in BASE_FIELDS})
    for path in paths:
        _copy_path(offer, out, path.split("."))
    return out


def _copy_path(source: msgspec.Struct, target: msgspec.Struct, parts: list[str]) -> None:
    name = _attributes(type(source)).get(parts[0])
    if name is None:
        return
    value = getattr(source, name)
    rest = parts[1:]
    if value is msgspec.UNSET:
        return
    if not rest:
        setattr(target, name, value)
    elif isinstance(value, msgspec.Struct):
        child = getattr(target, name)
        if not isinstance(child, msgspec.Struct):
            child = type(value)()
            setattr(target, name, child)
        _copy_path(value, child, rest)
    elif isinstance(value, list):
        items = getattr(target, name)
        if not isinstance(items, list):
            if not all(isinstance(item, msgspec.Struct) for item in value):
                return
            items = [type(item)() for item in value]
            setattr(target, name, items)
        for item, into in zip(value, items, strict=False):
            _copy_path(item, into, rest)
