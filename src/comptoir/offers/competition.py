"""Competition on a channel (spec section 9, `salesChannelFeedback`): who has the best offer on a
product, and how good the seller's own offer is.

Pure: the competing offers are read by the caller, at the price customers see (`facial_price`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import msgspec

from comptoir.offers.domain import DeliveryMode


class Competitor(msgspec.Struct, frozen=True, gc=False):
    seller_id: str
    condition: str
    price: Decimal
    shipping_cost: Decimal | None

    @property
    def total_price(self) -> Decimal:
        return self.price + (self.shipping_cost or Decimal(0))


def cheapest_shipping(modes: Sequence[DeliveryMode]) -> Decimal | None:
    return min((m.cost for m in modes), default=None)


def best_offer(candidates: Iterable[Competitor]) -> Competitor | None:
    """The winning offer: lowest total (price plus cheapest delivery), then lowest price, then seller."""
    return min(candidates, key=lambda c: (c.total_price, c.price, c.seller_id), default=None)


def offer_quality(
    *, is_best: bool, quantity: int, preparation_time: int | None, has_origin_price: bool
) -> tuple[int, list[str]]:
    """A 0-100 score with the reasons it is below 100, from the offer's own data."""
    reasons = []
    if not is_best:
        reasons.append("NotBestOffer")
    if quantity < 5:
        reasons.append("LowStock")
    if preparation_time is not None and preparation_time > 3:
        reasons.append("LongPreparationTime")
    if not has_origin_price:
        reasons.append("NoStrikethroughPrice")
    return 100 - 25 * len(reasons), reasons
