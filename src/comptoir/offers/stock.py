"""The stock a seller's offers share: taken by orders, given back by cancellations.

A seller's offers on one product and condition share one stock, whatever the channel, so every
quantity write here is copied to the sibling rows, and their states follow.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from comptoir import clock
from comptoir.offers import domain as offer_domain
from comptoir.offers.apply import decode_modes
from comptoir.offers.models import Offer


def _siblings(offer: Offer) -> Any:
    """A seller's offers on one product and condition share one stock, whatever the channel."""
    return and_(
        Offer.seller_id == offer.seller_id,
        Offer.product_id == offer.product_id,
        Offer.condition == offer.condition,
    )


def _refresh_states(session: Session, offer: Offer) -> None:
    # populate_existing: the rows were just changed by a Core UPDATE behind the identity map.
    for row in session.scalars(
        select(Offer).where(_siblings(offer)).execution_options(populate_existing=True)
    ):
        values = {
            "price": row.price,
            "vat_rate": row.vat_rate,
            "quantity": row.quantity,
            "delivery_modes": decode_modes(row.delivery_modes),
        }
        row.offer_state = offer_domain.offer_state(values, row.condition)
    session.flush()


def reserve_stock(session: Session, offer: Offer, quantity: int) -> bool:
    """Takes `quantity` from the shared stock if it is there; the conditional update makes two
    concurrent orders unable to take the same last units."""
    taken = session.execute(
        update(Offer)
        .where(_siblings(offer), Offer.quantity >= quantity)
        .values(quantity=Offer.quantity - quantity, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount == 0:  # type: ignore[attr-defined]
        return False
    _refresh_states(session, offer)
    return True


def release_stock(session: Session, offer_id: int, quantity: int) -> None:
    """Gives `quantity` back to the stock of the offer (and its siblings); a deleted offer takes none."""
    offer = session.get(Offer, offer_id)
    if offer is None or quantity <= 0:
        return
    session.execute(
        update(Offer)
        .where(_siblings(offer))
        .values(quantity=Offer.quantity + quantity, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    _refresh_states(session, offer)
